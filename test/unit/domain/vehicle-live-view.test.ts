/** A bus as passengers see it: live with its trip, or stale (no fix for 5 min) and never shown as live. */
import { describe, expect, it } from 'vitest';
import { layoverOf, vehicleView } from '../../../shared/domain/vehicles/live-view.js';

const T = 1_790_000_000_000;
const record = (fixTsMs: number, offsetMs = 0) => ({
  busId: 'B1',
  plate: '51B-123.45',
  position: { ts: fixTsMs + offsetMs, lat: 10.77, lon: 106.7, heading: 90, speedKmh: 18, receivedAt: fixTsMs },
  clockOffsetMs: offsetMs,
  trip: { routeId: 'R1', tripId: 'T1', nextStopId: 'S3', delayS: 75, fixTsMs },
});

describe('vehicle view', () => {
  it('shows a live bus with its position, trip, next stop, delay and the age of its fix in true time', () => {
    expect(vehicleView(record(T - 20_000, 4000), T)).toEqual({
      busId: 'B1',
      plate: '51B-123.45',
      position: { lat: 10.77, lon: 106.7, bearingDeg: 90, speedKmh: 18 },
      routeId: 'R1',
      tripId: 'T1',
      status: 'in-service',
      nextStopId: 'S3',
      delayS: 75,
      lastFixAtMs: T - 20_000,
      ageS: 20,
      stale: false,
    });
  });

  it('marks a bus silent for over 5 minutes stale, without its trip, next stop or delay', () => {
    const v = vehicleView(record(T - 6 * 60_000), T);
    expect(v).toMatchObject({ busId: 'B1', routeId: 'R1', stale: true, ageS: 360 });
    expect(v.tripId).toBeUndefined();
    expect(v.status).toBeUndefined();
    expect(v.nextStopId).toBeUndefined();
    expect(v.delayS).toBeUndefined();
  });

  it('shows a bus waiting at its terminal on its route, on layover, with no trip', () => {
    const v = vehicleView({ ...record(T - 20_000), trip: { routeId: 'R2', layover: true, fixTsMs: T - 20_000 } }, T);
    expect(v).toMatchObject({ busId: 'B1', routeId: 'R2', status: 'layover', stale: false, ageS: 20 });
    expect(v.tripId).toBeUndefined();
    expect(v.nextStopId).toBeUndefined();
  });

  it('does not call a layover seen over 5 minutes ago live', () => {
    const v = vehicleView({ ...record(T - 20_000), trip: { routeId: 'R2', layover: true, fixTsMs: T - 6 * 60_000 } }, T);
    expect(v).toMatchObject({ routeId: 'R2', stale: false });
    expect(v.status).toBeUndefined();
  });

  it('marks a bus that never sent a position stale', () => {
    expect(vehicleView({ busId: 'B2' }, T)).toEqual({ busId: 'B2', stale: true });
  });

  it("puts a bus between trips on its next trip's route, else its last's, and nowhere without either", () => {
    expect(layoverOf({ routeId: 'R2' }, { routeId: 'R1' }, T)).toEqual({ routeId: 'R2', layover: true, fixTsMs: T });
    expect(layoverOf(undefined, { routeId: 'R1' }, T)).toEqual({ routeId: 'R1', layover: true, fixTsMs: T });
    expect(layoverOf(undefined, undefined, T)).toBeUndefined();
  });
});
