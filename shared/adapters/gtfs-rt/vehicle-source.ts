/**
 * The buses the realtime feeds publish, read from the `vehicles` table: each item's last position and, when on
 * duty, its current trip and the predictions the ingest path cached for it and for its next trip. Fields the live side may add to
 * the item (route, service date) are read when present.
 */
import { paginateScan, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RealtimeVehicle, RealtimeVehicleSource } from '../../domain/gtfs-rt/ports.js';
import type { CachedTripPrediction } from '../../domain/predictions/cache-changes.js';
import type { VehicleDuty, VehiclePosition } from '../../domain/vehicles/vehicle-state.js';

type DutyItem = VehicleDuty & { routeId?: string; serviceDay?: string };

export class DynamoRealtimeVehicleSource implements RealtimeVehicleSource {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async vehicles(): Promise<RealtimeVehicle[]> {
    const out: RealtimeVehicle[] = [];
    const input = {
      TableName: this.table,
      ProjectionExpression: 'busId, plate, #position, #duty, #prediction.#trip, #prediction.#next',
      ExpressionAttributeNames: { '#position': 'position', '#duty': 'duty', '#prediction': 'prediction', '#trip': 'trip', '#next': 'next' },
      FilterExpression: 'attribute_exists(#position)',
    };
    for await (const page of paginateScan({ client: this.doc }, input)) {
      for (const item of page.Items ?? []) {
        const vehicle = realtimeVehicleOf(item);
        if (vehicle) out.push(vehicle);
      }
    }
    return out;
  }
}

/** One item as the feeds see it; undefined without a usable position. */
export function realtimeVehicleOf(item: Record<string, unknown>): RealtimeVehicle | undefined {
  const position = item.position as VehiclePosition | undefined;
  const duty = item.duty as DutyItem | undefined;
  if (typeof item.busId !== 'string' || !position || typeof position.ts !== 'number') return undefined;
  const onTrip = duty?.onDuty && typeof duty.tripId === 'string' ? duty : undefined;
  const cached = item.prediction as { trip?: CachedTripPrediction; next?: CachedTripPrediction } | undefined;
  const prediction = cached?.trip;
  // The next trip of a bus on duty, not the one it runs (a stale state written before it started).
  const next = duty?.onDuty && cached?.next && cached.next.tripId !== onTrip?.tripId && Array.isArray(cached.next.stops) ? cached.next : undefined;
  return {
    busId: item.busId,
    ...(typeof item.plate === 'string' ? { label: item.plate } : {}),
    fixMs: position.ts,
    lat: position.lat,
    lon: position.lon,
    ...(position.heading === undefined ? {} : { bearingDeg: position.heading }),
    ...(position.speedKmh === undefined ? {} : { speedKmh: position.speedKmh }),
    ...(onTrip?.tripId ? { tripId: onTrip.tripId } : {}),
    ...(typeof onTrip?.routeId === 'string' ? { routeId: onTrip.routeId } : {}),
    ...(typeof onTrip?.serviceDay === 'string' ? { serviceDate: onTrip.serviceDay } : {}),
    ...(prediction && prediction.tripId === onTrip?.tripId && Array.isArray(prediction.stops) ? { prediction } : {}),
    ...(next ? { nextPrediction: next } : {}),
  };
}
