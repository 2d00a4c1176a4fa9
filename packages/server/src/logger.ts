import type { Middleware } from 'koa';
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevel } from './config.js';
import type { AppState } from './state.js';

export type { Logger } from 'pino';

/**
 * The server's logger: JSON lines on stdout, or human-readable lines when stdout is a terminal.
 * pino-pretty runs in-process (not as a worker transport) so it also works from a bundled dist.
 *
 * @example
 * const logger = createLogger('info'); // JSON in production, pretty in a terminal
 */
export function createLogger(level: LogLevel, tty = Boolean(process.stdout.isTTY)): Logger {
  const options = { level, base: undefined, redact: { paths: ['req.headers.authorization'], remove: true } };
  if (!tty) return pino(options, bufferedStdout());
  return pino(options, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }));
}

/** How long a buffered log line may wait for others before it is written anyway (ms). */
const LOG_FLUSH_MS = 250;

/**
 * stdout written in blocks of at least 4 kB instead of one write per line: a request log line
 * per request otherwise costs a write call per request on the hot path. A timer writes what is
 * pending at least every LOG_FLUSH_MS, and pino flushes synchronously on exit.
 */
function bufferedStdout() {
  const destination = pino.destination({ dest: 1, minLength: 4096, sync: false });
  setInterval(() => destination.flush(), LOG_FLUSH_MS).unref();
  return destination;
}

/** A logger that writes nothing (for tests and embedders that log elsewhere). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** One log line per request, written once the response status is known. */
export function requestLogger(logger: Logger): Middleware<AppState> {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = {
        method: ctx.method,
        path: ctx.path,
        status: ctx.status,
        ms: Math.round(ms * 100) / 100,
        request_id: ctx.state.requestId,
      };
      if (ctx.status >= 500) logger.error(line, 'request');
      else logger.info(line, 'request');
    }
  };
}
