/**
 * Operational alarms (ARCHITECTURE §2): something in the DLQ, the stream falling behind, a function failing,
 * the API answering 5xx. All notify one encrypted SNS topic that operators subscribe to.
 */
import { ArnFormat, Aws, Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { pascalCase } from './names.js';

/** The stream may lag this far behind before someone is told (GetRecords.IteratorAgeMilliseconds, maximum). */
const MAX_ITERATOR_AGE_MS = 60_000;

export interface AlarmsProps {
  /** Subscribed to the topic by email (`-c alarmEmail=…`); the address confirms the subscription once. */
  email?: string;
}

export class Alarms extends Construct {
  readonly topic: Topic;
  /** Every alarm made here, in order: the dashboard shows their states. */
  readonly all: Alarm[] = [];
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: AlarmsProps = {}) {
    super(scope, id);
    // CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key; it needs a key it may use.
    // Both grants are limited to alarms of this account (confused deputy).
    const stack = Stack.of(this);
    const fromOwnAlarms = {
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      ArnLike: {
        'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      },
    };
    const cloudwatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    const key = new Key(this, 'TopicKey', { enableKeyRotation: true, description: 'BusFlow alarm topic encryption' });
    key.addToResourcePolicy(
      new PolicyStatement({ principals: [cloudwatch], actions: ['kms:Decrypt', 'kms:GenerateDataKey*'], resources: ['*'], conditions: fromOwnAlarms }),
    );
    this.topic = new Topic(this, 'Topic', { masterKey: key, enforceSSL: true, displayName: 'BusFlow alarms' });
    this.topic.addToResourcePolicy(
      new PolicyStatement({ principals: [cloudwatch], actions: ['sns:Publish'], resources: [this.topic.topicArn], conditions: fromOwnAlarms }),
    );
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    this.action = new SnsAction(this.topic);
  }

  /** Any message in a dead-letter queue is a message that was not ingested. */
  deadLetters(name: string, queue: IQueue): Alarm {
    return this.alarm(
      `${pascalCase(name)}Depth`,
      queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(1) }),
      0,
      `Messages in ${name}`,
    );
  }

  iteratorAge(name: string, stream: IStream): Alarm {
    return this.alarm(
      `${pascalCase(name)}IteratorAge`,
      stream.metricGetRecordsIteratorAgeMilliseconds({ statistic: 'Maximum', period: Duration.minutes(1) }),
      MAX_ITERATOR_AGE_MS,
      `Consumers of the ${name} stream are more than ${MAX_ITERATOR_AGE_MS / 1000} s behind`,
    );
  }

  functionErrors(name: string, fn: IFunction): Alarm {
    return this.alarm(`${pascalCase(name)}Errors`, fn.metricErrors({ statistic: 'Sum', period: Duration.minutes(1) }), 0, `${name} invocations failed`);
  }

  /** Any 5xx of the API: a function that failed or timed out, or an integration error, all seen by a caller. */
  apiServerErrors(name: string, stage: IHttpStage): Alarm {
    return this.alarm(`${pascalCase(name)}ServerErrors`, stage.metricServerError({ statistic: 'Sum', period: Duration.minutes(1) }), 0, `${name} answered 5xx`);
  }

  private alarm(id: string, metric: IMetric, threshold: number, description: string): Alarm {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(this.action);
    this.all.push(alarm);
    return alarm;
  }
}
