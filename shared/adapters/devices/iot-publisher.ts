/** Publishes to devices through AWS IoT Core's data plane (HTTPS Publish, QoS 1, retained). */
import { IoTDataPlaneClient, PublishCommand } from '@aws-sdk/client-iot-data-plane';
import type { AssignmentPublisher } from '../../domain/trip-orders/ports.js';
import { assignmentOf } from '../../domain/trip-orders/assignment.js';

export class IotAssignmentPublisher implements AssignmentPublisher {
  private readonly client: IoTDataPlaneClient;

  /** `endpoint`: the account's `…-ats.iot.{region}.amazonaws.com` (IOT_DATA_ENDPOINT, set by the stack). */
  constructor(endpoint: string, region: string) {
    this.client = new IoTDataPlaneClient({ region, endpoint: `https://${endpoint}` });
  }

  async publishAssignment(order: Parameters<AssignmentPublisher['publishAssignment']>[0]): Promise<void> {
    const { topic, message } = assignmentOf(order);
    await this.client.send(new PublishCommand({ topic, qos: 1, retain: true, payload: new TextEncoder().encode(JSON.stringify(message)) }));
  }
}
