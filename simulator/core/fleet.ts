/**
 * The fleet's day as a stream of time windows: every bus advances to the window's end, device faults are
 * applied per bus, and the window's messages come out ordered by the time they are sent. Memory holds one
 * window and each bus's current trip, never the day.
 */
import type { Network } from '../../shared/gtfs/model.js';
import { serviceTimeToEpochMs } from '../../shared/gtfs/time.js';
import { BusDay } from './bus-day.js';
import { planDay, type DayPlan } from './day-plan.js';
import { DeviceFaultInjector } from './device-faults.js';
import type { OutboundMessage, TruthRecord } from './events.js';
import type { FaultProfile } from './faults.js';
import { Rng } from './rng.js';
import { drawTrafficDay } from './traffic.js';

export interface FleetOptions {
  network: Network;
  serviceDay: string;
  seed: number;
  profile: FaultProfile;
  buses?: number;
  routes?: readonly string[];
  gpsIntervalS?: number;
  wifiIntervalS?: number;
  singleFareVnd?: number;
  /** Simulated window length; messages inside a window are ordered by send time. */
  windowS?: number;
  /** Only emit what happens between these instants (the simulation still runs from the first sign-on). */
  fromMs?: number;
  toMs?: number;
}

interface FleetWindow {
  startMs: number;
  endMs: number;
  messages: OutboundMessage[];
  truth: TruthRecord[];
  activeBuses: number;
}

export interface FleetRun {
  plan: DayPlan;
  startMs: number;
  endMs: number;
  windows: Generator<FleetWindow>;
}

/** Plans the day and returns the stream of its windows. */
export function simulateFleet(opts: FleetOptions): FleetRun {
  const { network, serviceDay, seed, profile } = opts;
  const plan = planDay(network, serviceDay, {
    seed,
    ...(opts.buses === undefined ? {} : { maxBuses: opts.buses }),
    ...(opts.routes ? { routes: opts.routes } : {}),
  });
  const root = new Rng(seed, `day/${serviceDay}`);
  const midnightMs = serviceTimeToEpochMs(serviceDay, 0, network.timezone);
  const sites = [...network.stops.values()].filter((_, i) => i % 7 === 0);
  const traffic = drawTrafficDay(root.child('traffic'), midnightMs, sites);
  const busOpts = { gpsIntervalS: opts.gpsIntervalS ?? 5, wifiIntervalS: opts.wifiIntervalS ?? 60, singleFareVnd: opts.singleFareVnd ?? 7000, profile };
  const buses = plan.duties.map((duty) => new BusDay(network, duty, serviceDay, traffic, root.child(`bus/${duty.busId}`), busOpts));
  const startMs = Math.max(opts.fromMs ?? 0, Math.min(...buses.map((b) => b.signOnMs)));
  const lastPlannedS = Math.max(...plan.duties.map((d) => d.trips[d.trips.length - 1]!.plannedArrivalS));
  const endMs = Math.min(opts.toMs ?? Number.POSITIVE_INFINITY, serviceTimeToEpochMs(serviceDay, lastPlannedS, network.timezone) + 3 * 3_600_000);
  const dayBounds = { startMs, endMs };
  const injectors = new Map(buses.map((b) => [b.busId, new DeviceFaultInjector(b.busId, profile, root.child(`device/${b.busId}`), dayBounds)]));
  const windowMs = (opts.windowS ?? 60) * 1000;

  function* windows(): Generator<FleetWindow> {
    let live = buses;
    for (let t = Math.min(...buses.map((b) => b.signOnMs)); live.length; t += windowMs) {
      const end = t + windowMs;
      const messages: OutboundMessage[] = [];
      const truth: TruthRecord[] = [];
      for (const bus of live) {
        const raw: OutboundMessage[] = [];
        for (const item of bus.advance(end)) {
          if (item.message) raw.push(item.message);
          if (item.truth) truth.push(item.truth);
        }
        const injector = injectors.get(bus.busId)!;
        // advance() returns items in time order and a message is sent 300 ms after its time: already in send order.
        for (const m of injector.process(raw, end)) messages.push(m);
        if (bus.done) messages.push(...injector.flush(end));
        truth.push(...injector.drainFaults());
      }
      live = live.filter((b) => !b.done);
      if (end <= startMs) continue;
      messages.sort((a, b) => a.sendAtMs - b.sendAtMs || (a.busId < b.busId ? -1 : a.busId > b.busId ? 1 : 0));
      truth.sort((a, b) => truthTs(a) - truthTs(b));
      const inRange = (ts: number) => ts >= startMs && ts < endMs;
      yield {
        startMs: t,
        endMs: end,
        messages: messages.filter((m) => inRange(m.sendAtMs)),
        truth: truth.filter((r) => inRange(truthTs(r))),
        activeBuses: live.length,
      };
      if (end >= endMs) return;
    }
  }
  return { plan, startMs, endMs, windows: windows() };
}

function truthTs(r: TruthRecord): number {
  switch (r.type) {
    case 'stop_visit':
      return r.arrivalMs ?? r.passedMs;
    case 'trip':
      return r.actualStartMs ?? r.plannedDepartureMs ?? 0;
    case 'tap':
      return r.tap.ts;
    case 'fault':
      return r.fromMs;
  }
}
