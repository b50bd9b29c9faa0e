/**
 * `npm run bench:reconcile` — reconciliation at Hồ Chí Minh City scale. A synthetic network of 270 routes planned
 * for 3,000 buses (~17,000 planned trips) on a fixed day: every bus's trip order and every trip performed (with its
 * stop visits and fares; a known share late, short-turned, missed, with a skipped stop or a data gap, plus some
 * unscheduled runs) stored in DynamoDB Local, then the day reconciled for every operator through the same desk,
 * repository and tables as the API and the 04:00 job. Prints the phases, the classes found against the ones
 * planned, and a last JSON line `{"bench":"reconcile","trips":…,"seconds":…,"itemsRead":…}`.
 */
import { randomUUID } from 'node:crypto';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { tables, type TableName } from '../../shared/catalogue/index.js';
import { createDocumentClient, createDynamoClient } from '../../shared/adapters/dynamodb/client.js';
import { DynamoContractRepository } from '../../shared/adapters/dynamodb/contract-repository.js';
import { DynamoJourneyRepository } from '../../shared/adapters/dynamodb/journey-repository.js';
import { DynamoTripOrderRepository } from '../../shared/adapters/dynamodb/trip-order-repository.js';
import { createTables } from '../../shared/adapters/dynamodb/tables-admin.js';
import { reconciliationDesk } from '../../shared/adapters/reconciliation.js';
import { fixedClock } from '../../shared/domain/ports/clock.js';
import { silentLogger } from '../../shared/domain/ports/logger.js';
import type { LineClass } from '../../shared/domain/reconciliation/types.js';
import type { TripOrder } from '../../shared/domain/trip-orders/schemas.js';
import { forEachLimit } from '../../shared/kernel/util/concurrency.js';
import { planDay, tripOrderOf } from '../../simulator/core/day-plan.js';
import { Rng } from '../../simulator/core/rng.js';
import { syntheticNetwork } from '../../simulator/networks/synthetic.js';
import { DAY, type FixtureJourney, contract, journey } from '../unit/reconciliation/fixtures.js';

const ROUTES = Number(process.env.BENCH_RECONCILE_ROUTES ?? 270);
const BUSES = Number(process.env.BENCH_RECONCILE_BUSES ?? 3000);
/** HCMC's buses run ~17,000 trips a day (~5.7 a bus); the synthetic plan chains more, so each bus keeps its first ones. */
const TARGET_TRIPS = Number(process.env.BENCH_RECONCILE_TRIPS ?? 17_000);

/** What happens to a planned trip, and the class reconciliation should find. */
function outcomeOf(r: number): { kind: string; expect: LineClass } {
  if (r < 0.8) return { kind: 'on-time', expect: 'completed' };
  if (r < 0.85) return { kind: 'late', expect: 'late' };
  if (r < 0.88) return { kind: 'short-turn', expect: 'partial' };
  if (r < 0.92) return { kind: 'not-run', expect: 'missed' };
  if (r < 0.96) return { kind: 'skipped-stop', expect: 'completed' };
  if (r < 0.98) return { kind: 'data-gap', expect: 'needs-review' };
  return { kind: 'late-beyond-limit', expect: 'missed' };
}

function stopsOf(kind: string, n: number): string {
  switch (kind) {
    case 'short-turn':
      return 'v'.repeat(Math.ceil(n * 0.6)) + 'n'.repeat(n - Math.ceil(n * 0.6));
    case 'skipped-stop':
      return `${'v'.repeat(Math.floor(n / 2))}s${'v'.repeat(n - Math.floor(n / 2) - 1)}`;
    case 'data-gap': {
      // 80 % seen, a gap of 15 % in the middle: complete or partial depending on the unseen stops.
      const gap = Math.max(1, Math.round(n * 0.15));
      const head = Math.floor((n - gap) / 2);
      return 'v'.repeat(head) + 'u'.repeat(gap) + 'v'.repeat(n - head - gap);
    }
    default:
      return 'v'.repeat(n);
  }
}

