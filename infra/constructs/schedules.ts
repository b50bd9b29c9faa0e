/**
 * Scheduled jobs, generated from the catalogue: one Lambda per catalogue function whose source is `schedule`,
 * and one EventBridge Scheduler schedule per `schedules` entry that invokes it (cron in the entry's timezone,
 * input `{}`), through a role of its own that may invoke that function and nothing else. What cannot be
 * delivered, or fails in the function after Lambda's retries, lands in one dead-letter queue.
 */
import { Aws, Duration } from 'aws-cdk-lib';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { deadLetterQueue } from './dead-letter-queue.js';
import { Construct } from 'constructs';
import { functions, schedules, type FunctionDef, type FunctionName, type ScheduleDef } from '../../shared/catalogue/index.js';
import { CatalogueFunction } from './catalogue-function.js';
import type { CatalogueTables } from './tables.js';

/** The schedule sends this to the function; the function works out the service day itself (an operator may replay one with `{ "serviceDay": … }`). */
const SCHEDULE_INPUT = '{}';

/**
 * Scheduler's retries when the invocation itself fails (throttled, function unavailable): a day-end job that
 * has not started within the hour is better parked in the DLQ and looked at than started late.
 */
export const SCHEDULE_RETRY = { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3_600 } as const;

/**
 * Scheduler invokes Lambda asynchronously: a function that starts and then fails is retried by Lambda (twice,
 * Lambda's maximum), then parked in the same DLQ. One hour, as for the schedule.
 */
export const ASYNC_INVOKE = { retryAttempts: 2, maxEventAge: Duration.hours(1) } as const;

export type ScheduleName = string;
export type ScheduleFunction = [FunctionName, FunctionDef];

/** Catalogue functions started by a schedule. */
export function scheduleFunctions(catalogue: Record<string, FunctionDef> = functions): ScheduleFunction[] {
  return (Object.entries(catalogue) as ScheduleFunction[]).filter(([, def]) => def.source.kind === 'schedule');
}

/**
 * Every schedule with the function it starts. Throws (failing the synth), naming the entry, when a schedule
 * names a function the catalogue lacks or one whose source is not `schedule`, or when a schedule function has
 * no schedule (it would deploy and never run).
 */
export function resolveSchedules(
  catalogueSchedules: Record<ScheduleName, ScheduleDef> = schedules,
  catalogue: Record<string, FunctionDef> = functions,
): [ScheduleName, ScheduleDef, ScheduleFunction][] {
  const resolved = Object.entries(catalogueSchedules).map(([name, schedule]): [ScheduleName, ScheduleDef, ScheduleFunction] => {
    const def = Object.hasOwn(catalogue, schedule.function) ? catalogue[schedule.function] : undefined;
    if (!def) {
      throw new Error(
        `schedule ${name} (${schedule.cron}) starts function '${schedule.function}', which is not a key of the catalogue's functions (shared/catalogue/functions.ts)`,
      );
    }
    if (def.source.kind !== 'schedule') {
      throw new Error(`schedule ${name} starts ${schedule.function}, whose source is ${def.source.kind}, not schedule`);
    }
    return [name, schedule, [schedule.function as FunctionName, def]];
  });
  const started = new Set(resolved.map(([, , [fn]]) => fn));
  const idle = scheduleFunctions(catalogue)
    .filter(([name]) => !started.has(name))
    .map(([name]) => name);
  if (idle.length > 0) throw new Error(`catalogue functions with source schedule that no schedule starts (shared/catalogue/schedules.ts): ${idle.join(', ')}`);
  return resolved;
}

export interface SchedulesProps {
  tables: CatalogueTables;
  cardHashKey?: ISecret;
  cursorKey?: ISecret;
  /** The account's IoT data endpoint host (IotDataEndpoint): required if one of the functions publishes. */
  iotDataEndpoint?: string;
  /** The schedules to build; the catalogue's `schedules` unless a test says otherwise. */
  schedules?: Record<ScheduleName, ScheduleDef>;
}

export class Schedules extends Construct {
  readonly deadLetterQueue: Queue;
  readonly functions = new Map<FunctionName, CatalogueFunction>();
  /** By catalogue schedule name (`closeServiceDay`). */
  readonly schedules = new Map<ScheduleName, CfnSchedule>();
  /** The role each schedule invokes its function with, by catalogue schedule name. */
  readonly roles = new Map<ScheduleName, Role>();

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    // Resolve first: a catalogue mistake fails here, with its name, before anything is built.
    const resolved = resolveSchedules(props.schedules ?? schedules);

    this.deadLetterQueue = deadLetterQueue(
      this,
      'ScheduleDlq',
      'the DLQ of each EventBridge Scheduler schedule and the on-failure destination of the job functions',
    );

    for (const [name, def] of scheduleFunctions()) {
      const fn = new CatalogueFunction(this, def.id, {
        def,
        tables: props.tables,
        ...(props.cardHashKey ? { cardHashKey: props.cardHashKey } : {}),
        ...(props.cursorKey ? { cursorKey: props.cursorKey } : {}),
        ...(props.iotDataEndpoint ? { iotDataEndpoint: props.iotDataEndpoint } : {}),
      });
      fn.fn.configureAsyncInvoke({ ...ASYNC_INVOKE, onFailure: new SqsDestination(this.deadLetterQueue) });
      this.functions.set(name, fn);
    }

    for (const [name, schedule, [fnName, def]] of resolved) {
      const fn = this.functions.get(fnName)!.fn;
      // Assumable by EventBridge Scheduler of this account only; may invoke this one function and park what
      // fails in the DLQ. Nothing else.
      const role = new Role(this, `${schedule.id}Role`, {
        assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
        }),
        description: `EventBridge Scheduler schedule ${schedule.id}: invoke ${def.id}, SendMessage to the schedule DLQ`,
        inlinePolicies: {
          invoke: new PolicyDocument({
            statements: [
              new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }),
              new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }),
            ],
          }),
        },
      });
      this.roles.set(name, role);

      this.schedules.set(
        name,
        new CfnSchedule(this, `${schedule.id}Schedule`, {
          description: schedule.description,
          scheduleExpression: schedule.cron,
          scheduleExpressionTimezone: schedule.timezone,
          // At the time, not somewhere in a window after it: the job closes a day that has just ended.
          flexibleTimeWindow: { mode: 'OFF' },
          state: 'ENABLED',
          target: {
            arn: fn.functionArn,
            roleArn: role.roleArn,
            input: SCHEDULE_INPUT,
            retryPolicy: { ...SCHEDULE_RETRY },
            deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
          },
        }),
      );
    }
  }
}
