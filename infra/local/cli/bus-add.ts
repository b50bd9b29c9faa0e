/** `npm run bus:add -- BUS-001 --operator OP1 --plate 51B-123.45`: registers a bus with the running local stack. */
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { DynamoVehicleRepository } from '../../../shared/adapters/dynamodb/vehicle-repository.js';
import { telemetryTopic } from '../../../shared/catalogue/index.js';
import { registerBus } from '../register-bus.js';
import { withRunningStack } from './running-stack.js';
import { publishExample } from '../publish-example.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    operator: { type: 'string' },
    plate: { type: 'string' },
    dynamodb: { type: 'string' },
  },
});

async function main(): Promise<number> {
  const [busId] = positionals;
  if (!busId || !values.operator || !values.plate) {
    console.error('usage: npm run bus:add -- BUS-ID --operator OPERATOR-ID --plate PLATE [--dynamodb URL]');
    return 2;
  }
  return withRunningStack(values.dynamodb, async ({ config, doc, running }) => {
    try {
      const vehicles = new DynamoVehicleRepository(doc, config.tableNames.vehicles);
      const bus = await registerBus(vehicles, { busId, operatorId: values.operator!, plate: values.plate! });
      const mqttUrl = running?.mqttUrl ?? 'mqtt://127.0.0.1:1883';
      console.log(`Registered ${bus.busId} (operator ${bus.operatorId}, plate ${bus.plate}).`);
      console.log(`MQTT credentials (shown once):\n  url:       ${mqttUrl}\n  client id: ${bus.busId}\n  username:  ${bus.busId}\n  password:  ${bus.secret}`);
      console.log(`It may publish to ${telemetryTopic(bus.busId, 'gps')} (and /gate, /wifi, /duty). Try:\n  ${publishExample(mqttUrl, bus.busId, bus.secret)}`);
      return 0;
    } catch (err) {
      if (err instanceof ZodError) {
        console.error(`Invalid bus: ${err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
        return 2;
      }
      console.error(`Could not register ${busId}: ${(err as Error).message}`);
      return 1;
    }
  });
}

process.exitCode = await main();
