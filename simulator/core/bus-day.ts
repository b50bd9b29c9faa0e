/**
 * One bus's day, simulated lazily trip by trip: sign on, drive each planned trip along its pattern's shape
 * with time-of-day traffic, stop and dwell by demand, layover at terminals, sign off — with the operational
 * faults of the profile (late departures, missed trips, skipped stops, short turns, detours, unscheduled
 * trips). `advance(t)` returns everything that happened before `t`: the messages the device publishes and the
 * truth.
 */
import type { Network, Pattern, Shape } from '../../shared/gtfs/model.js';
import { formatGtfsTime, serviceTimeToEpochMs } from '../../shared/gtfs/time.js';
import { bearingDeg, destinationPoint, measurePolyline, pointAtDistance, type LatLon, type MeasuredPolyline } from '../../shared/kernel/geo/polyline.js';
import { chooseFare, boardingRate, BUS_CAPACITY, dwellSeconds } from './demand.js';
import type { VehicleDuty, PlannedTrip } from './day-plan.js';
import type { OutboundMessage, SimTap, TruthRecord } from './events.js';
import type { FaultProfile } from './faults.js';
import { hash32, type Rng } from './rng.js';
import { speedKmh, type TrafficDay } from './traffic.js';

export interface BusDayOptions {
  gpsIntervalS: number;
  wifiIntervalS: number;
  singleFareVnd: number;
  profile: FaultProfile;
}

/** A stretch of the day during which the bus moves uniformly along one pattern, or stands still. */
interface Leg {
  startMs: number;
  endMs: number;
  pattern: PatternGeometry;
  fromM: number;
  toM: number;
  doorOpen: boolean;
  /** Sideways offset from the shape (a detour), metres. */
  lateralM: number;
  speedKmh: number;
}

interface PatternGeometry {
  pattern: Pattern;
  line: MeasuredPolyline;
}

interface Timed {
  ts: number;
  message?: OutboundMessage;
  truth?: TruthRecord;
}

const LATE_MS = 5 * 60_000;

export class BusDay {
  private readonly legs: Leg[] = [];
  private readonly queue: Timed[] = [];
  private nextTrip = 0;
  private readyMs: number;
  private atDistance = 0;
  private pattern: PatternGeometry;
  private nextFixMs: number;
  private nextWifiMs: number;
  private odometerM = 0;
  private lastFix?: { ts: number; at: LatLon };
  private seq = 0;
  private tapSeq = 0;
  private load = 0;
  private signedOff = false;
  readonly signOnMs: number;
  private readonly geometry = new Map<string, PatternGeometry>();

  constructor(
    private readonly network: Network,
    private readonly duty: VehicleDuty,
    private readonly serviceDay: string,
    private readonly traffic: TrafficDay,
    private readonly rng: Rng,
    private readonly opts: BusDayOptions,
  ) {
    const first = duty.trips[0]!;
    this.pattern = this.geometryOf(first.patternId);
    this.signOnMs = this.plannedMs(first.plannedDepartureS) - 15 * 60_000;
    this.readyMs = this.signOnMs + 5 * 60_000;
    this.nextFixMs = this.signOnMs;
    this.nextWifiMs = this.signOnMs + 30_000;
    this.emitDuty(this.signOnMs, 'sign_on', { driverId: duty.driverId, tripOrderId: duty.tripOrderId });
  }

  get busId(): string {
    return this.duty.busId;
  }

  /** True once the bus has signed off and everything was returned. */
  get done(): boolean {
    return this.signedOff && this.queue.length === 0 && this.nextFixMs === Number.POSITIVE_INFINITY;
  }

  /** Messages and truth with time before `tMs`, in time order. */
  advance(tMs: number): Timed[] {
    while (!this.signedOff && this.readyMs < tMs + 60_000) this.simulateNext();
    while (this.nextFixMs < tMs) {
      this.emitFix(this.nextFixMs);
      const jitter = 1 + this.opts.profile.gpsIntervalJitter * this.rng.next();
      this.nextFixMs += Math.round(this.opts.gpsIntervalS * 1000 * jitter);
      if (this.signedOff && this.nextFixMs > this.readyMs) this.nextFixMs = Number.POSITIVE_INFINITY;
    }
    while (this.nextWifiMs < tMs && this.nextWifiMs < (this.signedOff ? this.readyMs : Number.POSITIVE_INFINITY)) {
      this.emitWifi(this.nextWifiMs);
      this.nextWifiMs += this.opts.wifiIntervalS * 1000;
    }
    // Legs that ended before every future fix can be forgotten: memory stays bounded.
    while (this.legs.length > 1 && this.legs[0]!.endMs < Math.min(this.nextFixMs, tMs)) this.legs.shift();
    let n = 0;
    while (n < this.queue.length && this.queue[n]!.ts < tMs) n++;
    return this.queue.splice(0, n);
  }

