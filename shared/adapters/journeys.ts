/** The journey recomputation wired to DynamoDB: stored telemetry, trip orders, the registry and the current network in, journeys out. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableName } from '../catalogue/index.js';
import type { Network } from '../gtfs/model.js';
import type { Logger } from '../domain/ports/logger.js';
import { systemClock, type Clock } from '../domain/ports/clock.js';
import { recomputeBusDay } from '../domain/journeys/recompute.js';
import type { JourneyRecord } from '../domain/journeys/journey-record.js';
import { forEachLimit } from '../kernel/util/concurrency.js';
import { serviceDayOf } from '../kernel/time/service-day.js';
import { DynamoJourneyRepository } from './dynamodb/journey-repository.js';
import { DynamoNetworkRepository } from './dynamodb/network-repository.js';
import { DynamoTelemetryRepository } from './dynamodb/telemetry-repository.js';
import { DynamoTripOrderRepository } from './dynamodb/trip-order-repository.js';
import { DynamoVehicleRepository } from './dynamodb/vehicle-repository.js';

export interface JourneyRecomputer {
  /** Recomputes one bus's day. */
  busDay(busId: string, serviceDay: string): Promise<JourneyRecord[]>;
  /**
   * Recomputes each of the bus's service days these instants fall on, once, as the current network cuts them
   * (its time zone); returns the days recomputed. Every day is tried; the first failure is thrown after.
   */
  busDaysAt(busId: string, instantsMs: readonly number[]): Promise<string[]>;
  /** Recomputes every bus that had a trip order that day; returns the number of trips stored. */
  serviceDay(serviceDay: string): Promise<number>;
}

export interface JourneyRecomputerHooks {
  /** Trips announced with an id the network does not have, newly found by a recomputation (for a metric). */
  onUnknownTrips?(count: number): void;
}

/** How many announced unknown trips are remembered as already reported (a bus-day recomputes many times). */
const REPORTED_LIMIT = 10_000;

/** `clock` decides which planned trips are due (judged) and which are still scheduled. */
export function journeyRecomputer(
  doc: DynamoDBDocumentClient,
  tableNames: Record<TableName, string>,
  logger: Logger,
  clock: Clock = systemClock,
  hooks: JourneyRecomputerHooks = {},
): JourneyRecomputer {
  const telemetry = new DynamoTelemetryRepository(doc, tableNames.telemetry);
  const orders = new DynamoTripOrderRepository(doc, tableNames.tripOrders);
  const vehicles = new DynamoVehicleRepository(doc, tableNames.vehicles);
  const store = new DynamoJourneyRepository(doc, tableNames.journeys);
  let network: Promise<Network | undefined> | undefined;
  const currentNetwork = async () => {
    network ??= new DynamoNetworkRepository(doc, tableNames.network).loadNetwork();
    const n = await network;
    // Not cached while absent: a network imported later is picked up.
    if (!n) network = undefined;
    return n;
  };
  const busDay = async (busId: string, serviceDay: string): Promise<JourneyRecord[]> => {
    const n = await currentNetwork();
    if (!n) {
      // Nothing to match positions on yet: journeys wait for a network import (the day-end job catches up).
      logger.warn('no network imported: journeys not computed', { busId, serviceDay });
      return [];
    }
    const trips = await recomputeBusDay(busId, serviceDay, {
      network: n,
      store,
      now: () => clock.now(),
      inputs: {
        gps: (id, from, to) => telemetry.readGps(id, from, to),
        duty: (id, from, to) => telemetry.dutyBetween(id, from, to),
        taps: (id, from, to) => telemetry.tapsBetween(id, from, to),
        wifi: (id, from, to) => telemetry.wifiBetween(id, from, to),
        orders: (id, day) => orders.ofVehicle(id, day),
        operatorOf: async (id) => (await vehicles.getRegistration(id))?.operatorId,
      },
    });
    reportUnknownTrips(busId, serviceDay, trips);
    return trips;
  };
  // Each unknown trip is logged and counted once, not at every recomputation of its bus-day.
  const reported = new Set<string>();
  const reportUnknownTrips = (busId: string, serviceDay: string, trips: readonly JourneyRecord[]) => {
    let count = 0;
    for (const t of trips) {
      const key = `${busId}|${serviceDay}|${t.tripId}`;
      if (!t.unscheduledReason || reported.has(key)) continue;
      if (reported.size >= REPORTED_LIMIT) reported.clear();
      reported.add(key);
      count++;
      logger.warn('trip_start names a trip the network does not have: reconstructed as unscheduled', {
        busId,
        serviceDay,
        tripId: t.tripId,
        reason: t.unscheduledReason,
        ...(t.patternId ? { patternId: t.patternId } : {}),
      });
    }
    if (count > 0) hooks.onUnknownTrips?.(count);
  };
  return {
    busDay,
    async busDaysAt(busId, instantsMs) {
      const n = await currentNetwork();
      if (!n) {
        logger.warn('no network imported: journeys not computed', { busId });
        return [];
      }
      const days = networkServiceDays(instantsMs, n.timezone);
      let failure: Error | undefined;
      for (const day of days) {
        try {
          await busDay(busId, day);
        } catch (err) {
          failure ??= err instanceof Error ? err : new Error(String(err));
        }
      }
      if (failure) throw failure;
      return days;
    },
    async serviceDay(serviceDay) {
      const buses = new Set<string>();
      let after: Record<string, unknown> | undefined;
      do {
        const page = await orders.list({ serviceDay }, 200, after);
        for (const o of page.items) if (o.status !== 'cancelled') buses.add(o.vehicle.busId);
        after = page.lastKey;
      } while (after);
      let trips = 0;
      await forEachLimit([...buses], 8, async (busId) => {
        // Read after the await: `trips += await …` would add to the count as it was before the others finished.
        const stored = (await busDay(busId, serviceDay)).length;
        trips += stored;
      });
      logger.info('journeys recomputed', { serviceDay, buses: buses.size, trips });
      return trips;
    },
  };
}

/** The service days (the network's, in its time zone) these instants fall on, each once, in order. */
export function networkServiceDays(instantsMs: readonly number[], timeZone: string): string[] {
  return [...new Set(instantsMs.map((ts) => serviceDayOf(ts, timeZone)))].sort();
}
