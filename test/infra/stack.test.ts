/**
 * BusFlowStack, checked against the catalogue it is generated from: every table, rule, function and stream
 * setting of shared/catalogue must appear in the template, with least-privilege IAM and a clean cdk-nag run.
 * Bundling is skipped (context `aws:cdk:bundling-stacks: []`): these tests read the template, not the code.
 * The HTTP API (routes, authorizer, user pool, function extras) is checked in api.test.ts, the scheduled jobs in
 * schedules.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { App, Validations, type CfnElement } from 'aws-cdk-lib';
import { AwsCustomResource } from 'aws-cdk-lib/custom-resources';
import { Template } from 'aws-cdk-lib/assertions';
import cdkNag from 'cdk-nag';
import { topicPattern } from '../../infra/constructs/catalogue-function.js';
import { PROJECT_ROOT } from '../../infra/constructs/names.js';
import { THING_NAME } from '../../infra/constructs/device-identity.js';
import { BusFlowStack } from '../../infra/stacks/busflow-stack.js';
import {
  assignmentTopic,
  basicIngestTopic,
  functions,
  iotRuleSql,
  tableEnvVar,
  tables,
  TELEMETRY_KINDS,
  telemetryStream,
  telemetryTopic,
  type FunctionDef,
  type FunctionName,
  type KeyAttribute,
  type TableAccess,
  type TableDef,
  type TableName,
} from '../../shared/catalogue/index.js';
import { allApiRoutes } from '../../shared/api/index.js';

const { AwsSolutionsChecks } = cdkNag;

// ---------------------------------------------------------------------------------------------------------------
// One app for the whole file, with the context of cdk.json (minimised policies, partitions) plus skipped bundling.

const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
// Prod: the stage whose protections matter; stages.test.ts checks what dev does differently.
const stack = new BusFlowStack(app, 'BusFlowStack', { stage: 'prod' });
// Run by the test below (validateScope) rather than registered as a synth plugin, so that a finding fails that
// one test with the finding's name instead of failing the synth every other test needs.
const nag = new AwsSolutionsChecks(app, { verbose: true });
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, CfnResourceJson>;

interface CfnResourceJson {
  Type: string;
  Properties?: Record<string, any>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

const logicalId = (construct: { node: { defaultChild?: unknown } } | CfnElement): string =>
  stack.getLogicalId(('logicalId' in construct ? construct : construct.node.defaultChild) as CfnElement);
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
const refersTo = (value: unknown, id: string) => JSON.stringify(value).includes(`"${id}"`);

/** `{ Fn::Join: ['', ['arn:', { Ref: 'AWS::Partition' }, ...]] }` → `arn:${AWS::Partition}...`. */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(flatten).join(v['Fn::Join'][0]);
  if (v.Ref) return `\${${v.Ref}}`;
  if (v['Fn::GetAtt']) return `\${${(v['Fn::GetAtt'] as string[]).join('.')}}`;
  throw new Error(`cannot flatten ${JSON.stringify(value)}`);
}

/** Every statement a role holds: its inline policies and every AWS::IAM::Policy attached to it. */
function statementsOfRole(roleId: string): Statement[] {
  const role = resources[roleId];
  if (!role) throw new Error(`no role ${roleId}`);
  const inline = (role.Properties?.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement as Statement[]);
  const attached = ofType('AWS::IAM::Policy')
    .filter(([, p]) => refersTo(p.Properties?.Roles, roleId))
    .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement as Statement[]);
  return [...inline, ...attached];
}

function actionsOn(statements: Statement[], resourceId: string): Set<string> {
  return new Set(statements.filter((s) => s.Effect === 'Allow' && refersTo(s.Resource, resourceId)).flatMap((s) => asList(s.Action)));
}

const entries = Object.entries(functions) as [FunctionName, FunctionDef][];
const streamFunctions = entries.filter(([, def]) => def.source.kind === 'stream');
const streamId = logicalId(stack.ingestion.stream);
const dlqId = logicalId(stack.ingestion.deadLetterQueue);
const scheduleDlqId = logicalId(stack.schedules.deadLetterQueue);
/** The stack-wide singleton Lambda behind every AwsCustomResource (here: the IoT endpoint lookup). */
const providerId = logicalId(stack.node.findChild(`AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`));
const tableId = (name: TableName) => logicalId(stack.tables.table(name));

