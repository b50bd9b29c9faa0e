import { describe, expect, it } from 'vitest';
import type { JourneyRecord } from '../../../shared/domain/journeys/journey-record.js';
import { falling, summariseQuality, watchList } from '../../../shared/domain/journeys/quality.js';

const T0 = Date.parse('2026-11-26T01:00:00Z'); // 08:00 local
function trip(
  over: Partial<JourneyRecord> & { tripId: string },
  visits: [status: 'visited' | 'skipped' | 'unobserved', boardings: number][] = [
    ['visited', 2],
    ['visited', 1],
  ],
): JourneyRecord {
  return {
    serviceDay: '2026-11-26',
    busId: 'B1',
    operatorId: 'OP1',
    routeId: 'R1',
    classification: 'completed',
    source: 'duty',
    computedAt: '',
    plannedDepartureMs: T0,
    performed: {
      status: 'completed',
      performed: true,
      stopsVisited: 2,
      stopsSkipped: 0,
      stopsUnobserved: 0,
      startMs: T0 + 60_000,
      endMs: T0 + 600_000,
      distanceM: 1000,
    },
    visits: visits.map(([status, boardings], i) => ({
      stopId: `S${i + 1}`,
      stopSequence: i + 1,
      status,
      arrivalMs: T0 + i * 120_000,
      evidence: { method: 'slow-fixes', fixesInZone: 1, slowFixesInZone: 1 },
      distanceM: i * 400,
      boardings,
      transactions: boardings,
      revenueVnd: boardings * 7000,
    })),
    ...over,
  };
}

describe('summariseQuality', () => {
  it('counts punctuality within the window, skipped stops by route/operator/driver, missed trips and ridership', () => {
    const trips = [
      trip({ tripId: 'a', driverId: 'D1' }),
      trip(
        {
          tripId: 'b',
          driverId: 'D1',
          classification: 'late',
          performed: { status: 'completed', performed: true, stopsVisited: 1, stopsSkipped: 1, stopsUnobserved: 0, startMs: T0 + 20 * 60_000, distanceM: 1 },
        },
        [
          ['visited', 3],
          ['skipped', 0],
        ],
      ),
      trip({ tripId: 'c', classification: 'missed' }, [
        ['unobserved', 0],
        ['unobserved', 0],
      ]),
      trip({ tripId: 'x', classification: 'unscheduled', wifi: { samples: 10, upShare: 0.8, clientsMax: 5 } }),
    ];
    const q = summariseQuality(trips);
    expect(q).toMatchObject({ trips: 4, planned: 3, missed: 1, unscheduled: 1, skippedStops: 1, skippedByDriver: { D1: 1 }, skippedByRoute: { R1: 1 } });
    expect(q.onTimeShare).toBeCloseTo(2 / 3, 2); // a and x on time, b 20 min late; c missed is not judged
    expect(q.ridership.byRoute.R1).toBe(3 + 3 + 3);
    expect(q.ridership.byHour['08']).toBe(9);
    expect(q.revenueVnd).toBe(9 * 7000);
    expect(q.wifiAvailability).toBe(0.8);
    expect(summariseQuality(trips, { earlyS: -60, lateS: 30 * 60 }).onTimeShare).toBe(1);
  });

  it('counts ridership by the local hour of the network’s time zone', () => {
    const late = trip({ tripId: 'n', serviceDay: '2026-11-26' }, [['visited', 4]]);
    late.visits[0]!.arrivalMs = Date.parse('2026-11-26T17:30:00Z'); // 00:30 in Ho Chi Minh City, 18:30 in Paris
    expect(summariseQuality([late]).ridership.byHour).toEqual({ '00': 4 });
    expect(summariseQuality([late], undefined, 'Europe/Paris').ridership.byHour).toEqual({ '18': 4 });
  });
});

describe('summariseQuality on a live day', () => {
  it('leaves the trips not due yet (scheduled) out of every figure but their own count', () => {
    const judged = [
      trip({ tripId: 'a', driverId: 'D1' }),
      trip({ tripId: 'b', classification: 'missed' }, [
        ['unobserved', 0],
        ['unobserved', 0],
      ]),
    ];
    const notDue = [
      trip({ tripId: 'p1', classification: 'scheduled', plannedDepartureMs: T0 + 6 * 3_600_000 }, [
        ['unobserved', 0],
        ['skipped', 0],
      ]),
      trip({ tripId: 'p2', classification: 'scheduled', plannedDepartureMs: T0 + 7 * 3_600_000 }, [
        ['visited', 4],
        ['unobserved', 0],
      ]),
    ];
    const q = summariseQuality([...judged, ...notDue]);
    expect(q).toEqual({ ...summariseQuality(judged), scheduled: 2 });
    expect(q).toMatchObject({ trips: 2, planned: 2, missed: 1, skippedStops: 0, onTimeShare: 1 });
    const list = watchList([{ day: '2026-11-26', trips: [...judged, ...notDue] }]);
    expect(list.operatorsByViolations).toEqual([{ operatorId: 'OP1', violations: 1, skippedStops: 0, missedTrips: 1, lateTrips: 0 }]);
  });
});

describe('watch list', () => {
  it('finds routes whose ridership falls day after day, and ranks operators by violations', () => {
    const day = (d: string, boardings: number, extra: JourneyRecord[] = []) => ({
      day: d,
      trips: [trip({ tripId: `t${d}`, serviceDay: d }, [['visited', boardings]]), ...extra],
    });
    const list = watchList([
      day('2026-11-24', 30),
      day('2026-11-25', 20, [
        trip({ tripId: 'm', operatorId: 'OP2', classification: 'missed' }, [
          ['skipped', 0],
          ['skipped', 0],
        ]),
      ]),
      day('2026-11-26', 10),
    ]);
    expect(list.fallingRidership.map((r) => r.routeId)).toEqual(['R1']);
    expect(list.operatorsByViolations[0]).toMatchObject({ operatorId: 'OP2', skippedStops: 2, missedTrips: 1, violations: 3 });
    expect(falling([10, 10, 10])).toBe(false);
    expect(falling([10, 12, 11])).toBe(false);
    expect(falling([100, 80, 85, 60])).toBe(true);
  });
});
