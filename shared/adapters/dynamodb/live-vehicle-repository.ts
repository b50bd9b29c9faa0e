/**
 * The passengers' read of the `vehicles` table: position, plate and the trip the predictions found, or the
 * layover before the next one (kept on the item's `routeId`, indexed by `byRoute`, and `trip`). Written apart from the versioned state: the trip is
 * derived, and losing a write only delays it to the next batch.
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys, tables } from '../../catalogue/index.js';
import type { CachedTripPrediction, WrittenEntries } from '../../domain/predictions/cache-changes.js';
import type { LiveVehicleRecord, VehicleLayover, VehicleTrip } from '../../domain/vehicles/live-view.js';
import type { VehiclePosition } from '../../domain/vehicles/vehicle-state.js';
import { queryAll } from './query-all.js';

const PROJECTION = 'busId, plate, operatorId, #position, #clock, routeId, #trip';
const NAMES = { '#position': 'position', '#clock': 'clock', '#trip': 'trip' };

/**
 * What the ingest path's predictions keep of a bus between batches (the item's `prediction`): the trip it last
 * ran, what its entries in the arrivals cache hold (to write only what changed, and clear the trips it no longer
 * runs, without reading the cache), and its trip's and its next trip's predicted arrivals as cached (read by the
 * GTFS-Realtime trip updates).
 */
export interface BusPredictionState {
  lastTripId?: string;
  written: WrittenEntries;
  trip?: CachedTripPrediction;
  /** Its next trip's (not started) as cached, with the predicted departure. */
  next?: CachedTripPrediction;
}

export class DynamoLiveVehicleRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * Keeps the predictions' state of the bus and, on a trip, puts it on the trip's route (the byRoute index) with
   * its next stop and delay; on layover, on the route of its next (or last) trip with no trip; signed off
   * (`trip` absent), it stays on its route with neither.
   */
  async setPredictions(busId: string, trip: VehicleTrip | VehicleLayover | undefined, prediction: BusPredictionState): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.vehicle(busId),
        UpdateExpression: trip ? 'SET routeId = :route, #trip = :trip, #prediction = :prediction' : 'SET #prediction = :prediction REMOVE #trip',
        ConditionExpression: 'attribute_exists(busId)',
        ExpressionAttributeNames: { '#trip': 'trip', '#prediction': 'prediction' },
        ExpressionAttributeValues: { ':prediction': prediction, ...(trip ? { ':route': trip.routeId, ':trip': trip } : {}) },
      }),
    );
  }

  /** The predictions' state of the bus; empty before its first trip. */
  async predictionState(busId: string): Promise<BusPredictionState> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.vehicle(busId),
        ProjectionExpression: '#prediction',
        ExpressionAttributeNames: { '#prediction': 'prediction' },
      }),
    );
    const state = out.Item?.prediction as BusPredictionState | undefined;
    // A state kept before entries were compared (or none): nothing known written.
    return state && typeof state.written === 'object' && state.written !== null
      ? state
      : { ...(state?.lastTripId ? { lastTripId: state.lastTripId } : {}), written: {} };
  }

  async get(busId: string): Promise<LiveVehicleRecord | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.vehicle(busId), ProjectionExpression: PROJECTION, ExpressionAttributeNames: NAMES }),
    );
    return out.Item && typeof out.Item.operatorId === 'string' ? toRecord(out.Item) : undefined;
  }

  /** The buses last seen on the route. */
  async onRoute(routeId: string): Promise<LiveVehicleRecord[]> {
    const items = await queryAll(this.doc, {
      TableName: this.table,
      IndexName: tables.vehicles.indexes[0].name,
      KeyConditionExpression: 'routeId = :route',
      // Only what passengers see, not the ingest's and the registry's fields (duty, version, credential digest).
      ProjectionExpression: PROJECTION,
      ExpressionAttributeNames: NAMES,
      ExpressionAttributeValues: { ':route': routeId },
    });
    return items.map(toRecord);
  }
}

function toRecord(item: Record<string, unknown>): LiveVehicleRecord {
  const clock = item.clock as { offsetMs?: number } | undefined;
  return {
    busId: String(item.busId),
    ...(typeof item.plate === 'string' ? { plate: item.plate } : {}),
    ...(typeof item.operatorId === 'string' ? { operatorId: item.operatorId } : {}),
    ...(item.position ? { position: item.position as VehiclePosition } : {}),
    ...(typeof clock?.offsetMs === 'number' ? { clockOffsetMs: clock.offsetMs } : {}),
    ...(item.trip ? { trip: item.trip as VehicleTrip | VehicleLayover } : {}),
  };
}
