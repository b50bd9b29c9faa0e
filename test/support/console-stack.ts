/**
 * The web console on a real local stack with a simulated fleet, for the browser tests: the sample network, its
 * contracts, the day's buses registered and their trip orders submitted by each operator through the API — all
 * approved by the centre but the last, left issued for the console to approve — and the fleet driving from
 * 07:00 of the test day at `speed`× on the stack's clock, until `stop()`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScaledClock } from '../../infra/local/scaled-clock.js';
import { registerBus } from '../../infra/local/register-bus.js';
import { loadGtfs } from '../../shared/gtfs/load.js';
import { serviceTimeToEpochMs } from '../../shared/gtfs/time.js';
import type { Network } from '../../shared/gtfs/model.js';
import { planDay, tripOrderOf } from '../../simulator/core/day-plan.js';
import { faultProfiles } from '../../simulator/core/faults.js';
import { SAMPLE_NETWORK_DIR } from '../../simulator/networks/index.js';
import { MqttSink } from '../../simulator/output/mqtt-sink.js';
import { runSimulation } from '../../simulator/run.js';
import { buildConsole } from '../../web/build.js';
import { TEST_SERVICE_DAY } from './test-clock.js';
import { startTestStack, type TestStack } from './test-stack.js';

export interface ConsoleStack {
  stack: TestStack;
  network: Network;
  /** The console's address (the API on the same origin). */
  url: string;
  /** The built console's files. */
  webDir: string;
  serviceDay: string;
  /** The order the centre has not approved yet. */
  issuedOrderId: string;
  busIds: string[];
  stop(): Promise<void>;
}

const SEED = 5;

export async function startConsoleStack(opts: { buses: number; speed: number }): Promise<ConsoleStack> {
  const serviceDay = TEST_SERVICE_DAY;
  const { network } = await loadGtfs(SAMPLE_NETWORK_DIR);
  const clock = new ScaledClock(serviceTimeToEpochMs(serviceDay, 7 * 3600, network.timezone), opts.speed);
  const webDir = mkdtempSync(join(tmpdir(), 'busflow-console-'));
  const web = buildConsole(webDir);
  const stack = await startTestStack({ http: true, network, clock, stack: { console: { dir: web.outDir, config: { auth: { kind: 'dev' } } } } });
  const controller = new AbortController();
  let fleet: Promise<unknown> = Promise.resolve();
  try {
    const http = stack.http!;
    const { contracts } = JSON.parse(readFileSync(join(SAMPLE_NETWORK_DIR, 'contracts.json'), 'utf8')) as {
      contracts: Parameters<typeof http.api.contracts.put>[0];
    };
    await http.api.contracts.put(contracts);
    const plan = planDay(network, serviceDay, { seed: SEED, maxBuses: opts.buses });
    const secrets = new Map<string, string>();
    for (const d of plan.duties) secrets.set(d.busId, (await registerBus(stack.vehicles, { busId: d.busId, operatorId: d.operatorId, plate: d.plate })).secret);
    const centre = await http.issuer.sign({ role: 'centre' });
    const created: string[] = [];
    for (const operatorId of new Set(plan.duties.map((d) => d.operatorId))) {
      const token = await http.issuer.sign({ role: 'operator', operatorId });
      const orders = plan.duties.filter((d) => d.operatorId === operatorId).map((d) => ({ ...tripOrderOf(d, serviceDay), issue: true }));
      const answer = (await call(http.url, token, 'POST', '/v1/trip-orders/batch', { orders })) as { created: { id: string }[] };
      created.push(...answer.created.map((o) => o.id));
    }
    const issuedOrderId = created.pop()!;
    for (const id of created) await call(http.url, centre, 'POST', `/v1/trip-orders/${id}/approve`);

    clock.start();
    fleet = runSimulation({
      network,
      serviceDay,
      seed: SEED,
      buses: opts.buses,
      speed: opts.speed,
      clock,
      profile: faultProfiles.none,
      sink: new MqttSink({ url: stack.broker.url, identity: async (busId) => ({ kind: 'password', secret: secrets.get(busId)! }) }),
      truth: { write: async () => undefined, close: async () => undefined },
      fromMs: clock.now(),
      signal: controller.signal,
    }).catch(() => undefined);
    await busesRunning(
      http.url,
      plan.duties.map((d) => d.busId),
    );
    return {
      stack,
      network,
      url: http.url,
      webDir: web.outDir,
      serviceDay,
      issuedOrderId,
      busIds: plan.duties.map((d) => d.busId),
      async stop() {
        controller.abort();
        await fleet;
        await stack.stop();
        rmSync(webDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    controller.abort();
    await fleet;
    await stack.stop();
    rmSync(webDir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Waits until a bus of the fleet runs a trip with a live position. Buses start the day at their next trip's
 * terminal and are on a route only once that trip departs; the pages show buses by route.
 */
async function busesRunning(base: string, busIds: string[]): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    for (const id of busIds) {
      const v = (await (await fetch(`${base}/v1/vehicles/${id}`)).json()) as { tripId?: string; stale?: boolean; position?: unknown };
      if (v.position && v.tripId && !v.stale) return;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error('the simulated fleet has no bus running a trip after 120 s');
}

async function call(base: string, token: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as { detail?: string };
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${json.detail ?? ''}`);
  return json;
}
