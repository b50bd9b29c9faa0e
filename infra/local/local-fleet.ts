/**
 * The simulated fleet `npm start` runs against the local stack: today's service on the sample network (or
 * another GTFS feed), each bus registered and connected with its own credentials.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Network } from '../../shared/gtfs/model.js';
import { parseContractSet } from '../../shared/domain/contracts/contracts.js';
import { systemClock } from '../../shared/adapters/clock.js';
import { journeyRecomputer } from '../../shared/adapters/journeys.js';
import { silentLogger } from '../../shared/domain/ports/logger.js';
import { serviceTimeToEpochMs } from '../../shared/gtfs/time.js';
import { serviceDayOf, zoneOffsetMs } from '../../shared/domain/time/service-day.js';
import { planDay, tripOrderOf, type TripOrderDraft } from '../../simulator/core/day-plan.js';
import { registerBus } from './register-bus.js';
import { parseFaultProfile } from '../../simulator/core/faults.js';
import { SAMPLE_NETWORK_DIR } from '../../simulator/networks/index.js';
import { MqttSink } from '../../simulator/output/mqtt-sink.js';
import { formatProgress, formatSummary } from '../../simulator/output/report.js';
import { runSimulation } from '../../simulator/run.js';
import type { LocalStack } from './local-stack.js';

export interface LocalFleetOptions {
  buses: number;
  speed: number;
  faults: string;
  signal?: AbortSignal;
}

const SERVICE_OPENS_S = 6 * 3600;
const SERVICE_CLOSES_S = 21 * 3600;

/** Says which network the stack holds, and loads the route contracts (the sample's own, or `contractsFile`). */
export async function describeNetworkAndContracts(stack: LocalStack, network: Network, skippedRows: number, networkPath?: string, contractsFile?: string): Promise<void> {
  const version = await stack.network.currentVersion();
  console.log(`Network ${version} (${networkPath ?? 'built-in HCMC sample'}): ${network.routes.size} routes, ${network.stops.size} stops, ${network.trips.size} trips${skippedRows ? `; ${skippedRows} feed rows skipped (npm run network:import shows why)` : ''}.`);
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
  const now = systemClock();
  const serviceDay = serviceDayOf(now, network.timezone);
  // Start at the current time of day when buses run then; otherwise at 06:00, so there is always traffic to see.
  const localS = Math.floor(((now + zoneOffsetMs(now, network.timezone)) % 86_400_000) / 1000);
  const fromS = localS >= SERVICE_OPENS_S && localS < SERVICE_CLOSES_S ? localS : SERVICE_OPENS_S;
  const seed = 1;
  const plan = planDay(network, serviceDay, { seed, maxBuses: opts.buses });
  // Buses are registered before their trip orders: the API checks each order's vehicle against the registry.
  const secrets = new Map<string, string>();
  for (const d of plan.duties) secrets.set(d.busId, (await registerBus(stack.vehicles, { busId: d.busId, operatorId: d.operatorId, plate: d.plate })).secret);
  if (stack.http) await submitTripOrders(stack.http, plan.duties.map((d) => tripOrderOf(d, serviceDay)));
  const sink = new MqttSink({
    url: stack.broker.url,
    identity: async (busId) => ({ kind: 'password', secret: secrets.get(busId) ?? (await registerBus(stack.vehicles, { busId, operatorId: 'OP1', plate: '51B-000.00' })).secret }),
  });
  console.log(`Simulated fleet: ${plan.duties.length} buses on ${network.routes.size} routes, service day ${serviceDay}, from ${hhmm(fromS)} at ${opts.speed}× (faults: ${opts.faults}). --no-sim turns it off.`);
  let last = 0;
  const summary = await runSimulation({
    network, serviceDay, seed, profile: parseFaultProfile(opts.faults), buses: opts.buses, speed: opts.speed, sink,
    fromMs: serviceTimeToEpochMs(serviceDay, fromS, network.timezone),
    ...(opts.signal ? { signal: opts.signal } : {}),
    onProgress: (p) => {
      if (systemClock() - last < 10_000) return;
      last = systemClock();
      console.log(`[sim] ${formatProgress(p)}`);
    },
  });
  console.log(formatSummary(summary));
  // The local stand-in for the day-end schedule: the simulated day is over, its orders are closed.
  if (stack.http && !opts.signal?.aborted) {
    // Judged as of the simulated day's end, not the wall clock (the simulation runs faster than it).
    const dayEndMs = serviceTimeToEpochMs(serviceDay, 27 * 3600, network.timezone);
    const trips = await journeyRecomputer(stack.doc, stack.config.tableNames, silentLogger, () => dayEndMs).serviceDay(serviceDay);
    const closed = await stack.http.api.tripOrders.closeServiceDay(serviceDay);
    console.log(`Service day ${serviceDay} ended: ${trips} trips performed stored (GET /v1/journeys), ${closed} trip orders closed.`);
  }
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
  console.log(`Trip orders: ${orders.length} submitted through the API by ${operators.length} operators, ${approved} approved by the centre (each bus got its assignment over MQTT).`);
}

function hhmm(s: number): string {
  return `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;
}
