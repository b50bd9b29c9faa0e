import type { Logger } from '../../shared/domain/ports/logger.js';

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  extra: Record<string, unknown>;
}

/** A logger that keeps what it is told, so tests can assert that something was logged (and what was not). */
export function recordingLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at =
    (level: LogEntry['level']) =>
    (message: string, ...extra: Record<string, unknown>[]) =>
      void entries.push({ level, message, extra: Object.assign({}, ...extra) });
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
