/**
 * Lambda functions: where their code is, what starts them and what they may touch. CDK grants exactly these
 * table rights; the local stack wires the same handlers to the same sources.
 */
import type { TableName } from './tables.js';

export type TableAccess = 'read' | 'write' | 'readWrite';

export interface FunctionDef {
  id: string;
  description: string;
  /** Path from the project root to the handler module; the export is `handler`. */
  entry: string;
  memoryMb: number;
  timeoutS: number;
  tables: Partial<Record<TableName, TableAccess>>;
  source: { kind: 'stream'; stream: 'telemetry' } | { kind: 'http' } | { kind: 'schedule' };
  /** Needs the card-pseudonymisation key. */
  cardHashKey?: boolean;
}

export const functions = {
  ingestTelemetry: {
    id: 'IngestTelemetry',
    description: 'Validates bus telemetry and stores positions, taps, wifi, duty and vehicle state',
    entry: 'functions/ingest-telemetry/handler.ts',
    memoryMb: 1024,
    timeoutS: 60,
    tables: { vehicles: 'readWrite', telemetry: 'readWrite', rejects: 'write' },
    source: { kind: 'stream', stream: 'telemetry' },
    cardHashKey: true,
  },
} as const satisfies Record<string, FunctionDef>;

export type FunctionName = keyof typeof functions;
