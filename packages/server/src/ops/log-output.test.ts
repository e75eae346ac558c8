import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { formatLogLine, logDestination, readableLogStream } from './log-output';

test('a JSON log line reads as time, level, component, message and the other fields', () => {
  const time = new Date(2026, 11, 6, 9, 5, 7, 42).getTime();
  const line = JSON.stringify({
    level: 40,
    time,
    pid: 1,
    hostname: 'h',
    service: 'sealwatch',
    component: 'mqtt',
    msg: 'port busy',
    port: 1884,
    note: 'set SEALWATCH_MQTT_PORT',
  });
  assert.equal(formatLogLine(line, false), '09:05:07.042 WARN  [mqtt] port busy port=1884 note="set SEALWATCH_MQTT_PORT"');
  assert.match(formatLogLine(line, true), /\x1b\[33mWARN /);
  assert.equal(formatLogLine('not json', false), 'not json');
});

test('on a terminal pino lines come out readable; into a file or a pipe they stay JSON', async () => {
  const tty = Object.assign(new PassThrough(), { isTTY: true, hasColors: () => false }) as unknown as NodeJS.WriteStream;
  let shown = '';
  (tty as unknown as PassThrough).on('data', (c) => {
    shown += c.toString();
  });
  const log = pino({ base: { service: 'sealwatch' } }, logDestination(tty));
  log.info({ address: 'http://127.0.0.1:8080' }, 'listening');
  assert.match(shown, /^\d\d:\d\d:\d\d\.\d{3} INFO  listening address=http:\/\/127\.0\.0\.1:8080\n$/);

  const pipe = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream;
  assert.equal(logDestination(pipe), pipe);
  let raw = '';
  (pipe as unknown as PassThrough).on('data', (c) => {
    raw += c.toString();
  });
  pino({}, logDestination(pipe)).info('listening');
  assert.equal(JSON.parse(raw).msg, 'listening');
});

test('lines split across writes are joined before formatting', () => {
  const out = new PassThrough();
  let shown = '';
  out.on('data', (c) => {
    shown += c.toString();
  });
  const s = readableLogStream(out);
  const line = JSON.stringify({ level: 30, time: 0, msg: 'hello' });
  s.write(line.slice(0, 10));
  s.write(`${line.slice(10)}\n`);
  assert.match(shown, /INFO  hello\n$/);
});
