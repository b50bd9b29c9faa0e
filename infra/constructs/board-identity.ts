/**
 * What a stop board may do on MQTT: boards are things of type `StopBoard` named after their stop (the thing
 * name is the GTFS stop_id), and one policy templated with the thing name lets a board connect only as its own
 * client and subscribe to and receive only `stop/{its stop}/arrivals`. It publishes nothing.
 */
import { ArnFormat, CfnOutput, Stack } from 'aws-cdk-lib';
import { CfnPolicy, CfnThingType } from 'aws-cdk-lib/aws-iot';
import { Construct } from 'constructs';
import { stopArrivalsTopic } from '../../shared/catalogue/index.js';
import { THING_NAME } from './device-identity.js';
import { iotNames } from './iot-names.js';

export class BoardIdentity extends Construct {
  readonly policy: CfnPolicy;
  readonly thingType: CfnThingType;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    const names = iotNames(stack.stackName);
    const iotArn = (resource: 'client' | 'topic' | 'topicfilter', name: string) =>
      stack.formatArn({ service: 'iot', resource, resourceName: name, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });

    this.thingType = new CfnThingType(this, 'StopBoardType', {
      thingTypeName: names.boardThingType,
      thingTypeProperties: { thingTypeDescription: 'A stop board; its thing name is the stop_id it shows' },
    });
    this.policy = new CfnPolicy(this, 'BoardPolicy', {
      // A fixed name (not CloudFormation's) so that `npm run board:provision` finds it from the stack name.
      policyName: names.boardPolicy,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'iot:Connect',
            Resource: iotArn('client', THING_NAME),
            Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
          },
          { Effect: 'Allow', Action: 'iot:Subscribe', Resource: iotArn('topicfilter', stopArrivalsTopic(THING_NAME)) },
          { Effect: 'Allow', Action: 'iot:Receive', Resource: iotArn('topic', stopArrivalsTopic(THING_NAME)) },
        ],
      },
    });

    new CfnOutput(this, 'BoardPolicyName', {
      description: 'IoT policy to attach to every stop board certificate (the thing name must be the stop_id)',
      value: this.policy.ref,
      exportName: `${stack.stackName}-BoardPolicyName`,
    });
  }
}
