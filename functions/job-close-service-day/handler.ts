/** Lambda entry (EventBridge Scheduler, daily 03:30 Asia/Ho_Chi_Minh): the day that ended — its journeys, then its trip orders closed. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { z } from 'zod';
import { loadConfig } from '../../shared/adapters/config.js';
import { createDocumentClient, createDynamoClient } from '../../shared/adapters/dynamodb/client.js';
import { createLogger } from '../../shared/adapters/logger.js';
import { systemClock } from '../../shared/domain/ports/clock.js';
import { runDayEnd } from './close-day.js';

const logger = createLogger('job-close-service-day');
/** The schedule sends `{}`; an operator may replay a day with `{ "serviceDay": "YYYY-MM-DD" }`. */
const input = z.object({ serviceDay: z.iso.date().optional() });

export const handler = middy(async (event: unknown) => {
  const { serviceDay } = input.parse(event ?? {});
  const config = loadConfig();
  return runDayEnd(createDocumentClient(createDynamoClient(config)), config.tableNames, logger, systemClock, serviceDay);
}).use(injectLambdaContext(logger));
