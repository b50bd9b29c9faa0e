/**
 * DynamoDB tables: keys, indexes, TTL and the key formats of every item. CDK creates tables from these
 * definitions, the local stack creates the same tables in DynamoDB Local, and repositories build keys only
 * through the functions below.
 */
import { retention, type TableRetention } from './retention.js';

type KeyType = 'S' | 'N';
export interface KeyAttribute {
  name: string;
  type: KeyType;
}
interface IndexDef {
  name: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  /**
   * What the index holds of each item: `all` its attributes (the default), `keys` only the keys. A keys-only
   * index of a busy table is written only when its own key changes, not at every update of the item.
   */
  projection?: 'all' | 'keys';
}
export interface TableDef {
  /** Logical name; the physical name comes from configuration (see adapters/config). */
  name: string;
  description: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  indexes: IndexDef[];
  ttlAttribute?: string;
  retention: TableRetention;
}

const s = (name: string): KeyAttribute => ({ name, type: 'S' });

export const tables = {
  vehicles: {
    name: 'vehicles',
    description: "One item per bus: registry (operator, plate), latest position, duty, tracker state, version; stop boards' local credentials",
    partitionKey: s('busId'),
    indexes: [
      { name: 'byRoute', partitionKey: s('routeId'), sortKey: s('busId') },
      // Complaints name a bus by its plate; positions update the item every few seconds, the plate almost never.
      { name: 'byPlate', partitionKey: s('plateKey'), projection: 'keys' },
    ],
    retention: {
      personalData: false,
      rebuildable: false,
      why: 'The bus registry (operator, plate) and stop boards are entered by people; the live state is overwritten in place',
    },
  },
  telemetry: {
    name: 'telemetry',
    description: 'Raw positions (chunked), taps, wifi samples and duty events per bus and service day',
    partitionKey: s('pk'),
    sortKey: s('sk'),
    indexes: [],
    ttlAttribute: 'expiresAt',
    retention: {
      ttlHours: retention.telemetryDays * 24,
      personalData: true,
      rebuildable: false,
      why: 'Raw evidence behind journeys and reconciliation; taps carry card pseudonyms. Kept long enough to recompute a disputed month, then deleted',
    },
  },
  network: {
    name: 'network',
    description: 'GTFS-derived networks, versioned: routes, stops, patterns, shapes, trips, services, and the current version',
    partitionKey: s('pk'),
    sortKey: s('sk'),
    indexes: [],
    retention: {
      personalData: false,
      rebuildable: true,
      why: 'Re-imported from the GTFS feeds (npm run network:import); old versions stay for the journeys that refer to them',
    },
  },
  tripOrders: {
    name: 'trip-orders',
    description: 'Electronic trip orders (lệnh vận chuyển) with their audit trail, and order-number guards',
    partitionKey: s('pk'),
    sortKey: s('sk'),
    indexes: [
      { name: 'byDay', partitionKey: s('dayKey'), sortKey: s('listKey') },
      { name: 'byVehicle', partitionKey: s('vehicleKey'), sortKey: s('listKey') },
    ],
    retention: {
      personalData: true,
      rebuildable: false,
      why: 'Legal record of each day’s service (drivers’ and staff ids) behind subsidy payments; kept until the archive policy removes it',
    },
  },
  routeContracts: {
    name: 'route-contracts',
    description: 'Route contracts, one item per route and version (effective-from day); a small table in one partition',
    partitionKey: s('pk'),
    sortKey: s('sk'),
    indexes: [],
    retention: {
      personalData: false,
      rebuildable: false,
      why: 'Terms of each route contract by version; a settlement is recomputed with the version in force that day',
    },
  },
  journeys: {
    name: 'journeys',
    description: 'Trips performed with their stop visits (TIDES), per service day; recomputed when late data arrives',
    partitionKey: s('pk'),
    sortKey: s('sk'),
    indexes: [{ name: 'byBus', partitionKey: s('busKey'), sortKey: s('sk') }],
    retention: {
      personalData: true,
      rebuildable: false,
      why: 'Trips performed and their passenger events (card pseudonyms); outlives the raw telemetry it was computed from, so it cannot be recomputed after 60 days',
    },
  },
  reconciliations: {
    name: 'reconciliations',
    description:
      'Reconciliation of each operator-day: statement versions, the current-version pointer, resolutions, payment records (approvals), audit events; advances per operator and month',
    partitionKey: s('pk'),
    sortKey: s('sk'),
    indexes: [
      { name: 'byDay', partitionKey: s('dayKey'), sortKey: s('operatorKey') },
      { name: 'byOperator', partitionKey: s('operatorKey'), sortKey: s('dayKey') },
    ],
    retention: {
      personalData: false,
      rebuildable: false,
      why: 'Statements and immutable payment records (approvals): the basis of subsidy payments, kept with the financial records',
    },
  },
  rejects: {
    name: 'rejects',
    description: 'Rejected messages and records with their reason, per day of receipt',
    partitionKey: s('pk'),
    sortKey: s('sk'),
    indexes: [{ name: 'byBus', partitionKey: s('busId'), sortKey: s('sk') }],
    ttlAttribute: 'expiresAt',
    retention: {
      ttlHours: retention.rejectsDays * 24,
      personalData: true,
      rebuildable: true,
      why: 'Diagnostics of refused messages (raw payloads may hold card ids); long enough to fix a device, losing them loses no service data',
    },
  },
  travelTimes: {
    name: 'travel-times',
    description: 'Learned travel-time history per pattern: running time per segment and time band, recent ratios, dwell; from stop visits',
    partitionKey: s('patternId'),
    indexes: [],
    retention: {
      personalData: false,
      rebuildable: true,
      why: 'Learned again from live stop visits within days; predictions fall back to the schedule meanwhile',
    },
  },
  arrivals: {
    name: 'arrivals',
    description: 'Predicted arrivals cached per stop and trip (a stop read with one Query), written by the ingest path',
    partitionKey: s('stopId'),
    // One small item per stop and trip: a write is billed by its own entry, not by every trip through the stop.
    sortKey: s('tripId'),
    indexes: [],
    ttlAttribute: 'expiresAt',
    retention: {
      ttlHours: retention.arrivalsHours,
      personalData: false,
      rebuildable: true,
      why: 'A cache of predictions, rewritten by every batch of positions',
    },
  },
  complaints: {
    name: 'complaints',
    description: "Passengers' complaints (phản ánh) with the evidence from the journeys and the verdict, by id and by service day",
    partitionKey: s('id'),
    indexes: [{ name: 'byDay', partitionKey: s('serviceDay'), sortKey: s('listKey') }],
    ttlAttribute: 'expiresAt',
    retention: {
      ttlHours: retention.complaintsDays * 24,
      personalData: true,
      rebuildable: false,
      why: "A passenger's complaint (contact details may be in its text) and the evidence behind the verdict; kept two years for appeals and yearly reviews, then deleted",
    },
  },
} as const satisfies Record<string, TableDef>;

