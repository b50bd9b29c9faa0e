/**
 * The scheduled jobs of BusFlowStack, checked against the catalogue: one EventBridge Scheduler schedule per
 * `schedules` entry (cron, timezone, flexible window off, input `{}`), targeting the Lambda built from the
 * FunctionDef it names, through a role that may invoke that function and nothing else, with retries and the
 * schedule DLQ; and a synth that fails on a schedule the catalogue cannot resolve. Bundling is skipped, as in
 * stack.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PROJECT_ROOT } from '../../infra/constructs/names.js';
import { ASYNC_INVOKE, resolveSchedules, Schedules, SCHEDULE_RETRY, scheduleFunctions } from '../../infra/constructs/schedules.js';
import { CatalogueTables } from '../../infra/constructs/tables.js';
import { BusFlowStack } from '../../infra/stacks/busflow-stack.js';
import { functions, schedules, type FunctionDef, type FunctionName, type ScheduleDef } from '../../shared/catalogue/index.js';

// ---------------------------------------------------------------------------------------------------------------

const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
const newApp = () => new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
const stack = new BusFlowStack(newApp(), 'BusFlowStack');
const resources = Template.fromStack(stack).toJSON().Resources as Record<string, CfnResourceJson>;

interface CfnResourceJson {
  Type: string;
  Properties?: Record<string, any>;
}
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

const logicalId = (construct: { node: { defaultChild?: unknown } } | CfnElement): string =>
  stack.getLogicalId(('logicalId' in construct ? construct : construct.node.defaultChild) as CfnElement);
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
const refersTo = (value: unknown, id: string) => JSON.stringify(value).includes(`"${id}"`);

function statementsOfRole(roleId: string): Statement[] {
  const inline = (resources[roleId]!.Properties?.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement as Statement[]);
  const attached = ofType('AWS::IAM::Policy')
    .filter(([, p]) => refersTo(p.Properties?.Roles, roleId))
    .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement as Statement[]);
  return [...inline, ...attached];
}

/** The catalogue's schedules and the function each names, found independently of the construct. */
const scheduleEntries = Object.entries(schedules) as [string, ScheduleDef][];
const scheduleDefs = (Object.entries(functions) as [FunctionName, FunctionDef][]).filter(([, def]) => def.source.kind === 'schedule');
const dlqId = logicalId(stack.schedules.deadLetterQueue);
const cfnSchedules = ofType('AWS::Scheduler::Schedule');

function scheduleFunction(name: FunctionName) {
  const fn = stack.schedules.functions.get(name);
  if (!fn) throw new Error(`schedule function ${name} was not created by the Schedules construct`);
  return { fn, fnId: logicalId(fn.fn), roleId: logicalId(fn.role) };
}

// ---------------------------------------------------------------------------------------------------------------

