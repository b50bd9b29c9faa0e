/**
 * The reconciliation's worked example stored in a test stack as the API would find it: its contract, trip orders
 * (closed) and journeys, plus a second operator (`OTHER`) with one trip on time and one without telemetry but
 * confirmed at the terminal (a needs-review line). Used by the reconciliation integration and browser tests.
 */
import { DynamoContractRepository } from '../../shared/adapters/dynamodb/contract-repository.js';
import { DynamoJourneyRepository } from '../../shared/adapters/dynamodb/journey-repository.js';
import { DynamoTripOrderRepository } from '../../shared/adapters/dynamodb/trip-order-repository.js';
import type { ReconciliationOrder } from '../../shared/domain/reconciliation/types.js';
import type { TripOrder } from '../../shared/domain/trip-orders/schemas.js';
import { DAY, type FixtureJourney, at, contract, journey, order, stops, workedExample } from '../unit/reconciliation/fixtures.js';
import { TEST_NOW } from './test-clock.js';
import type { TestStack } from './test-stack.js';

/** The second operator of the seeded day. */
export const OTHER = 'OTH';

/** A fixture order as the trip-order table holds it (created at 04:00 by the operator). */
function storedOrder(o: ReconciliationOrder, status: TripOrder['status'] = 'closed'): TripOrder {
  const at0 = new Date(at('04:00')).toISOString();
  return {
    ...o,
    status,
    staff: [],
    createdAt: at0,
    updatedAt: at0,
    history: [{ at: at0, actor: { role: 'operator', id: 'op' }, action: 'create', changes: {} }],
  } as TripOrder;
}

/** Stores fixture journeys as each bus's day on `DAY` (replacing what the bus had). */
export async function storeJourneys(journeys: DynamoJourneyRepository, list: readonly FixtureJourney[]): Promise<void> {
  const byBus = new Map<string, FixtureJourney[]>();
  for (const j of list) byBus.set(j.busId, [...(byBus.get(j.busId) ?? []), j]);
  for (const [busId, trips] of byBus)
    await journeys.replaceBusDay(
      busId,
      DAY,
      trips.map((t) => ({ ...t, computedAt: new Date(TEST_NOW).toISOString() })),
    );
}

/** Seeds the worked example and the other operator's day; returns the repositories the tests go on with. */
export async function seedWorkedExample(stack: TestStack): Promise<{ orders: DynamoTripOrderRepository; journeys: DynamoJourneyRepository }> {
  const names = stack.config.tableNames;
  const orders = new DynamoTripOrderRepository(stack.doc, names.tripOrders);
  const journeys = new DynamoJourneyRepository(stack.doc, names.journeys);
  await new DynamoContractRepository(stack.doc, names.routeContracts).put([contract(), contract({ routeId: 'R2', operatorId: OTHER })]);
  const worked = workedExample();
  await orders.create(worked.orders.map((o) => storedOrder(o)));
  await storeJourneys(journeys, worked.journeys);
  await orders.create([
    storedOrder(
      order(
        'P1',
        'C1',
        [
          { sequence: 1, at: at('07:00') },
          { sequence: 2, at: at('09:00') },
        ],
        {
          operatorId: OTHER,
          routeId: 'R2',
          confirmations: [
            {
              tripSequence: 2,
              kind: 'departure',
              at: new Date(at('09:01')).toISOString(),
              stopId: 'S1',
              confirmedBy: 'STAFF-9',
              recordedAt: new Date(at('09:02')).toISOString(),
            },
          ],
        } as Partial<ReconciliationOrder>,
      ),
    ),
  ]);
  await storeJourneys(journeys, [
    journey({ busId: 'C1', tripId: 'p-1', departMs: at('07:00'), stops: stops('v', 20), revenueVnd: 100_000, operatorId: OTHER, routeId: 'R2' }),
  ]);
  return { orders, journeys };
}
