/**
 * The IoT policies and thing types a provisioned bus or stop board gets, statement by statement: a device
 * connects only as its own thing with a certificate attached to it, a bus publishes only its own four telemetry
 * topics and hears only its own assignment, a board only subscribes to its own stop's arrivals. The names are the
 * ones `npm run bus:provision` / `board:provision` look for.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { iotNames } from '../../infra/constructs/iot-names.js';
import { PROJECT_ROOT } from '../../infra/constructs/names.js';
import { BusFlowStack } from '../../infra/stacks/busflow-stack.js';

const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
const template = Template.fromStack(new BusFlowStack(app, 'BusFlow-dev', { stage: 'dev' }));
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;

/** `{ Fn::Join: ['', ['arn:', { Ref: 'AWS::Partition' }, ...]] }` → `arn:${AWS::Partition}...`, recursively through a document. */
function flatten(value: unknown): unknown {
  if (typeof value === 'string' || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(flatten);
  const v = value as Record<string, unknown>;
  if (v['Fn::Join']) {
    const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(flatten).join(separator);
  }
  if (typeof v.Ref === 'string') return `\${${v.Ref}}`;
  return Object.fromEntries(Object.entries(v).map(([key, inner]) => [key, flatten(inner)]));
}

function policyNamed(name: string): { Version: string; Statement: unknown[] } {
  const found = Object.values(resources).filter((r) => r.Type === 'AWS::IoT::Policy' && r.Properties.PolicyName === name);
  expect(found, `one AWS::IoT::Policy named ${name}`).toHaveLength(1);
  return flatten(found[0]!.Properties.PolicyDocument) as { Version: string; Statement: unknown[] };
}

const ARN = 'arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}';
const THING = '${iot:Connection.Thing.ThingName}';
const CONNECT_AS_OWN_ATTACHED_THING = {
  Effect: 'Allow',
  Action: 'iot:Connect',
  Resource: `${ARN}:client/${THING}`,
  Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
};

describe('the names the provisioning commands look for', () => {
  it('are derived from the stack name', () => {
    expect(iotNames('BusFlowStack')).toEqual({
      busPolicy: 'BusFlowStack-BusPolicy',
      busThingType: 'BusFlowStack-Bus',
      boardPolicy: 'BusFlowStack-BoardPolicy',
      boardThingType: 'BusFlowStack-StopBoard',
    });
  });

  it('are the thing types of the stack: Bus with searchable operator and plate, StopBoard', () => {
    const thingTypes = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IoT::ThingType')
      .map((r) => r.Properties);
    expect(thingTypes).toEqual(
      expect.arrayContaining([
        {
          ThingTypeName: 'BusFlow-dev-Bus',
          ThingTypeProperties: { ThingTypeDescription: 'A bus; its thing name is the busId', SearchableAttributes: ['operator', 'plate'] },
          Tags: [{ Key: 'stage', Value: 'dev' }],
        },
        {
          ThingTypeName: 'BusFlow-dev-StopBoard',
          ThingTypeProperties: { ThingTypeDescription: 'A stop board; its thing name is the stop_id it shows' },
          Tags: [{ Key: 'stage', Value: 'dev' }],
        },
      ]),
    );
    expect(thingTypes).toHaveLength(2);
  });

  it('are exported as the outputs BusPolicyName and BoardPolicyName', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown; Export: { Name: string } }>;
    const policyIds = Object.fromEntries(
      Object.entries(resources)
        .filter(([, r]) => r.Type === 'AWS::IoT::Policy')
        .map(([id, r]) => [r.Properties.PolicyName as string, id]),
    );
    const exported = Object.values(outputs).map((o) => [o.Export?.Name, o.Value]);
    expect(exported).toContainEqual(['BusFlow-dev-BusPolicyName', { Ref: policyIds['BusFlow-dev-BusPolicy'] }]);
    expect(exported).toContainEqual(['BusFlow-dev-BoardPolicyName', { Ref: policyIds['BusFlow-dev-BoardPolicy'] }]);
  });
});

describe('the bus policy', () => {
  it('has exactly these statements: connect as its own attached thing, publish its four telemetry topics (Basic Ingest, and plainly while buses migrate), hear its assignment', () => {
    const publishes = ['gps', 'gate', 'wifi', 'duty'].flatMap((kind) => [
      `${ARN}:topic/$aws/rules/busflow_dev_${kind}/bus/${THING}/${kind}`,
      `${ARN}:topic/bus/${THING}/${kind}`,
    ]);
    expect(policyNamed('BusFlow-dev-BusPolicy')).toEqual({
      Version: '2012-10-17',
      Statement: [
        CONNECT_AS_OWN_ATTACHED_THING,
        { Effect: 'Allow', Action: 'iot:Publish', Resource: publishes },
        { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/bus/${THING}/assignment` },
        { Effect: 'Allow', Action: 'iot:Receive', Resource: `${ARN}:topic/bus/${THING}/assignment` },
      ],
    });
  });
});

describe('the stop board policy', () => {
  it('has exactly these statements: connect as its own attached thing, subscribe to and receive its stop arrivals, publish nothing', () => {
    expect(policyNamed('BusFlow-dev-BoardPolicy')).toEqual({
      Version: '2012-10-17',
      Statement: [
        CONNECT_AS_OWN_ATTACHED_THING,
        { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/stop/${THING}/arrivals` },
        { Effect: 'Allow', Action: 'iot:Receive', Resource: `${ARN}:topic/stop/${THING}/arrivals` },
      ],
    });
  });
});