export type TableName = keyof typeof tables;

/** Environment variable that carries a table's physical name into a function. */
export function tableEnvVar(name: TableName): string {
  return `TABLE_${tables[name].name.toUpperCase().replace(/-/g, '_')}`;
}

/** Fixed-width ISO instant: sorts as text in time order. */
export function isoInstant(tsMs: number): string {
  return new Date(tsMs).toISOString();
}

/** Key formats. Every key is built here and nowhere else. */
export const keys = {
  vehicle: (busId: string) => ({ busId }),
  /** A plate as the byPlate index keys it: letters and digits only, upper case (`51B-123.45` → `51B12345`). */
  plateKey: (plate: string) => plate.toUpperCase().replace(/[^0-9A-Z]/g, ''),
  /** A stop board's registry entry on the vehicles table: `#` is never part of a bus id. */
  boardDevice: (stopId: string) => `BOARD#${stopId}`,
  /** The one item listing the stops that have a registered board (what the ingest path tells). */
  boardRegistry: 'BOARD#',
  telemetry: {
    partition: (busId: string, serviceDay: string) => `BUS#${busId}#${serviceDay}`,
    gpsChunk: (firstTsMs: number) => `GPS#${isoInstant(firstTsMs)}`,
    gpsPrefix: 'GPS#',
    tap: (tapId: string) => `TAP#${tapId}`,
    tapPrefix: 'TAP#',
    wifi: (tsMs: number) => `WIFI#${isoInstant(tsMs)}`,
    wifiPrefix: 'WIFI#',
    duty: (tsMs: number, event: string) => `DUTY#${isoInstant(tsMs)}#${event}`,
    dutyPrefix: 'DUTY#',
  },
  network: {
    /** Version metadata and the pointer to the current version live under one partition. */
    registry: 'NETWORK',
    version: (version: string) => `VERSION#${version}`,
    current: 'CURRENT',
    routes: (version: string) => `NET#${version}#ROUTES`,
    stops: (version: string) => `NET#${version}#STOPS`,
    services: (version: string) => `NET#${version}#SERVICES`,
    agencies: (version: string) => `NET#${version}#AGENCIES`,
    route: (version: string, routeId: string) => `NET#${version}#ROUTE#${routeId}`,
    pattern: (patternId: string) => `PATTERN#${patternId}`,
    shape: (shapeId: string) => `SHAPE#${shapeId}`,
    trip: (tripId: string) => `TRIP#${tripId}`,
  },
  tripOrder: {
    item: (id: string) => ({ pk: `ORDER#${id}`, sk: 'ORDER' }),
    /** Guards the uniqueness of an operator's order number. */
    orderNumber: (operatorId: string, orderNumber: string) => ({ pk: `ORDERNO#${operatorId}#${orderNumber}`, sk: 'ORDERNO' }),
    dayKey: (serviceDay: string) => `DAY#${serviceDay}`,
    vehicleKey: (busId: string, serviceDay: string) => `BUS#${busId}#${serviceDay}`,
    /** Sorts a day's orders by operator, route and vehicle, so that prefixes select each. */
    listKey: (operatorId: string, routeId: string, busId: string, id: string) => `OP#${operatorId}#ROUTE#${routeId}#BUS#${busId}#${id}`,
    listPrefix: (operatorId: string, routeId?: string) => `OP#${operatorId}#${routeId ? `ROUTE#${routeId}#` : ''}`,
  },
  routeContract: {
    partition: 'CONTRACTS',
    sort: (routeId: string, effectiveFrom: string) => `ROUTE#${routeId}#FROM#${effectiveFrom}`,
    routePrefix: (routeId: string) => `ROUTE#${routeId}#`,
  },
  journey: {
    partition: (serviceDay: string) => `DAY#${serviceDay}`,
    /** A day's trips sorted by operator and route, so that prefixes select each. */
    trip: (operatorId: string, routeId: string, tripId: string) => `OP#${operatorId}#ROUTE#${routeId}#TRIP#${tripId}`,
    prefix: (operatorId: string, routeId?: string) => `OP#${operatorId}#${routeId ? `ROUTE#${routeId}#` : ''}`,
    busKey: (busId: string, serviceDay: string) => `BUS#${busId}#${serviceDay}`,
    /** A day's reconciliation summaries (what reconciliation reads of its trips), one item per operator and bus. */
    summaryPartition: (serviceDay: string) => `RECON#${serviceDay}`,
    summary: (operatorId: string, busId: string) => `OP#${operatorId}#BUS#${busId}`,
  },
  travelTimes: (patternId: string) => ({ patternId }),
  arrivals: {
    /** One trip's entry on a stop. */
    entry: (stopId: string, tripId: string) => ({ stopId, tripId }),
  },
  reconciliation: {
    /** Everything of one operator-day lives in one partition. */
    partition: (serviceDay: string, operatorId: string) => `DAY#${serviceDay}#OP#${operatorId}`,
    /** The pointer to the visible version; the only item the two indexes hold. */
    current: 'CURRENT',
    version: (version: number) => `VERSION#${String(version).padStart(6, '0')}`,
    versionPrefix: 'VERSION#',
    /** A part of a version's compressed statement; the input hash in the key keeps concurrent runs apart. */
    part: (version: number, inputHash: string, part: number) => `PART#${String(version).padStart(6, '0')}#${inputHash}#${String(part).padStart(4, '0')}`,
    resolution: (lineId: string) => `RESOLUTION#${lineId}`,
    resolutionPrefix: 'RESOLUTION#',
    /** A payment record: written once, never changed. */
    approval: (sequence: number) => `APPROVAL#${String(sequence).padStart(4, '0')}`,
    approvalPrefix: 'APPROVAL#',
    audit: (atMs: number, id: string) => `AUDIT#${isoInstant(atMs)}#${id}`,
    auditPrefix: 'AUDIT#',
    dayKey: (serviceDay: string) => `DAY#${serviceDay}`,
    operatorKey: (operatorId: string) => `OP#${operatorId}`,
    advances: (operatorId: string, month: string) => `ADVANCES#${operatorId}#${month}`,
    advance: (id: string) => `ADVANCE#${id}`,
  },
  complaint: {
    item: (id: string) => ({ id }),
    /** A day's complaints in the order of the instant complained about. */
    listKey: (atMs: number, id: string) => `${isoInstant(atMs)}#${id}`,
  },
  reject: {
    partition: (day: string) => `DAY#${day}`,
    /** Deterministic from the content, so a redelivered bad message is stored once. */
    sort: (busId: string, digest: string) => `BUS#${busId}#${digest}`,
    busPrefix: (busId: string) => `BUS#${busId}#`,
  },
} as const;
