/** A copy-paste command that publishes one valid GPS message with a bus's credentials (mqtt.js CLI). */
import { CONTRACT_VERSION, telemetryTopic, type GpsMessage } from '../../shared/catalogue/index.js';

export function publishExample(mqttUrl: string, busId: string, secret: string): string {
  const { hostname, port } = new URL(mqttUrl);
  const message: GpsMessage = {
    v: CONTRACT_VERSION,
    msgId: 'hello-1',
    busId,
    records: [{ ts: Date.now(), lat: 10.7716, lon: 106.6983, speedKmh: 0, doorOpen: true }],
  };
  return (
    `npx mqtt pub -h ${hostname} -p ${port} -i ${busId} -u ${busId} -P '${secret}' -q 1 ` + `-t ${telemetryTopic(busId, 'gps')} -m '${JSON.stringify(message)}'`
  );
}
