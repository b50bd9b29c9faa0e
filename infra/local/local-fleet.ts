/**
 * The simulated fleet `npm start` runs against the local stack: today's service on the sample network (or
 * another GTFS feed), each bus registered and connected with its own credentials.
 */
import { loadGtfs, type Network } from '../../shared/gtfs/model.js';
import { serviceTimeToEpochMs } from '../../shared/gtfs/time.js';
import { serviceDayOf, zoneOffsetMs } from '../../shared/domain/time/service-day.js';
import { planDay } from '../../simulator/core/day-plan.js';
import { parseFaultProfile } from '../../simulator/core/faults.js';
import { SAMPLE_NETWORK_DIR } from '../../simulator/networks/index.js';
import { registeringIdentities } from '../../simulator/output/local-identities.js';
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

/** Loads the network (the built-in sample unless told otherwise) into the stack's `network` table. */
export async function loadLocalNetwork(stack: LocalStack, path?: string): Promise<Network> {
  const source = path ?? SAMPLE_NETWORK_DIR;
  const { network, issues } = await loadGtfs(source);
  const errors = issues.filter((i) => i.severity === 'error').length;
  const imported = await stack.network.importNetwork(network, source);
  const c = imported.counts;
  console.log(`Network ${imported.version} (${path ?? 'built-in HCMC sample'}): ${c.routes} routes, ${c.stops} stops, ${c.trips} trips${errors ? `; ${errors} feed rows skipped (npm run network:import shows why)` : ''}.`);
  return network;
}

export async function runLocalFleet(stack: LocalStack, network: Network, opts: LocalFleetOptions): Promise<void> {
  const now = Date.now();
  const serviceDay = serviceDayOf(now, network.timezone);
  // Start at the current time of day when buses run then; otherwise at 06:00, so there is always traffic to see.
  const localS = Math.floor(((now + zoneOffsetMs(now, network.timezone)) % 86_400_000) / 1000);
  const fromS = localS >= SERVICE_OPENS_S && localS < SERVICE_CLOSES_S ? localS : SERVICE_OPENS_S;
  const seed = 1;
  const plan = planDay(network, serviceDay, { seed, maxBuses: opts.buses });
  const byBus = new Map(plan.duties.map((d) => [d.busId, d]));
  const sink = new MqttSink({
    url: stack.broker.url,
    identity: registeringIdentities(stack.vehicles, {
      operatorOf: (busId) => byBus.get(busId)?.operatorId ?? 'OP1',
      plateOf: (busId) => byBus.get(busId)?.plate ?? '51B-000.00',
    }),
  });
  console.log(`Simulated fleet: ${plan.duties.length} buses on ${network.routes.size} routes, service day ${serviceDay}, from ${hhmm(fromS)} at ${opts.speed}× (faults: ${opts.faults}). --no-sim turns it off.`);
  let last = 0;
  const summary = await runSimulation({
    network, serviceDay, seed, profile: parseFaultProfile(opts.faults), buses: opts.buses, speed: opts.speed, sink,
    fromMs: serviceTimeToEpochMs(serviceDay, fromS, network.timezone),
    ...(opts.signal ? { signal: opts.signal } : {}),
    onProgress: (p) => {
      if (Date.now() - last < 10_000) return;
      last = Date.now();
      console.log(`[sim] ${formatProgress(p)}`);
    },
  });
  console.log(formatSummary(summary));
}

function hhmm(s: number): string {
  return `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;
}
