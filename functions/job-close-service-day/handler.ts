/** Lambda entry (EventBridge Scheduler, daily 03:30 Asia/Ho_Chi_Minh): the day that ended — its journeys, then its trip orders closed. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { z } from 'zod';
import { loadConfig } from '../../shared/adapters/config.js';
import { createDocumentClient, createDynamoClient } from '../../shared/adapters/dynamodb/client.js';
import { createLogger } from '../../shared/adapters/logger.js';
import { closeServiceDay, endedServiceDay } from './close-day.js';
import { journeyRecomputer } from '../../shared/adapters/journeys.js';

const logger = createLogger('job-close-service-day');
/** The schedule sends `{}`; an operator may replay a day with `{ "serviceDay": "YYYY-MM-DD" }`. */
const input = z.object({ serviceDay: z.iso.date().optional() });

export const handler = middy(async (event: unknown) => {
  const { serviceDay = endedServiceDay(Date.now()) } = input.parse(event ?? {});
  const config = loadConfig();
  const doc = createDocumentClient(createDynamoClient(config));
  // Journeys first, with every late batch that arrived until now; then the orders are closed.
  const trips = await journeyRecomputer(doc, config.tableNames, logger).serviceDay(serviceDay);
  const closed = await closeServiceDay(doc, config.tableNames.tripOrders, logger, serviceDay);
  return { serviceDay, trips, closed };
}).use(injectLambdaContext(logger));
