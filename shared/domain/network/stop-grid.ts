/**
 * Nearby stops from a grid over the city: stops bucketed once (per network version) into cells of a fixed size
 * in degrees, so a query reads only the cells its circle touches instead of every stop.
 */
import type { Stop } from '../../gtfs/model.js';
import { haversineM, type LatLon } from '../../kernel/geo/polyline.js';

/** ~550 m of latitude: a 500 m query reads about 9 cells. */
const CELL_DEG = 0.005;
const M_PER_DEG_LAT = 111_320;

export interface NearbyStop {
  stop: Stop;
  distanceM: number;
}

export class StopGridIndex {
  private readonly cells = new Map<string, Stop[]>();

  constructor(stops: Iterable<Stop>) {
    for (const stop of stops) {
      const key = cellKey(cellOf(stop.lat), cellOf(stop.lon));
      const cell = this.cells.get(key);
      if (cell) cell.push(stop);
      else this.cells.set(key, [stop]);
    }
  }

  /** The stops within `radiusM` of `at`, nearest first (ties by stop id), at most `limit`. */
  nearby(at: LatLon, radiusM: number, limit: number): NearbyStop[] {
    const dLat = radiusM / M_PER_DEG_LAT;
    const dLon = radiusM / (M_PER_DEG_LAT * Math.max(Math.cos((at.lat * Math.PI) / 180), 1e-6));
    const [i0, i1, j0, j1] = [cellOf(at.lat - dLat), cellOf(at.lat + dLat), cellOf(at.lon - dLon), cellOf(at.lon + dLon)];
    const found: NearbyStop[] = [];
    const visit = (stops: readonly Stop[]) => {
      for (const stop of stops) {
        const distanceM = haversineM(at, stop);
        if (distanceM <= radiusM) found.push({ stop, distanceM });
      }
    };
    // Near the poles a circle spans more cells than the city has: reading the occupied cells is then cheaper.
    if ((i1 - i0 + 1) * (j1 - j0 + 1) > this.cells.size) for (const stops of this.cells.values()) visit(stops);
    else for (let i = i0; i <= i1; i++) for (let j = j0; j <= j1; j++) visit(this.cells.get(cellKey(i, j)) ?? []);
    found.sort((a, b) => a.distanceM - b.distanceM || a.stop.stopId.localeCompare(b.stop.stopId));
    return found.slice(0, limit);
  }
}

function cellOf(deg: number): number {
  return Math.floor(deg / CELL_DEG);
}

function cellKey(i: number, j: number): string {
  return `${i}:${j}`;
}