  private plannedMs(s: number): number {
    return serviceTimeToEpochMs(this.serviceDay, s, this.network.timezone);
  }

  private geometryOf(patternId: string): PatternGeometry {
    let g = this.geometry.get(patternId);
    if (!g) {
      const pattern = this.network.patterns.get(patternId)!;
      const shape: Shape = this.network.shapes.get(pattern.shapeId)!;
      g = { pattern, line: measurePolyline(shape.points) };
      this.geometry.set(patternId, g);
    }
    return g;
  }

  /** Simulates the next trip (or the sign-off) and queues its events. */
  private simulateNext(): void {
    const planned = this.duty.trips[this.nextTrip];
    if (!planned) {
      if (this.rng.chance(this.opts.profile.unscheduledPerBusDay)) {
        const pattern = this.returnPattern();
        if (pattern) {
          this.runTrip(undefined, pattern, this.readyMs + this.rng.int(5, 20) * 60_000);
        }
      }
      const offMs = this.readyMs + 5 * 60_000;
      this.stand(this.readyMs, offMs);
      this.emitDuty(offMs, 'sign_off', { driverId: this.duty.driverId });
      this.readyMs = offMs;
      this.signedOff = true;
      return;
    }
    this.nextTrip++;
    const plannedDepMs = this.plannedMs(planned.plannedDepartureS);
    const pattern = this.geometryOf(planned.patternId);
    if (this.rng.chance(this.opts.profile.missedTripRate)) {
      this.truth(plannedDepMs, this.tripTruth(planned, pattern, 'missed'));
      this.fault(plannedDepMs, 'missed_trip', { tripId: planned.tripId });
      // Without the trip the bus stays at this terminal, so the return trip is missed too (a loop needs no return).
      const following = this.duty.trips[this.nextTrip];
      if (following && !pattern.pattern.isLoop) {
        this.nextTrip++;
        this.truth(this.plannedMs(following.plannedDepartureS), this.tripTruth(following, this.geometryOf(following.patternId), 'missed'));
      }
      return;
    }
    let departMs = Math.max(this.readyMs, plannedDepMs + this.rng.int(-30, 60) * 1000);
    if (this.rng.chance(this.opts.profile.lateDepartureRate)) {
      const lateMs = Math.round(this.rng.uniform(2, Math.max(2, this.opts.profile.lateDepartureMaxMinutes)) * 60_000);
      departMs = Math.max(departMs, plannedDepMs + lateMs);
      this.fault(departMs, 'late_departure', { tripId: planned.tripId, lateS: Math.round((departMs - plannedDepMs) / 1000) });
    }
    this.runTrip(planned, pattern, departMs);
  }

  /** A pattern of the same route starting where the bus stands, for an unscheduled trip. */
  private returnPattern(): PatternGeometry | undefined {
    const here = this.pattern.pattern.stops[this.pattern.pattern.stops.length - 1]?.stopId;
    for (const p of this.network.patterns.values()) {
      if (p.routeId === this.duty.routeId && p.stops[0]?.stopId === here) return this.geometryOf(p.patternId);
    }
    return undefined;
  }

