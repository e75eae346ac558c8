/**
 * Where log lines go. Pino writes one JSON object per line; on a terminal a person reads them,
 * so each line is reformatted as `HH:MM:SS.mmm LEVEL [component] message key=value …`. Written
 * to a file or a pipe, the JSON lines pass unchanged for log collectors (Loki, journald, jq).
 */
import { Writable } from 'node:stream';

const LEVELS: Record<number, { name: string; colour: string }> = {
  10: { name: 'TRACE', colour: '\x1b[90m' },
  20: { name: 'DEBUG', colour: '\x1b[36m' },
  30: { name: 'INFO ', colour: '\x1b[32m' },
  40: { name: 'WARN ', colour: '\x1b[33m' },
  50: { name: 'ERROR', colour: '\x1b[31m' },
  60: { name: 'FATAL', colour: '\x1b[35m' },
};
const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
/** Fields every line carries or that the layout already shows. */
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service', 'component', 'v']);

function value(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) || v === '' ? JSON.stringify(v) : v;
  if (v && typeof v === 'object' && 'message' in v && typeof (v as { message: unknown }).message === 'string') {
    const e = v as { type?: string; message: string; stack?: string };
    return JSON.stringify(e.type ? `${e.type}: ${e.message}` : e.message);
  }
  return JSON.stringify(v);
}

/**
 * One JSON log line as a line for people; a line that is not a JSON object comes back as it was.
 * `colour` adds ANSI colours to the level.
 */
export function formatLogLine(line: string, colour: boolean): string {
  let o: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return line;
    o = parsed as Record<string, unknown>;
  } catch {
    return line;
  }
  const t = typeof o.time === 'number' ? new Date(o.time) : new Date();
  const clock = `${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}:${String(t.getSeconds()).padStart(2, '0')}.${String(t.getMilliseconds()).padStart(3, '0')}`;
  const level = LEVELS[Number(o.level)] ?? {
    name: String(o.level ?? '?')
      .toUpperCase()
      .padEnd(5),
    colour: '',
  };
  const component = typeof o.component === 'string' ? `[${o.component}] ` : '';
  const fields = Object.entries(o)
    .filter(([k, v]) => !HIDDEN.has(k) && v !== undefined)
    .map(([k, v]) => `${k}=${value(v)}`)
    .join(' ');
  const head = colour ? `${DIM}${clock}${RESET} ${level.colour}${level.name}${RESET}` : `${clock} ${level.name}`;
  const tail = fields ? (colour ? ` ${DIM}${fields}${RESET}` : ` ${fields}`) : '';
  return `${head} ${component}${String(o.msg ?? '')}${tail}`;
}

/** A stream for pino that writes readable lines to `out` (a terminal). */
export function readableLogStream(out: NodeJS.WritableStream & { hasColors?: () => boolean }): Writable {
  const colour = typeof out.hasColors === 'function' ? out.hasColors() : false;
  let pending = '';
  return new Writable({
    write(chunk: Buffer | string, _enc, done) {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      const text = lines
        .filter((l) => l.length > 0)
        .map((l) => `${formatLogLine(l, colour)}\n`)
        .join('');
      if (text) out.write(text);
      done();
    },
    final(done) {
      if (pending) out.write(`${formatLogLine(pending, colour)}\n`);
      done();
    },
  });
}

/** The destination of the process's logs: readable on a terminal, JSON lines otherwise. */
export function logDestination(out: NodeJS.WriteStream = process.stdout): NodeJS.WritableStream {
  return out.isTTY ? readableLogStream(out) : out;
}
