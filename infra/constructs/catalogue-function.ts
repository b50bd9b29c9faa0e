/**
 * One Lambda function from its catalogue entry: code bundled with esbuild as ESM for Node.js 22 on arm64, its
 * own role (no managed policies), its own log group, and exactly the table rights the catalogue lists.
 */
import { basename, dirname, join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { tableEnvVar, type FunctionDef, type TableAccess, type TableName } from '../../shared/catalogue/index.js';
import { PROJECT_ROOT } from './names.js';
import type { CatalogueTables } from './tables.js';

/** ESM output still meets CommonJS dependencies that call `require`; give the bundle one. */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __busflowCreateRequire } from 'node:module'; const require = __busflowCreateRequire(import.meta.url);";

export const FUNCTION_LOG_RETENTION = RetentionDays.ONE_MONTH;

export interface CatalogueFunctionProps {
  def: FunctionDef;
  tables: CatalogueTables;
  /** Required when `def.cardHashKey` is set. */
  cardHashKey?: ISecret;
}

/** The Powertools service name: the function's directory (`functions/ingest-telemetry/handler.ts` → `ingest-telemetry`). */
export function serviceName(def: FunctionDef): string {
  return basename(dirname(def.entry));
}

export class CatalogueFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: CatalogueFunctionProps) {
    super(scope, id);
    const { def, tables } = props;

    this.logGroup = new LogGroup(this, 'Logs', { retention: FUNCTION_LOG_RETENTION, removalPolicy: RemovalPolicy.RETAIN });
    // Own role instead of AWSLambdaBasicExecutionRole: logs may go to this function's log group only.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${def.id}`,
    });
    this.logGroup.grantWrite(this.role);

    const environment: Record<string, string> = { POWERTOOLS_SERVICE_NAME: serviceName(def) };
    const tableAccess = Object.entries(def.tables) as [TableName, TableAccess][];
    for (const [name] of tableAccess) environment[tableEnvVar(name)] = tables.table(name).tableName;
    if (def.cardHashKey) {
      if (!props.cardHashKey) throw new Error(`${def.id} needs the card hash key but none was given`);
      environment.CARD_HASH_KEY_SECRET_ARN = props.cardHashKey.secretArn;
    }

    this.fn = new NodejsFunction(this, 'Function', {
      description: def.description,
      entry: join(PROJECT_ROOT, def.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: def.memoryMb,
      timeout: Duration.seconds(def.timeoutS),
      role: this.role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      environment,
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // The SDK is bundled at the version the code was tested with, not the one the runtime happens to carry.
        bundleAwsSDK: true,
        tsconfig: join(PROJECT_ROOT, 'tsconfig.json'),
        forceDockerBundling: false,
      },
    });

    for (const [name, access] of tableAccess) tables.grant(this.fn, name, access);
    if (def.cardHashKey) props.cardHashKey!.grantRead(this.fn);
  }
}
