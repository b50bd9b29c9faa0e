/**
 * A service day of the sample network made ready on a test stack as `npm start` makes it: the sample's route
 * contracts loaded, the day's buses registered, and each operator's trip orders submitted and approved through
 * the API. The fleet then runs with `identity` as its buses' credentials.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Network } from '../../shared/gtfs/model.js';
import { submitTripOrders } from '../../infra/local/local-fleet.js';
import { registerBus } from '../../infra/local/register-bus.js';
import { planDay, tripOrderOf } from '../../simulator/core/day-plan.js';
import { SAMPLE_NETWORK_DIR } from '../../simulator/networks/index.js';
import type { BusIdentity } from '../../simulator/output/mqtt-sink.js';
import type { TestStack } from './test-stack.js';

export async function prepareSampleDay(
  stack: TestStack,
  network: Network,
  serviceDay: string,
  opts: { seed: number; buses: number },
): Promise<{ secrets: Map<string, string>; identity: (busId: string) => Promise<BusIdentity> }> {
  const contracts = JSON.parse(readFileSync(join(SAMPLE_NETWORK_DIR, 'contracts.json'), 'utf8')) as {
    contracts: Parameters<NonNullable<TestStack['http']>['api']['contracts']['put']>[0];
  };
  await stack.http!.api.contracts.put(contracts.contracts);
  const plan = planDay(network, serviceDay, { seed: opts.seed, maxBuses: opts.buses });
  const secrets = new Map<string, string>();
  for (const d of plan.duties) secrets.set(d.busId, (await registerBus(stack.vehicles, { busId: d.busId, operatorId: d.operatorId, plate: d.plate })).secret);
  await submitTripOrders(
    stack.http!,
    plan.duties.map((d) => tripOrderOf(d, serviceDay)),
  );
  return { secrets, identity: async (busId) => ({ kind: 'password', secret: secrets.get(busId)! }) };
}
