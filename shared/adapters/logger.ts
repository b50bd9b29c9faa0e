/** Structured JSON logs (Powertools), one logger per process; the domain sees only its Logger port. */
import { Logger } from '@aws-lambda-powertools/logger';

export interface LoggerOptions {
  /** Resolves `correlationIdPath` expressions for `injectLambdaContext`. */
  correlationIdSearchFn?: (expression: string, data: unknown) => unknown;
}

export function createLogger(serviceName = 'busflow', opts: LoggerOptions = {}): Logger {
  return new Logger({ serviceName, logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? 'INFO', ...opts });
}
