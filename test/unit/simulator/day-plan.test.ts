import { beforeAll, describe, expect, it } from 'vitest';
import { loadGtfs } from '../../../shared/gtfs/load.js';
import type { Network } from '../../../shared/gtfs/model.js';
import { MIN_LAYOVER_S, planDay, tripOrderOf } from '../../../simulator/core/day-plan.js';
import { SAMPLE_NETWORK_DIR } from '../../../simulator/networks/index.js';

let network: Network;
beforeAll(async () => {
  ({ network } = await loadGtfs(SAMPLE_NETWORK_DIR));
});

describe('planDay', () => {
  it('gives every trip of the day to exactly one vehicle, chained at terminals with a layover', () => {
    const plan = planDay(network, '2026-11-26', { seed: 1 });
    const assigned = plan.duties.flatMap((d) => d.trips.map((t) => t.tripId));
    expect(new Set(assigned).size).toBe(assigned.length);
    for (const duty of plan.duties) {
      for (let i = 1; i < duty.trips.length; i++) {
        expect(duty.trips[i]!.plannedDepartureS - duty.trips[i - 1]!.plannedArrivalS).toBeGreaterThanOrEqual(MIN_LAYOVER_S);
        expect(duty.trips[i]!.routeId).toBe(duty.routeId);
      }
    }
    expect(plan.duties.length).toBeGreaterThan(20);
  });

  it('limits the fleet and spreads it over the routes', () => {
    const plan = planDay(network, '2026-11-26', { seed: 1, maxBuses: 14 });
    expect(plan.duties).toHaveLength(14);
    expect(new Set(plan.duties.map((d) => d.routeId)).size).toBe(network.routes.size);
  });

  it('follows the calendar: the holiday service on National Day', () => {
    const normal = planDay(network, '2026-11-26', { seed: 1 }).duties.flatMap((d) => d.trips);
    const holiday = planDay(network, '2026-09-02', { seed: 1 }).duties.flatMap((d) => d.trips);
    expect(holiday.length).toBeGreaterThan(0);
    expect(holiday.length).not.toBe(normal.length);
  });

  it('writes each vehicle’s trip order with its vehicle, driver, staff and planned trips', () => {
    const plan = planDay(network, '2026-11-26', { seed: 1, maxBuses: 3 });
    const order = tripOrderOf(plan.duties[0]!, plan.serviceDay);
    expect(order).toMatchObject({ serviceDay: '2026-11-26', vehicle: { busId: plan.duties[0]!.busId }, driver: { driverId: expect.any(String) } });
    expect(order.vehicle.plate).toMatch(/^51B-\d{3}\.\d{2}$/);
    expect(order.staff).toEqual([{ role: 'conductor', staffId: expect.any(String) }]);
    expect(order.trips[0]).toMatchObject({ sequence: 1, plannedDeparture: expect.stringMatching(/^2026-11-2\dT/) });
    // Planned departures are instants: 05:00 in Ho Chi Minh City is 22:00 UTC the day before.
    expect(order.trips.map((t) => t.plannedDeparture).sort()[0]! >= '2026-11-25T22:00:00.000Z').toBe(true);
  });

  it('is the same for the same seed', () => {
    expect(planDay(network, '2026-11-26', { seed: 5 })).toEqual(planDay(network, '2026-11-26', { seed: 5 }));
  });
});
