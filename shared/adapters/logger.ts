/** Structured JSON logs (Powertools), one logger per process; the domain sees only its Logger port. */
import { Logger } from '@aws-lambda-powertools/logger';

export function createLogger(serviceName = 'busflow'): Logger {
  return new Logger({ serviceName, logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? 'INFO' });
}
