/**
 * BusFlow on AWS, generated from the catalogue (shared/catalogue): tables, telemetry ingestion, device identity,
 * the HTTP API with its user pool, scheduled jobs, alarms and the operations dashboard, for one stage (dev, prod). Nothing here names a topic, table, key, route,
 * schedule or function setting; it only walks the catalogue.
 */
import { CfnOutput, RemovalPolicy, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { CfnUserPool } from 'aws-cdk-lib/aws-cognito';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { DEFAULT_STAGE, functions, telemetryStream, type FunctionDef, type Stage } from '../../shared/catalogue/index.js';
import { Alarms } from '../constructs/alarms.js';
import { Api, httpFunctions } from '../constructs/api.js';
import { ConsoleSite } from '../constructs/console-site.js';
import { DeviceIdentity } from '../constructs/device-identity.js';
import { BoardIdentity } from '../constructs/board-identity.js';
import { Ingestion, telemetryStreamFunctions } from '../constructs/ingestion.js';
import { IotDataEndpoint } from '../constructs/iot-endpoint.js';
import { resolveSchedules, Schedules, scheduleFunctions } from '../constructs/schedules.js';
import { generatedKey } from '../constructs/secret-key.js';
import { CatalogueTables } from '../constructs/tables.js';
import { OperationsDashboard } from '../constructs/dashboard.js';
import { stageSettings } from './stage-settings.js';

/** Length of the generated card pseudonymisation key (the function requires at least 32 characters). */
const CARD_HASH_KEY_LENGTH = 48;
/** Length of the generated key from which the pagination cursors' encryption key is derived (HKDF-SHA-256). */
const CURSOR_KEY_LENGTH = 48;

const anyFunction = (has: (def: FunctionDef) => boolean | undefined) => Object.values(functions).some((def: FunctionDef) => has(def));

export interface BusFlowStackProps extends StackProps {
  /** `-c stage=dev|prod`; dev when not given. */
  stage?: Stage;
  /** `-c alarmEmail=…`: subscribed to the alarm topic. */
  alarmEmail?: string;
  /** Whether buses may still publish to the plain telemetry topics (`-c plainTopics=false` once all use Basic Ingest). Default true. */
  plainTopics?: boolean;
}

export class BusFlowStack extends Stack {
  readonly stage: Stage;
  readonly tables: CatalogueTables;
  readonly ingestion: Ingestion;
  readonly deviceIdentity: DeviceIdentity;
  readonly boardIdentity: BoardIdentity;
  readonly api: Api;
  readonly console: ConsoleSite;
  readonly schedules: Schedules;
  /** The deploy-time lookup of the account's IoT data endpoint; only when a function publishes. */
  readonly iotDataEndpoint: IotDataEndpoint | undefined;
  readonly alarms: Alarms;
  readonly dashboard: OperationsDashboard;
  readonly cardHashKey: Secret | undefined;
  readonly cursorKey: Secret | undefined;

  constructor(scope: Construct, id: string, props: BusFlowStackProps = {}) {
    super(scope, id, props);
    assertEveryFunctionIsWired();
    this.stage = props.stage ?? DEFAULT_STAGE;
    const settings = stageSettings[this.stage];
    Tags.of(this).add('stage', this.stage);
    // Prod keeps what cannot be recreated when the stack (or a resource) goes; dev goes whole.
    const dataRemoval = settings.keepData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.tables = new CatalogueTables(this, 'Tables', { keepData: settings.keepData });

    this.cardHashKey = anyFunction((def) => def.cardHashKey)
      ? generatedKey(this, 'CardHashKey', {
          description: 'Key of the HMAC that pseudonymises fare card ids before they are stored',
          length: CARD_HASH_KEY_LENGTH,
          // Losing the key makes every stored pseudonym unlinkable to new taps (prod keeps it with the tables).
          removalPolicy: dataRemoval,
          noRotationReason:
            'The card hash key is a pseudonymisation key, not a credential. It is rotated on a plan with ' +
            '`npm run card-key:rotate` (a new key version taking over at a chosen instant, retired keys deleted; ' +
            "docs/privacy.md), not by Secrets Manager's rotation Lambda: an unplanned switch would give a card a " +
            'new pseudonym without the link hashes that keep its taps linked. Only the functions the catalogue marks ' +
            'cardHashKey may read it.',
        })
      : undefined;
    this.cursorKey = anyFunction((def) => def.cursorKey)
      ? generatedKey(this, 'CursorKey', {
          description: "Key from which the API pagination cursors' encryption key is derived",
          length: CURSOR_KEY_LENGTH,
          // Losing it only invalidates the cursors handed out so far; callers start again from the first page.
          removalPolicy: RemovalPolicy.DESTROY,
          noRotationReason:
            'The cursor key only encrypts pagination cursors (the last evaluated key, bound to its query), it grants no ' +
            "access: every page is still filtered by the caller's role and operator. Automatic rotation would need a " +
            'custom rotation function and would break cursors in flight; if the key leaks it is replaced by ' +
            'regenerating the secret value. Only the functions the catalogue marks cursorKey may read it.',
        })
      : undefined;
    // One lookup for the whole stack; the publishing functions get its answer as IOT_DATA_ENDPOINT.
    this.iotDataEndpoint = anyFunction((def) => (def.publishes?.length ?? 0) > 0) ? new IotDataEndpoint(this, 'IotDataEndpoint') : undefined;
    const keys = {
      ...(this.cardHashKey ? { cardHashKey: this.cardHashKey } : {}),
      ...(this.cursorKey ? { cursorKey: this.cursorKey } : {}),
      ...(this.iotDataEndpoint ? { iotDataEndpoint: this.iotDataEndpoint.address } : {}),
    };

    this.ingestion = new Ingestion(this, 'Ingestion', { tables: this.tables, stage: this.stage, streamCapacity: settings.telemetryStream, ...keys });
    this.deviceIdentity = new DeviceIdentity(this, 'DeviceIdentity', { stage: this.stage, plainTopics: props.plainTopics ?? true });
    this.boardIdentity = new BoardIdentity(this, 'BoardIdentity');
    // The console's site first: the API's Cognito client takes its address as the sign-in callback.
    this.console = new ConsoleSite(this, 'Console');
    this.api = new Api(this, 'Api', { tables: this.tables, ...keys, consoleOrigin: this.console.origin });
    // The map's tile server is the city's choice (cdk deploy -c consoleTileUrl=…): without one, a plain background.
    const tileUrl = this.node.tryGetContext('consoleTileUrl') as string | undefined;
    const tileAttribution = this.node.tryGetContext('consoleTileAttribution') as string | undefined;
    this.console.publish({
      ...(tileUrl ? { tileUrl } : {}),
      ...(tileAttribution ? { tileAttribution } : {}),
      apiUrl: this.api.httpApi.apiEndpoint,
      auth: { kind: 'cognito', domain: this.api.auth.hostedUiDomain!, clientId: this.api.auth.consoleClient!.userPoolClientId },
    });
    this.schedules = new Schedules(this, 'Schedules', { tables: this.tables, ...keys });
    this.api.auth.userPool.applyRemovalPolicy(dataRemoval);
    (this.api.auth.userPool.node.defaultChild as CfnUserPool).deletionProtection = settings.keepData ? 'ACTIVE' : 'INACTIVE';

    this.alarms = new Alarms(this, 'Alarms', props.alarmEmail ? { email: props.alarmEmail } : {});
    this.alarms.deadLetters('ingest-dlq', this.ingestion.deadLetterQueue);
    this.alarms.iteratorAge(telemetryStream.name, this.ingestion.stream);
    this.alarms.deadLetters('schedule-dlq', this.schedules.deadLetterQueue);
    const allFunctions = [...this.ingestion.functions.values(), ...this.api.functions.values(), ...this.schedules.functions.values()];
    for (const fn of allFunctions) this.alarms.functionErrors(fn.node.id, fn.fn);
    this.alarms.apiServerErrors('http-api', this.api.stage);

    this.dashboard = new OperationsDashboard(this, 'Operations', {
      stream: this.ingestion.stream,
      streamFunctions: [...this.ingestion.functions.values()].map((fn) => fn.fn),
      apiStage: this.api.stage,
      accessLogs: this.api.accessLogs,
      alarms: this.alarms.all,
    });
    new CfnOutput(this, 'DashboardName', {
      description: 'CloudWatch dashboard of this stage (alarms, ingest, rejects, journeys, predictions, API, reconciliation)',
      value: this.dashboard.dashboard.dashboardName,
    });
  }
}

/**
 * A function whose source this stack does not build would deploy without a trigger: refuse to synth. Schedules
 * are resolved here too, so that a schedule naming an unknown function, or a schedule function without a
 * schedule, fails with its name before anything is built.
 */
function assertEveryFunctionIsWired(): void {
  resolveSchedules();
  const wired = new Set<string>([...telemetryStreamFunctions(), ...httpFunctions(), ...scheduleFunctions()].map(([name]) => name));
  const unwired = Object.entries(functions)
    .filter(([name]) => !wired.has(name))
    .map(([name, def]) => `${name} (${(def as FunctionDef).source.kind})`);
  if (unwired.length > 0) throw new Error(`BusFlowStack has no wiring for catalogue functions: ${unwired.join(', ')}`);
}
