/** Builds the ingest function's dependencies from configuration, once per process (cold start). */
import { createCardPseudonymiser, loadCardHashKey } from '../../shared/adapters/card-pseudonymiser.js';
import type { Config } from '../../shared/adapters/config.js';
import { createDocumentClient, createDynamoClient } from '../../shared/adapters/dynamodb/client.js';
import { DynamoRejectRepository } from '../../shared/adapters/dynamodb/reject-repository.js';
import { DynamoTelemetryRepository } from '../../shared/adapters/dynamodb/telemetry-repository.js';
import { DynamoVehicleRepository } from '../../shared/adapters/dynamodb/vehicle-repository.js';
import type { IngestDeps } from '../../shared/domain/telemetry/ingest-batch.js';
import { defaultPlausibility } from '../../shared/domain/telemetry/plausibility.js';
import type { Logger } from '../../shared/domain/ports/logger.js';

export async function createIngestDeps(config: Config, logger: Logger): Promise<IngestDeps> {
  const doc = createDocumentClient(createDynamoClient(config));
  const key = await loadCardHashKey(config.cardHashKey, config.region);
  return {
    vehicles: new DynamoVehicleRepository(doc, config.tableNames.vehicles),
    telemetry: new DynamoTelemetryRepository(doc, config.tableNames.telemetry),
    rejects: new DynamoRejectRepository(doc, config.tableNames.rejects),
    pseudonymise: createCardPseudonymiser(key),
    plausibility: defaultPlausibility,
    logger,
  };
}
