/** Publishes stop board messages through AWS IoT Core's data plane (HTTPS Publish, QoS 1, retained). */
import { IoTDataPlaneClient, PublishCommand } from '@aws-sdk/client-iot-data-plane';
import { stopArrivalsTopic } from '../../catalogue/index.js';
import type { StopBoardMessage, StopBoardPublisher } from '../../domain/predictions/stop-board.js';

export class IotStopBoardPublisher implements StopBoardPublisher {
  private readonly client: IoTDataPlaneClient;

  /** `endpoint`: the account's `…-ats.iot.{region}.amazonaws.com` (IOT_DATA_ENDPOINT, set by the stack). */
  constructor(endpoint: string, region: string) {
    this.client = new IoTDataPlaneClient({ region, endpoint: `https://${endpoint}` });
  }

  async publishStopBoard(message: StopBoardMessage): Promise<void> {
    const payload = new TextEncoder().encode(JSON.stringify(message));
    await this.client.send(new PublishCommand({ topic: stopArrivalsTopic(message.stopId), qos: 1, retain: true, payload }));
  }
}
