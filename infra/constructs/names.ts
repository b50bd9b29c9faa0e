/** Construct ids and paths derived from catalogue names, so logical ids follow the catalogue. */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Stage } from '../../shared/catalogue/index.js';

/** `ingestTelemetry` / `ingest-telemetry` / `busflow_telemetry_gps` → `IngestTelemetry` / … / `BusflowTelemetryGps`. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/** The repository root: catalogue entries are paths from it. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The stack of a stage: `BusFlow-dev`, `BusFlow-prod` (exports, the API's and dashboard's names follow it). */
export function stackName(stage: Stage): string {
  return `BusFlow-${stage}`;
}
