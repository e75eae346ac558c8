#!/usr/bin/env node
// The set-up `npm test` needs on a machine of the project's kind (Debian, Node 20): the browser
// the console tests drive, and the PostgreSQL, NATS (JetStream) and Mosquitto servers the storage
// contract, cluster, crash and backpressure tests use. A service that is installed but stopped is
// started; one that is missing is named in one line with what to do. Running services are never
// stopped or restarted (they may be shared with other work on the machine).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';

const CHROMIUM = '/usr/bin/chromium';
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const missing = [];

const say = (line) => process.stdout.write(`test-setup: ${line}\n`);

/** True when something accepts a TCP connection on 127.0.0.1:port. */
function answers(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitFor(port, seconds) {
  for (let i = 0; i < seconds * 2; i++) {
    if (await answers(port)) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  return r.status === 0 ? null : (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n')[0];
}

const which = (name) =>
  ['/usr/sbin', '/usr/bin', '/usr/local/bin', '/usr/local/sbin'].map((d) => `${d}/${name}`).find((p) => existsSync(p)) ?? null;

/** Each service: its port, and how to start it when its package is installed (null: not installed). */
const services = [
  {
    name: 'PostgreSQL',
    port: 5432,
    needed: 'the storage contract suite on PostgreSQL and the cluster tests',
    install: 'apt-get install postgresql',
    starter() {
      const versions = existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql').sort() : [];
      const ctl = which('pg_ctlcluster');
      if (!ctl || versions.length === 0) return null;
      return [ctl, ['--skip-systemctl-redirect', versions[versions.length - 1], 'main', 'start']];
    },
  },
  {
    name: 'NATS',
    port: 4222,
    needed: 'the cluster tests (JetStream ingest log)',
    install: 'install nats-server (https://github.com/nats-io/nats-server/releases) at /usr/sbin/nats-server',
    starter() {
      const bin = which('nats-server');
      if (!bin) return null;
      const ssd = which('start-stop-daemon');
      const args = ['-a', '127.0.0.1', '-p', '4222', '-js', '-sd', '/var/lib/nats-server', '-l', '/var/log/nats-server.log'];
      return ssd ? [ssd, ['--start', '--oknodo', '--background', '--exec', bin, '--', ...args]] : null;
    },
  },
  {
    name: 'Mosquitto',
    port: 1883,
    needed: 'the external-broker MQTT tests',
    install: 'apt-get install mosquitto',
    starter() {
      const bin = which('mosquitto');
      return bin ? [bin, ['-d', '-c', '/etc/mosquitto/mosquitto.conf']] : null;
    },
  },
];

for (const s of services) {
  if (await answers(s.port)) {
    say(`${s.name} answers on ${s.port}`);
    continue;
  }
  const start = s.starter();
  if (!start) {
    missing.push(`${s.name} is not installed and nothing answers on 127.0.0.1:${s.port} (${s.install}); ${s.needed} will fail`);
    continue;
  }
  say(`${s.name} does not answer on ${s.port}: starting it (${start[0]})`);
  const error = run(...start);
  if (await waitFor(s.port, 30)) say(`${s.name} started`);
  else
    missing.push(
      `${s.name} is installed but could not be started on ${s.port}${error ? ` (${error})` : ''}${isRoot ? '' : ' (try as root)'}; ${s.needed} will fail`,
    );
}

// The console's browser tests drive Debian's chromium through playwright-core, which never
// downloads a browser.
if (existsSync(CHROMIUM)) say(`chromium at ${CHROMIUM}`);
else if (isRoot && which('apt-get')) {
  say(`chromium is missing: installing Debian's package`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  if (!existsSync(CHROMIUM))
    missing.push(`chromium is still missing at ${CHROMIUM} after apt-get install chromium; the console's browser tests will fail`);
} else missing.push(`chromium is missing at ${CHROMIUM} (as root: apt-get install chromium); the console's browser tests will fail`);

for (const m of missing) process.stderr.write(`test-setup: MISSING: ${m}\n`);
