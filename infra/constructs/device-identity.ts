/**
 * What a bus may do on MQTT. One IoT policy for every bus, templated with the thing name, so a certificate
 * attached to thing `B` can connect only as client `B`, publish only its own four telemetry topics (in their Basic
 * Ingest form, and plainly while the fleet migrates), and
 * subscribe/receive only its own assignment topic. Publishing to its own assignment topic is not allowed: a bus
 * must not be able to hand itself a trip order. Buses are things of type `Bus` with attributes operator and plate.
 */
import { ArnFormat, CfnOutput, Stack } from 'aws-cdk-lib';
import { CfnPolicy, CfnThingType } from 'aws-cdk-lib/aws-iot';
import { Construct } from 'constructs';
import { assignmentTopic, basicIngestTopic, type Stage, TELEMETRY_KINDS, telemetryTopic } from '../../shared/catalogue/index.js';
import { iotNames } from './iot-names.js';

/** AWS IoT policy variable: the name of the thing the connecting certificate is attached to. */
export const THING_NAME = '${iot:Connection.Thing.ThingName}';

export interface DeviceIdentityProps {
  /** The stage's Basic Ingest topics (`$aws/rules/busflow_<stage>_gps/bus/{thing}/gps`) are the ones a bus publishes to. */
  stage: Stage;
  /**
   * Also allow the plain topics (`bus/{thing}/gps`, through the broker, billed per message) for buses not yet
   * moved to Basic Ingest. Turned off (`-c plainTopics=false`) once the whole fleet has moved.
   */
  plainTopics: boolean;
}

export class DeviceIdentity extends Construct {
  readonly policy: CfnPolicy;
  readonly thingType: CfnThingType;

  constructor(scope: Construct, id: string, props: DeviceIdentityProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const names = iotNames(stack.stackName);
    const iotArn = (resource: 'client' | 'topic' | 'topicfilter', name: string) =>
      stack.formatArn({ service: 'iot', resource, resourceName: name, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });

    this.thingType = new CfnThingType(this, 'BusType', {
      thingTypeName: names.busThingType,
      thingTypeProperties: { thingTypeDescription: 'A bus; its thing name is the busId', searchableAttributes: ['operator', 'plate'] },
    });
    this.policy = new CfnPolicy(this, 'BusPolicy', {
      // A fixed name (not CloudFormation's) so that `npm run bus:provision` finds it from the stack name.
      policyName: names.busPolicy,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'iot:Connect',
            Resource: iotArn('client', THING_NAME),
            // Only a certificate that is attached to the thing it names may use the thing name.
            Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
          },
          {
            Effect: 'Allow',
            Action: 'iot:Publish',
            Resource: TELEMETRY_KINDS.flatMap((kind) => [
              iotArn('topic', basicIngestTopic(THING_NAME, kind, props.stage)),
              ...(props.plainTopics ? [iotArn('topic', telemetryTopic(THING_NAME, kind))] : []),
            ]),
          },
          { Effect: 'Allow', Action: 'iot:Subscribe', Resource: iotArn('topicfilter', assignmentTopic(THING_NAME)) },
          { Effect: 'Allow', Action: 'iot:Receive', Resource: iotArn('topic', assignmentTopic(THING_NAME)) },
        ],
      },
    });

    new CfnOutput(this, 'BusPolicyName', {
      description: 'IoT policy to attach to every bus certificate (the thing name must be the busId)',
      value: this.policy.ref,
      exportName: `${stack.stackName}-BusPolicyName`,
    });
  }
}
