/** `npm run board:add -- STOP_ID`: registers the board of a stop with the running local stack. */
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { stopArrivalsTopic } from '../../../shared/catalogue/index.js';
import { registerBoard } from '../register-board.js';
import { withRunningStack } from './running-stack.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { dynamodb: { type: 'string' } } });

async function main(): Promise<number> {
  const [stopId] = positionals;
  if (!stopId) {
    console.error('usage: npm run board:add -- STOP-ID [--dynamodb URL]');
    return 2;
  }
  return withRunningStack(values.dynamodb, async ({ config, doc, running }) => {
    try {
      const board = await registerBoard(doc, config.tableNames.vehicles, stopId);
      const mqttUrl = running?.mqttUrl ?? 'mqtt://127.0.0.1:1883';
      console.log(`Registered the board of stop ${stopId}.`);
      console.log(
        `MQTT credentials (shown once):\n  url:       ${mqttUrl}\n  client id: ${board.clientId}\n  username:  ${board.clientId}\n  password:  ${board.secret}`,
      );
      console.log(`It may subscribe to ${stopArrivalsTopic(stopId)} only (retained: the latest arrivals at once).`);
      return 0;
    } catch (err) {
      if (err instanceof ZodError) {
        console.error(`Invalid stop id: ${err.issues.map((i) => i.message).join('; ')}`);
        return 2;
      }
      console.error(`Could not register the board of ${stopId}: ${(err as Error).message}`);
      return 1;
    }
  });
}

process.exitCode = await main();
