import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../shared/domain/ports/clock.js';
import { silentLogger } from '../../../shared/domain/ports/logger.js';
import { nextDailyRun, parseDailyCron } from '../../../shared/kernel/time/daily-schedule.js';
import { createFileLogger } from '../../../infra/local/file-logger.js';
import { formatLiveView } from '../../../infra/local/live-view.js';
import { LocalScheduler } from '../../../infra/local/local-scheduler.js';
import { ScaledClock } from '../../../infra/local/scaled-clock.js';

const HCMC = 'Asia/Ho_Chi_Minh';
/** 2026-03-10 05:00 in Ho Chi Minh City (UTC+7). */
const DAY_START = Date.UTC(2026, 2, 9, 22, 0);

describe('the simulated clock', () => {
  it('stands still at the start of the day until the fleet starts, then runs at its speed', () => {
    let wall = 1_000;
    const clock = new ScaledClock(DAY_START, 60, () => wall);
    wall += 5_000;
    expect(clock.now()).toBe(DAY_START);
    clock.start();
    wall += 10_000; // ten wall seconds at 60× are ten simulated minutes
    expect(clock.now()).toBe(DAY_START + 600_000);
  });

  it('is read the same by another process from its description', () => {
    let wall = 50_000;
    const clock = new ScaledClock(DAY_START, 60, () => wall);
    clock.start();
    wall += 2_000;
    const other = ScaledClock.from(JSON.parse(JSON.stringify(clock.describe())), () => wall);
    expect(other.now()).toBe(clock.now());
    expect(other.now()).toBe(DAY_START + 120_000);
  });

  it('refuses a speed it cannot keep', () => {
    expect(() => new ScaledClock(DAY_START, Number.POSITIVE_INFINITY)).toThrow(/speed/);
    expect(() => new ScaledClock(DAY_START, 0)).toThrow(/speed/);
  });
});

describe('daily schedules', () => {
  it('reads the catalogue form and refuses others', () => {
    expect(parseDailyCron('cron(30 3 * * ? *)')).toEqual({ hour: 3, minute: 30 });
    expect(() => parseDailyCron('rate(1 day)')).toThrow(/daily/);
    expect(() => parseDailyCron('cron(30 25 * * ? *)')).toThrow(/daily/);
  });

  it('fires at 03:30 local: the same night before it, the next night from it on', () => {
    const at0329 = Date.UTC(2026, 2, 9, 20, 29); // 03:29 on 10 March, local
    expect(nextDailyRun('cron(30 3 * * ? *)', HCMC, at0329)).toBe(Date.UTC(2026, 2, 9, 20, 30));
    expect(nextDailyRun('cron(30 3 * * ? *)', HCMC, Date.UTC(2026, 2, 9, 20, 30))).toBe(Date.UTC(2026, 2, 10, 20, 30));
    expect(nextDailyRun('cron(30 3 * * ? *)', HCMC, DAY_START)).toBe(Date.UTC(2026, 2, 10, 20, 30));
  });

  it('follows a zone that changes its offset', () => {
    // 2026-03-08 is the first day of daylight time in Los Angeles: 06:00 local is 13:00 UTC, not 14:00.
    expect(nextDailyRun('cron(0 6 * * ? *)', 'America/Los_Angeles', Date.UTC(2026, 2, 8, 9, 0))).toBe(Date.UTC(2026, 2, 8, 13, 0));
  });
});

