/**
 * BusFlow on AWS, generated from the catalogue (shared/catalogue): tables, telemetry ingestion, device identity
 * and alarms. Nothing here names a topic, table, key or function setting; it only walks the catalogue.
 */
import { RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { functions, telemetryStream, type FunctionDef } from '../../shared/catalogue/index.js';
import { Alarms } from '../constructs/alarms.js';
import { DeviceIdentity } from '../constructs/device-identity.js';
import { Ingestion, telemetryStreamFunctions } from '../constructs/ingestion.js';
import { CatalogueTables } from '../constructs/tables.js';

/** Length of the generated card pseudonymisation key (the function requires at least 32 characters). */
const CARD_HASH_KEY_LENGTH = 48;

export class BusFlowStack extends Stack {
  readonly tables: CatalogueTables;
  readonly ingestion: Ingestion;
  readonly deviceIdentity: DeviceIdentity;
  readonly alarms: Alarms;
  readonly cardHashKey: Secret | undefined;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    assertEveryFunctionIsWired();

    this.tables = new CatalogueTables(this, 'Tables');

    if (Object.values(functions).some((def: FunctionDef) => def.cardHashKey)) {
      this.cardHashKey = new Secret(this, 'CardHashKey', {
        description: 'Key of the HMAC that pseudonymises fare card ids before they are stored',
        generateSecretString: { passwordLength: CARD_HASH_KEY_LENGTH, excludePunctuation: true },
        // Losing the key makes every stored pseudonym unlinkable to new taps.
        removalPolicy: RemovalPolicy.RETAIN,
      });
      Validations.of(this.cardHashKey).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'The card hash key is a pseudonymisation key, not a credential: rotating it would give the same card a ' +
          'different pseudonym and break linking of taps across service days (journeys, subsidy reconciliation). ' +
          'Only the functions the catalogue marks cardHashKey may read it.',
      });
    }

    this.ingestion = new Ingestion(this, 'Ingestion', {
      tables: this.tables,
      ...(this.cardHashKey ? { cardHashKey: this.cardHashKey } : {}),
    });
    this.deviceIdentity = new DeviceIdentity(this, 'DeviceIdentity');

    this.alarms = new Alarms(this, 'Alarms');
    this.alarms.deadLetters('ingest-dlq', this.ingestion.deadLetterQueue);
    this.alarms.iteratorAge(telemetryStream.name, this.ingestion.stream);
    for (const [, fn] of this.ingestion.functions) this.alarms.functionErrors(fn.node.id, fn.fn);
  }
}

/** A function whose source this stack does not build yet would deploy without a trigger: refuse to synth. */
function assertEveryFunctionIsWired(): void {
  const wired = new Set(telemetryStreamFunctions().map(([name]) => name));
  const unwired = Object.entries(functions)
    .filter(([name]) => !wired.has(name as keyof typeof functions))
    .map(([name, def]) => `${name} (${(def as FunctionDef).source.kind})`);
  if (unwired.length > 0) throw new Error(`BusFlowStack has no wiring for catalogue functions: ${unwired.join(', ')}`);
}
