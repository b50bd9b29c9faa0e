/** Stop boards: the message a board renders, in Vietnamese, and at most one per stop per interval. */
import { describe, expect, it } from 'vitest';
import { BoardThrottle, boardText, stopBoardMessage } from '../../../shared/domain/predictions/stop-board.js';
import type { ServedArrival } from '../../../shared/domain/predictions/serving.js';
import { MIN, T0 } from './fixtures.js';

const arrival = (routeId: string, inMin: number, predicted: boolean): ServedArrival => ({
  stopId: 'S4',
  stopSequence: 4,
  routeId,
  tripId: `${routeId}-T`,
  headsign: 'Bến Thành',
  scheduledMs: T0 + inMin * MIN,
  predictedMs: T0 + inMin * MIN,
  predicted,
  source: predicted ? 'realtime' : 'scheduled',
});

describe('stop board message', () => {
  it('says when each bus comes, in whole minutes, in Vietnamese', () => {
    expect(boardText('01', 3)).toBe('Xe 01 đến sau 3 phút');
    expect(boardText('01', 0)).toBe('Xe 01 sắp đến');
    const message = stopBoardMessage('S4', [arrival('R1', 0.5, true), arrival('R2', 3.7, false)], T0, (id) => (id === 'R1' ? '01' : '152'));
    expect(message).toEqual({
      stopId: 'S4',
      at: new Date(T0).toISOString(),
      lines: [
        { route: '01', headsign: 'Bến Thành', minutes: 0, realtime: true, text: 'Xe 01 sắp đến' },
        { route: '152', headsign: 'Bến Thành', minutes: 3, realtime: false, text: 'Xe 152 đến sau 3 phút' },
      ],
    });
  });

  it('shows at most four lines', () => {
    const many = [1, 2, 3, 4, 5, 6].map((m) => arrival('R1', m, true));
    expect(stopBoardMessage('S4', many, T0, (id) => id).lines).toHaveLength(4);
  });
});

describe('board throttle', () => {
  it('tells a stop at most once per interval of the stack clock, each stop on its own', () => {
    const throttle = new BoardThrottle(15_000);
    expect(throttle.take('S1', T0)).toBe(true);
    expect(throttle.take('S1', T0 + 14_999)).toBe(false);
    expect(throttle.take('S2', T0 + 1000)).toBe(true);
    expect(throttle.take('S1', T0 + 15_000)).toBe(true);
  });
});
