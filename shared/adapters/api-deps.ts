/** What every API function needs, built once per cold start from configuration. */
import type { Config } from './config.js';
import { loadSecretKey } from './card-pseudonymiser.js';
import { createDocumentClient, createDynamoClient } from './dynamodb/client.js';
import { DynamoArrivalsRepository } from './dynamodb/arrivals-repository.js';
import { DynamoLiveVehicleRepository } from './dynamodb/live-vehicle-repository.js';
import { DayTripOrders } from './day-trip-orders.js';
import { VehiclePlates } from './vehicle-plates.js';
import { RecentLiveReads } from './recent-live-reads.js';
import { DynamoContractRepository } from './dynamodb/contract-repository.js';
import { DynamoJourneyRepository } from './dynamodb/journey-repository.js';
import { DynamoNetworkRepository } from './dynamodb/network-repository.js';
import { DynamoTripOrderRepository } from './dynamodb/trip-order-repository.js';
import { DynamoVehicleRepository } from './dynamodb/vehicle-repository.js';
import { IotAssignmentPublisher } from './devices/iot-publisher.js';
import { CurrentNetwork } from './network/current-network.js';
import { RealtimeFeedCache } from './gtfs-rt/realtime-feeds.js';
import { DynamoRealtimeVehicleSource } from './gtfs-rt/vehicle-source.js';
import { tripDurationsOf } from './network/trip-durations.js';
import type { Logger } from '../domain/ports/logger.js';
import { systemClock, type Clock } from '../domain/ports/clock.js';
import type { AssignmentPublisher } from '../domain/trip-orders/ports.js';
import { TripOrderDesk } from '../domain/trip-orders/order-desk.js';
import { ConfigError } from './config.js';
import type { ReconciliationDesk } from '../domain/reconciliation-desk/desk.js';
import { reconciliationDesk } from './reconciliation.js';
import type { ComplaintDesk } from '../domain/complaints/desk.js';
import { complaintDesk } from './complaints.js';
import { DynamoComplaintRepository } from './dynamodb/complaint-repository.js';

export interface ApiDeps {
  logger: Logger;
  tripOrders: TripOrderDesk;
  journeys: DynamoJourneyRepository;
  contracts: DynamoContractRepository;
  reconciliations: ReconciliationDesk;
  cursorKey: string;
  now: () => number;
  /** The current network as passengers see it (the public network routes). */
  network: CurrentNetwork;
  /** The arrivals cached per stop by the ingest path (the public passenger routes), each stop's read kept 2 s. */
  arrivals: RecentLiveReads;
  vehicles: DynamoVehicleRepository;
  /** The buses' plates, kept a few minutes (the public passenger routes). */
  plates: VehiclePlates;
  /** The live buses by route and by id, each read kept 2 s. */
  liveVehicles: RecentLiveReads;
  dayTripOrders: DayTripOrders;
  /** The GTFS-Realtime feeds, kept a few seconds of the stack's clock. */
  realtimeFeeds: RealtimeFeedCache;
  /** Complaints checked against the journeys, on the stack's clock. */
  complaints: ComplaintDesk;
  /** The stored complaints, which the quality view counts. */
  complaintRecords: DynamoComplaintRepository;
}

export interface ApiDepsOptions {
  /** Locally, assignments go to the local broker; on AWS, to IoT Core. */
  assignments?: AssignmentPublisher;
  /** The stack's clock; absent: the system clock (AWS). */
  clock?: Clock;
}

export async function createApiDeps(config: Config, logger: Logger, opts: ApiDepsOptions = {}): Promise<ApiDeps> {
  const doc = createDocumentClient(createDynamoClient(config));
  const vehicles = new DynamoVehicleRepository(doc, config.tableNames.vehicles);
  const contracts = new DynamoContractRepository(doc, config.tableNames.routeContracts);
  const networks = new DynamoNetworkRepository(doc, config.tableNames.network);
  const network = await networks.loadNetwork();
  if (!network) logger.warn('no network imported: trip durations fall back to an hour');
  const assignments =
    opts.assignments ??
    (config.iotDataEndpoint
      ? new IotAssignmentPublisher(config.iotDataEndpoint, config.region)
      : (() => {
          throw new ConfigError('IOT_DATA_ENDPOINT is not set: assignments cannot reach the buses');
        })());
  const clock = opts.clock ?? systemClock;
  const now = () => clock.now();
  const cursorKey = await loadCursorKey(config);
  const current = new CurrentNetwork(networks);
  const dayTripOrders = new DayTripOrders(new DynamoTripOrderRepository(doc, config.tableNames.tripOrders));
  const liveReads = new RecentLiveReads(
    new DynamoArrivalsRepository(doc, config.tableNames.arrivals),
    new DynamoLiveVehicleRepository(doc, config.tableNames.vehicles),
    now,
  );
  return {
    logger,
    contracts,
    journeys: new DynamoJourneyRepository(doc, config.tableNames.journeys),
    cursorKey,
    now,
    network: current,
    arrivals: liveReads,
    vehicles,
    plates: new VehiclePlates(vehicles),
    liveVehicles: liveReads,
    dayTripOrders,
    realtimeFeeds: new RealtimeFeedCache(current, new DynamoRealtimeVehicleSource(doc, config.tableNames.vehicles), dayTripOrders, now),
    reconciliations: reconciliationDesk(doc, config.tableNames, logger, clock).desk,
    complaints: complaintDesk(doc, config.tableNames, clock, current),
    complaintRecords: new DynamoComplaintRepository(doc, config.tableNames.complaints),
    tripOrders: new TripOrderDesk({
      orders: new DynamoTripOrderRepository(doc, config.tableNames.tripOrders),
      contracts,
      vehicles: { registration: async (busId) => (await vehicles.getRegistration(busId)) ?? undefined },
      durations: tripDurationsOf(network),
      assignments,
      logger,
      clock,
    }),
  };
}

