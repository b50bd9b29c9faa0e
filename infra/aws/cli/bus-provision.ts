/**
 * `npm run bus:provision -- BUS-001 --operator OP1 --plate 51B-123.45`: the bus's IoT thing, certificate and policy
 * attachment, its vehicle record, and its certificate files for `npm run sim -- --target iot --certs DIR`.
 * `npm run bus:provision -- BUS-001 --revoke` deactivates and detaches its certificates. See docs/provisioning.md.
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoVehicleRepository } from '../../../shared/adapters/dynamodb/vehicle-repository.js';
import { DEFAULT_STACK_NAME, iotNames } from '../../constructs/iot-names.js';
import { busRegistrationSchema } from '../../local/register-bus.js';
import { provisionBus, revokeBus } from '../provisioning/bus-provisioning.js';
import { resolveVehiclesTable } from '../provisioning/vehicles-table.js';
import { iotClient, provisionedLines, runCommand } from './cli-support.js';

const USAGE =
  'usage: npm run bus:provision -- BUS-ID --operator OPERATOR-ID --plate PLATE [--region R] [--stack NAME] [--policy NAME]\n' +
  '         [--vehicles-table NAME] [--certs DIR] [--new-certificate]\n' +
  '       npm run bus:provision -- BUS-ID --revoke [--region R]';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    operator: { type: 'string' },
    plate: { type: 'string' },
    region: { type: 'string' },
    stack: { type: 'string', default: DEFAULT_STACK_NAME },
    policy: { type: 'string' },
    'vehicles-table': { type: 'string' },
    certs: { type: 'string', default: '.busflow/certs/buses' },
    'new-certificate': { type: 'boolean', default: false },
    revoke: { type: 'boolean', default: false },
  },
});

async function main(): Promise<number> {
  const [busId] = positionals;
  if (!busId || (!values.revoke && (!values.operator || !values.plate))) {
    console.error(USAGE);
    return 2;
  }
  const iot = iotClient(values.region);
  try {
    if (values.revoke) {
      return await runCommand(`revoke bus ${busId}`, async () => {
        const { revokedCertificateIds } = await revokeBus(iot, busId);
        console.log(
          revokedCertificateIds.length === 0
            ? `Bus ${busId} has no certificate attached: nothing to revoke.`
            : `Revoked bus ${busId}: certificate(s) ${revokedCertificateIds.join(', ')} inactive and detached; it can no longer connect.`,
        );
        console.log('The thing and its vehicle record are kept (history, reports). Provision it again to give it a new certificate.');
      });
    }
    const names = iotNames(values.stack);
    const policyName = values.policy ?? names.busPolicy;
    const dynamo = new DynamoDBClient(values.region ? { region: values.region } : {});
    try {
      return await runCommand(`provision bus ${busId}`, async () => {
        // Bad input is refused before any AWS call.
        busRegistrationSchema.parse({ busId, operatorId: values.operator, plate: values.plate });
        const table = await resolveVehiclesTable(dynamo, values.stack, values['vehicles-table'], process.env);
        const vehicles = new DynamoVehicleRepository(DynamoDBDocumentClient.from(dynamo), table);
        const device = await provisionBus(
          { iot, vehicles, names: { ...names, busPolicy: policyName }, certDir: values.certs },
          { busId, operatorId: values.operator!, plate: values.plate! },
          { newCertificate: values['new-certificate'] },
        );
        console.log(`Provisioned bus ${busId} (operator ${values.operator}, plate ${values.plate}) on AWS IoT Core:`);
        for (const line of provisionedLines(device, policyName)) console.log(line);
        console.log(`  vehicle:     registered in ${table}`);
        console.log(`Try: npm run sim -- --target iot --endpoint ${device.endpoint} --certs ${values.certs}`);
      });
    } finally {
      dynamo.destroy();
    }
  } finally {
    iot.destroy();
  }
}

process.exitCode = await main();
