/**
 * Lambda functions: where their code is, what starts them and what they may touch. CDK grants exactly these
 * table rights; the local stack wires the same handlers to the same sources.
 */
import type { TableName } from './tables.js';
import { outboundTopics } from './topics.js';

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
  /** MQTT topic templates (`bus/{busId}/assignment`) the function publishes to through IoT's data plane. */
  publishes?: readonly string[];
  /** Needs the key that seals pagination cursors. */
  cursorKey?: boolean;
}

export const functions = {
  ingestTelemetry: {
    id: 'IngestTelemetry',
    description: 'Validates bus telemetry and stores positions, taps, wifi, duty and vehicle state',
    entry: 'functions/ingest-telemetry/handler.ts',
    memoryMb: 1024,
    timeoutS: 60,
    tables: {
      vehicles: 'readWrite',
      telemetry: 'readWrite',
      rejects: 'write',
      tripOrders: 'readWrite',
      journeys: 'readWrite',
      network: 'read',
      arrivals: 'write',
      travelTimes: 'readWrite',
    },
    source: { kind: 'stream', stream: 'telemetry' },
    cardHashKey: true,
    publishes: [outboundTopics.stopArrivals.template],
  },
  apiTripOrders: {
    id: 'ApiTripOrders',
    description: 'Trip orders: create, list, get, issue, approve, amend, cancel, terminal confirmations',
    entry: 'functions/api-trip-orders/handler.ts',
    memoryMb: 512,
    timeoutS: 15,
    tables: { tripOrders: 'readWrite', routeContracts: 'read', vehicles: 'read', network: 'read' },
    source: { kind: 'http' },
    publishes: [outboundTopics.assignment.template],
    cursorKey: true,
  },
  apiRouteContracts: {
    id: 'ApiRouteContracts',
    description: 'Route contracts: list, import a new set of versions',
    entry: 'functions/api-route-contracts/handler.ts',
    memoryMb: 256,
    timeoutS: 10,
    tables: { routeContracts: 'readWrite' },
    source: { kind: 'http' },
  },
  apiOpenapi: {
    id: 'ApiOpenapi',
    description: 'The OpenAPI 3.1 document of the API',
    entry: 'functions/api-openapi/handler.ts',
    memoryMb: 256,
    timeoutS: 5,
    tables: {},
    source: { kind: 'http' },
  },
  apiJourneys: {
    id: 'ApiJourneys',
    description: 'Trips performed and stop visits by day, operator, route and bus; TIDES CSV exports',
    entry: 'functions/api-journeys/handler.ts',
    memoryMb: 1024,
    timeoutS: 30,
    // Complaints: the quality view counts the confirmed ones per operator.
    tables: { journeys: 'read', complaints: 'read' },
    source: { kind: 'http' },
    cursorKey: true,
  },
  apiComplaints: {
    id: 'ApiComplaints',
    description: 'Complaints (phản ánh): record one with the evidence of the journeys and GPS fixes at the stop and a verdict; list and get',
    entry: 'functions/api-complaints/handler.ts',
    memoryMb: 1024,
    timeoutS: 29,
    // Evidence: the journeys at the stop, the buses' fixes around it, the plate's bus, the route's contract, the stop.
    tables: { complaints: 'readWrite', journeys: 'read', telemetry: 'read', vehicles: 'read', routeContracts: 'read', network: 'read' },
    source: { kind: 'http' },
    cursorKey: true,
  },
  apiNetwork: {
    id: 'ApiNetwork',
    description: 'Public network for passengers: routes, stops near a point or by name, the GTFS feed',
    entry: 'functions/api-network/handler.ts',
    // The network and its indexes stay in memory per cold start; the GTFS zip is written once per version.
    memoryMb: 1024,
    timeoutS: 15,
    tables: { network: 'read' },
    source: { kind: 'http' },
  },
  apiPassenger: {
    id: 'ApiPassenger',
    description: 'Public live data for passengers: the next arrivals at a stop (cached by the ingest path), live vehicles',
    entry: 'functions/api-passenger/handler.ts',
    memoryMb: 1024,
    timeoutS: 10,
    tables: { arrivals: 'read', vehicles: 'read', network: 'read', tripOrders: 'read' },
    source: { kind: 'http' },
  },
  apiGtfsRt: {
    id: 'ApiGtfsRt',
    description: 'Public GTFS-Realtime feeds: vehicle positions and trip updates',
    entry: 'functions/api-gtfs-rt/handler.ts',
    // The network stays in memory per cold start; one build serves every request for a few seconds.
    memoryMb: 1024,
    timeoutS: 15,
    tables: { network: 'read', vehicles: 'read', tripOrders: 'read' },
    source: { kind: 'http' },
  },
  apiReconciliations: {
    id: 'ApiReconciliations',
    description: 'Reconciliation: run a day, statements with evidence, diffs, review, approval, reopen, exports, monthly settlement, advances',
    entry: 'functions/api-reconciliations/handler.ts',
    memoryMb: 1536,
    timeoutS: 29,
    // Approval moves the day's trip orders to reconciled; runs read journeys and contracts.
    tables: { reconciliations: 'readWrite', tripOrders: 'readWrite', journeys: 'read', routeContracts: 'read' },
    source: { kind: 'http' },
    cursorKey: true,
  },
  jobReconcileDay: {
    id: 'JobReconcileDay',
    description: 'Reconciles the service day that ended, for every operator (a new version only where the inputs changed)',
    entry: 'functions/job-reconcile-day/handler.ts',
    memoryMb: 2048,
    timeoutS: 900,
    tables: { reconciliations: 'readWrite', tripOrders: 'read', journeys: 'read', routeContracts: 'read' },
    source: { kind: 'schedule' },
  },
  jobCloseServiceDay: {
    id: 'JobCloseServiceDay',
    description: 'Day end: recomputes the journeys of the service day that ended and closes its trip orders',
    entry: 'functions/job-close-service-day/handler.ts',
    memoryMb: 1536,
    timeoutS: 900,
    tables: { tripOrders: 'readWrite', journeys: 'readWrite', telemetry: 'read', vehicles: 'read', network: 'read' },
    source: { kind: 'schedule' },
  },
} as const satisfies Record<string, FunctionDef>;

export type FunctionName = keyof typeof functions;
