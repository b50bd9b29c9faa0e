/**
 * Reading route contracts: which version is in force on a service day, what a trip is worth at a time of day,
 * and the validation of a whole contract set (the configuration document) with field paths.
 */
import { type FieldIssue, ValidationError, fieldPath } from '../errors.js';
import { SERVICE_TIMEZONE, zoneOffsetMs } from '../../kernel/time/service-day.js';
import { type RouteContract, bandSpans, minuteOf, routeContractSchema } from './schemas.js';

export { routeContractSchema, type RouteContract, type RouteContractInput } from './schemas.js';

const DAY_S = 86_400;
const LOCAL_TIME = /^(\d{1,2}):([0-5]\d)(?::([0-5]\d))?$/;

/** The version of `routeId`'s contract in force on service day `day`: latest effectiveFrom ≤ day, or undefined. */
export function contractInForce(contracts: readonly RouteContract[], routeId: string, day: string): RouteContract | undefined {
  let best: RouteContract | undefined;
  for (const c of contracts) {
    // ISO dates compare as strings.
    if (c.routeId !== routeId || c.effectiveFrom > day) continue;
    if (!best || c.effectiveFrom > best.effectiveFrom) best = c;
  }
  return best;
}

/**
 * Unit cost of a trip departing at `localTime`: `HH:MM` (or `HH:MM:SS`) local, or service-day seconds, which
 * may exceed 24 h for trips past midnight (`25:10` is 01:10). The time band covering it wins, else the flat rate.
 */
export function unitCostFor(contract: RouteContract, localTime: string | number): number {
  const minute = minuteOfDay(localTime);
  for (const band of contract.unitCostBands) {
    if (bandSpans(band.from, band.to).some(([s, e]) => minute >= s && minute < e)) return band.unitCostVnd;
  }
  return contract.unitCostVnd;
}

/** Unit cost of a trip departing at instant `tsMs`, read in `timeZone` local time. */
export function unitCostAt(contract: RouteContract, tsMs: number, timeZone: string = SERVICE_TIMEZONE): number {
  const localS = Math.floor((tsMs + zoneOffsetMs(tsMs, timeZone)) / 1000);
  return unitCostFor(contract, ((localS % DAY_S) + DAY_S) % DAY_S);
}

/** The on-time departure window relative to the planned departure, in seconds: { earlyS: −60, lateS: 300 }. */
export function departureWindowS(contract: RouteContract): { earlyS: number; lateS: number } {
  return { earlyS: contract.departureToleranceMin.earlyMin * 60, lateS: contract.departureToleranceMin.lateMin * 60 };
}

/**
 * Every issue of a contract set (the configuration document), with field paths under `prefix`
 * (`contracts[2].partialPaidShare`): each contract against the schema, and no two versions of a route with
 * the same effectiveFrom.
 */
export function contractSetIssues(input: unknown, prefix = 'contracts'): FieldIssue[] {
  if (!Array.isArray(input)) return [{ field: prefix, message: 'expected an array of route contracts' }];
  const issues: FieldIssue[] = [];
  const firstIndexOf = new Map<string, number>();
  input.forEach((raw: unknown, i) => {
    const at = `${prefix}[${i}]`;
    const parsed = routeContractSchema.safeParse(raw);
    if (!parsed.success) for (const issue of parsed.error.issues) issues.push({ field: fieldPath(issue.path, at), message: issue.message });
    const { routeId, effectiveFrom } = (raw ?? {}) as { routeId?: unknown; effectiveFrom?: unknown };
    if (typeof routeId !== 'string' || typeof effectiveFrom !== 'string') return;
    const key = `${routeId}\u0000${effectiveFrom}`;
    const first = firstIndexOf.get(key);
    if (first === undefined) firstIndexOf.set(key, i);
    else issues.push({ field: `${at}.effectiveFrom`, message: `route ${routeId} already has a version effective from ${effectiveFrom} (${prefix}[${first}])` });
  });
  return issues;
}

/** Parses a contract set, throwing a ValidationError with every issue; defaults are applied. */
export function parseContractSet(input: unknown, prefix = 'contracts'): RouteContract[] {
  const issues = contractSetIssues(input, prefix);
  if (issues.length > 0) throw new ValidationError(issues);
  return (input as unknown[]).map((raw) => routeContractSchema.parse(raw));
}

function minuteOfDay(localTime: string | number): number {
  if (typeof localTime === 'number') {
    if (!Number.isFinite(localTime)) throw new ValidationError('localTime', `not a time: ${localTime}`);
    return Math.floor((((localTime % DAY_S) + DAY_S) % DAY_S) / 60);
  }
  const m = LOCAL_TIME.exec(localTime);
  if (!m) throw new ValidationError('localTime', `expected HH:MM, got ${JSON.stringify(localTime)}`);
  return minuteOf(`${m[1]}:${m[2]}`) % 1440;
}
