/** Lambda entry (EventBridge Scheduler, daily 03:30 Asia/Ho_Chi_Minh): the day that ended — its journeys, then its trip orders closed. */
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
import { runDayEnd } from './close-day.js';

const SERVICE = 'job-close-service-day';
const logger = createLogger(SERVICE);
const metrics = createMetrics(SERVICE);
const tracer = new Tracer({ serviceName: SERVICE });
/** The schedule sends `{}`; an operator may replay a day with `{ "serviceDay": "YYYY-MM-DD" }`. */
const input = z.object({ serviceDay: z.iso.date().optional() });

export const handler = middy(async (event: unknown) => {
  const { serviceDay } = input.parse(event ?? {});
  const config = loadConfig();
  const result = await runDayEnd(createDocumentClient(createDynamoClient(config)), config.tableNames, logger, systemClock, serviceDay);
  metrics.addMetric(metricNames.dayEndTripsRecomputed, MetricUnit.Count, result.trips);
  metrics.addMetric(metricNames.tripOrdersClosed, MetricUnit.Count, result.closed);
  return result;
})
  .use(injectLambdaContext(logger))
  .use(captureLambdaHandler(tracer))
  .use(logMetrics(metrics));
