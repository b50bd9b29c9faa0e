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
import { MqttSink, type BusIdentity } from '../../simulator/output/mqtt-sink.js';
import type { TruthRecord } from '../../simulator/core/events.js';
import type { FaultProfile } from '../../simulator/core/faults.js';
import { runSimulation } from '../../simulator/run.js';
import { journeyRecomputer } from '../../shared/adapters/journeys.js';
import type { Clock } from '../../shared/domain/ports/clock.js';
import { silentLogger } from '../../shared/domain/ports/logger.js';
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

/**
 * The sample day prepared, then simulated (all at once) from `fromMs` to `toMs` through the stack's broker, the
 * stack settled and the day's journeys recomputed as the day-end job would: what a complaint or a report of that
 * morning reads. Returns the simulator's ground truth.
 */
export async function simulateSampleMorning(
  stack: TestStack,
  network: Network,
  serviceDay: string,
  opts: { seed: number; buses: number; profile: FaultProfile; fromMs: number; toMs: number; clock: Clock },
): Promise<TruthRecord[]> {
  const truth: TruthRecord[] = [];
  const { identity } = await prepareSampleDay(stack, network, serviceDay, opts);
  await runSimulation({
    network,
    serviceDay,
    seed: opts.seed,
    buses: opts.buses,
    speed: Number.POSITIVE_INFINITY,
    profile: opts.profile,
    sink: new MqttSink({ url: stack.broker.url, identity }),
    truth: { write: async (r) => void truth.push(...r), close: async () => undefined },
    fromMs: opts.fromMs,
    toMs: opts.toMs,
  });
  await stack.settle();
  await journeyRecomputer(stack.doc, stack.config.tableNames, silentLogger, opts.clock).serviceDay(serviceDay);
  return truth;
}
