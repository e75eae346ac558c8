/**
 * EPCIS 2.0 query subscriptions over WebSocket (REST binding: `GET /queries/{queryName}/events`
 * upgraded, with `stream=true` or a schedule as query parameters; the route is in
 * http/routes/epcis-query.routes.ts). Each message is one EPCISQueryDocument:
 *
 * - `stream`: each new event recorded on a movement the subscriber may see now (the scope of
 *   `GET /epcis/events`), mapped to EPCIS and kept if it satisfies the query's parameters;
 * - `schedule`: at each query time (UTC), the matching events in scope recorded since the last run
 *   (`minRecordTime`), an empty document only with `reportIfEmpty`.
 *
 * The credentials the socket was opened with are checked again before every message, every
 * `keepaliveMs` and at once when access changes in this process (a token revoked, a user's roles
 * changed or disabled): a credential that no longer works closes the socket with 4401, one whose
 * scope changed (roles, organisation, token scopes) with 4403 (reconnect to get the new scope).
 * Deleting the named query closes its sockets with 4404. Every document sent is audited with its hash.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  can,
  epcisQueryDocument,
  filterEpcisEvents,
  lastScheduledTime,
  toTimestamp,
  type DomainEvent,
  type EpcisEvent,
  type EpcisQuery,
  type EpcisSchedule,
  type Principal,
  type Timestamp,
} from '@sealwatch/core';
import type { AccessService } from '../access/access.service';
import type { Scopes } from '../access/scope';
import type { AuditTrail } from '../audit/audit-trail';
import { actionEntry } from '../audit/audit-entries';
import type { Store } from '../storage/ports';
import type { StreamBus } from '../stream/stream-bus';
import { recordDocument } from './document-audit';
import { epcisEventsInScope, movementEvents } from './epcis-events';

/** A client that lets this much pile up unread is disconnected (1008) rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** What a socket subscribed to, decided by the route before the upgrade. */
export interface SocketSubscription {
  queryName: string;
  /** The organisation whose query name it is (named queries are per organisation). */
  organisation: string;
  /** The named query's parameters ({} for SimpleEventQuery). */
  params: EpcisQuery;
  /** The base of the installation's EPCIS identifiers, as the request reached it. */
  base: string;
  stream: boolean;
  schedule: EpcisSchedule | null;
  reportIfEmpty: boolean;
  initialRecordTime: Timestamp;
  principal: Principal;
  actor: string;
  credentials: { authorization?: string; cookie?: string };
  path: string;
}

interface Connection {
  id: string;
  ws: WebSocket;
  sub: SocketSubscription;
  scopeKey: string;
  minRecordTime: Timestamp;
  /** The last query time run (at first: when it subscribed): the next run is the first query time after it. */
  lastRunAt: number;
  /** A pong came since the last ping. */
  alive: boolean;
  /** Messages are sent one after another, in the order their causes arrived. */
  chain: Promise<void>;
  closed: boolean;
}

export interface EpcisSocketHubOptions {
  store: Pick<Store, 'movements' | 'events' | 'devices' | 'incidents'>;
  scopes: Pick<Scopes, 'canSee' | 'movementsInScope'>;
  access: Pick<AccessService, 'authenticate' | 'onChange'>;
  audit: AuditTrail;
  bus: StreamBus;
  now: () => number;
  newId: () => string;
  log: { warn(o: object, m: string): void };
  /** How often idle sockets are pinged and their credentials checked (ms); 0: only on access changes and before sending. */
  keepaliveMs: number;
}

/** What a principal's scope is made of: when it differs, the socket is closed for the client to reconnect. */
const scopeKeyOf = (p: Principal) =>
  JSON.stringify({ id: p.id, roles: [...p.roles].sort(), organisation: p.organisation, scopes: p.scopes ? [...p.scopes].sort() : null });