  private runTrip(planned: PlannedTrip | undefined, geo: PatternGeometry, departMs: number): void {
    const { profile } = this.opts;
    const stops = geo.pattern.stops;
    const tripId = planned?.tripId ?? `${this.duty.busId}-extra-${this.seq}`;
    const tripOrderId = planned ? this.duty.tripOrderId : undefined;
    const shortTurnAt = this.rng.chance(profile.shortTurnRate) ? Math.floor(stops.length * this.rng.uniform(0.5, 0.8)) : stops.length - 1;
    const detourFrom = this.rng.chance(profile.detourRate) && stops.length > 6 ? this.rng.int(2, stops.length - 4) : -1;
    if (shortTurnAt < stops.length - 1) this.fault(departMs, 'short_turn', { tripId, atStop: stops[shortTurnAt]!.stopId });
    if (detourFrom >= 0) this.fault(departMs, 'detour', { tripId, fromStop: stops[detourFrom]!.stopId, stops: 2 });

    // Move to the pattern's start (a new pattern begins where the last one ended, at the same terminal).
    this.stand(this.readyMs, departMs - 60_000);
    this.pattern = geo;
    this.atDistance = stops[0]!.distanceM;
    let t = departMs - 60_000;
    let visited = 0;
    let skipped = 0;
    let startMs: number | undefined;
    let distanceM = 0;
    for (let i = 0; i < stops.length; i++) {
      const stop = stops[i]!;
      const inService = i <= shortTurnAt;
      if (i > 0) {
        const from = this.atDistance;
        const detour = detourFrom >= 0 && i >= detourFrom && i <= detourFrom + 2;
        t = this.move(t, from, stop.distanceM, detour ? 250 : 0);
        distanceM += stop.distanceM - from;
      }
      if (!inService) continue;
      const hour = (t - this.traffic.midnightMs) / 3_600_000;
      const weight = stopWeight(stop.stopId, i === 0 || i === stops.length - 1);
      const boardings = i === shortTurnAt ? 0 : Math.min(BUS_CAPACITY - this.load, this.rng.poisson(boardingRate(hour, weight) * 0.2));
      const alightings = i === shortTurnAt ? this.load : Math.min(this.load, this.rng.poisson((this.load / Math.max(1, shortTurnAt - i + 1)) * 1.3));
      // Buses here serve every stop; a skip is a fault (or a detour that leaves the stops behind).
      const detour = detourFrom >= 0 && i >= detourFrom && i <= detourFrom + 2;
      const skip = i > 0 && i < shortTurnAt && (detour || this.rng.chance(profile.skippedStopRate));
      if (skip) {
        skipped++;
        if (!detour) this.fault(t, 'skipped_stop', { tripId, stopId: stop.stopId });
        this.truth(t, {
          type: 'stop_visit',
          busId: this.busId,
          tripId,
          ...(tripOrderId ? { tripOrderId } : {}),
          routeId: geo.pattern.routeId,
          patternId: geo.pattern.patternId,
          stopId: stop.stopId,
          stopSequence: i + 1,
          passedMs: t,
          skipped: true,
          boardings: 0,
          alightings: 0,
        });
        continue;
      }
      const arrivalMs = t;
      const dwellMs = dwellSeconds(boardings, alightings, this.rng) * 1000;
      const departureMs = i === 0 ? Math.max(departMs, arrivalMs + dwellMs) : arrivalMs + dwellMs;
      this.dwell(arrivalMs, departureMs);
      this.load += boardings - alightings;
      if (i === 0) {
        startMs = departureMs;
        this.emitDuty(departureMs - 1000, 'trip_start', { driverId: this.duty.driverId, ...(tripOrderId ? { tripOrderId } : {}), ...this.announced(tripId) });
      }
      this.emitTaps(arrivalMs, boardings, stop.stopId, tripId);
      visited++;
      this.truth(arrivalMs, {
        type: 'stop_visit',
        busId: this.busId,
        tripId,
        ...(tripOrderId ? { tripOrderId } : {}),
        routeId: geo.pattern.routeId,
        patternId: geo.pattern.patternId,
        stopId: stop.stopId,
        stopSequence: i + 1,
        arrivalMs,
        departureMs,
        passedMs: arrivalMs,
        skipped: false,
        boardings,
        alightings,
      });
      t = departureMs;
      if (i === shortTurnAt)
        this.emitDuty(departureMs + 1000, 'trip_end', { driverId: this.duty.driverId, ...(tripOrderId ? { tripOrderId } : {}), ...this.announced(tripId) });
    }
    this.load = 0;
    if (planned) {
      const late = (startMs ?? departMs) - this.plannedMs(planned.plannedDepartureS) > LATE_MS;
      const classification = shortTurnAt < stops.length - 1 ? 'partial' : late ? 'late' : 'completed';
      this.truth(startMs ?? departMs, this.tripTruth(planned, geo, classification, startMs, t, visited, skipped, distanceM));
    } else {
      this.truth(startMs ?? departMs, {
        type: 'trip',
        busId: this.busId,
        tripId,
        routeId: geo.pattern.routeId,
        patternId: geo.pattern.patternId,
        classification: 'unscheduled',
        actualStartMs: startMs ?? departMs,
        actualEndMs: t,
        stopsVisited: visited,
        stopsSkipped: skipped,
        stopsTotal: stops.length,
        distanceM,
      });
      this.fault(startMs ?? departMs, 'unscheduled_trip', { tripId });
    }
    this.readyMs = t + 60_000;
  }