function functionOf(name: FunctionName) {
  const fn = stack.ingestion.functions.get(name) ?? stack.api.functions.get(name) ?? stack.schedules.functions.get(name);
  if (!fn) throw new Error(`catalogue function ${name} was not created by the stack`);
  return { fn, fnId: logicalId(fn.fn), roleId: logicalId(fn.role) };
}

// ---------------------------------------------------------------------------------------------------------------

describe('DynamoDB tables', () => {
  const attr = (k: KeyAttribute) => ({ AttributeName: k.name, AttributeType: k.type });

  it('creates exactly the catalogue tables', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', Object.keys(tables).length);
  });

  it.each(Object.entries(tables) as [TableName, TableDef][])('%s has its keys, indexes, TTL, recovery and protections', (name, def) => {
    const table = resources[tableId(name)]!;
    const p = table.Properties!;
    expect(p.TableName).toBeUndefined(); // physical name left to CloudFormation
    expect(p.KeySchema).toEqual([
      { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
      ...(def.sortKey ? [{ AttributeName: def.sortKey.name, KeyType: 'RANGE' }] : []),
    ]);
    const keys = [def.partitionKey, def.sortKey, ...def.indexes.flatMap((i) => [i.partitionKey, i.sortKey])].filter((k) => k !== undefined);
    expect(p.AttributeDefinitions).toEqual(expect.arrayContaining(keys.map(attr)));
    expect(p.GlobalSecondaryIndexes ?? []).toEqual(
      def.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
          ...(index.sortKey ? [{ AttributeName: index.sortKey.name, KeyType: 'RANGE' }] : []),
        ],
        Projection: { ProjectionType: index.projection === 'keys' ? 'KEYS_ONLY' : 'ALL' },
      })),
    );
    expect(p.TimeToLiveSpecification).toEqual(def.ttlAttribute ? { AttributeName: def.ttlAttribute, Enabled: true } : undefined);
    expect(p.BillingMode).toBe('PAY_PER_REQUEST');
    // Point-in-time recovery exactly where the data cannot be rebuilt from elsewhere.
    expect(p.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: !def.retention.rebuildable });
    expect(p.SSESpecification).toEqual({ SSEEnabled: true });
    expect(p.DeletionProtectionEnabled).toBe(true);
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });
});

