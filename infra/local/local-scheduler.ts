/**
 * The local stand-in for EventBridge Scheduler: the catalogue's schedules, fired on the stack's clock — so a
 * simulated day at 60× reaches its 03:30 day-end job minutes after the last bus, as the real one would hours after.
 */
import { schedules } from '../../shared/catalogue/index.js';
import type { Clock } from '../../shared/domain/ports/clock.js';
import type { Logger } from '../../shared/domain/ports/logger.js';
import { nextDailyRun } from '../../shared/kernel/time/daily-schedule.js';

export type ScheduleName = keyof typeof schedules;

export interface LocalSchedulerOptions {
  clock: Clock;
  /** One job per catalogue schedule: the same core the scheduled Lambda runs. */
  jobs: Record<ScheduleName, () => Promise<unknown>>;
  logger: Logger;
  /** Wall milliseconds between looks at the clock. */
  tickMs?: number;
  /** Told after every run, with what the job returned. */
  onRun?: (name: ScheduleName, result: unknown) => void;
}

export class LocalScheduler {
  private readonly next = new Map<ScheduleName, number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly opts: LocalSchedulerOptions) {
    const now = opts.clock.now();
    for (const name of Object.keys(schedules) as ScheduleName[]) {
      const s = schedules[name];
      this.next.set(name, nextDailyRun(s.cron, s.timezone, now));
    }
  }

  /** When `name` fires next, by the stack's clock. */
  nextRun(name: ScheduleName): number {
    return this.next.get(name)!;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.opts.tickMs ?? 1000);
    this.timer.unref();
  }

  /** Runs every schedule that is due by the clock; a job that fails is logged and fires again next time. */
  tick(): Promise<void> {
    this.running ??= this.runDue().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async runDue(): Promise<void> {
    for (const [name, at] of this.next) {
      const now = this.opts.clock.now();
      if (now < at) continue;
      const s = schedules[name];
      this.next.set(name, nextDailyRun(s.cron, s.timezone, now));
      try {
        const result = await this.opts.jobs[name]();
        this.opts.logger.info('scheduled job ran', { schedule: s.id, result });
        this.opts.onRun?.(name, result);
      } catch (err) {
        this.opts.logger.error('scheduled job failed', { schedule: s.id, error: (err as Error).message });
      }
    }
  }
}
