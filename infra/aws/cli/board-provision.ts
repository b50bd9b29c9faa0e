/**
 * `npm run board:provision -- STOP-ID`: the stop board's IoT thing, certificate and subscribe-only policy
 * attachment, its certificate files, and its stop in the registry of boards (the ingest path tells only those
 * stops). `--revoke` deactivates and detaches its certificates. See docs/provisioning.md.
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoBoardRegistry } from '../../../shared/adapters/dynamodb/board-registry.js';
import { stopArrivalsTopic } from '../../../shared/catalogue/index.js';
import { DEFAULT_STACK_NAME, iotNames } from '../../constructs/iot-names.js';
import { provisionBoard, revokeBoard } from '../provisioning/board-provisioning.js';
import { resolveVehiclesTable } from '../provisioning/vehicles-table.js';
import { iotClient, provisionedLines, runCommand } from './cli-support.js';

const USAGE =
  'usage: npm run board:provision -- STOP-ID [--region R] [--stack NAME] [--policy NAME] [--vehicles-table NAME] [--certs DIR] [--new-certificate]\n' +
  '       npm run board:provision -- STOP-ID --revoke [--region R]';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    region: { type: 'string' },
    stack: { type: 'string', default: DEFAULT_STACK_NAME },
    policy: { type: 'string' },
    'vehicles-table': { type: 'string' },
    certs: { type: 'string', default: '.busflow/certs/boards' },
    'new-certificate': { type: 'boolean', default: false },
    revoke: { type: 'boolean', default: false },
  },
});

async function main(): Promise<number> {
  const [stopId] = positionals;
  if (!stopId) {
    console.error(USAGE);
    return 2;
  }
  const iot = iotClient(values.region);
  try {
    if (values.revoke) {
      return await runCommand(`revoke the board of stop ${stopId}`, async () => {
        const { revokedCertificateIds } = await revokeBoard(iot, stopId);
        console.log(
          revokedCertificateIds.length === 0
            ? `The board of stop ${stopId} has no certificate attached: nothing to revoke.`
            : `Revoked the board of stop ${stopId}: certificate(s) ${revokedCertificateIds.join(', ')} inactive and detached.`,
        );
      });
    }
    const names = iotNames(values.stack);
    const policyName = values.policy ?? names.boardPolicy;
    const dynamo = new DynamoDBClient(values.region ? { region: values.region } : {});
    try {
      return await runCommand(`provision the board of stop ${stopId}`, async () => {
        const device = await provisionBoard({ iot, names: { ...names, boardPolicy: policyName }, certDir: values.certs }, stopId, {
          newCertificate: values['new-certificate'],
        });
        const table = await resolveVehiclesTable(dynamo, values.stack, values['vehicles-table'], process.env);
        await new DynamoBoardRegistry(DynamoDBDocumentClient.from(dynamo), table).add(stopId);
        console.log(`Provisioned the board of stop ${stopId} on AWS IoT Core:`);
        for (const line of provisionedLines(device, policyName)) console.log(line);
        console.log(`  registry:    its stop listed in ${table} (told its arrivals within a minute)`);
        console.log(`It connects with client id ${device.thingName} and may subscribe to ${stopArrivalsTopic(device.thingName)} only.`);
      });
    } finally {
      dynamo.destroy();
    }
  } finally {
    iot.destroy();
  }
}

process.exitCode = await main();