const progress = (what: string, since: number) => process.stderr.write(`${what} (${((performance.now() - since) / 1000).toFixed(1)} s)\n`);

async function main(): Promise<void> {
  const t0 = performance.now();
  const network = syntheticNetwork({ routes: ROUTES, buses: BUSES, seed: 1 });
  const full = planDay(network, DAY, { seed: 1 });
  const chained = full.duties.reduce((n, d) => n + d.trips.length, 0);
  const keep = Math.min(1, TARGET_TRIPS / chained);
  const plan = { ...full, duties: full.duties.map((d) => ({ ...d, trips: d.trips.slice(0, Math.max(1, Math.round(d.trips.length * keep))) })) };
  const plannedTrips = plan.duties.reduce((n, d) => n + d.trips.length, 0);
  const tPlan = performance.now();
  progress(`planned ${plan.duties.length} buses, ${plannedTrips} trips`, t0);

  const db = await startDynamoDbLocal();
  try {
    const names = Object.fromEntries((Object.keys(tables) as TableName[]).map((t) => [t, `bench-${randomUUID().slice(0, 6)}-${tables[t].name}`])) as Record<
      TableName,
      string
    >;
    const client = createDynamoClient({ region: 'ap-southeast-1', dynamodbEndpoint: db.endpoint }, 128);
    const doc = createDocumentClient(client);
    await createTables(client, names, { expireItems: false });

    // Contracts: one per route, its operator's, the worked example's terms.
    const routeOperator = new Map(plan.duties.map((d) => [d.routeId, d.operatorId]));
    await new DynamoContractRepository(doc, names.routeContracts).put([...routeOperator].map(([routeId, operatorId]) => contract({ routeId, operatorId })));

    // Orders (closed: the day ended) and trips performed.
    const at0 = new Date(Date.parse(`${DAY}T04:00:00+07:00`)).toISOString();
    const orders: TripOrder[] = plan.duties.map((d) => {
      const draft = tripOrderOf(d, DAY);
      return { ...draft, id: d.tripOrderId, status: 'closed', revision: 3, createdAt: at0, updatedAt: at0, confirmations: [], history: [] } as TripOrder;
    });
    const rng = new Rng(7, 'bench-reconcile');
    const expected = new Map<string, LineClass>();
    const byBus = new Map<string, FixtureJourney[]>();
    let unscheduled = 0;
    for (const d of plan.duties) {
      const trips: FixtureJourney[] = [];
      for (const t of d.trips) {
        const o = outcomeOf(rng.next());
        expected.set(`${d.tripOrderId}#${t.sequence}`, o.expect);
        if (o.kind === 'not-run') continue;
        const planned = Date.parse(t.plannedDepartureAt);
        const delayMs =
          o.kind === 'late' ? (8 + Math.floor(rng.next() * 15)) * 60_000 : o.kind === 'late-beyond-limit' ? 45 * 60_000 : Math.floor(rng.next() * 200) * 1000;
        const n = network.patterns.get(t.patternId)?.stops.length ?? 20;
        trips.push(
          journey({
            busId: d.busId,
            tripId: t.tripId,
            departMs: planned + delayMs,
            plannedDepartureMs: planned,
            stops: stopsOf(o.kind, n),
            revenueVnd: 50_000 + Math.floor(rng.next() * 400) * 1000,
            ...(t.directionId !== undefined ? { directionId: t.directionId } : {}),
            tripOrderId: d.tripOrderId,
            routeId: d.routeId,
            operatorId: d.operatorId,
          }),
        );
      }
      // One bus in a hundred also makes a run nobody ordered, late in the evening.
      if (rng.next() < 0.01) {
        unscheduled++;
        trips.push(
          journey({
            busId: d.busId,
            tripId: `extra-${d.busId}`,
            departMs: Date.parse(`${DAY}T23:30:00+07:00`),
            stops: 'v'.repeat(20),
            revenueVnd: 30_000,
            routeId: d.routeId,
            operatorId: d.operatorId,
          }),
        );
      }
      byBus.set(d.busId, trips);
    }
    const orderRepo = new DynamoTripOrderRepository(doc, names.tripOrders);
    const chunks: TripOrder[][] = [];
    for (let i = 0; i < orders.length; i += 50) chunks.push(orders.slice(i, i + 50));
    await forEachLimit(chunks, 8, (c) => orderRepo.create(c));
    progress(`stored ${orders.length} orders`, tPlan);
    const journeyRepo = new DynamoJourneyRepository(doc, names.journeys);
    const computedAt = new Date().toISOString();
    await forEachLimit([...byBus], 32, ([busId, trips]) =>
      journeyRepo.replaceBusDay(
        busId,
        DAY,
        trips.map((t) => ({ ...t, computedAt })),
      ),
    );
    const tStored = performance.now();
    progress('stored the trips performed', tPlan);

    // The day reconciled for every operator, as the 04:00 job does it.
    const clock = fixedClock(Date.parse(`${DAY}T21:00:00Z`));
    const { desk, store, sourceReads } = reconciliationDesk(doc, names, silentLogger, clock);
    const tRun0 = performance.now();
    const runs = await desk.run(DAY, undefined, { role: 'system', id: 'bench' });
    const tRun = performance.now();
    progress('reconciled', tRun0);
    // A second run on the same inputs makes no version; it reads everything again (off by default: it doubles the time).
    const again = process.env.BENCH_RECONCILE_RERUN ? await desk.run(DAY, undefined, { role: 'system', id: 'bench' }) : [];
    const tAgain = performance.now();

    // The classes found against the ones planned.
    let agree = 0;
    let planned = 0;
    let flaggedUnscheduled = 0;
    const found: Record<string, number> = {};
    for (const r of runs) {
      const v = (await store.version(DAY, r.operatorId, r.version))!;
      for (const l of v.statement.lines) {
        found[l.class] = (found[l.class] ?? 0) + 1;
        if (l.kind === 'unscheduled') {
          flaggedUnscheduled += l.flagged ? 1 : 0;
          continue;
        }
        planned++;
        if (expected.get(l.lineId) === l.class) agree++;
      }
    }
    const itemsRead = store.itemsRead + sourceReads.itemsRead;
    const seconds = (tRun - tRun0) / 1000;
    const journeysStored = [...byBus.values()].reduce((n, t) => n + t.length, 0);
    const rows: [string, string][] = [
      ['routes / buses (orders)', `${network.routes.size} / ${orders.length}`],
      ['planned trips', String(plannedTrips)],
      ['trips performed stored (unscheduled)', `${journeysStored} (${unscheduled})`],
      ['operators', runs.map((r) => `${r.operatorId} v${r.version} ${r.outcome}`).join(', ')],
      ['plan + network, s', ((tPlan - t0) / 1000).toFixed(1)],
      ['store orders + journeys, s', ((tStored - tPlan) / 1000).toFixed(1)],
      ['reconcile all operators, s', seconds.toFixed(1)],
      ...(again.length ? ([['re-run, same inputs (no new version), s', ((tAgain - tRun) / 1000).toFixed(1)]] as [string, string][]) : []),
      ['items read (first run)', String(itemsRead)],
      [
        'lines by class',
        Object.entries(found)
          .map(([c, n]) => `${c} ${n}`)
          .join(', '),
      ],
      ['planned trips classed as planned', `${agree}/${planned} (${((100 * agree) / Math.max(1, planned)).toFixed(2)} %)`],
      ['unscheduled runs flagged', `${flaggedUnscheduled}/${unscheduled}`],
      ...(again.length ? ([['re-run outcomes', again.map((r) => r.outcome).join(', ')]] as [string, string][]) : []),
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
    console.log(JSON.stringify({ bench: 'reconcile', trips: plannedTrips, seconds: Number(seconds.toFixed(2)), itemsRead }));
  } finally {
    await db.stop();
  }
}

await main();
