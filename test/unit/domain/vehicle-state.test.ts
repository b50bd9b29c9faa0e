import { describe, expect, it } from 'vitest';
import type { DutyMessage } from '../../../shared/catalogue/index.js';
import { applyDutyEvent, latestPosition, type VehicleDuty } from '../../../shared/domain/vehicles/vehicle-state.js';

const ev = (ts: number, event: DutyMessage['event'], extra: Partial<DutyMessage> = {}): DutyMessage => ({
  v: 1,
  msgId: String(ts),
  busId: 'B',
  ts,
  event,
  ...extra,
});

describe('vehicle state', () => {
  it('keeps the newer position by device time', () => {
    const a = { ts: 10, lat: 1, lon: 1, receivedAt: 50 };
    const b = { ts: 5, lat: 2, lon: 2, receivedAt: 60 };
    expect(latestPosition(a, b)).toBe(a);
    expect(latestPosition(b, a)).toBe(a);
    expect(latestPosition(undefined, b)).toBe(b);
  });

  it('follows a driver’s day: sign on, trip start, trip end, sign off', () => {
    let duty: VehicleDuty | undefined;
    duty = applyDutyEvent(duty, ev(1, 'sign_on', { driverId: 'D1', tripOrderId: 'O1' }));
    expect(duty).toEqual({ tsMs: 1, onDuty: true, driverId: 'D1', tripOrderId: 'O1' });
    duty = applyDutyEvent(duty, ev(2, 'trip_start', { tripId: 'T1' }));
    expect(duty).toEqual({ tsMs: 2, onDuty: true, driverId: 'D1', tripOrderId: 'O1', tripId: 'T1' });
    duty = applyDutyEvent(duty, ev(3, 'trip_end', { tripId: 'T1' }));
    expect(duty).toEqual({ tsMs: 3, onDuty: true, driverId: 'D1', tripOrderId: 'O1' });
    duty = applyDutyEvent(duty, ev(4, 'sign_off'));
    expect(duty).toEqual({ tsMs: 4, onDuty: false });
  });

  it('ignores a duty event older than the current duty', () => {
    const current: VehicleDuty = { tsMs: 10, onDuty: true, driverId: 'D1', tripId: 'T2' };
    expect(applyDutyEvent(current, ev(5, 'sign_off'))).toBe(current);
  });
});
