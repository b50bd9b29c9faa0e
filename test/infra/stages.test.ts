/**
 * The two stages side by side (`-c stage=dev|prod`): prod keeps its data (RETAIN, deletion protection), dev goes
 * with the stack; names and tags carry the stage; the stream's capacity, the rule names and the bus policy's
 * Basic Ingest topics follow it; the alarm email and the plain-topic switch come from context. Both pass cdk-nag.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import cdkNag from 'cdk-nag';
import { PROJECT_ROOT } from '../../infra/constructs/names.js';
import { THING_NAME } from '../../infra/constructs/device-identity.js';
import { BusFlowStack, type BusFlowStackProps } from '../../infra/stacks/busflow-stack.js';
import { stackName } from '../../infra/constructs/names.js';
import { STAGES, type Stage, TELEMETRY_KINDS, tables } from '../../shared/catalogue/index.js';

const { AwsSolutionsChecks } = cdkNag;

const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };

interface Resource {
  Type: string;
  Properties?: Record<string, any>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

function synth(props: BusFlowStackProps & { stage: Stage }) {
  const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
  const stack = new BusFlowStack(app, stackName(props.stage), props);
  const json = Template.fromStack(stack).toJSON() as { Resources: Record<string, Resource>; Outputs: Record<string, { Export?: { Name: string } }> };
  return { app, stack, json, ofType: (type: string) => Object.entries(json.Resources).filter(([, r]) => r.Type === type) };
}

const built = Object.fromEntries(STAGES.map((stage) => [stage, synth({ stage })])) as Record<Stage, ReturnType<typeof synth>>;

/** `{ Fn::Join: ['', [...]] }` → text, with `${...}` for references. */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(flatten).join(v['Fn::Join'][0]);
  if (v.Ref) return `\${${v.Ref}}`;
  throw new Error(`cannot flatten ${JSON.stringify(value)}`);
}

