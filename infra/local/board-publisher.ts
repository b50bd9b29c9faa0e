/** The local stand-in for IoT's data-plane Publish of stop boards: a retained QoS 1 publish on the local broker. */
import type { Aedes } from 'aedes';
import { stopArrivalsTopic } from '../../shared/catalogue/index.js';
import type { StopBoardMessage, StopBoardPublisher } from '../../shared/domain/predictions/stop-board.js';

export class BrokerStopBoardPublisher implements StopBoardPublisher {
  constructor(private readonly aedes: () => Aedes) {}

  publishStopBoard(message: StopBoardMessage): Promise<void> {
    const packet = {
      cmd: 'publish' as const,
      topic: stopArrivalsTopic(message.stopId),
      payload: Buffer.from(JSON.stringify(message)),
      qos: 1 as const,
      retain: true,
      dup: false,
    };
    return new Promise((resolve, reject) => this.aedes().publish(packet, (err) => (err ? reject(err) : resolve())));
  }
}
