import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBanner, type BannerInput } from './banner';

const base: BannerInput = {
  version: '0.1.0',
  url: 'http://127.0.0.1:8080',
  httpHost: '127.0.0.1',
  mqtt: 'MQTT :1884 (embedded broker)',
  listenerLines: ['vendor protocols: jt808 :5015'],
  sqliteFile: '/srv/sw/data/sealwatch.db',
  dataDir: '/srv/sw/data',
  masterKeyFile: '/srv/sw/data/master.key',
  generatedAdminToken: null,
  demo: {
    password: 'sealwatch-demo',
    users: [
      { username: 'admin', sees: 'everything' },
      { username: 'officer.ke', sees: 'Kenyan customs' },
    ],
  },
};

test('the banner names the ports, the demo users and their public password, the data, its backup and how to stop', () => {
  const text = startBanner(base).join('\n');
  assert.match(text, /Console {3}http:\/\/127\.0\.0\.1:8080\//);
  assert.match(text, /MQTT :1884 \(embedded broker\)/);
  assert.match(text, /jt808 :5015/);
  assert.match(text, /users, each with the password "sealwatch-demo"/);
  assert.match(text, /officer\.ke {2}Kenyan customs/);
  assert.match(text, /Reach {5}this machine only \(SEALWATCH_HTTP_HOST=127\.0\.0\.1\)/);
  assert.match(text, /SEALWATCH_HTTP_HOST=0\.0\.0\.0 SEALWATCH_DEMO=false/);
  assert.match(text, /demo password is public/);
  assert.match(text, /Data {6}\/srv\/sw\/data \(SQLite sealwatch\.db, master\.key\)/);
  assert.match(text, /sealwatch backup --out <folder> {3}\(the database with master\.key/);
  assert.match(text, /Stop {6}Ctrl-C/);
  assert.ok(startBanner(base).length <= 30, 'one screen');
});

test('exposed without the demo, the banner says who can reach it and shows a generated admin token once', () => {
  const text = startBanner({ ...base, httpHost: '0.0.0.0', demo: null, masterKeyFile: null, generatedAdminToken: 'tok-123' }).join('\n');
  assert.match(text, /every machine that can reach this one \(SEALWATCH_HTTP_HOST=0\.0\.0\.0\)/);
  assert.doesNotMatch(text, /demo/i);
  assert.match(text, /#token=tok-123/);
  assert.match(text, /keep SEALWATCH_MASTER_KEY with it/);
});

test('in cluster mode the banner names the mode, the roles and the engines in use, never SQLite', () => {
  const text = startBanner({
    ...base,
    mqtt: 'MQTT via mqtt://broker.internal:1883',
    sqliteFile: null,
    masterKeyFile: null,
    demo: null,
    engines: {
      store: 'PostgreSQL db.internal:5432/sealwatch (schema sealwatch)',
      log: 'NATS JetStream nats.internal:4222 (cluster sealwatch, 16 partitions)',
      roles: ['processor'],
    },
  }).join('\n');
  assert.match(text, /cluster mode, roles processor/);
  assert.match(
    text,
    /Engines {3}store PostgreSQL db\.internal:5432\/sealwatch \(schema sealwatch\); ingest log NATS JetStream nats\.internal:4222/,
  );
  assert.doesNotMatch(text, /SQLite|embedded/);
});
