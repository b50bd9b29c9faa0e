/**
 * The network's trips as trip assignment sees them on one service day: which ids exist, and the runs each
 * frequencies.txt template was expanded into, with their departure instants in the network's time zone.
 */
import type { Network } from '../../gtfs/model.js';
import { serviceTimeToEpochMs } from '../../gtfs/time.js';
import type { TripCatalogue, TripRun } from './assign.js';

const runsByNetwork = new WeakMap<Network, Map<string, { tripId: string; startS: number }[]>>();

/** Template trip id → its runs (expanded trip id and first departure), computed once per network. */
function runsOfTemplates(network: Network): Map<string, { tripId: string; startS: number }[]> {
  let runs = runsByNetwork.get(network);
  if (!runs) {
    runs = new Map();
    for (const trip of network.trips.values()) {
      if (!trip.frequency) continue;
      const list = runs.get(trip.frequency.templateTripId) ?? [];
      list.push({ tripId: trip.tripId, startS: trip.stopTimes[0]!.departureS });
      runs.set(trip.frequency.templateTripId, list);
    }
    runsByNetwork.set(network, runs);
  }
  return runs;
}

/** The trip catalogue of `network` on `serviceDay` (YYYY-MM-DD, read in the network's time zone). */
export function tripCatalogue(network: Network, serviceDay: string): TripCatalogue {
  const runs = runsOfTemplates(network);
  return {
    has: (tripId) => network.trips.has(tripId),
    runsOf: (templateTripId): TripRun[] =>
      (runs.get(templateTripId) ?? []).map((r) => ({ ...r, departureMs: serviceTimeToEpochMs(serviceDay, r.startS, network.timezone) })),
  };
}
