/** CDK app: `npm run synth` (cdk.json runs this with tsx). Synth only; there is no account to deploy to here. */
import { App, Tags, Validations } from 'aws-cdk-lib';
import cdkNag from 'cdk-nag';
import { parseStage } from '../../shared/catalogue/index.js';
import { BusFlowStack } from '../stacks/busflow-stack.js';
import { stackName } from '../constructs/names.js';

// cdk-nag is CommonJS without statically detectable named exports: take them from the default import.
const { AwsSolutionsChecks } = cdkNag;

const app = new App();
// `-c stage=dev|prod` (dev by default), `-c alarmEmail=ops@example.vn`, `-c plainTopics=false` (docs/deploy.md).
const stage = parseStage(app.node.tryGetContext('stage'));
const alarmEmail = app.node.tryGetContext('alarmEmail') as string | undefined;
const plainTopics = String(app.node.tryGetContext('plainTopics') ?? 'true') !== 'false';
// Environment-agnostic: account and region come from the credentials used at deploy time.
new BusFlowStack(app, stackName(stage), {
  stage,
  ...(alarmEmail ? { alarmEmail } : {}),
  plainTopics,
  description: `BusFlow (${stage}): bus telemetry ingestion (IoT Core -> Kinesis -> Lambda -> DynamoDB) and the HTTP API (API Gateway -> Lambda, Cognito JWT)`,
});
Tags.of(app).add('project', 'busflow');
// cdk-nag v3 is a CDK validation plugin (v2 was an Aspect): findings fail the synth unless acknowledged.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
