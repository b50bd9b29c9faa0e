/** A dead-letter queue as BusFlow makes them: SSE, TLS only, 14 days, and no DLQ behind it (said why, for cdk-nag). */
import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

const DEAD_LETTER_RETENTION_DAYS = 14;

/** `feeds`: what sends its failures here (it goes into the acknowledgement's reason). */
export function deadLetterQueue(scope: Construct, id: string, feeds: string): Queue {
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(DEAD_LETTER_RETENTION_DAYS),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      `This queue is itself the dead-letter queue: ${feeds}. Nothing consumes it automatically, so a DLQ behind it ` +
      `would never receive anything; messages stay ${DEAD_LETTER_RETENTION_DAYS} days and an alarm fires on the first one.`,
  });
  return queue;
}