function busPublishTopics(stage: Stage, props: Partial<BusFlowStackProps> = {}): string[] {
  const { ofType } = Object.keys(props).length === 0 ? built[stage] : synth({ stage, ...props });
  const [[, policy]] = ofType('AWS::IoT::Policy').filter(([id]) => id.includes('BusPolicy')) as [[string, Resource]];
  const statements = policy.Properties!.PolicyDocument.Statement as { Action: string; Resource: unknown }[];
  return statements
    .filter((s) => s.Action === 'iot:Publish')
    .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map((r) => flatten(r).replace(/^.*:topic\//, '')))
    .sort();
}

describe('stage names', () => {
  it('names the stack after the stage', () => {
    expect(stackName('dev')).toBe('BusFlow-dev');
    expect(stackName('prod')).toBe('BusFlow-prod');
  });

  it.each(STAGES.map((s) => [s]))('%s: every export, the API and the dashboard carry the stack (and so the stage) name', (stage) => {
    const { json, ofType } = built[stage];
    const exports = Object.values(json.Outputs).flatMap((o) => (o.Export ? [o.Export.Name] : []));
    expect(exports.length).toBeGreaterThan(3);
    for (const name of exports) expect(name).toMatch(new RegExp(`^BusFlow-${stage}-`));
    expect(ofType('AWS::ApiGatewayV2::Api')[0]![1].Properties!.Name).toBe(`BusFlow-${stage}-api`);
    expect(ofType('AWS::CloudWatch::Dashboard')[0]![1].Properties!.DashboardName).toBe(`BusFlow-${stage}-operations`);
  });

  it.each(STAGES.map((s) => [s]))('%s: tags every table, function, queue and the stream with the stage', (stage) => {
    const { ofType } = built[stage];
    for (const type of ['AWS::DynamoDB::Table', 'AWS::Lambda::Function', 'AWS::SQS::Queue', 'AWS::Kinesis::Stream', 'AWS::SNS::Topic']) {
      const found = ofType(type);
      expect(found.length, type).toBeGreaterThan(0);
      for (const [id, r] of found) expect(r.Properties!.Tags, `${type} ${id}`).toContainEqual({ Key: 'stage', Value: stage });
    }
  });

  it.each(STAGES.map((s) => [s]))('%s: names the IoT rules for the stage, so both stages fit in one account', (stage) => {
    const names = built[stage].ofType('AWS::IoT::TopicRule').map(([, r]) => r.Properties!.RuleName as string);
    expect(names.sort()).toEqual(TELEMETRY_KINDS.map((kind) => `busflow_${stage}_${kind}`).sort());
  });
});

describe('data protection by stage', () => {
  const tablesOf = (stage: Stage) => built[stage].ofType('AWS::DynamoDB::Table').map(([, r]) => r);

  it('prod retains every table and protects it from deletion', () => {
    expect(tablesOf('prod')).toHaveLength(Object.keys(tables).length);
    for (const t of tablesOf('prod')) {
      expect(t.DeletionPolicy).toBe('Retain');
      expect(t.UpdateReplacePolicy).toBe('Retain');
      expect(t.Properties!.DeletionProtectionEnabled).toBe(true);
    }
  });

  it('dev deletes its tables with the stack, unprotected', () => {
    expect(tablesOf('dev')).toHaveLength(Object.keys(tables).length);
    for (const t of tablesOf('dev')) {
      expect(t.DeletionPolicy).toBe('Delete');
      expect(t.Properties!.DeletionProtectionEnabled).toBe(false);
    }
  });

  it('keeps point-in-time recovery on the same tables in both stages', () => {
    const pitr = (stage: Stage) => tablesOf(stage).map((t) => t.Properties!.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled as boolean);
    expect(pitr('dev')).toEqual(pitr('prod'));
    expect(pitr('prod')).toContain(true);
  });

  it('retains the user pool and the card hash key in prod only', () => {
    const pool = (stage: Stage) => built[stage].ofType('AWS::Cognito::UserPool')[0]![1];
    expect(pool('prod')).toMatchObject({ DeletionPolicy: 'Retain', Properties: { DeletionProtection: 'ACTIVE' } });
    expect(pool('dev')).toMatchObject({ DeletionPolicy: 'Delete', Properties: { DeletionProtection: 'INACTIVE' } });
    const cardKey = (stage: Stage) => built[stage].ofType('AWS::SecretsManager::Secret').find(([id]) => id.startsWith('CardHashKey'))![1];
    expect(cardKey('prod').DeletionPolicy).toBe('Retain');
    expect(cardKey('dev').DeletionPolicy).toBe('Delete');
  });
});

describe('telemetry stream capacity by stage', () => {
  const stream = (stage: Stage) => built[stage].ofType('AWS::Kinesis::Stream')[0]![1].Properties!;

  it('is on-demand in prod', () => {
    expect(stream('prod').StreamModeDetails).toEqual({ StreamMode: 'ON_DEMAND' });
    expect(stream('prod').ShardCount).toBeUndefined();
  });

  it('is one provisioned shard in dev', () => {
    expect(stream('dev').StreamModeDetails).toEqual({ StreamMode: 'PROVISIONED' });
    expect(stream('dev').ShardCount).toBe(1);
  });
});

describe('bus publishing by stage and migration switch', () => {
  it.each(STAGES.map((s) => [s]))('%s: a bus publishes to its Basic Ingest topics of this stage and, while migrating, to the plain ones', (stage) => {
    expect(busPublishTopics(stage)).toEqual(
      TELEMETRY_KINDS.flatMap((kind) => [`$aws/rules/busflow_${stage}_${kind}/bus/${THING_NAME}/${kind}`, `bus/${THING_NAME}/${kind}`]).sort(),
    );
  });

  it('allows only the Basic Ingest topics once plainTopics is off', () => {
    expect(busPublishTopics('prod', { plainTopics: false })).toEqual(
      TELEMETRY_KINDS.map((kind) => `$aws/rules/busflow_prod_${kind}/bus/${THING_NAME}/${kind}`).sort(),
    );
  });
});

describe('alarm email from context', () => {
  it('subscribes the address to the alarm topic when given', () => {
    const { ofType } = synth({ stage: 'prod', alarmEmail: 'ops@example.vn' });
    const [topicId] = ofType('AWS::SNS::Topic')[0]!;
    const subscriptions = ofType('AWS::SNS::Subscription').map(([, r]) => r.Properties);
    expect(subscriptions).toEqual([expect.objectContaining({ Protocol: 'email', Endpoint: 'ops@example.vn', TopicArn: { Ref: topicId } })]);
  });

  it('subscribes no one without it', () => {
    expect(built.prod.ofType('AWS::SNS::Subscription')).toEqual([]);
  });
});

describe('cdk-nag on both stages', () => {
  it.each(STAGES.map((s) => [s]))('%s has no unacknowledged findings', (stage) => {
    const { app } = synth({ stage, alarmEmail: 'ops@example.vn' });
    const report = new AwsSolutionsChecks(app, { verbose: true }).validateScope(app);
    expect(report.violations.map((v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });
});
