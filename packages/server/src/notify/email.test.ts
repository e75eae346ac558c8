/**
 * Incident e-mails through a real SMTP server on loopback (smtp-server): each user gets what their
 * settings ask for and their scope shows, once per change; a refused e-mail is retried; the
 * settings are validated and belong to people, not the admin token.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
let p: P;
let clock = Date.now();
const received: Array<{ to: string[]; raw: string }> = [];
let refuseNext = 1;
let smtp: SMTPServer;
const tokens: Record<string, string> = {};
const kigaliOffice = { code: 'RWKGL', name: 'Kigali', country: 'RW', area: { center: { lat: -1.95, lon: 30.06 }, radiusM: 2000 } };

const admin = (method: string, url: string, payload?: unknown) =>
  p.http.inject({ method: method as 'POST', url, headers: p.auth, ...(payload === undefined ? {} : { payload: payload as object }) });
const as = (who: string, method: string, url: string, payload?: unknown) =>
  p.http.inject({
    method: method as 'PUT',
    url,
    headers: { authorization: `Bearer ${tokens[who]}` },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

before(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, done) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      stream.on('end', () => {
        if (refuseNext > 0) {
          refuseNext--;
          return done(Object.assign(new Error('mailbox busy, try later'), { responseCode: 451 }));
        }
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        done();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  const port = (smtp.server.address() as AddressInfo).port;
  p = await startTestPlatform(
    { SEALWATCH_TRANSIT_EVAL_S: '0', SEALWATCH_SMTP_URL: `smtp://127.0.0.1:${port}`, SEALWATCH_SMTP_FROM: 'Sealwatch <watch@kra.test>' },
    { now: () => clock },
  );
  for (const o of [
    { id: 'kra', name: 'KRA', kind: 'customs', country: 'KE' },
    { id: 'rra', name: 'RRA', kind: 'customs', country: 'RW' },
    { id: 'beta', name: 'Beta', kind: 'trader' },
  ])
    assert.equal((await admin('POST', '/api/v1/organisations', o)).statusCode, 201);
  for (const [username, organisation, role] of [
    ['ke.officer', 'kra', 'officer'],
    ['ke.analyst', 'kra', 'officer'],
    ['rw.officer', 'rra', 'officer'],
    ['beta.user', 'beta', 'trader'],
  ]) {
    const u = await admin('POST', '/api/v1/users', {
      username,
      name: username,
      organisation,
      roles: [role],
      password: `${username} long password`,
    });
    assert.equal(u.statusCode, 201, u.body);
    tokens[username] = (await admin('POST', '/api/v1/tokens', { name: username, user: u.json().id })).json().token;
  }
  for (const office of [mombasaOffice, malabaOffice, kigaliOffice])
    assert.equal((await admin('POST', '/api/v1/offices', office)).statusCode, 201);
});
after(async () => {
  await p?.cleanup();
  await new Promise<void>((r) => smtp.close(() => r()));
});

test('settings are validated, belong to a person, and come back as stored', async () => {
  const bad = await as('ke.officer', 'PUT', '/api/v1/me/notifications', {
    email: 'ke.officer@kra.test',
    quietHours: { from: '22:00', to: '06:00', timeZone: 'Mars/Olympus' },
  });
  assert.equal(bad.statusCode, 400, bad.body);
  assert.match(bad.body, /time zone/);
  assert.equal((await as('ke.officer', 'PUT', '/api/v1/me/notifications', { email: 'not an address' })).statusCode, 400);
  assert.equal((await as('ke.officer', 'PUT', '/api/v1/me/notifications', { email: null, extra: 1 })).statusCode, 400);
  const adminToken = await admin('PUT', '/api/v1/me/notifications', { email: 'root@kra.test' });
  assert.equal(adminToken.statusCode, 422);
  assert.equal(adminToken.json().code, 'not_a_user');
  assert.equal((await p.http.inject({ method: 'GET', url: '/api/v1/me/notifications' })).statusCode, 401);

  const ok = await as('ke.officer', 'PUT', '/api/v1/me/notifications', {
    email: 'ke.officer@kra.test',
    codes: ['seal_broken'],
    minSeverity: 'major',
    quietHours: { from: '22:00', to: '06:00', timeZone: 'Africa/Nairobi', minSeverity: 'critical' },
  });
  assert.equal(ok.statusCode, 200, ok.body);
  const back = (await as('ke.officer', 'GET', '/api/v1/me/notifications')).json();
  assert.deepEqual(back.codes, ['seal_broken']);
  assert.equal(back.quietHours.timeZone, 'Africa/Nairobi');
  // Defaults for someone who set nothing: no e-mail.
  assert.equal((await as('ke.analyst', 'GET', '/api/v1/me/notifications')).json().email, null);
});

test('a seal broken on a Kenyan movement e-mails who wants it and may see it, once, retried when the server refuses', async () => {
  for (const [who, prefs] of [
    ['ke.analyst', { email: 'ke.analyst@kra.test', codes: ['route_deviation'] }],
    ['rw.officer', { email: 'rw.officer@rra.test' }],
    ['beta.user', { email: 'ops@beta.test' }],
  ] as const)
    assert.equal((await as(who, 'PUT', '/api/v1/me/notifications', prefs)).statusCode, 200);

  const key = generateDeviceKey('EdDSA');
  assert.equal(
    (await admin('POST', '/api/v1/devices', { id: 'MAIL-1', class: 'active', kind: 'e_lock', protocol: 'native', key: key.registration }))
      .statusCode,
    201,
  );
  const m = await admin('POST', '/api/v1/movements', { ...buildMovementBody({ devices: ['MAIL-1'] }), trader: 'beta' });
  assert.equal(m.statusCode, 201, m.body);
  const id = m.json().id;
  const t0 = clock - 600_000;
  assert.equal((await admin('POST', `/api/v1/movements/${id}/start`, { time: new Date(t0).toISOString() })).statusCode, 200);
  const tamper = signMessage(key, {
    device: 'MAIL-1',
    seq: 1,
    time: new Date(t0 + 60_000).toISOString(),
    position: { lat: 0.2, lon: 34.5 },
    seal: { state: 'tampered' },
  });
  assert.equal(
    (await p.http.inject({ method: 'POST', url: '/api/v1/ingest', payload: { messages: [tamper] } })).json().results[0].status,
    'accepted',
  );
  await p.ctx.processor.idle();
  assert.ok(p.emails, 'e-mail is on with SEALWATCH_SMTP_URL');
  await p.emails.idle();

  // The first attempt is refused (451), the second, five seconds later, goes through. (The
  // platform's own timer may run a round too; rounds are serialised, so count what arrived.)
  await p.emails.sendDue();
  assert.equal(received.length, 1);
  clock += 5_000;
  await p.emails.sendDue();
  assert.equal(received.length, 2);
  assert.equal(await p.emails.sendDue(), 0, 'nothing left');
  const to = received.flatMap((r) => r.to).sort();
  assert.deepEqual(to, ['ke.officer@kra.test', 'ops@beta.test'], 'not RW (out of scope), not the analyst (other codes)');
  const mail = received.find((r) => r.to.includes('ke.officer@kra.test'))!.raw;
  assert.match(mail, /Subject: \[Sealwatch\] CRITICAL: seal broken on /);
  assert.match(mail, /From: Sealwatch <watch@kra\.test>/);
  assert.match(mail, /0\.20000, 34\.50000/);

  const outbox = (await as('beta.user', 'GET', '/api/v1/me/notifications/outbox')).json().items;
  assert.equal(outbox.length, 1);
  assert.equal(outbox[0].status, 'sent');
  const officer = (await as('ke.officer', 'GET', '/api/v1/me/notifications/outbox')).json().items;
  assert.equal(officer[0].status, 'sent');
  assert.ok(officer[0].attempts + outbox[0].attempts === 3, 'one of the two was tried twice');

  // The same change seen again (another process, a replay of the stream) queues nothing new.
  const incident = (await admin('GET', `/api/v1/incidents?movement=${id}`)).json().items[0];
  assert.deepEqual(await p.emails.enqueue(incident), []);

  // An assignee must be able to open the incident: another country's officer cannot be given it;
  // a response unit (no user's name) can; a colleague can, and is told by e-mail whatever codes they chose.
  const idOf = async (who: string) => (await as(who, 'GET', '/api/v1/auth/me')).json().id as string;
  const foreign = await as('ke.officer', 'POST', `/api/v1/incidents/${incident.id}/assign`, { assignee: await idOf('rw.officer') });
  assert.equal(foreign.statusCode, 422, foreign.body);
  assert.equal(foreign.json().code, 'assignee_cannot_act');
  const alertId = (await as('ke.officer', 'GET', `/api/v1/alerts?movement=${id}`)).json().items[0].id;
  const foreignAlert = await as('ke.officer', 'POST', `/api/v1/alerts/${alertId}/assign`, { assignee: 'rw.officer' });
  assert.equal(foreignAlert.statusCode, 422, foreignAlert.body);
  assert.equal(foreignAlert.json().code, 'assignee_cannot_act');
  const trader = await as('ke.officer', 'POST', `/api/v1/incidents/${incident.id}/assign`, { assignee: 'beta.user' });
  assert.equal(trader.statusCode, 422, 'a trader cannot act on alerts');
  assert.equal(
    (await as('ke.officer', 'POST', `/api/v1/incidents/${incident.id}/assign`, { assignee: 'Response unit 3' })).statusCode,
    200,
  );
  const colleague = await as('ke.officer', 'POST', `/api/v1/incidents/${incident.id}/assign`, { assignee: await idOf('ke.analyst') });
  assert.equal(colleague.statusCode, 200, colleague.body);
  await p.emails.idle();
  await p.emails.sendDue();
  assert.ok(
    received.some((r) => r.to.includes('ke.analyst@kra.test') && /Assigned to you/.test(r.raw)),
    'the colleague is told it was assigned to them',
  );

  // The officer's working note stays on the customs side: the trader reads what happened, not the note nor who wrote it.
  const note = await as('ke.officer', 'POST', `/api/v1/incidents/${incident.id}/note`, {
    comment: 'INTERNAL: suspect consignor, inspect at Malaba',
  });
  assert.equal(note.statusCode, 200, note.body);
  const officerView = (await as('ke.officer', 'GET', `/api/v1/incidents/${incident.id}`)).body;
  assert.match(officerView, /INTERNAL: suspect consignor/);
  for (const url of [`/api/v1/incidents/${incident.id}`, `/api/v1/incidents?movement=${id}`, `/api/v1/alerts?movement=${id}`]) {
    const traderView = await as('beta.user', 'GET', url);
    assert.equal(traderView.statusCode, 200, url);
    assert.doesNotMatch(traderView.body, /INTERNAL|suspect/, url);
  }
  const traderIncident = (await as('beta.user', 'GET', `/api/v1/incidents/${incident.id}`)).json();
  assert.deepEqual(
    traderIncident.history.map((h: { action: string }) => h.action),
    ['opened', 'assigned', 'assigned', 'noted'],
  );
  assert.ok(traderIncident.history.every((h: { by: unknown; comment?: unknown }) => h.by === null && h.comment === undefined));
});
