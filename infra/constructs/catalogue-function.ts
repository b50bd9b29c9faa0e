/**
 * One Lambda function from its catalogue entry: code bundled with esbuild as ESM for Node.js 22 on arm64, its
 * own role (no managed policies), its own log group, and exactly the table rights the catalogue lists.
 */
import { basename, dirname, join } from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing, type CfnFunction } from 'aws-cdk-lib/aws-lambda';
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

    const environment: Record<string, string> = {
      POWERTOOLS_SERVICE_NAME: serviceName(def),
      // Stack traces in the logs point into the TypeScript sources (the bundle ships its source map).
      NODE_OPTIONS: '--enable-source-maps',
    };
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
    this.enableTracing();

    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the runtime ARCHITECTURE §2 fixes and the one the code is developed and tested on locally ' +
        '(the node 22.x devDependency); moving to a newer runtime is a project-wide change, not a per-function one.',
    });
  }

  /**
   * Active X-Ray tracing. Set on the L1 instead of `tracing: Tracing.ACTIVE` so that the X-Ray statement (the
   * only `Resource: *` this function has) lives in a policy of its own, and the acknowledgement below cannot
   * cover any other wildcard added to the role later.
   */
  private enableTracing(): void {
    (this.fn.node.defaultChild as CfnFunction).tracingConfig = { mode: Tracing.ACTIVE };
    const tracing = new Policy(this, 'TracingPolicy', {
      statements: [new PolicyStatement({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] })],
    });
    this.role.attachInlinePolicy(tracing);
    Validations.of(tracing).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions ' +
        '(https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html); this policy holds nothing else.',
    });
  }
}
