/** A trip's shape measured once per shape object (the network is immutable once loaded). */
import type { Network, Trip } from '../../gtfs/model.js';
import { measurePolyline, type MeasuredPolyline } from '../../kernel/geo/polyline.js';

const lines = new WeakMap<object, MeasuredPolyline>();

/** The trip's shape as a measured polyline; undefined when the network has no points for it. */
export function shapeLineOf(network: Network, trip: Trip): MeasuredPolyline | undefined {
  const shape = network.shapes.get(trip.shapeId);
  if (!shape || shape.points.length === 0) return undefined;
  let line = lines.get(shape);
  if (!line) {
    line = measurePolyline(shape.points);
    lines.set(shape, line);
  }
  return line;
}
