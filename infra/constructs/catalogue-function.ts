/**
 * One Lambda function from its catalogue entry: code bundled with esbuild as ESM for Node.js 22 on arm64, its
 * own role (no managed policies), its own log group, and exactly the table rights the catalogue lists. The
 * entry's extras become rights too: `publishes` → iot:Publish on those topics only (and IOT_DATA_ENDPOINT, found
 * by the stack at deploy time), `cursorKey` → the cursor key.
 * The trigger (stream mapping, API route) is wired by whoever creates the function.
 */
import { basename, dirname, join } from 'node:path';
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing, type CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../shared/adapters/metrics.js';
import { tableEnvVar, type FunctionDef, type TableAccess, type TableName } from '../../shared/catalogue/index.js';
import { PROJECT_ROOT } from './names.js';
import type { CatalogueTables } from './tables.js';

/** ESM output still meets CommonJS dependencies that call `require`; give the bundle one. */
const ESM_REQUIRE_BANNER = "import { createRequire as __busflowCreateRequire } from 'node:module'; const require = __busflowCreateRequire(import.meta.url);";

export const FUNCTION_LOG_RETENTION = RetentionDays.ONE_MONTH;

/**
 * Powertools settings every function gets (with POWERTOOLS_SERVICE_NAME, its own). Traces keep the calls and
 * their timings but not the handlers' responses: those hold positions, card pseudonyms and statements, which
 * belong in the tables, not in X-Ray.
 */
const POWERTOOLS_ENVIRONMENT = {
  POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
  POWERTOOLS_TRACE_ENABLED: 'true',
  POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
} as const;

export interface CatalogueFunctionProps {
  def: FunctionDef;
  tables: CatalogueTables;
  /** Required when `def.cardHashKey` is set. */
  cardHashKey?: ISecret;
  /** Required when `def.cursorKey` is set. */
  cursorKey?: ISecret;
  /**
   * The account's IoT data endpoint host (a deploy-time token, see IotDataEndpoint). Required when `def.publishes`
   * is set; becomes IOT_DATA_ENDPOINT.
   */
  iotDataEndpoint?: string;
}

/** IoT data-plane actions for each `publishes` topic: the messages are retained, which needs iot:RetainPublish too. */
const IOT_PUBLISH_ACTIONS = ['iot:Publish', 'iot:RetainPublish'] as const;

/** Every `{placeholder}` of a topic template (`bus/{busId}/assignment`) becomes the IAM wildcard `*`. */
export function topicPattern(template: string): string {
  return template.replace(/\{[^}]+\}/g, '*');
}

/** Whether the function publishes to IoT topics (and so needs the publish rights and IOT_DATA_ENDPOINT). */
function publishes(def: FunctionDef): boolean {
  return (def.publishes?.length ?? 0) > 0;
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
      ...POWERTOOLS_ENVIRONMENT,
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
    if (def.cursorKey) {
      if (!props.cursorKey) throw new Error(`${def.id} needs the cursor key but none was given`);
      environment.CURSOR_KEY_SECRET_ARN = props.cursorKey.secretArn;
    }
    if (publishes(def)) {
      if (!props.iotDataEndpoint) throw new Error(`${def.id} publishes to IoT topics but no IoT data endpoint was given`);
      environment.IOT_DATA_ENDPOINT = props.iotDataEndpoint;
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
    if (def.cursorKey) props.cursorKey!.grantRead(this.fn);
    if (publishes(def)) this.allowPublishing(def.publishes!);
    this.enableTracing();

    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the runtime ARCHITECTURE §2 fixes and the one the code is developed and tested on locally ' +
        '(the node 22.x devDependency); moving to a newer runtime is a project-wide change, not a per-function one.',
    });
  }

  /**
   * iot:Publish (and iot:RetainPublish) on the catalogue's topic templates, `{busId}` → `*`, in a policy of its
   * own so that the acknowledgements cover these statements only. The endpoint to publish to arrives as
   * IOT_DATA_ENDPOINT; the function needs no iot:DescribeEndpoint.
   */
  private allowPublishing(templates: readonly string[]): void {
    const stack = Stack.of(this);
    const topicArns = templates.map((template) =>
      stack.formatArn({ service: 'iot', resource: 'topic', resourceName: topicPattern(template), arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
    );
    const publish = new Policy(this, 'IotPublishPolicy', {
      statements: [new PolicyStatement({ actions: [...IOT_PUBLISH_ACTIONS], resources: topicArns })],
    });
    this.role.attachInlinePolicy(publish);
    for (const [i, arn] of topicArns.entries()) {
      Validations.of(publish).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagFlatten(stack.resolve(arn))}]`,
        reason:
          `The catalogue topic template ${templates[i]} names one topic per device (bus, stop board); the function ` +
          'publishes to the one its data is for (e.g. the bus a trip order is for), so each {placeholder} becomes a ' +
          'wildcard while the rest of the topic stays fixed. This policy holds nothing else.',
      });
    }
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

/** The way cdk-nag prints a resolved resource in a finding id (`{ Ref: 'AWS::Region' }` → `<AWS::Region>`). */
function nagFlatten(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const v = value as { 'Fn::Join'?: [string, unknown[]]; 'Fn::GetAtt'?: [unknown, unknown]; Ref?: unknown };
  const join = v['Fn::Join'];
  if (join) return join[1].map(nagFlatten).join(join[0]);
  if (v.Ref !== undefined) return `<${nagFlatten(v.Ref)}>`;
  const getAtt = v['Fn::GetAtt'];
  if (getAtt) return `<${nagFlatten(getAtt[0])}.${nagFlatten(getAtt[1])}>`;
  return JSON.stringify(value);
}
