/** Lambda entry (EventBridge Scheduler, daily 03:30 Asia/Ho_Chi_Minh): close the trip orders of the day that ended. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { z } from 'zod';
import { loadConfig } from '../../shared/adapters/config.js';
import { createDocumentClient, createDynamoClient } from '../../shared/adapters/dynamodb/client.js';
import { createLogger } from '../../shared/adapters/logger.js';
import { closeServiceDay, endedServiceDay } from './close-day.js';

const logger = createLogger('job-close-service-day');
/** The schedule sends `{}`; an operator may replay a day with `{ "serviceDay": "YYYY-MM-DD" }`. */
const input = z.object({ serviceDay: z.iso.date().optional() });

export const handler = middy(async (event: unknown) => {
  const { serviceDay = endedServiceDay(Date.now()) } = input.parse(event ?? {});
  const config = loadConfig();
  const closed = await closeServiceDay(createDocumentClient(createDynamoClient(config)), config.tableNames.tripOrders, logger, serviceDay);
  return { serviceDay, closed };
}).use(injectLambdaContext(logger));
