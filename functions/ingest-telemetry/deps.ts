/** Builds the ingest function's dependencies from configuration, once per process (cold start). */
import { loadCardHashKey } from '../../shared/adapters/card-pseudonymiser.js';
import { createClockedPseudonymiser } from '../../shared/adapters/card-key-ring.js';
import type { Config } from '../../shared/adapters/config.js';
import { createDocumentClient, createDynamoClient } from '../../shared/adapters/dynamodb/client.js';
import { DynamoRejectRepository } from '../../shared/adapters/dynamodb/reject-repository.js';
import { DynamoTelemetryRepository } from '../../shared/adapters/dynamodb/telemetry-repository.js';
import { DynamoVehicleRepository } from '../../shared/adapters/dynamodb/vehicle-repository.js';
import type { IngestDeps, TripOrderEvents } from '../../shared/domain/telemetry/ingest-batch.js';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoTripOrderRepository } from '../../shared/adapters/dynamodb/trip-order-repository.js';
import { startTripOrderService } from '../../shared/domain/trip-orders/service-start.js';
import { arrivalsUpdater } from '../../shared/adapters/arrivals.js';
import { IotStopBoardPublisher } from '../../shared/adapters/devices/iot-board-publisher.js';
import type { StopBoardPublisher } from '../../shared/domain/predictions/stop-board.js';
import { journeyRecomputer, type JourneyRecomputerHooks } from '../../shared/adapters/journeys.js';
import { defaultPlausibility } from '../../shared/domain/telemetry/plausibility.js';
import type { Logger } from '../../shared/domain/ports/logger.js';
import { systemClock, type Clock } from '../../shared/domain/ports/clock.js';

/** Puts an approved order into service when its bus starts a trip (the trip orders on DynamoDB). */
function tripOrderEvents(doc: DynamoDBDocumentClient, table: string, logger: Logger, clock: Clock): TripOrderEvents {
  const deps = { orders: new DynamoTripOrderRepository(doc, table), clock, logger };
  return { tripStarted: (id, evidence) => startTripOrderService(deps, id, evidence) };
}

/**
 * `clock`: the stack's clock (locally the simulated one); it decides which trips are due. `boards`: where stop
 * boards are told (locally the broker); absent: IoT's data plane when its endpoint is configured, else none.
 */
export async function createIngestDeps(
  config: Config,
  logger: Logger,
  clock: Clock = systemClock,
  journeyHooks: JourneyRecomputerHooks = {},
  boards?: StopBoardPublisher,
): Promise<IngestDeps> {
  const boardPublisher = boards ?? (config.iotDataEndpoint ? new IotStopBoardPublisher(config.iotDataEndpoint, config.region) : undefined);
  const doc = createDocumentClient(createDynamoClient(config));
  const key = await loadCardHashKey(config.cardHashKey, config.region);
  return {
    vehicles: new DynamoVehicleRepository(doc, config.tableNames.vehicles),
    telemetry: new DynamoTelemetryRepository(doc, config.tableNames.telemetry),
    rejects: new DynamoRejectRepository(doc, config.tableNames.rejects),
    // The key may be a rotated ring (docs/privacy.md): hash under the version current now.
    pseudonymise: createClockedPseudonymiser(key, clock),
    plausibility: defaultPlausibility,
    logger,
    tripOrders: tripOrderEvents(doc, config.tableNames.tripOrders, logger, clock),
    journeys: journeyRecomputer(doc, config.tableNames, logger, clock, journeyHooks),
    arrivals: arrivalsUpdater(doc, config.tableNames, logger, clock, boardPublisher),
  };
}
