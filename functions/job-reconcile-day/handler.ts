/** Lambda entry (EventBridge Scheduler, daily 04:00 Asia/Ho_Chi_Minh): reconciles the service day that ended, for every operator. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { z } from 'zod';
import { loadConfig } from '../../shared/adapters/config.js';
import { createDocumentClient, createDynamoClient } from '../../shared/adapters/dynamodb/client.js';
import { createLogger } from '../../shared/adapters/logger.js';
import { createMetrics, metricNames, MetricUnit } from '../../shared/adapters/metrics.js';
import { systemClock } from '../../shared/domain/ports/clock.js';
import { reconcileServiceDay } from './reconcile-day.js';

const SERVICE = 'job-reconcile-day';
const logger = createLogger(SERVICE);
const metrics = createMetrics(SERVICE);
const tracer = new Tracer({ serviceName: SERVICE });
/** The schedule sends `{}`; the centre may replay a day with `{ "serviceDay": "YYYY-MM-DD", "operatorId"?: "…" }`. */
const input = z.object({
  serviceDay: z.iso.date().optional(),
  operatorId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/)
    .optional(),
});

export const handler = middy(async (event: unknown) => {
  const { serviceDay, operatorId } = input.parse(event ?? {});
  const config = loadConfig();
  const { runs: _runs, ...summary } = await reconcileServiceDay(
    createDocumentClient(createDynamoClient(config)),
    config.tableNames,
    logger,
    systemClock,
    serviceDay,
    operatorId,
  );
  logger.info('service day reconciled', { ...summary });
  metrics.addMetric(metricNames.reconciliationsCreated, MetricUnit.Count, summary.created);
  metrics.addMetric(metricNames.reconciliationsUnchanged, MetricUnit.Count, summary.unchanged);
  metrics.addMetric(metricNames.reconciliationsApproved, MetricUnit.Count, summary.approved);
  return summary;
})
  .use(injectLambdaContext(logger))
  .use(captureLambdaHandler(tracer))
  .use(logMetrics(metrics));
