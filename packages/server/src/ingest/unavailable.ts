/**
 * A dependency that does not answer, told apart from overload: the store (SQLite or PostgreSQL)
 * or the ingest log (NATS JetStream). Both mean "retry later" to a device (it extends
 * IngestOverloadedError, so every transport that holds acks on overload holds them here too),
 * but the HTTP answer names the cause: 503 `store_unavailable` or `log_unavailable`.
 */
import { IngestOverloadedError } from './group-commit';

export type Dependency = 'store' | 'log';

export class DependencyUnavailableError extends IngestOverloadedError {
  constructor(
    readonly dependency: Dependency,
    cause?: Error,
  ) {
    super(2, cause);
    this.message =
      dependency === 'store'
        ? 'the store (database) is unavailable; retry later'
        : 'the ingest log (NATS JetStream) is unavailable; retry later';
    this.name = 'DependencyUnavailableError';
  }

  /** The problem code the HTTP API answers with. */
  get code(): 'store_unavailable' | 'log_unavailable' {
    return this.dependency === 'store' ? 'store_unavailable' : 'log_unavailable';
  }
}

// PostgreSQL SQLSTATE classes and codes of a server that is gone, starting or shutting down
// (class 08: connection exception; 57P01-57P03: admin/crash shutdown, cannot connect now).
const PG_UNAVAILABLE = /^(08...|57P0[1-3]|53300)$/;
// Node socket errors and node-postgres' own messages for a pool that cannot reach the server.
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);
const PG_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connection .* closed/i;
// SQLite: the disk is full or failing, or the file cannot be opened.
const SQLITE_UNAVAILABLE = /^SQLITE_(FULL|IOERR.*|CANTOPEN|READONLY.*)$/;

/** True when an error says the store cannot be reached or written (not that a query was wrong). */
export function isStoreUnavailable(e: unknown): boolean {
  for (let err = e as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; err && depth < 4; depth++) {
    const code = typeof err.code === 'string' ? err.code : '';
    if (NET_CODES.has(code) || PG_UNAVAILABLE.test(code) || SQLITE_UNAVAILABLE.test(code)) return true;
    if (typeof err.message === 'string' && PG_MESSAGES.test(err.message)) return true;
    // AggregateError (a host with several addresses refused on each).
    const inner = (err as { errors?: unknown[] }).errors;
    if (Array.isArray(inner) && inner.some((x) => isStoreUnavailable(x))) return true;
    err = err.cause as typeof err;
  }
  return false;
}
