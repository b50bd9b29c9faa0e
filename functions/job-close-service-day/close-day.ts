/** The day-end job's core: which service day just ended, and closing its orders. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoTripOrderRepository } from '../../shared/adapters/dynamodb/trip-order-repository.js';
import type { Logger } from '../../shared/domain/ports/logger.js';
import { serviceDayOf } from '../../shared/domain/time/service-day.js';
import { TripOrderService } from '../../shared/domain/trip-orders/service.js';

/** At 03:30 local the service day that ended half an hour ago is yesterday's date. */
export function endedServiceDay(nowMs: number): string {
  return serviceDayOf(nowMs - 4 * 3_600_000);
}

/** Closes the orders of `serviceDay` (after its journeys were recomputed with everything that arrived). */
export function closeServiceDay(doc: DynamoDBDocumentClient, table: string, logger: Logger, serviceDay: string): Promise<number> {
  const unused = async () => {
    throw new Error('not needed to close a day');
  };
  const service = new TripOrderService({
    orders: new DynamoTripOrderRepository(doc, table), logger, now: () => Date.now(),
    contracts: { put: unused, all: unused }, vehicles: { registration: unused }, durations: { tripDurationS: () => 0 }, assignments: { publishAssignment: unused },
  });
  return service.closeServiceDay(serviceDay);
}