describe('schedules', () => {
  it('has exactly one EventBridge Scheduler schedule per catalogue schedule, and a Lambda per schedule function', () => {
    expect(scheduleEntries.length).toBeGreaterThan(0);
    expect(cfnSchedules).toHaveLength(scheduleEntries.length);
    expect([...stack.schedules.functions.keys()].sort()).toEqual(scheduleDefs.map(([name]) => name).sort());
  });

  it.each(scheduleEntries)('%s: cron and timezone from the catalogue, at the time, input {}, targeting its function', (name, schedule) => {
    const def = (functions as Record<string, FunctionDef>)[schedule.function];
    expect(def, `${name} names ${schedule.function}`).toBeDefined();
    expect(def!.source.kind).toBe('schedule');
    const { fnId } = scheduleFunction(schedule.function as FunctionName);
    expect(resources[fnId]!.Properties!.Description).toBe(def!.description);

    const p = resources[logicalId(stack.schedules.schedules.get(name)!)]!.Properties!;
    expect(p).toMatchObject({
      ScheduleExpression: schedule.cron,
      ScheduleExpressionTimezone: schedule.timezone,
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Description: schedule.description,
    });
    expect(p.GroupName).toBeUndefined(); // the default group
    expect(p.Target.Arn).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
    expect(JSON.parse(p.Target.Input as string)).toEqual({});
    expect(p.Target.RetryPolicy).toEqual({ MaximumRetryAttempts: SCHEDULE_RETRY.maximumRetryAttempts, MaximumEventAgeInSeconds: 3_600 });
    expect(p.Target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } });
  });

  it.each(scheduleEntries)('%s: its role is assumable by Scheduler of this account only and may only invoke its function and use the DLQ', (name, schedule) => {
    const roleId = logicalId(stack.schedules.roles.get(name)!);
    const p = resources[logicalId(stack.schedules.schedules.get(name)!)]!.Properties!;
    expect(p.Target.RoleArn).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });

    const role = resources[roleId]!.Properties!;
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
    expect(role.ManagedPolicyArns).toBeUndefined();
    const { fnId } = scheduleFunction(schedule.function as FunctionName);
    const statements = statementsOfRole(roleId).map((s) => ({ effect: s.Effect, actions: asList(s.Action), resources: asList(s.Resource) }));
    expect(statements).toEqual([
      { effect: 'Allow', actions: ['lambda:InvokeFunction'], resources: [{ 'Fn::GetAtt': [fnId, 'Arn'] }] },
      { effect: 'Allow', actions: ['sqs:SendMessage'], resources: [{ 'Fn::GetAtt': [dlqId, 'Arn'] }] },
    ]);
    // A role per schedule: no other schedule acts through this one.
    const others = cfnSchedules.filter(([id]) => id !== logicalId(stack.schedules.schedules.get(name)!));
    for (const [, other] of others) expect(refersTo(other.Properties!.Target.RoleArn, roleId)).toBe(false);
  });

  it('gives every schedule function no trigger but its schedule (no mapping, no API permission)', () => {
    for (const [name] of scheduleDefs) {
      const { fnId } = scheduleFunction(name);
      expect(ofType('AWS::Lambda::EventSourceMapping').filter(([, m]) => refersTo(m.Properties!.FunctionName, fnId))).toHaveLength(0);
      expect(ofType('AWS::Lambda::Permission').filter(([, perm]) => refersTo(perm.Properties!.FunctionName, fnId))).toHaveLength(0);
    }
  });

  it("parks a job that fails after Lambda's retries in the schedule DLQ as well", () => {
    for (const [name] of scheduleDefs) {
      const { fnId } = scheduleFunction(name);
      const configs = ofType('AWS::Lambda::EventInvokeConfig').filter(([, c]) => refersTo(c.Properties!.FunctionName, fnId));
      expect(configs).toHaveLength(1);
      expect(configs[0]![1].Properties).toMatchObject({
        MaximumRetryAttempts: ASYNC_INVOKE.retryAttempts,
        MaximumEventAgeInSeconds: ASYNC_INVOKE.maxEventAge.toSeconds(),
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } } },
      });
    }
  });
});

describe('schedule dead-letter queue', () => {
  it('is encrypted (SQS-managed SSE), TLS-only and keeps messages 14 days', () => {
    expect(resources[dlqId]!.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    const policies = ofType('AWS::SQS::QueuePolicy').filter(([, p]) => refersTo(p.Properties?.Queues, dlqId));
    expect(policies).toHaveLength(1);
    expect(policies[0]![1].Properties!.PolicyDocument.Statement).toEqual(
      expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
    );
  });
});

describe('schedules the catalogue cannot resolve', () => {
  const [someName, someSchedule] = scheduleEntries[0]!;
  const httpName = Object.entries(functions).find(([, def]) => (def as FunctionDef).source.kind === 'http')![0];

  it('refuse a schedule that names a function the catalogue lacks, naming the schedule and the function', () => {
    expect(() => resolveSchedules({ ...schedules, bogus: { ...someSchedule, id: 'Bogus', function: 'noSuchFunction' } })).toThrow(
      /schedule bogus .*'noSuchFunction'.*not a key of the catalogue's functions/,
    );
    // Not fooled by inherited properties.
    expect(() => resolveSchedules({ ...schedules, bogus: { ...someSchedule, id: 'Bogus', function: 'toString' } })).toThrow(/'toString'/);
  });

  it('refuse a schedule that starts a function whose source is not schedule', () => {
    expect(() => resolveSchedules({ ...schedules, bogus: { ...someSchedule, id: 'Bogus', function: httpName } })).toThrow(
      new RegExp(`schedule bogus starts ${httpName}, whose source is http, not schedule`),
    );
  });

  it('refuse a schedule function that no schedule starts', () => {
    const others = Object.fromEntries(scheduleEntries.filter(([name]) => name !== someName));
    expect(() => resolveSchedules(others)).toThrow(new RegExp(`no schedule starts .*${someSchedule.function}`));
    expect(scheduleFunctions().map(([name]) => name)).toContain(someSchedule.function);
  });

  it('make the Schedules construct (and so the synth) fail before anything is built', () => {
    const stack2 = new Stack(newApp(), 'Bogus');
    const tables2 = new CatalogueTables(stack2, 'Tables');
    expect(() => new Schedules(stack2, 'Schedules', { tables: tables2, schedules: {} })).toThrow(/no schedule starts/);
    expect(stack2.node.tryFindChild('Schedules')?.node.children.length ?? 0).toBe(0);
  });
});
