/**
 * The simulated fleet `npm start` runs against the local stack: a service day of the sample network (or
 * another GTFS feed) from its start, each bus registered and connected with its own credentials, paced by the
 * stack's clock so that the buses and the stack live in the same time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Network } from '../../shared/gtfs/model.js';
import { parseContractSet } from '../../shared/domain/contracts/contracts.js';
import type { Clock } from '../../shared/domain/ports/clock.js';
import { planDay, tripOrderOf, type TripOrderDraft } from '../../simulator/core/day-plan.js';
import { registerBus } from './register-bus.js';
import { parseFaultProfile } from '../../simulator/core/faults.js';
import { SAMPLE_NETWORK_DIR } from '../../simulator/networks/index.js';
import { MqttSink } from '../../simulator/output/mqtt-sink.js';
import { formatSummary } from '../../simulator/output/report.js';
import { runSimulation, type Progress } from '../../simulator/run.js';
import type { LocalStack } from './local-stack.js';

/** The stack's clock as the fleet drives it: started when the buses leave, or moved along as fast as they go. */
export type FleetClock = (Clock & { start(): void }) | (Clock & { set(tsMs: number): void });

export interface LocalFleetOptions {
  buses: number;
  /** Simulated seconds per wall second; Infinity: as fast as possible. */
  speed: number;
  faults: string;
  serviceDay: string;
  /** Where the simulated day starts (the stack's clock stands there until the buses leave). */
  fromMs: number;
  clock: FleetClock;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

/** Says which network the stack holds, and loads the route contracts (the sample's own, or `contractsFile`). */
export async function describeNetworkAndContracts(
  stack: LocalStack,
  network: Network,
  skippedRows: number,
  networkPath?: string,
  contractsFile?: string,
): Promise<void> {
  const version = await stack.network.currentVersion();
  console.log(
    `Network ${version} (${networkPath ?? 'built-in HCMC sample'}): ${network.routes.size} routes, ${network.stops.size} stops, ${network.trips.size} trips${skippedRows ? `; ${skippedRows} feed rows skipped (npm run network:import shows why)` : ''}.`,
  );
  const file = contractsFile ?? (networkPath ? undefined : join(SAMPLE_NETWORK_DIR, 'contracts.json'));
  if (!file) {
    console.log('No route contracts loaded: trip orders need them (npm run contracts:import -- FILE, or --contracts FILE).');
    return;
  }
  const data = JSON.parse(readFileSync(file, 'utf8')) as { contracts?: unknown } | unknown[];
  const contracts = parseContractSet(Array.isArray(data) ? data : data.contracts);
  await stack.http!.api.contracts.put(contracts);
  console.log(`Route contracts: ${contracts.length} versions for ${new Set(contracts.map((c) => c.routeId)).size} routes (${file}).`);
}

export async function runLocalFleet(stack: LocalStack, network: Network, opts: LocalFleetOptions): Promise<void> {
  const { serviceDay, clock } = opts;
  const seed = 1;
  const plan = planDay(network, serviceDay, { seed, maxBuses: opts.buses });
  // Buses are registered before their trip orders: the API checks each order's vehicle against the registry.
  const secrets = new Map<string, string>();
  for (const d of plan.duties) secrets.set(d.busId, (await registerBus(stack.vehicles, { busId: d.busId, operatorId: d.operatorId, plate: d.plate })).secret);
  if (stack.http)
    await submitTripOrders(
      stack.http,
      plan.duties.map((d) => tripOrderOf(d, serviceDay)),
    );
  const sink = new MqttSink({
    url: stack.broker.url,
    identity: async (busId) => ({
      kind: 'password',
      secret: secrets.get(busId) ?? (await registerBus(stack.vehicles, { busId, operatorId: 'OP1', plate: '51B-000.00' })).secret,
    }),
  });
  console.log(
    `Simulated fleet: ${plan.duties.length} buses on ${network.routes.size} routes, service day ${serviceDay}, at ${Number.isFinite(opts.speed) ? `${opts.speed}×` : 'full speed'} (faults: ${opts.faults}). --no-sim turns it off.`,
  );
  if ('start' in clock) clock.start();
  const summary = await runSimulation({
    network,
    serviceDay,
    seed,
    profile: parseFaultProfile(opts.faults),
    buses: opts.buses,
    speed: opts.speed,
    sink,
    fromMs: opts.fromMs,
    ...('start' in clock ? { clock } : { onWindow: (t: number) => clock.set(t) }),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  console.log(formatSummary(summary));
}

/** Each operator submits its day's orders (issued) through the API; the centre approves them all. */
export async function submitTripOrders(http: NonNullable<LocalStack['http']>, orders: readonly TripOrderDraft[]): Promise<void> {
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${http.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as { created?: { id: string }[]; detail?: string };
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${json.detail ?? ''}`);
    return json;
  };
  const centre = await http.issuer.sign({ role: 'centre' });
  let approved = 0;
  const operators = [...new Set(orders.map((o) => o.operatorId))];
  for (const operatorId of operators) {
    const token = await http.issuer.sign({ role: 'operator', operatorId });
    const mine = orders.filter((o) => o.operatorId === operatorId).map((o) => ({ ...o, issue: true }));
    const { created = [] } = await call(token, 'POST', '/v1/trip-orders/batch', { orders: mine });
    for (const order of created) {
      await call(centre, 'POST', `/v1/trip-orders/${order.id}/approve`);
      approved++;
    }
  }
  console.log(
    `Trip orders: ${orders.length} submitted through the API by ${operators.length} operators, ${approved} approved by the centre (each bus got its assignment over MQTT).`,
  );
}