  private tripTruth(
    planned: PlannedTrip,
    geo: PatternGeometry,
    classification: 'completed' | 'late' | 'partial' | 'missed',
    startMs?: number,
    endMs?: number,
    visited = 0,
    skipped = 0,
    distanceM = 0,
  ): TruthRecord {
    return {
      type: 'trip',
      busId: this.busId,
      tripId: planned.tripId,
      tripOrderId: this.duty.tripOrderId,
      routeId: planned.routeId,
      patternId: geo.pattern.patternId,
      ...(planned.directionId === undefined ? {} : { directionId: planned.directionId }),
      plannedDepartureMs: this.plannedMs(planned.plannedDepartureS),
      ...(startMs === undefined ? {} : { actualStartMs: startMs }),
      ...(endMs === undefined ? {} : { actualEndMs: endMs }),
      classification,
      stopsVisited: visited,
      stopsSkipped: skipped,
      stopsTotal: geo.pattern.stops.length,
      distanceM,
    };
  }

  /** Drives from `fromM` to `toM` along the current pattern starting at `t`; returns the arrival time. */
  private move(t: number, fromM: number, toM: number, lateralM: number): number {
    const where = pointAtDistance(this.pattern.line, (fromM + toM) / 2);
    const segFactor = Math.exp(0.25 * (((hash32(`${this.pattern.pattern.patternId}|${Math.round(fromM)}`) % 1000) / 1000) * 2 - 1));
    const v = speedKmh(this.traffic, t, where, segFactor) * this.rng.uniform(0.9, 1.1);
    const durationMs = Math.max(1000, Math.round(((toM - fromM) / (v / 3.6)) * 1000));
    this.legs.push({ startMs: t, endMs: t + durationMs, pattern: this.pattern, fromM, toM, doorOpen: false, lateralM, speedKmh: v });
    this.atDistance = toM;
    return t + durationMs;
  }

  private dwell(fromMs: number, toMs: number): void {
    if (toMs > fromMs)
      this.legs.push({
        startMs: fromMs,
        endMs: toMs,
        pattern: this.pattern,
        fromM: this.atDistance,
        toM: this.atDistance,
        doorOpen: true,
        lateralM: 0,
        speedKmh: 0,
      });
  }

  private stand(fromMs: number, toMs: number): void {
    if (toMs > fromMs)
      this.legs.push({
        startMs: fromMs,
        endMs: toMs,
        pattern: this.pattern,
        fromM: this.atDistance,
        toM: this.atDistance,
        doorOpen: false,
        lateralM: 0,
        speedKmh: 0,
      });
  }

  private positionAt(t: number): { at: LatLon; leg?: Leg } {
    // The leg under way at t, else the last one that began before t (the bus stays where it stopped); never a
    // leg of a trip simulated ahead.
    let leg: Leg | undefined;
    for (const l of this.legs) {
      if (l.startMs > t) break;
      leg = l;
      if (t < l.endMs) break;
    }
    leg ??= this.legs[0];
    if (!leg) return { at: pointAtDistance(this.pattern.line, this.atDistance) };
    const f = leg.endMs > leg.startMs ? Math.min(1, Math.max(0, (t - leg.startMs) / (leg.endMs - leg.startMs))) : 1;
    const d = leg.fromM + (leg.toM - leg.fromM) * f;
    let at = pointAtDistance(leg.pattern.line, d);
    if (leg.lateralM) {
      const ahead = pointAtDistance(leg.pattern.line, d + 20);
      at = destinationPoint(at, bearingDeg(at, ahead) + 90, leg.lateralM);
    }
    return { at, leg };
  }

