/** The day-end job's core: which service day just ended, its journeys with everything that arrived, then its orders closed. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableName } from '../../shared/catalogue/index.js';
import { journeyRecomputer } from '../../shared/adapters/journeys.js';
import { DynamoTripOrderRepository } from '../../shared/adapters/dynamodb/trip-order-repository.js';
import type { Clock } from '../../shared/domain/ports/clock.js';
import type { Logger } from '../../shared/domain/ports/logger.js';
import { serviceDayOf } from '../../shared/kernel/time/service-day.js';
import { closeTripOrdersOfDay } from '../../shared/domain/trip-orders/day-close.js';

/** At 03:30 local the service day that ended half an hour ago is yesterday's date. */
export function endedServiceDay(nowMs: number): string {
  return serviceDayOf(nowMs - 4 * 3_600_000);
}

/** Closes the orders of `serviceDay` (after its journeys were recomputed with everything that arrived). */
export function closeServiceDay(doc: DynamoDBDocumentClient, table: string, logger: Logger, serviceDay: string, clock: Clock): Promise<number> {
  return closeTripOrdersOfDay({ orders: new DynamoTripOrderRepository(doc, table), clock, logger }, serviceDay);
}

export interface DayEndResult {
  serviceDay: string;
  trips: number;
  closed: number;
}

/** The whole job: the ended day (or `serviceDay`) by `clock` — journeys first, then the trip orders closed. */
export async function runDayEnd(
  doc: DynamoDBDocumentClient,
  tableNames: Record<TableName, string>,
  logger: Logger,
  clock: Clock,
  serviceDay = endedServiceDay(clock.now()),
): Promise<DayEndResult> {
  const trips = await journeyRecomputer(doc, tableNames, logger, clock).serviceDay(serviceDay);
  const closed = await closeServiceDay(doc, tableNames.tripOrders, logger, serviceDay, clock);
  return { serviceDay, trips, closed };
}
