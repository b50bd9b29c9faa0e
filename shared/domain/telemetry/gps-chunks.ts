/**
 * Raw positions are stored in chunks (one item per bus per batch and time window) rather than one item per
 * point: a chunk of 60 points costs one write instead of 60. This module splits points into chunks and
 * encodes them compactly.
 */
import type { GpsRecord } from '../../catalogue/index.js';
import { serviceDayOf } from '../../kernel/time/service-day.js';
import { correctedTs } from './clock-offset.js';

/** A chunk never spans more than this, so a time-range lookup knows how far back a chunk may start. */
export const GPS_CHUNK_SPAN_MS = 10 * 60_000;
export const GPS_CHUNK_MAX_POINTS = 600;

export interface GpsChunk {
  serviceDay: string;
  firstTsMs: number;
  lastTsMs: number;
  /** Points with corrected ts. */
  points: GpsRecord[];
  /** The clock offset the points were corrected by: device ts = ts + clockOffsetMs. */
  clockOffsetMs: number;
}

/**
 * Splits points (device ts, sorted, unique) into chunks by service day, span and size, their ts corrected by
 * the bus's clock offset (one offset per batch, so one per chunk).
 */
export function chunkGpsPoints(devicePoints: readonly GpsRecord[], clockOffsetMs = 0): GpsChunk[] {
  const chunks: GpsChunk[] = [];
  let current: GpsChunk | undefined;
  for (const d of devicePoints) {
    const p = clockOffsetMs === 0 ? d : { ...d, ts: correctedTs(d.ts, clockOffsetMs) };
    const day = serviceDayOf(p.ts);
    if (!current || current.serviceDay !== day || p.ts - current.firstTsMs >= GPS_CHUNK_SPAN_MS || current.points.length >= GPS_CHUNK_MAX_POINTS) {
      current = { serviceDay: day, firstTsMs: p.ts, lastTsMs: p.ts, points: [], clockOffsetMs };
      chunks.push(current);
    }
    current.points.push(p);
    current.lastTsMs = p.ts;
  }
  return chunks;
}

const FIELD_SEP = ',';
const POINT_SEP = ';';

function num(v: number | undefined, digits: number): string {
  if (v === undefined) return '';
  // toFixed then strip trailing zeros: short text, exact to the stored precision.
  const s = v.toFixed(digits);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/**
 * Encodes points as `dtMs,lat,lon,speedKmh,heading,accuracyM,door,odometerM;…` with dt from the first point;
 * absent fields are empty. Lat/lon keep 6 decimals (≈ 0.1 m).
 */
export function encodeGpsPoints(firstTsMs: number, points: readonly GpsRecord[]): string {
  let out = '';
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    if (i > 0) out += POINT_SEP;
    out +=
      p.ts -
      firstTsMs +
      FIELD_SEP +
      num(p.lat, 6) +
      FIELD_SEP +
      num(p.lon, 6) +
      FIELD_SEP +
      num(p.speedKmh, 1) +
      FIELD_SEP +
      num(p.heading, 0) +
      FIELD_SEP +
      num(p.accuracyM, 1) +
      FIELD_SEP +
      (p.doorOpen === undefined ? '' : p.doorOpen ? '1' : '0') +
      FIELD_SEP +
      num(p.odometerM, 0);
  }
  return out;
}

/** Inverse of encodeGpsPoints. */
export function decodeGpsPoints(firstTsMs: number, encoded: string): GpsRecord[] {
  if (!encoded) return [];
  return encoded.split(POINT_SEP).map((text) => {
    const [dt, lat, lon, speed, heading, acc, door, odo] = text.split(FIELD_SEP);
    const p: GpsRecord = { ts: firstTsMs + Number(dt), lat: Number(lat), lon: Number(lon) };
    if (speed) p.speedKmh = Number(speed);
    if (heading) p.heading = Number(heading);
    if (acc) p.accuracyM = Number(acc);
    if (door) p.doorOpen = door === '1';
    if (odo) p.odometerM = Number(odo);
    return p;
  });
}