  private emitFix(ts: number): void {
    const { at, leg } = this.positionAt(ts);
    if (this.lastFix) this.odometerM += leg && leg.speedKmh > 0 ? (leg.toM - leg.fromM) * ((ts - this.lastFix.ts) / Math.max(1, leg.endMs - leg.startMs)) : 0;
    const ahead = leg ? pointAtDistance(leg.pattern.line, leg.toM + 30) : at;
    const moving = !!leg && leg.speedKmh > 0;
    const record = {
      ts,
      lat: round6(at.lat),
      lon: round6(at.lon),
      speedKmh: moving ? Math.round(leg!.speedKmh * 10) / 10 : 0,
      heading: Math.round(bearingDeg(at, ahead)),
      accuracyM: 5,
      doorOpen: !!leg?.doorOpen,
      odometerM: Math.round(this.odometerM),
    };
    this.lastFix = { ts, at };
    this.push(ts, 'gps', { records: [record] });
  }

  private emitTaps(arrivalMs: number, boardings: number, stopId: string, tripId: string): void {
    if (!boardings) return;
    const taps: SimTap[] = [];
    for (let k = 0; k < boardings; k++) {
      const fare = chooseFare(this.rng, this.opts.singleFareVnd);
      const tap: SimTap = {
        tapId: `${this.busId}-t${++this.tapSeq}`,
        ts: arrivalMs + 2000 * (k + 1),
        cardId:
          fare.medium === 'cash'
            ? `CASH-${this.busId}-${this.tapSeq}`
            : `9704${String(this.rng.int(0, 99_999_999)).padStart(8, '0')}${String(this.rng.int(1000, 9999))}`,
        product: fare.product,
        amountVnd: fare.amountVnd,
        medium: fare.medium,
        stopId,
      };
      taps.push(tap);
      this.truth(tap.ts, { type: 'tap', busId: this.busId, tripId, tap });
    }
    this.push(taps[taps.length - 1]!.ts, 'gate', { taps });
  }

  private emitWifi(ts: number): void {
    const up = !this.rng.chance(0.01);
    const clients = up ? Math.max(0, Math.round(this.load * 0.35 + this.rng.normal(0, 1))) : 0;
    this.push(ts, 'wifi', {
      ts,
      up,
      clients,
      bytesIn: clients * this.rng.int(20_000, 400_000),
      bytesOut: clients * this.rng.int(2_000, 60_000),
      portalLogins: up ? this.rng.poisson(clients * 0.05) : 0,
    });
  }

  /**
   * A trip as an AVL unit names it (as GTFS-Realtime does): a run of a frequencies.txt trip by its template's
   * trip_id and its scheduled start; any other trip by its own id.
   */
  private announced(tripId: string): { tripId: string; startTime?: string } {
    const frequency = this.network.trips.get(tripId)?.frequency;
    if (!frequency) return { tripId };
    return { tripId: frequency.templateTripId, startTime: formatGtfsTime(this.network.trips.get(tripId)!.stopTimes[0]!.departureS) };
  }

  private emitDuty(ts: number, event: 'sign_on' | 'sign_off' | 'trip_start' | 'trip_end', extra: Record<string, string>): void {
    this.push(ts, 'duty', { ts, event, ...extra });
  }

  private push(ts: number, kind: OutboundMessage['kind'], body: Record<string, unknown>): void {
    const msgId = `${this.busId}-${++this.seq}`;
    this.enqueue({ ts, message: { busId: this.busId, kind, sendAtMs: ts + 300, msgId, body: { v: 1, msgId, busId: this.busId, ...body } } });
  }

  private truth(ts: number, record: TruthRecord): void {
    this.enqueue({ ts, truth: record });
  }

  /** Keeps the queue in time order (stable); items mostly arrive in order, so this is nearly always an append. */
  private enqueue(item: Timed): void {
    let i = this.queue.length;
    while (i > 0 && this.queue[i - 1]!.ts > item.ts) i--;
    if (i === this.queue.length) this.queue.push(item);
    else this.queue.splice(i, 0, item);
  }

  private fault(ts: number, fault: string, detail: Record<string, unknown>): void {
    this.truth(ts, { type: 'fault', busId: this.busId, fault, fromMs: ts, detail });
  }
}

/** A stop's relative pull, fixed per stop; terminals draw more riders. */
function stopWeight(stopId: string, terminal: boolean): number {
  const base = 0.3 + ((hash32(stopId) % 1000) / 1000) * 2.2;
  return terminal ? base * 2.5 : base;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
