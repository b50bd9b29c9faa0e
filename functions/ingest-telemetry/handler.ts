/** Lambda entry: Kinesis stream of bus telemetry → DynamoDB. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { loadConfig } from '../../shared/adapters/config.js';
import { createLogger } from '../../shared/adapters/logger.js';
import type { IngestDeps } from '../../shared/domain/telemetry/ingest-batch.js';
import { createIngestDeps } from './deps.js';
import { systemClock } from '../../shared/domain/ports/clock.js';
import { createIngestHandler } from './ingest-handler.js';

const logger = createLogger('ingest-telemetry');
const metrics = new Metrics({ namespace: 'BusFlow', serviceName: 'ingest-telemetry' });
let deps: Promise<IngestDeps> | undefined;

export const handler = middy(
  createIngestHandler(
    () =>
      (deps ??= createIngestDeps(loadConfig(), logger, systemClock, {
        // Recomputation runs inside the invocation, so the count lands in this invocation's metrics.
        onUnknownTrips: (count) => metrics.addMetric('UnknownTripsAnnounced', MetricUnit.Count, count),
      })),
    (stats) => {
      metrics.addMetric('GpsRecordsStored', MetricUnit.Count, stats.gpsStored);
      metrics.addMetric('GpsDuplicates', MetricUnit.Count, stats.gpsDuplicates);
      metrics.addMetric('TapsStored', MetricUnit.Count, stats.taps);
      metrics.addMetric('Rejects', MetricUnit.Count, stats.rejects);
      metrics.addMetric('FailedBuses', MetricUnit.Count, stats.failedBuses);
    },
  ),
)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
