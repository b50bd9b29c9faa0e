/** Scheduled jobs (EventBridge Scheduler on AWS, a timer locally). Empty until reconciliation lands. */
export interface ScheduleDef {
  id: string;
  /** Cron expression, evaluated in `timezone`. */
  cron: string;
  timezone: 'Asia/Ho_Chi_Minh';
  function: string;
}

export const schedules: Record<string, ScheduleDef> = {};