function loadCursorKey(config: Config): Promise<string> {
  return loadSecretKey(config.cursorKey, config.region, 'cursor key', 'BUSFLOW_CURSOR_KEY', 'CURSOR_KEY_SECRET_ARN');
}

/** The journeys function's: its table, the complaints (counted by the quality view) and the cursor key. */
export async function createJourneyApiDeps(
  config: Config,
): Promise<{ journeys: DynamoJourneyRepository; complaintRecords: DynamoComplaintRepository; cursorKey: string }> {
  const doc = createDocumentClient(createDynamoClient(config));
  return {
    journeys: new DynamoJourneyRepository(doc, config.tableNames.journeys),
    complaintRecords: new DynamoComplaintRepository(doc, config.tableNames.complaints),
    cursorKey: await loadCursorKey(config),
  };
}

/** The complaints function's: the desk over its tables (the system clock), and the cursor key. */
export async function createComplaintApiDeps(config: Config): Promise<{ complaints: ComplaintDesk; cursorKey: string }> {
  return {
    complaints: complaintDesk(createDocumentClient(createDynamoClient(config)), config.tableNames, systemClock),
    cursorKey: await loadCursorKey(config),
  };
}

/** The route-contracts function's: its table. */
export async function createContractApiDeps(config: Config): Promise<{ contracts: DynamoContractRepository }> {
  return { contracts: new DynamoContractRepository(createDocumentClient(createDynamoClient(config)), config.tableNames.routeContracts) };
}

/** The network function's: the current network, loaded on first use and indexed once per version. */
export async function createNetworkApiDeps(config: Config): Promise<{ network: CurrentNetwork }> {
  return { network: new CurrentNetwork(new DynamoNetworkRepository(createDocumentClient(createDynamoClient(config)), config.tableNames.network)) };
}

/** The passenger function's: the current network, the arrivals cached per stop, the vehicles; the system clock. */
export async function createPassengerApiDeps(config: Config): Promise<{
  network: CurrentNetwork;
  arrivals: RecentLiveReads;
  plates: VehiclePlates;
  liveVehicles: RecentLiveReads;
  dayTripOrders: DayTripOrders;
  now: () => number;
}> {
  const doc = createDocumentClient(createDynamoClient(config));
  const now = () => systemClock.now();
  const liveReads = new RecentLiveReads(
    new DynamoArrivalsRepository(doc, config.tableNames.arrivals),
    new DynamoLiveVehicleRepository(doc, config.tableNames.vehicles),
    now,
  );
  return {
    network: new CurrentNetwork(new DynamoNetworkRepository(doc, config.tableNames.network)),
    arrivals: liveReads,
    plates: new VehiclePlates(new DynamoVehicleRepository(doc, config.tableNames.vehicles)),
    liveVehicles: liveReads,
    dayTripOrders: new DayTripOrders(new DynamoTripOrderRepository(doc, config.tableNames.tripOrders)),
    now,
  };
}

/** The GTFS-Realtime function's: the current network, the vehicles and the day's trip orders, behind the feeds' cache. */
export async function createGtfsRtApiDeps(config: Config): Promise<{ realtimeFeeds: RealtimeFeedCache }> {
  const doc = createDocumentClient(createDynamoClient(config));
  const network = new CurrentNetwork(new DynamoNetworkRepository(doc, config.tableNames.network));
  const vehicles = new DynamoRealtimeVehicleSource(doc, config.tableNames.vehicles);
  const orders = new DayTripOrders(new DynamoTripOrderRepository(doc, config.tableNames.tripOrders));
  return { realtimeFeeds: new RealtimeFeedCache(network, vehicles, orders, () => systemClock.now()) };
}

/** The reconciliations function's: the desk over its tables, and the cursor key. */
export async function createReconciliationApiDeps(config: Config, logger: Logger): Promise<{ reconciliations: ReconciliationDesk; cursorKey: string }> {
  const doc = createDocumentClient(createDynamoClient(config));
  return { reconciliations: reconciliationDesk(doc, config.tableNames, logger, systemClock).desk, cursorKey: await loadCursorKey(config) };
}