describe('telemetry stream and IoT rules', () => {
  it('has one on-demand, KMS-encrypted stream with the catalogue retention', () => {
    template.resourceCountIs('AWS::Kinesis::Stream', 1);
    expect(resources[streamId]!.Properties).toMatchObject({
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
      RetentionPeriodHours: telemetryStream.retentionHours,
    });
  });

  it('has an encrypted, TLS-only dead-letter queue', () => {
    expect(resources[dlqId]!.Properties).toMatchObject({ SqsManagedSseEnabled: true });
    const policies = ofType('AWS::SQS::QueuePolicy').filter(([, p]) => refersTo(p.Properties?.Queues, dlqId));
    expect(policies).toHaveLength(1);
    expect(policies[0]![1].Properties!.PolicyDocument.Statement).toEqual(
      expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
    );
  });

  it('has exactly one rule per telemetry kind', () => {
    template.resourceCountIs('AWS::IoT::TopicRule', TELEMETRY_KINDS.length);
  });

  it.each(TELEMETRY_KINDS.map((kind) => [kind]))('the %s rule is named for the stage, the name its Basic Ingest topic carries', (kind) => {
    const rules = ofType('AWS::IoT::TopicRule').filter(([, r]) => r.Properties!.TopicRulePayload.Sql === iotRuleSql(kind));
    expect(rules[0]![1].Properties!.RuleName).toBe(`busflow_prod_${kind}`);
    expect(basicIngestTopic('B1', kind, 'prod')).toBe(`$aws/rules/${rules[0]![1].Properties!.RuleName}/bus/B1/${kind}`);
    // The SQL reads topic(2)/topic(3), which Basic Ingest leaves as they are on the plain topic (the prefix is not counted).
    expect(rules[0]![1].Properties!.TopicRulePayload.Sql).toBe(
      `SELECT encode(*, 'base64') AS payload, topic(2) AS topicBusId, topic(3) AS topicKind, timestamp() AS receivedAt FROM 'bus/+/${kind}'`,
    );
  });

  it.each(TELEMETRY_KINDS.map((kind) => [kind]))('the %s rule selects with the catalogue SQL into the stream, errors into the DLQ', (kind) => {
    const rules = ofType('AWS::IoT::TopicRule').filter(([, r]) => r.Properties!.TopicRulePayload.Sql === iotRuleSql(kind));
    expect(rules, `no topic rule for telemetry kind ${kind}`).toHaveLength(1);
    const payload = rules[0]![1].Properties!.TopicRulePayload;
    expect(payload.AwsIotSqlVersion).toBe('2016-03-23');
    expect(payload.RuleDisabled).toBe(false);
    expect(payload.Actions).toHaveLength(1);
    expect(payload.Actions[0].Kinesis).toMatchObject({
      StreamName: { Ref: streamId },
      PartitionKey: telemetryStream.partitionKeyTemplate,
    });
    expect(payload.ErrorAction.Sqs).toMatchObject({ QueueUrl: { Ref: dlqId } });
  });

  it('lets the rule role only PutRecord to the stream and SendMessage to the DLQ', () => {
    const roleId = logicalId(stack.ingestion.ruleRole);
    const role = resources[roleId]!.Properties!;
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Principal: { Service: 'iot.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    ]);
    expect(role.ManagedPolicyArns).toBeUndefined();
    const statements = statementsOfRole(roleId).map((s) => ({ effect: s.Effect, actions: asList(s.Action), resources: asList(s.Resource) }));
    expect(statements).toEqual(
      expect.arrayContaining([
        { effect: 'Allow', actions: ['kinesis:PutRecord'], resources: [{ 'Fn::GetAtt': [streamId, 'Arn'] }] },
        { effect: 'Allow', actions: ['sqs:SendMessage'], resources: [{ 'Fn::GetAtt': [dlqId, 'Arn'] }] },
      ]),
    );
    expect(statements).toHaveLength(2);
    // Every rule acts through this role and no other.
    for (const [, rule] of ofType('AWS::IoT::TopicRule')) {
      const payload = rule.Properties!.TopicRulePayload;
      expect(payload.Actions[0].Kinesis.RoleArn).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
      expect(payload.ErrorAction.Sqs.RoleArn).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    }
  });
});

describe('functions', () => {
  it('creates one Lambda function per catalogue function, plus the provider of the IoT endpoint lookup and the console upload', () => {
    const lambdas = ofType('AWS::Lambda::Function').map(([id]) => id);
    const consoleUpload = logicalId(stack.console.deploymentHandler());
    expect(lambdas.sort()).toEqual([...entries.map(([name]) => functionOf(name).fnId), providerId, consoleUpload].sort());
  });

  it.each(entries)('%s: Node.js 22 on arm64, catalogue memory/timeout, table env vars, tracing, own log group', (name, def) => {
    const { fnId } = functionOf(name);
    const p = resources[fnId]!.Properties!;
    expect(p.Runtime).toBe('nodejs22.x');
    expect(p.Architectures).toEqual(['arm64']);
    expect(p.MemorySize).toBe(def.memoryMb);
    expect(p.Timeout).toBe(def.timeoutS);
    expect(p.TracingConfig).toEqual({ Mode: 'Active' });
    const env = p.Environment.Variables as Record<string, unknown>;
    for (const table of Object.keys(def.tables) as TableName[]) {
      expect(env[tableEnvVar(table)], tableEnvVar(table)).toEqual({ Ref: tableId(table) });
    }
    expect(env.POWERTOOLS_SERVICE_NAME).toBe(def.entry.split('/').at(-2));
    expect(env).toMatchObject({ POWERTOOLS_METRICS_NAMESPACE: 'BusFlow', POWERTOOLS_TRACE_ENABLED: 'true', POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false' });
    if (def.cardHashKey) expect(env.CARD_HASH_KEY_SECRET_ARN).toEqual({ Ref: logicalId(stack.cardHashKey!) });
    else expect(env.CARD_HASH_KEY_SECRET_ARN).toBeUndefined();
    const logGroupId = p.LoggingConfig.LogGroup.Ref as string;
    expect(resources[logGroupId]!.Properties!.RetentionInDays).toEqual(expect.any(Number));
  });

  it('traces every Lambda function of the stack with X-Ray, the CDK-owned ones included', () => {
    const lambdas = ofType('AWS::Lambda::Function');
    // The catalogue's functions, the IoT endpoint lookup's provider and the console's deployment Lambda.
    expect(lambdas.length).toBe(entries.length + 2);
    for (const [id, fn] of lambdas) expect(fn.Properties!.TracingConfig, id).toEqual({ Mode: 'Active' });
  });

  it('gives every catalogue function with a stream source an event source mapping on the telemetry stream', () => {
    expect(streamFunctions.length).toBeGreaterThan(0);
    const mappings = ofType('AWS::Lambda::EventSourceMapping');
    for (const [name] of streamFunctions) {
      const { fnId } = functionOf(name);
      const mine = mappings.filter(([, m]) => refersTo(m.Properties!.FunctionName, fnId));
      expect(mine, `${name} has no event source mapping`).toHaveLength(1);
      expect(mine[0]![1].Properties!.EventSourceArn).toEqual({ 'Fn::GetAtt': [streamId, 'Arn'] });
    }
    expect(mappings).toHaveLength(streamFunctions.length);
  });

  it('maps the stream with the catalogue event-source settings and the DLQ as on-failure destination', () => {
    const s = telemetryStream.eventSource;
    for (const [, mapping] of ofType('AWS::Lambda::EventSourceMapping')) {
      const p = mapping.Properties!;
      expect(p).toMatchObject({
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: s.batchSize,
        MaximumRetryAttempts: s.retryAttempts,
        MaximumRecordAgeInSeconds: s.maxRecordAgeS,
        BisectBatchOnFunctionError: s.bisectBatchOnError,
        ParallelizationFactor: s.parallelizationFactor,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } } },
      });
      expect(p.MaximumBatchingWindowInSeconds ?? 0).toBe(s.maxBatchingWindowS);
      expect(p.FunctionResponseTypes).toEqual(s.reportBatchItemFailures ? ['ReportBatchItemFailures'] : undefined);
    }
  });

  it('keeps the card hash key in a generated 48-character secret only the key-holding functions read', () => {
    const secretId = logicalId(stack.cardHashKey!);
    expect(resources[secretId]!.Properties!.GenerateSecretString).toEqual({ PasswordLength: 48, ExcludePunctuation: true });
    for (const [name, def] of entries) {
      const actions = actionsOn(statementsOfRole(functionOf(name).roleId), secretId);
      if (def.cardHashKey) expect(actions).toContain('secretsmanager:GetSecretValue');
      else expect(actions.size).toBe(0);
    }
  });
});

