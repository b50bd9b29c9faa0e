/**
 * The complaint desk: the complaint use cases behind the API. Recording one checks what it names against the
 * network and the registry, gathers its evidence (the journeys at the stop, the buses' fixes around it), judges
 * it and stores it; reading follows "an operator sees only what concerns it" (another's is not found).
 */
import { randomUUID } from 'node:crypto';
import { keys } from '../../catalogue/index.js';
import { forEachLimit } from '../../kernel/util/concurrency.js';
import { serviceDayOf } from '../../kernel/time/service-day.js';
import { scopedToCaller, type Caller } from '../access/operator-scope.js';
import { NotFound, ValidationError, type FieldIssue } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { JourneyRecord } from '../journeys/journey-record.js';
import type { BusRegistryEntry, ComplaintEvidenceSource, ComplaintFilter, ComplaintStore } from './ports.js';
import { busesToRead, complaintWindow, fixesSpan, stopPasses } from './stop-passes.js';
import { summarise } from './summary.js';
import type { Complaint, ComplaintInput } from './types.js';
import { isConfirmed, verdictOf } from './verdict.js';

/** A complaint may be about a moment a little ahead of the stack's clock (clocks differ), not later. */
const FUTURE_SKEW_MS = 60_000;

export interface ComplaintDeskDeps {
  complaints: ComplaintStore;
  evidence: ComplaintEvidenceSource;
  clock: Clock;
  newId?: () => string;
}

/** Who records or reads: the centre, an operator (with its operatorId), or the system. */
export interface ComplaintActor extends Caller {
  id: string;
}

export class ComplaintDesk {
  constructor(private readonly d: ComplaintDeskDeps) {}

  /** Records a complaint with its evidence and verdict. */
  async record(input: ComplaintInput, actor: ComplaintActor): Promise<Complaint> {
    const src = this.d.evidence;
    const now = this.d.clock.now();
    const atMs = Date.parse(input.at);
    if (Number.isNaN(atMs)) throw new ValidationError('at', `not an instant: ${input.at}`);
    if (atMs > now + FUTURE_SKEW_MS) throw new ValidationError('at', `${input.at} is in the future (now ${new Date(now).toISOString()})`);
    if (!input.routeId && !input.plate && !input.busId) throw new ValidationError('routeId', 'a complaint names the route, the plate or the bus');

    const issues: FieldIssue[] = [];
    const stop = await src.stop(input.stopId);
    if (!stop) issues.push({ field: 'stopId', message: `the network has no stop ${input.stopId}` });
    if (input.routeId && !(await src.routeExists(input.routeId))) issues.push({ field: 'routeId', message: `the network has no route ${input.routeId}` });
    const buses = await this.busesNamed(input, issues);
    if (issues.length || !stop) throw new ValidationError(issues);

    const timeZone = await src.timeZone();
    const window = complaintWindow(atMs);
    const serviceDay = serviceDayOf(atMs, timeZone);
    const days = [...new Set([serviceDayOf(window.fromMs, timeZone), serviceDay, serviceDayOf(window.toMs, timeZone)])];
    const journeys: JourneyRecord[] = [];
    for (const day of days) {
      if (buses.length) {
        for (const bus of buses)
          journeys.push(...(await src.journeys({ serviceDay: day, busId: bus.busId })).filter((j) => !input.routeId || j.routeId === input.routeId));
      } else {
        journeys.push(...(await src.journeys({ serviceDay: day, routeId: input.routeId! })));
      }
    }

    const toRead = busesToRead(journeys, stop.stopId, window, input.kind);
    const span = fixesSpan(window);
    const fixesByBus = new Map<string, Awaited<ReturnType<ComplaintEvidenceSource['gps']>>>();
    const plates = new Map(buses.map((b) => [b.busId, b.plate]));
    await forEachLimit(toRead, 8, async (busId) => {
      fixesByBus.set(busId, await src.gps(busId, span.fromMs, span.toMs));
      if (!plates.has(busId)) {
        const reg = await src.bus(busId);
        if (reg) plates.set(busId, reg.plate);
      }
    });

    const evidence = stopPasses({ kind: input.kind, stop, window, journeys, fixesByBus, plates });
    const { verdict, decisive } = verdictOf(input.kind, evidence);
    const summary = summarise({
      kind: input.kind,
      decisive,
      evidence,
      stopName: stop.name ?? stop.stopId,
      subject: { ...(input.routeId ? { routeId: input.routeId } : {}), ...(buses[0] ? { plate: buses[0].plate } : {}) },
      window,
      timeZone,
    });
    const routeOperators = input.routeId ? await src.routeOperators(input.routeId, serviceDay) : [];
    const complaint: Complaint = {
      id: this.d.newId?.() ?? randomUUID(),
      kind: input.kind,
      ...(input.routeId ? { routeId: input.routeId } : {}),
      ...(input.plate ? { plate: input.plate } : {}),
      ...(input.busId ? { busId: input.busId } : {}),
      stopId: input.stopId,
      ...(stop.name ? { stopName: stop.name } : {}),
      at: new Date(atMs).toISOString(),
      ...(input.description ? { description: input.description } : {}),
      ...(input.reference ? { reference: input.reference } : {}),
      serviceDay,
      receivedAt: new Date(now).toISOString(),
      recordedBy: { role: actor.role, id: actor.id },
      window: { from: new Date(window.fromMs).toISOString(), to: new Date(window.toMs).toISOString() },
      verdict,
      summary,
      evidence,
      operatorIds: sortedUnique([...routeOperators, ...buses.map((b) => b.operatorId), ...evidence.map((p) => p.operatorId)]),
      confirmedOperatorIds: isConfirmed(verdict) ? sortedUnique(decisive.map((p) => p.operatorId)) : [],
    };
    await this.d.complaints.put(complaint);
    return complaint;
  }

  /** One complaint, if the caller may see it: the centre every one, an operator those that concern it. */
  async get(id: string, caller: Caller): Promise<Complaint> {
    const complaint = await this.d.complaints.get(id);
    if (!complaint || (caller.role === 'operator' && !complaint.operatorIds.includes(caller.operatorId ?? ''))) throw new NotFound('complaint', id);
    return complaint;
  }

  /** A page of a day's complaints, an operator's narrowed to those that concern it. */
  async page(filter: ComplaintFilter, limit: number, startKey: Record<string, unknown> | undefined, caller: Caller) {
    return this.d.complaints.page(scopedToCaller(caller, filter, 'complaints'), limit, startKey);
  }

  /** The registered buses a complaint names by busId or plate (checked against each other); issues otherwise. */
  private async busesNamed(input: ComplaintInput, issues: FieldIssue[]): Promise<BusRegistryEntry[]> {
    if (input.busId) {
      const bus = await this.d.evidence.bus(input.busId);
      if (!bus) {
        issues.push({ field: 'busId', message: `no bus ${input.busId} is registered` });
        return [];
      }
      if (input.plate && keys.plateKey(input.plate) !== keys.plateKey(bus.plate)) {
        issues.push({ field: 'plate', message: `bus ${bus.busId} has plate ${bus.plate}, not ${input.plate}` });
      }
      return [bus];
    }
    if (!input.plate) return [];
    const buses = await this.d.evidence.busesOfPlate(input.plate);
    if (!buses.length) issues.push({ field: 'plate', message: `no bus with plate ${input.plate} is registered` });
    return buses;
  }
}

function sortedUnique(xs: readonly string[]): string[] {
  return [...new Set(xs)].sort();
}
