/** Scheduled jobs: EventBridge Scheduler on AWS; locally, the end of the simulated day and a CLI. */
export interface ScheduleDef {
  id: string;
  description: string;
  /** EventBridge Scheduler cron expression (6 fields), evaluated in `timezone`. */
  cron: string;
  timezone: 'Asia/Ho_Chi_Minh';
  /** The key of the function in the catalogue's `functions`. */
  function: string;
}

export const schedules = {
  closeServiceDay: {
    id: 'CloseServiceDay',
    description: 'Closes the trip orders of the service day that ended at 03:00',
    cron: 'cron(30 3 * * ? *)',
    timezone: 'Asia/Ho_Chi_Minh',
    function: 'jobCloseServiceDay',
  },
  reconcileDay: {
    id: 'ReconcileDay',
    description: "Reconciles yesterday's service day for every operator, after its orders were closed at 03:30",
    cron: 'cron(0 4 * * ? *)',
    timezone: 'Asia/Ho_Chi_Minh',
    function: 'jobReconcileDay',
  },
} as const satisfies Record<string, ScheduleDef>;
