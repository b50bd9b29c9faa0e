/**
 * frequencies.txt expansion. A trip listed there is a template: its stop times give the running times, and
 * each frequency row repeats it every headway_secs from start_time while the start is before end_time. Both
 * exact_times kinds become concrete trips so the simulator and trip orders have departures to work with;
 * exact_times 0 trips are marked, because only their headway, not their departure minute, is promised.
 */
import type { IssueLog } from './issues.js';
import type { Pattern, Trip } from './model.js';
import type { RawFrequency } from './parse-trips.js';
import { formatGtfsTime } from './time.js';

/** Id of the trip expanded from `templateTripId` departing at `startS`. */
function expandedTripId(templateTripId: string, startS: number): string {
  return `${templateTripId}@${formatGtfsTime(startS)}`;
}

/** Replaces every frequency template trip with its concrete trips; updates the patterns' trip lists. */
export function expandFrequencies(trips: Map<string, Trip>, patterns: Map<string, Pattern>, frequencies: readonly RawFrequency[], log: IssueLog): void {
  const templates = new Set<string>();
  const added = new Map<string, string[]>();
  for (const f of frequencies) {
    const template = trips.get(f.tripId);
    if (!template) continue;
    templates.add(f.tripId);
    const firstDeparture = template.stopTimes[0]!.departureS;
    for (let start = f.startS; start < f.endS; start += f.headwayS) {
      const tripId = expandedTripId(f.tripId, start);
      if (trips.has(tripId)) {
        const message = `trip "${tripId}" already exists (overlapping periods?); not repeated`;
        log.warning('frequencies.txt', f.line, 'start_time', message);
        continue;
      }
      const shift = start - firstDeparture;
      trips.set(tripId, {
        ...template,
        tripId,
        stopTimes: template.stopTimes.map((st) => ({
          ...st,
          arrivalS: st.arrivalS + shift,
          departureS: st.departureS + shift,
        })),
        frequency: { templateTripId: f.tripId, headwayS: f.headwayS, exactTimes: f.exactTimes },
      });
      const list = added.get(template.patternId) ?? [];
      list.push(tripId);
      added.set(template.patternId, list);
    }
  }
  for (const id of templates) trips.delete(id);
  for (const pattern of patterns.values()) {
    const extra = added.get(pattern.patternId) ?? [];
    pattern.tripIds = [...pattern.tripIds.filter((id) => !templates.has(id)), ...extra];
  }
  for (const [id, pattern] of patterns) if (pattern.tripIds.length === 0) patterns.delete(id);
}
