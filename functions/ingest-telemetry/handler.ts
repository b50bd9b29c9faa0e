/** Lambda entry: Kinesis stream of bus telemetry → DynamoDB. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { loadConfig } from '../../shared/adapters/config.js';
import { createLogger } from '../../shared/adapters/logger.js';
import { addRejectsByCode, createMetrics, metricNames, MetricUnit } from '../../shared/adapters/metrics.js';
import type { IngestDeps } from '../../shared/domain/telemetry/ingest-batch.js';
import { createIngestDeps } from './deps.js';
import { systemClock } from '../../shared/domain/ports/clock.js';
import { createIngestHandler } from './ingest-handler.js';

const SERVICE = 'ingest-telemetry';
const logger = createLogger(SERVICE);
const metrics = createMetrics(SERVICE);
const tracer = new Tracer({ serviceName: SERVICE });
let deps: Promise<IngestDeps> | undefined;

export const handler = middy(
  createIngestHandler(
    () =>
      (deps ??= createIngestDeps(loadConfig(), logger, systemClock, {
        // Recomputation runs inside the invocation, so the count lands in this invocation's metrics.
        onUnknownTrips: (count) => metrics.addMetric(metricNames.unknownTripsAnnounced, MetricUnit.Count, count),
      })),
    (stats) => {
      metrics.addMetric(metricNames.gpsRecordsStored, MetricUnit.Count, stats.gpsStored);
      metrics.addMetric(metricNames.gpsDuplicates, MetricUnit.Count, stats.gpsDuplicates);
      metrics.addMetric(metricNames.tapsStored, MetricUnit.Count, stats.taps);
      metrics.addMetric(metricNames.rejects, MetricUnit.Count, stats.rejects);
      metrics.addMetric(metricNames.failedBuses, MetricUnit.Count, stats.failedBuses);
      metrics.addMetric(metricNames.journeysRecomputed, MetricUnit.Count, stats.journeysRecomputed);
      addRejectsByCode(metrics, stats.rejectsByCode);
    },
  ),
)
  .use(injectLambdaContext(logger))
  .use(captureLambdaHandler(tracer))
  .use(logMetrics(metrics));
