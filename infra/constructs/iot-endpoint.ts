/**
 * The account's IoT data endpoint (`<prefix>-ats.iot.<region>.amazonaws.com`), looked up once at deploy time.
 *
 * The address is per account and region and is not known at synth time. One AwsCustomResource calls
 * `iot:DescribeEndpoint` (endpointType `iot:Data-ATS`) when the stack is created or the lookup changes; the stack
 * hands the answer to the functions that publish as IOT_DATA_ENDPOINT, so they need no right to look it up
 * themselves.
 */
import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Policy, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { type CfnFunction, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId, type AwsSdkCall } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { FUNCTION_LOG_RETENTION } from './catalogue-function.js';

/** The endpoint type of the data plane with Amazon Trust Services certificates (the one to use; not the legacy VeriSign one). */
const IOT_DATA_ENDPOINT_TYPE = 'iot:Data-ATS';
/** The field of the DescribeEndpoint answer that holds the host name. */
const ENDPOINT_ADDRESS_FIELD = 'endpointAddress';

export class IotDataEndpoint extends Construct {
  readonly lookup: AwsCustomResource;
  /** The host name (no scheme), a deploy-time token: `Fn::GetAtt` of the custom resource. */
  readonly address: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const describe: AwsSdkCall = {
      service: 'Iot',
      action: 'describeEndpoint',
      parameters: { endpointType: IOT_DATA_ENDPOINT_TYPE },
      // The endpoint of an account and region never changes: one fixed id, so an update never replaces the resource.
      physicalResourceId: PhysicalResourceId.of(`${IOT_DATA_ENDPOINT_TYPE}-endpoint`),
      outputPaths: [ENDPOINT_ADDRESS_FIELD],
    };
    // The provider Lambda is a stack-wide singleton; give it a log group with retention instead of Lambda's
    // implicit one (kept forever).
    const providerLogs = new LogGroup(this, 'ProviderLogs', { retention: FUNCTION_LOG_RETENTION, removalPolicy: RemovalPolicy.DESTROY });
    this.lookup = new AwsCustomResource(this, 'Lookup', {
      resourceType: 'Custom::IotDataEndpoint',
      onCreate: describe,
      onUpdate: describe,
      // iot:DescribeEndpoint has no resource-level permissions: the statement can only name `*`.
      policy: AwsCustomResourcePolicy.fromSdkCalls({ resources: AwsCustomResourcePolicy.ANY_RESOURCE }),
      // The default (true, unless the context flag says otherwise) makes the provider `npm install` the newest
      // AWS SDK at every invocation: a deploy would need internet access from Lambda and a minute more, and
      // would run an SDK nobody tested. The runtime's bundled SDK v3 has DescribeEndpoint.
      installLatestAwsSdk: false,
      logGroup: providerLogs,
    });
    this.address = this.lookup.getResponseField(ENDPOINT_ADDRESS_FIELD);
    this.acknowledgeProviderFindings();
    this.traceProvider();
  }

  /**
   * Active X-Ray tracing on the provider too, so that every Lambda function of the stack is traced (a failed
   * deployment's lookup shows in X-Ray like any other call). Its X-Ray statement sits in a policy of its own, as
   * for the catalogue functions.
   */
  private traceProvider(): void {
    const provider = providerFunction(Stack.of(this));
    const fn = provider.node.defaultChild as CfnFunction;
    fn.tracingConfig = { mode: Tracing.ACTIVE };
    const role = provider.node.tryFindChild('ServiceRole');
    if (!(role instanceof Role)) throw new Error('the AwsCustomResource provider has no ServiceRole: its tracing policy would attach nowhere');
    const tracing = new Policy(this, 'TracingPolicy', {
      statements: [new PolicyStatement({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] })],
    });
    role.attachInlinePolicy(tracing);
    Validations.of(tracing).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions ' +
        '(https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html); this policy of the ' +
        'IoT endpoint lookup provider holds nothing else.',
    });
  }

  /** The cdk-nag findings the CDK-owned provider brings, each acknowledged where it occurs and nowhere wider. */
  private acknowledgeProviderFindings(): void {
    const policy = this.lookup.node.tryFindChild('CustomResourcePolicy');
    if (!policy) throw new Error('AwsCustomResource has no CustomResourcePolicy child: the acknowledgement below would miss');
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'iot:DescribeEndpoint supports no resource-level permissions ' +
        '(https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsiot.html). This policy, generated ' +
        'from the one SDK call of the IoT endpoint lookup, holds that action and nothing else.',
    });

    const provider = providerFunction(Stack.of(this));
    Validations.of(provider).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'The role of the AwsCustomResource provider Lambda (a CDK-owned singleton that runs only during deployments, ' +
        'to look up the IoT endpoint) has AWSLambdaBasicExecutionRole: CloudWatch Logs writes only. Its only other ' +
        'right is iot:DescribeEndpoint.',
    });
    // No AwsSolutions-L1 here: aws-cdk-lib gives the provider the newest Node.js runtime cdk-nag knows (nodejs24.x
    // with aws-cdk-lib 2.276 / cdk-nag 3.0.2). Should an upgrade ever make it fire, acknowledge it then, here.
  }
}

/** The stack-wide singleton Lambda that runs every AwsCustomResource of the stack. */
function providerFunction(stack: Stack): Construct {
  const id = `AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`;
  const provider = stack.node.tryFindChild(id);
  if (!provider) throw new Error(`AwsCustomResource provider ${id} not found in ${stack.node.path}`);
  return provider as Construct;
}
