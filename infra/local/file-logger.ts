/**
 * The local stack's logger: every entry as one JSON line in a file (the same fields Powertools writes on
 * Lambda), warnings and errors tallied by code for the terminal's live view, and the lines on the terminal
 * too only when asked (`--verbose`).
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../../shared/domain/ports/logger.js';
import type { Clock } from '../../shared/domain/ports/clock.js';

type Level = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface FileLoggerOptions {
  path: string;
  service: string;
  /** Also write each line to this stream (the terminal with --verbose). */
  echo?: NodeJS.WritableStream;
  level?: Level;
  /** Stamps each line with the stack's time beside the wall time, so a simulated day's logs read in its time. */
  clock?: Clock;
}

export interface FileLogger extends Logger {
  readonly path: string;
  /** Warnings and errors since start, by their `code` (or message when they have none), most frequent first. */
  tally(): { level: 'warn' | 'error'; key: string; count: number }[];
  close(): Promise<void>;
}

export function createFileLogger(opts: FileLoggerOptions): FileLogger {
  mkdirSync(dirname(opts.path), { recursive: true });
  const out: WriteStream = createWriteStream(opts.path, { flags: 'a' });
  const min = RANK[opts.level ?? (process.env.LOG_LEVEL?.toLowerCase() as Level | undefined) ?? 'info'] ?? RANK.info;
  const counts = new Map<string, { level: 'warn' | 'error'; key: string; count: number }>();
  const write =
    (level: Level) =>
    (message: string, ...extra: Record<string, unknown>[]) => {
      const fields = Object.assign({}, ...extra) as Record<string, unknown>;
      if (level === 'warn' || level === 'error') {
        const key = typeof fields.code === 'string' ? fields.code : message;
        const entry = counts.get(`${level}|${key}`) ?? { level, key, count: 0 };
        entry.count++;
        counts.set(`${level}|${key}`, entry);
      }
      if (RANK[level] < min) return;
      const line = JSON.stringify({
        level: level.toUpperCase(),
        message,
        service: opts.service,
        timestamp: new Date().toISOString(),
        ...(opts.clock ? { stackTime: new Date(opts.clock.now()).toISOString() } : {}),
        ...fields,
      });
      out.write(`${line}\n`);
      opts.echo?.write(`${line}\n`);
    };
  return {
    path: opts.path,
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    tally: () => [...counts.values()].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)),
    close: () => new Promise<void>((resolve) => out.end(resolve)),
  };
}
