/** The local stand-in for IoT's data-plane Publish: a retained QoS 1 publish on the local broker. */
import type { Aedes } from 'aedes';
import { assignmentOf } from '../../shared/domain/trip-orders/assignment.js';
import type { AssignmentPublisher } from '../../shared/domain/trip-orders/ports.js';

export class BrokerAssignmentPublisher implements AssignmentPublisher {
  constructor(private readonly aedes: Aedes) {}

  publishAssignment(order: Parameters<AssignmentPublisher['publishAssignment']>[0]): Promise<void> {
    const { topic, message } = assignmentOf(order);
    return new Promise((resolve, reject) =>
      this.aedes.publish({ cmd: 'publish', topic, payload: Buffer.from(JSON.stringify(message)), qos: 1, retain: true, dup: false }, (err) =>
        err ? reject(err) : resolve(),
      ),
    );
  }
}