describe('the local scheduler', () => {
  it('runs the day-end job when the stack clock passes 03:30, once, and again the next night', async () => {
    const clock = fixedClock(Date.UTC(2026, 2, 10, 16, 0)); // 23:00 local
    const runs: number[] = [];
    const scheduler = new LocalScheduler({
      clock,
      logger: silentLogger,
      jobs: { closeServiceDay: async () => runs.push(clock.now()), reconcileDay: async () => undefined },
    });
    await scheduler.tick();
    expect(runs).toEqual([]);
    clock.set(Date.UTC(2026, 2, 10, 20, 31)); // 03:31 local
    await scheduler.tick();
    await scheduler.tick();
    expect(runs).toEqual([Date.UTC(2026, 2, 10, 20, 31)]);
    expect(scheduler.nextRun('closeServiceDay')).toBe(Date.UTC(2026, 2, 11, 20, 30));
    clock.advance(86_400_000);
    await scheduler.tick();
    expect(runs).toHaveLength(2);
  });

  it('logs a job that fails and fires it again the next time', async () => {
    const clock = fixedClock(Date.UTC(2026, 2, 10, 20, 45));
    const errors: string[] = [];
    let calls = 0;
    const scheduler = new LocalScheduler({
      clock,
      logger: { ...silentLogger, error: (m) => void errors.push(m) },
      jobs: {
        closeServiceDay: async () => {
          calls++;
          throw new Error('database away');
        },
        reconcileDay: async () => undefined,
      },
    });
    clock.advance(86_400_000);
    await scheduler.tick();
    expect(calls).toBe(1);
    expect(errors).toEqual(['scheduled job failed']);
  });
});

describe('the live view and the log file', () => {
  const base = {
    nowMs: Date.UTC(2026, 2, 10, 0, 42),
    timeZone: HCMC,
    simulated: true,
    ingested: {
      records: 10,
      gpsStored: 12345,
      gpsDuplicates: 2,
      taps: 40,
      wifi: 5,
      dutyEvents: 3,
      rejects: 1,
      rejectsByCode: { schema: 1 },
      failedBuses: 0,
      journeysRecomputed: 0,
    },
    router: { accepted: 10, delivered: 9, batches: 3, retried: 0, deadLettered: 0, pending: 1, refused: 0 },
    logPath: '/tmp/x.log',
  };

  it('shows the stack time in local time, counts with separators, and warnings by code', () => {
    const view = formatLiveView({
      ...base,
      warnings: [
        { level: 'warn', key: 'schema', count: 1200 },
        { level: 'warn', key: 'malformed-json', count: 3 },
      ],
    });
    expect(view.split('\n')[0]).toBe('[sim 07:42]');
    expect(view).toContain('12,345 positions');
    expect(view).toContain('schema ×1,200 · malformed-json ×3  (details: /tmp/x.log)');
    expect(view).not.toContain('refused (backlog');
  });

  it('says when the router refuses publishes because its backlog is full', () => {
    const view = formatLiveView({ ...base, router: { ...base.router, refused: 130 }, warnings: [] });
    expect(view).toContain('130 publishes refused (backlog full: devices resend)');
  });

  it('says nothing of warnings when there are none', () => {
    expect(formatLiveView({ ...base, simulated: false, warnings: [] })).not.toContain('warnings');
  });

  it('writes every entry as a JSON line with the stack time, and tallies warnings by code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'busflow-log-'));
    try {
      const clock = fixedClock(Date.UTC(2026, 2, 10, 0, 42));
      const logger = createFileLogger({ path: join(dir, 'logs', 'a.log'), service: 'test', clock, level: 'info' });
      logger.debug('hidden');
      logger.info('started', { port: 1 });
      logger.warn('telemetry rejected', { code: 'schema' });
      logger.warn('telemetry rejected', { code: 'schema' });
      logger.warn('mqtt connection refused', { busId: 'B1' });
      await logger.close();
      const lines = readFileSync(join(dir, 'logs', 'a.log'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => l.message)).toEqual(['started', 'telemetry rejected', 'telemetry rejected', 'mqtt connection refused']);
      expect(lines[0]).toMatchObject({ level: 'INFO', service: 'test', port: 1, stackTime: '2026-03-10T00:42:00.000Z' });
      expect(logger.tally()).toEqual([
        { level: 'warn', key: 'schema', count: 2 },
        { level: 'warn', key: 'mqtt connection refused', count: 1 },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