export class EpcisSocketHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly connections = new Set<Connection>();
  private readonly unsubscribe: () => void;
  private readonly stopAccess: () => void;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly o: EpcisSocketHubOptions) {
    this.unsubscribe = o.bus.subscribe((m) => {
      if (m.kind !== 'event' || !m.data.movement) return;
      const event = m.data;
      for (const c of this.connections) if (c.sub.stream) this.then(c, () => this.deliverEvent(c, event));
    });
    this.stopAccess = o.access.onChange(() => {
      for (const c of this.connections) this.then(c, async () => void (await this.stillAllowed(c)));
    });
    if (o.keepaliveMs > 0)
      this.timers.push(
        setInterval(() => {
          for (const c of this.connections)
            this.then(c, async () => {
              // No pong since the last ping: the client is gone without closing.
              if (!c.alive) return void c.ws.terminate();
              c.alive = false;
              if (await this.stillAllowed(c)) c.ws.ping();
            });
        }, o.keepaliveMs),
      );
    // The standard's schedules have a resolution of one second.
    this.timers.push(setInterval(() => void this.runSchedules(), 1000));
    for (const t of this.timers) t.unref();
  }

  /** Number of open sockets. */
  get size(): number {
    return this.connections.size;
  }

  /** Completes the WebSocket handshake (101, with GS1-Query-Min-Record-Time) and starts the subscription. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer, sub: SocketSubscription): void {
    const addHeader = (headers: string[], r: IncomingMessage) => {
      if (r === req) headers.push(`GS1-Query-Min-Record-Time: ${sub.initialRecordTime}`);
    };
    this.wss.on('headers', addHeader);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const c: Connection = {
        id: this.o.newId(),
        ws,
        sub,
        scopeKey: scopeKeyOf(sub.principal),
        minRecordTime: sub.initialRecordTime,
        lastRunAt: this.o.now(),
        alive: true,
        chain: Promise.resolve(),
        closed: false,
      };
      this.connections.add(c);
      ws.on('close', (code) => {
        c.closed = true;
        this.connections.delete(c);
        void this.audited(c, 'epcisQueryWebSocketClosed', code);
      });
      ws.on('error', () => ws.terminate());
      ws.on('pong', () => (c.alive = true));
      // Clients have nothing to say on this socket: what they send is not read.
      void this.audited(c, 'epcisQueryWebSocket', 101);
    });
    // Without verifyClient the handshake (and its 'headers') completes synchronously, or is refused.
    this.wss.off('headers', addHeader);
  }

  /** Closes every socket subscribed to the organisation's named query (it was deleted): 4404. */
  closeQuery(organisation: string, queryName: string): number {
    let n = 0;
    for (const c of this.connections)
      if (c.sub.organisation === organisation && c.sub.queryName === queryName) {
        this.close(c, 4404, 'query deleted');
        n++;
      }
    return n;
  }

  /** Runs every scheduled socket whose query time came round since its last run; resolves when they are sent. */
  async runSchedules(): Promise<void> {
    const now = this.o.now();
    const due: Promise<void>[] = [];
    for (const c of this.connections) {
      if (!c.sub.schedule) continue;
      const at = lastScheduledTime(c.sub.schedule, c.lastRunAt, now);
      if (at === null) continue;
      const runAt = toTimestamp(at);
      const from = c.minRecordTime;
      c.lastRunAt = at;
      c.minRecordTime = runAt;
      due.push(this.then(c, () => this.deliverRun(c, from, runAt)));
    }
    await Promise.all(due);
  }

  /** Resolves when every message caused so far has been sent (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.connections].map((c) => c.chain));
  }

  /** Closes every socket (1001, going away) and stops listening. */
  async stop(): Promise<void> {
    this.unsubscribe();
    this.stopAccess();
    for (const t of this.timers) clearInterval(t);
    for (const c of this.connections) this.close(c, 1001, 'server stopping');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private then(c: Connection, work: () => Promise<void>): Promise<void> {
    c.chain = c.chain.then(async () => {
      if (c.closed) return;
      try {
        await work();
      } catch (err) {
        this.o.log.warn({ err, subscription: c.id }, 'EPCIS WebSocket subscription: a message could not be prepared');
      }
    });
    return c.chain;
  }

  /** Whether the socket's credentials still work with the same scope; closes it (4401, 4403) when not. */
  private async stillAllowed(c: Connection): Promise<boolean> {
    const who = await this.o.access.authenticate(c.sub.credentials);
    if (!who || !can(who.principal, 'movements.read')) {
      this.close(c, 4401, 'credentials no longer valid');
      return false;
    }
    if (scopeKeyOf(who.principal) !== c.scopeKey) {
      this.close(c, 4403, 'scope changed: reconnect');
      return false;
    }
    return true;
  }

  private async deliverEvent(c: Connection, event: DomainEvent): Promise<void> {
    if (event.createdAt < c.sub.initialRecordTime || !event.movement) return;
    const movement = await this.o.store.movements.get(event.movement);
    if (!movement || !(await this.o.scopes.canSee(c.sub.principal, movement))) return;
    const events = filterEpcisEvents(await movementEvents(this.o.store, c.sub.base, movement, [event]), c.sub.params);
    // The principal above is the one the socket opened with: it is sent only while it still holds, unchanged.
    if (events.length && (await this.stillAllowed(c))) await this.send(c, events, [movement.id]);
  }

  private async deliverRun(c: Connection, from: Timestamp, runAt: Timestamp): Promise<void> {
    if (!(await this.stillAllowed(c))) return;
    const all = await epcisEventsInScope(this.o.store, this.o.scopes, c.sub.principal, c.sub.base);
    const events = filterEpcisEvents(filterEpcisEvents(all, c.sub.params), { GE_recordTime: from, LT_recordTime: runAt });
    if (events.length || c.sub.reportIfEmpty) await this.send(c, events, []);
  }

  private async send(c: Connection, events: EpcisEvent[], subjects: string[]): Promise<void> {
    if (c.closed) return;
    if (c.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.o.log.warn({ subscription: c.id, buffered: c.ws.bufferedAmount }, 'EPCIS WebSocket client too slow; disconnecting');
      this.close(c, 1008, 'client too slow');
      return;
    }
    const body = JSON.stringify(epcisQueryDocument(events, toTimestamp(this.o.now()), c.sub.queryName, c.id));
    c.ws.send(body);
    await recordDocument(this.o, {
      actor: c.sub.actor,
      direction: 'out',
      document: 'EPCISQueryDocument',
      bytes: body,
      subjects,
      status: 101,
    });
  }

  private close(c: Connection, code: number, reason: string): void {
    if (c.closed) return;
    c.closed = true;
    c.ws.close(code, reason);
  }

  private audited(c: Connection, operation: string, status: number): Promise<void> {
    return this.o.audit.record([
      actionEntry({
        id: this.o.newId(),
        actor: `user:${c.sub.actor}`,
        operation,
        method: 'GET',
        path: c.sub.path,
        subjects: [c.id, c.sub.queryName],
        body: undefined,
        status,
        at: this.o.now(),
      }),
    ]);
  }
}
