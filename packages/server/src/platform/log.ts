/**
 * The platform's log, made first so that every part wired after it can report; the HTTP server
 * logs through it too (Fastify's `loggerInstance`). `false` (tests): a silent log.
 */
import { pino, type Logger } from 'pino';

export type LogOption = boolean | (Record<string, unknown> & { stream?: NodeJS.WritableStream });

export function createLog(option: LogOption = false): Logger {
  if (option === false) return pino({ level: 'silent' });
  const { stream, ...settings } = option === true ? {} : option;
  // Fastify's default level when given logger settings without one.
  const opts = { level: 'info', ...settings };
  return stream ? pino(opts, stream as never) : pino(opts);
}
