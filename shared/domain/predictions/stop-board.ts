/**
 * Stop boards: the small message a board at a stop renders (route, headsign, minutes, a Vietnamese line), and
 * how often a stop's board is told (at most once per interval of the stack's clock).
 */
import type { ServedArrival } from './serving.js';

interface StopBoardLine {
  route: string;
  headsign?: string;
  minutes: number;
  /** From the live bus (true) or the schedule. */
  realtime: boolean;
  /** What the board shows, e.g. "Xe 01 đến sau 3 phút". */
  text: string;
}

export interface StopBoardMessage {
  stopId: string;
  /** ISO instant the lines were computed at. */
  at: string;
  lines: StopBoardLine[];
}

/** Publishes a stop's board message (retained, so a board that connects gets the latest at once). */
export interface StopBoardPublisher {
  publishStopBoard(message: StopBoardMessage): Promise<void>;
}

/** Lines a board shows. */
const BOARD_LINES = 4;

/** The Vietnamese line of one arrival: "Xe 01 sắp đến" under a minute, else "Xe 01 đến sau N phút". */
export function boardText(route: string, minutes: number): string {
  return minutes < 1 ? `Xe ${route} sắp đến` : `Xe ${route} đến sau ${minutes} phút`;
}

/** The board message of a stop from its served arrivals (soonest first); `routeName` gives the short name. */
export function stopBoardMessage(stopId: string, arrivals: readonly ServedArrival[], nowMs: number, routeName: (routeId: string) => string): StopBoardMessage {
  return {
    stopId,
    at: new Date(nowMs).toISOString(),
    lines: arrivals.slice(0, BOARD_LINES).map((a) => {
      const route = routeName(a.routeId);
      const minutes = Math.max(0, Math.floor((a.predictedMs - nowMs) / 60_000));
      return { route, ...(a.headsign === undefined ? {} : { headsign: a.headsign }), minutes, realtime: a.predicted, text: boardText(route, minutes) };
    }),
  };
}

/** At most one board message per stop per `intervalMs` of the stack's clock. */
export class BoardThrottle {
  private readonly lastMs = new Map<string, number>();

  constructor(private readonly intervalMs = 15_000) {}

  /** True (and remembered) when the stop's board may be told now. */
  take(stopId: string, nowMs: number): boolean {
    const last = this.lastMs.get(stopId);
    if (last !== undefined && nowMs - last < this.intervalMs && nowMs >= last) return false;
    if (this.lastMs.size > 50_000) this.lastMs.clear();
    this.lastMs.set(stopId, nowMs);
    return true;
  }
}
