/**
 * Telemetry ingestion (ARCHITECTURE §2): IoT topic rules → Kinesis stream → ingest function(s) → DynamoDB,
 * with one dead-letter queue for what the rules cannot deliver and for batches the function gives up on.
 */
import { Aws, Duration } from 'aws-cdk-lib';
import { CfnTopicRule } from 'aws-cdk-lib/aws-iot';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Stream, StreamEncryption, StreamMode } from 'aws-cdk-lib/aws-kinesis';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { deadLetterQueue } from './dead-letter-queue.js';
import { Construct } from 'constructs';
import { functions, iotRules, type Stage, telemetryRuleName, telemetryStream, type FunctionDef, type FunctionName } from '../../shared/catalogue/index.js';
import type { StreamCapacity } from '../stacks/stage-settings.js';
import { CatalogueFunction } from './catalogue-function.js';
import { pascalCase } from './names.js';
import type { CatalogueTables } from './tables.js';

/** AWS IoT SQL version the rule SQL of the catalogue is written for. */
const IOT_SQL_VERSION = '2016-03-23';

export interface IngestionProps {
  tables: CatalogueTables;
  /** Names the rules (`busflow_dev_gps`): rule names are unique per account and region, and Basic Ingest topics carry them. */
  stage: Stage;
  streamCapacity: StreamCapacity;
  cardHashKey?: ISecret;
  cursorKey?: ISecret;
  /** The account's IoT data endpoint host (IotDataEndpoint): required if one of the functions publishes. */
  iotDataEndpoint?: string;
}

/** Functions the catalogue feeds from the telemetry stream. */
export function telemetryStreamFunctions(): [FunctionName, FunctionDef][] {
  return (Object.entries(functions) as [FunctionName, FunctionDef][]).filter(
    ([, def]) => def.source.kind === 'stream' && def.source.stream === telemetryStream.name,
  );
}

export class Ingestion extends Construct {
  readonly stream: Stream;
  readonly deadLetterQueue: Queue;
  readonly ruleRole: Role;
  readonly rules: CfnTopicRule[] = [];
  readonly functions = new Map<FunctionName, CatalogueFunction>();

  constructor(scope: Construct, id: string, props: IngestionProps) {
    super(scope, id);

    const capacity = props.streamCapacity;
    this.stream = new Stream(this, `${pascalCase(telemetryStream.name)}Stream`, {
      ...(capacity.mode === 'on-demand' ? { streamMode: StreamMode.ON_DEMAND } : { streamMode: StreamMode.PROVISIONED, shardCount: capacity.shards }),
      encryption: StreamEncryption.MANAGED,
      retentionPeriod: Duration.hours(telemetryStream.retentionHours),
    });

    this.deadLetterQueue = deadLetterQueue(
      this,
      'IngestDlq',
      'the error action of the IoT telemetry rules and the on-failure destination of the stream event source mapping',
    );

    // One role for all telemetry rules: put a record on this stream, or park the message in the DLQ. Nothing else.
    this.ruleRole = new Role(this, 'RuleRole', {
      assumedBy: new ServicePrincipal('iot.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'IoT telemetry rules: PutRecord to the telemetry stream, SendMessage to the ingest DLQ',
      inlinePolicies: {
        deliver: new PolicyDocument({
          statements: [
            new PolicyStatement({ actions: ['kinesis:PutRecord'], resources: [this.stream.streamArn] }),
            new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }),
          ],
        }),
      },
    });

    // Each rule is reached through the broker (its topic filter) and by Basic Ingest ($aws/rules/<name>/bus/…):
    // the same SQL, envelope and actions either way.
    for (const rule of iotRules) {
      this.rules.push(
        new CfnTopicRule(this, `${pascalCase(rule.kind)}Rule`, {
          ruleName: telemetryRuleName(rule.kind, props.stage),
          topicRulePayload: {
            description: `Bus ${rule.kind} telemetry to the ${telemetryStream.name} stream (also by Basic Ingest)`,
            sql: rule.sql,
            awsIotSqlVersion: IOT_SQL_VERSION,
            ruleDisabled: false,
            actions: [
              {
                kinesis: {
                  streamName: this.stream.streamName,
                  partitionKey: telemetryStream.partitionKeyTemplate,
                  roleArn: this.ruleRole.roleArn,
                },
              },
            ],
            errorAction: {
              sqs: { queueUrl: this.deadLetterQueue.queueUrl, roleArn: this.ruleRole.roleArn, useBase64: false },
            },
          },
        }),
      );
    }

    const source = telemetryStream.eventSource;
    for (const [name, def] of telemetryStreamFunctions()) {
      const fn = new CatalogueFunction(this, def.id, {
        def,
        tables: props.tables,
        ...(props.cardHashKey ? { cardHashKey: props.cardHashKey } : {}),
        ...(props.cursorKey ? { cursorKey: props.cursorKey } : {}),
        ...(props.iotDataEndpoint ? { iotDataEndpoint: props.iotDataEndpoint } : {}),
      });
      fn.fn.addEventSource(
        new KinesisEventSource(this.stream, {
          startingPosition: StartingPosition.TRIM_HORIZON,
          batchSize: source.batchSize,
          maxBatchingWindow: Duration.seconds(source.maxBatchingWindowS),
          retryAttempts: source.retryAttempts,
          maxRecordAge: Duration.seconds(source.maxRecordAgeS),
          bisectBatchOnError: source.bisectBatchOnError,
          parallelizationFactor: source.parallelizationFactor,
          reportBatchItemFailures: source.reportBatchItemFailures,
          onFailure: new SqsDlq(this.deadLetterQueue),
        }),
      );
      this.functions.set(name, fn);
    }
  }
}