describe('IAM least privilege of the functions', () => {
  const READS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan'];
  const WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'];
  const NEVER = ['dynamodb:*', 'dynamodb:DeleteItem', 'dynamodb:Scan', 'dynamodb:DeleteTable', 'dynamodb:UpdateTable', '*'];

  it.each(entries)('%s has no managed policies and no dynamodb:*, DeleteItem or Scan', (name) => {
    const { roleId } = functionOf(name);
    expect(resources[roleId]!.Properties!.ManagedPolicyArns).toBeUndefined();
    const actions = statementsOfRole(roleId).flatMap((s) => asList(s.Action));
    for (const forbidden of NEVER) expect(actions).not.toContain(forbidden);
  });

  // The only actions without resource-level permissions a function needs: X-Ray tracing. The IoT data endpoint
  // is looked up once at deploy time (IotDataEndpoint), so no function may call iot:DescribeEndpoint.
  it.each(entries)('%s has a wildcard resource only for X-Ray, and no iot:DescribeEndpoint', (name) => {
    const statements = statementsOfRole(functionOf(name).roleId);
    for (const s of statements) {
      if (asList(s.Resource).includes('*')) expect(asList(s.Action).every((a) => a.startsWith('xray:'))).toBe(true);
    }
    expect(statements.flatMap((s) => asList(s.Action))).not.toContain('iot:DescribeEndpoint');
  });

  const grants = entries.flatMap(([name, def]) =>
    (Object.entries(def.tables) as [TableName, TableAccess][]).map(([table, access]) => [name, table, access] as const),
  );
  it.each(grants)('%s on %s: exactly %s rights', (name, table, access) => {
    const actions = actionsOn(statementsOfRole(functionOf(name).roleId), tableId(table));
    const canRead = READS.some((a) => actions.has(a));
    const canWrite = WRITES.some((a) => actions.has(a));
    expect(canRead).toBe(access !== 'write');
    expect(canWrite).toBe(access !== 'read');
    for (const a of actions) expect([...READS, ...WRITES, 'dynamodb:ConditionCheckItem']).toContain(a);
  });

  it('grants nothing on tables a function does not list', () => {
    for (const [name, def] of entries) {
      const statements = statementsOfRole(functionOf(name).roleId);
      for (const table of Object.keys(tables) as TableName[]) {
        if (!(table in def.tables)) expect(actionsOn(statements, tableId(table)).size, `${name} on ${table}`).toBe(0);
      }
    }
  });

  it('keeps the rejects table write-only for the ingest function', () => {
    expect(functions.ingestTelemetry.tables.rejects).toBe('write');
    const actions = [...actionsOn(statementsOfRole(functionOf('ingestTelemetry').roleId), tableId('rejects'))].sort();
    expect(actions).toEqual(['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
  });
});

describe('IoT data endpoint (deploy-time lookup)', () => {
  const lookups = ofType('Custom::IotDataEndpoint');
  const lookupId = logicalId(stack.iotDataEndpoint!.lookup.node.findChild('Resource').node.defaultChild as CfnElement);
  const providerRoleId = logicalId(stack.node.findChild(`AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`).node.findChild('ServiceRole'));

  it('is one AwsCustomResource calling Iot describeEndpoint (iot:Data-ATS) with the runtime SDK, under a fixed id', () => {
    expect(lookups.map(([id]) => id)).toEqual([lookupId]);
    template.resourceCountIs('AWS::CloudFormation::CustomResource', 0);
    const p = lookups[0]![1].Properties!;
    const call = {
      service: 'Iot',
      action: 'describeEndpoint',
      parameters: { endpointType: 'iot:Data-ATS' },
      physicalResourceId: { id: expect.any(String) },
      outputPaths: ['endpointAddress'],
    };
    expect(JSON.parse(p.Create as string)).toEqual(call);
    expect(JSON.parse(p.Update as string)).toEqual(JSON.parse(p.Create as string));
    expect(p.Delete).toBeUndefined();
    // false: the provider must not `npm install` an SDK at deploy time (network, a minute, an untested SDK).
    expect(p.InstallLatestAwsSdk).toBe(false);
    expect(p.ServiceToken).toEqual({ 'Fn::GetAtt': [providerId, 'Arn'] });
  });

  it('lets the provider only iot:DescribeEndpoint and X-Ray (on *, neither has resource-level permissions) and write logs', () => {
    const statements = statementsOfRole(providerRoleId);
    expect(statements).toEqual([
      { Effect: 'Allow', Action: 'iot:DescribeEndpoint', Resource: '*' },
      { Effect: 'Allow', Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: '*' },
    ]);
    expect(resources[providerRoleId]!.Properties!.ManagedPolicyArns.map(flatten)).toEqual([
      'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
    ]);
    const provider = resources[providerId]!.Properties!;
    expect(resources[provider.LoggingConfig.LogGroup.Ref as string]!.Properties!.RetentionInDays).toEqual(expect.any(Number));
  });

  it.each(entries)('%s gets IOT_DATA_ENDPOINT from the lookup exactly when it publishes', (name, def) => {
    const env = resources[functionOf(name).fnId]!.Properties!.Environment.Variables as Record<string, unknown>;
    if ((def.publishes?.length ?? 0) > 0) expect(env.IOT_DATA_ENDPOINT).toEqual({ 'Fn::GetAtt': [lookupId, 'endpointAddress'] });
    else expect(env.IOT_DATA_ENDPOINT).toBeUndefined();
  });
});

describe('device identity (IoT policy)', () => {
  const policies = ofType('AWS::IoT::Policy').filter(([id]) => id.includes('BusPolicy'));
  const statements = () => policies[0]![1].Properties!.PolicyDocument.Statement as (Statement & { Condition?: unknown })[];
  const resourcesFor = (action: string) =>
    statements()
      .filter((s) => asList(s.Action).includes(action))
      .flatMap((s) => asList(s.Resource).map(flatten));
  const ARN = 'arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}:';

  it('is one policy, exported by name', () => {
    expect(policies).toHaveLength(1);
    const outputs = Object.values(template.toJSON().Outputs as Record<string, { Value: unknown }>);
    expect(outputs.map((o) => o.Value)).toContainEqual({ Ref: policies[0]![0] });
  });

  it('allows exactly Connect, Publish, Subscribe and Receive', () => {
    expect(statements().every((s) => s.Effect === 'Allow')).toBe(true);
    expect(new Set(statements().flatMap((s) => asList(s.Action)))).toEqual(new Set(['iot:Connect', 'iot:Publish', 'iot:Subscribe', 'iot:Receive']));
  });

  it('lets a bus connect only with its own thing name as client id, when its certificate is attached', () => {
    expect(resourcesFor('iot:Connect')).toEqual([`${ARN}client/${THING_NAME}`]);
    expect(statements().find((s) => asList(s.Action).includes('iot:Connect'))!.Condition).toEqual({
      Bool: { 'iot:Connection.Thing.IsAttached': 'true' },
    });
  });

  it('lets a bus publish to exactly its four telemetry topics, by Basic Ingest and plainly, not bus/{thing}/* (no self-assignment)', () => {
    const publish = resourcesFor('iot:Publish');
    expect(publish.sort()).toEqual(
      TELEMETRY_KINDS.flatMap((kind) => [
        `${ARN}topic/$aws/rules/busflow_prod_${kind}/bus/${THING_NAME}/${kind}`,
        `${ARN}topic/${telemetryTopic(THING_NAME, kind)}`,
      ]).sort(),
    );
    for (const r of publish) expect(r.replace(THING_NAME, 'BUS')).not.toMatch(/[*+#]/);
    for (const kind of TELEMETRY_KINDS) expect(publish).toContain(`${ARN}topic/${basicIngestTopic(THING_NAME, kind, 'prod')}`);
    expect(publish).not.toContain(`${ARN}topic/${assignmentTopic(THING_NAME)}`);
  });

  it('lets a bus subscribe to and receive only its own assignment topic', () => {
    expect(resourcesFor('iot:Subscribe')).toEqual([`${ARN}topicfilter/${assignmentTopic(THING_NAME)}`]);
    expect(resourcesFor('iot:Receive')).toEqual([`${ARN}topic/${assignmentTopic(THING_NAME)}`]);
  });
});

describe('stop board identity (IoT thing type and policy)', () => {
  const boardPolicies = ofType('AWS::IoT::Policy').filter(([id]) => id.includes('BoardPolicy'));
  const statements = () => boardPolicies[0]![1].Properties!.PolicyDocument.Statement as (Statement & { Condition?: unknown })[];
  const resourcesFor = (action: string) =>
    statements()
      .filter((s) => asList(s.Action).includes(action))
      .flatMap((s) => asList(s.Resource).map(flatten));
  const ARN = 'arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}:';

  it('is a thing type and one policy, exported by name', () => {
    expect(ofType('AWS::IoT::ThingType').filter(([id]) => id.includes('StopBoardType'))).toHaveLength(1);
    expect(boardPolicies).toHaveLength(1);
    const outputs = Object.values(template.toJSON().Outputs as Record<string, { Value: unknown }>);
    expect(outputs.map((o) => o.Value)).toContainEqual({ Ref: boardPolicies[0]![0] });
  });

  it('lets a board connect as its own thing and only subscribe to and receive its own stop arrivals', () => {
    expect(new Set(statements().flatMap((s) => asList(s.Action)))).toEqual(new Set(['iot:Connect', 'iot:Subscribe', 'iot:Receive']));
    expect(resourcesFor('iot:Connect')).toEqual([`${ARN}client/${THING_NAME}`]);
    expect(resourcesFor('iot:Subscribe')).toEqual([`${ARN}topicfilter/stop/${THING_NAME}/arrivals`]);
    expect(resourcesFor('iot:Receive')).toEqual([`${ARN}topic/stop/${THING_NAME}/arrivals`]);
    expect(resourcesFor('iot:Publish')).toEqual([]);
  });
});

describe('alarms', () => {
  const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties!);
  const topics = ofType('AWS::SNS::Topic');

  it('notify one KMS-encrypted topic', () => {
    expect(topics).toHaveLength(1);
    expect(topics[0]![1].Properties!.KmsMasterKeyId).toBeDefined();
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: topics[0]![0] }]);
  });

  it('fire on any message in either DLQ, stream iterator age over a minute, any function error and any API 5xx', () => {
    for (const queueId of [dlqId, scheduleDlqId]) {
      const depth = alarms.filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible' && refersTo(a.Dimensions, queueId));
      expect(depth, `depth alarm of ${queueId}`).toHaveLength(1);
      expect(depth[0]).toMatchObject({ Namespace: 'AWS/SQS', Statistic: 'Maximum', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    }
    expect(alarms).toContainEqual(
      expect.objectContaining({ Namespace: 'AWS/Kinesis', MetricName: 'GetRecords.IteratorAgeMilliseconds', Statistic: 'Maximum', Threshold: 60_000 }),
    );
    for (const [name] of entries) {
      const fnId = functionOf(name).fnId;
      expect(
        alarms.filter((a) => a.MetricName === 'Errors' && refersTo(a.Dimensions, fnId)),
        `${name} errors alarm`,
      ).toHaveLength(1);
    }
    const apiId = logicalId(stack.api.httpApi);
    expect(alarms).toContainEqual(
      expect.objectContaining({
        Namespace: 'AWS/ApiGateway',
        MetricName: '5xx',
        Statistic: 'Sum',
        Threshold: 0,
        Dimensions: expect.arrayContaining([{ Name: 'ApiId', Value: { Ref: apiId } }]),
      }),
    );
  });
});

/** Acknowledged on the console's site (S3 log bucket, CloudFront) and on its deployment Lambda. */
const CONSOLE_SITE_FINDINGS = [
  'AwsSolutions-S1',
  'AwsSolutions-CFR1',
  'AwsSolutions-CFR2',
  'AwsSolutions-CFR4',
  'AwsSolutions-IAM5[Action::s3:GetBucket*]',
  'AwsSolutions-IAM5[Action::s3:GetObject*]',
  'AwsSolutions-IAM5[Action::s3:List*]',
  'AwsSolutions-IAM5[Action::s3:Abort*]',
  'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
  'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
  `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(stack.console.bucket.node.defaultChild as CfnElement)}.Arn>/*]`,
  // aws-cdk-lib's own, on the log bucket that takes CloudFront's logs with an ACL.
  'CloudFormation-Validate::W3045',
];

describe('cdk-nag AwsSolutionsChecks', () => {
  const PROVIDER_IAM4 = 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

  it('reports no unacknowledged errors or warnings', () => {
    const report = nag.validateScope(app);
    const found = report.violations.map((v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(found).toEqual([]);
  });

  it('acknowledges only the documented rules, each with a written reason', () => {
    const acknowledged = new Map<string, string>();
    for (const construct of stack.node.findAll()) {
      for (const entry of construct.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          acknowledged.set(`${id.replace(/^annotation::/i, '')} @ ${construct.node.path}`, reason);
        }
      }
    }
    const ids = new Set([...acknowledged.keys()].map((k) => k.split(' @ ')[0]));
    // One IAM5 finding per topic template a function publishes to (`{busId}` → `*`).
    const topicFindings = entries
      .flatMap(([, def]) => def.publishes ?? [])
      .map((t) => `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:topic/${topicPattern(t)}]`);
    expect(topicFindings.length).toBeGreaterThan(0);
    expect(ids).toEqual(
      new Set([
        'AwsSolutions-SMG4',
        'AwsSolutions-SQS3',
        'AwsSolutions-DDB3',
        'AwsSolutions-L1',
        'AwsSolutions-IAM5[Resource::*]',
        ...topicFindings,
        'AwsSolutions-COG2',
        'AwsSolutions-APIG4',
        PROVIDER_IAM4,
        // The web console's site and its CDK-owned deployment Lambda (console-site.test.ts checks where each sits).
        ...CONSOLE_SITE_FINDINGS,
      ]),
    );
    for (const [where, reason] of acknowledged) expect(reason.length, where).toBeGreaterThan(60);
    // Wildcard acknowledgements sit on single-purpose policies only, never on a role's default policy: X-Ray of
    // each function and the IoT endpoint lookup's iot:DescribeEndpoint (Resource::*), the publish topics (their
    // topic patterns). No function policy acknowledges iot:DescribeEndpoint any more.
    const lookupPolicy = `${stack.iotDataEndpoint!.lookup.node.path}/CustomResourcePolicy`;
    const deploymentHandler = stack.console.deploymentHandler().node.path;
    for (const where of acknowledged.keys()) {
      if (where.startsWith('AwsSolutions-IAM5[Resource::*]')) {
        const at = where.split(' @ ')[1]!;
        expect(at.endsWith('/TracingPolicy') || at === lookupPolicy || at === deploymentHandler, where).toBe(true);
      } else if (where.startsWith('AwsSolutions-IAM5')) expect(where).toMatch(new RegExp(`/IotPublishPolicy$| @ ${deploymentHandler}$`));
      expect(where).not.toMatch(/IotEndpointPolicy/);
    }
    expect(acknowledged.has(`AwsSolutions-IAM5[Resource::*] @ ${lookupPolicy}`)).toBe(true);
    // IAM4 (a managed policy) only on the CDK-owned provider of the IoT endpoint lookup; no catalogue function has one.
    const iam4 = [...acknowledged.keys()].filter((k) => k.startsWith('AwsSolutions-IAM4')).map((k) => k.split(' @ ')[1]);
    expect(iam4.sort()).toEqual([`${stack.node.path}/AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`, deploymentHandler].sort());
    // DDB3 (no point-in-time recovery) only on the tables the catalogue says can be rebuilt.
    const ddb3 = [...acknowledged.keys()].filter((k) => k.startsWith('AwsSolutions-DDB3')).map((k) => k.split(' @ ')[1]);
    const rebuildable = (Object.entries(tables) as [TableName, TableDef][]).filter(([, def]) => def.retention.rebuildable).map(([name]) => name);
    expect(rebuildable.length).toBeGreaterThan(0);
    expect(ddb3.sort()).toEqual(rebuildable.map((name) => stack.tables.table(name).node.path).sort());
    // SQS3 (no DLQ of its own) only on the two dead-letter queues.
    const sqs3 = [...acknowledged.keys()].filter((k) => k.startsWith('AwsSolutions-SQS3')).map((k) => k.split(' @ ')[1]);
    expect(sqs3.sort()).toEqual([stack.ingestion.deadLetterQueue.node.path, stack.schedules.deadLetterQueue.node.path].sort());
    // L1 (runtime) only on the catalogue functions, Node.js 22 by decision; the provider needs none.
    const l1 = [...acknowledged.keys()].filter((k) => k.startsWith('AwsSolutions-L1')).map((k) => k.split(' @ ')[1]);
    expect(l1.sort()).toEqual([...entries.map(([name]) => functionOf(name).fn.fn.node.path), deploymentHandler].sort());
    // APIG4 (no authorizer) only on the routes the catalogue declares public.
    const publicRoutes = allApiRoutes.filter((r) => r.auth === 'public').map((r) => stack.api.routes.get(r.id)!.node.path);
    const apig4 = [...acknowledged.keys()].filter((k) => k.startsWith('AwsSolutions-APIG4 @ ')).map((k) => k.split(' @ ')[1]);
    expect(apig4.sort()).toEqual(publicRoutes.sort());
  });
});
