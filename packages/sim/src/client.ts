/**
 * A small client for the Sealwatch HTTP API v1 (DESIGN §6), over any fetch-compatible function so
 * it runs against a live server, an in-process server or a fake. The bearer token is sent on every
 * call and never appears in an error or a log line.
 */
import type { AuthorizedStop, DeviceClass, DeviceIdentifiers, DeviceKey, DeviceKind, LatLon, LineString } from '@sealwatch/core';

export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
}
export type FetchLike = (url: string, init: FetchInit) => Promise<{ status: number; json(): Promise<any> }>;

export interface NewOffice {
  code: string;
  name: string;
  country: string;
  area: { center: LatLon; radiusM: number } | { type: 'Polygon'; coordinates: number[][][] };
}

export interface NewDevice {
  id: string;
  class: DeviceClass;
  kind: DeviceKind;
  protocol: string;
  identifiers?: DeviceIdentifiers;
  reportIntervalS?: number;
  key?: DeviceKey;
  /** The device provider organisation that owns it (sees its health). */
  owner?: string;
}

export interface NewMovement {
  reference: string;
  container: string;
  devices: string[];
  seals: string[];
  departureOffice: string;
  destinationOffice: string;
  route: LineString;
  corridorWidthM: number;
  authorizedStops: AuthorizedStop[];
  timeLimit: string;
  trader?: string;
  vehicle?: string;
}

/** The parts of a movement the simulator reads; the server sends more. */
export interface MovementSummary {
  id: string;
  reference: string;
  status: string;
  devices?: string[];
  [member: string]: unknown;
}

export interface IngestResult {
  device: string | null;
  seq: number | null;
  status: 'accepted' | 'duplicate' | 'rejected';
  reason?: string;
}

/** What the demo and the fleet simulator need from the API; SealwatchClient implements it. */
export interface SealwatchApi {
  createOffice(office: NewOffice): Promise<unknown | null>;
  createDevice(device: NewDevice): Promise<unknown | null>;
  createMovement(movement: NewMovement): Promise<MovementSummary | null>;
  startMovement(id: string, time?: string): Promise<MovementSummary>;
  arriveMovement(id: string, time?: string): Promise<MovementSummary>;
  endMovement(id: string, time?: string): Promise<MovementSummary>;
  listMovements(query?: { status?: string; limit?: number }): Promise<MovementSummary[]>;
  lastSeq(deviceId: string): Promise<number | null>;
  /** The device's newest observation (highest time) as the server holds it: its seq and time; null if none or unknown. */
  lastReport(deviceId: string): Promise<{ seq: number | null; time: string } | null>;
  ingest(messages: string[]): Promise<IngestResult[]>;
  /** Hands the device to `holder` (an organisation) unless it already holds it; false when it did. */
  ensureCustody(deviceId: string, holder: string): Promise<boolean>;
}

/** A non-2xx answer: the HTTP status and the problem's machine `code` and human `detail`. */
export class SealwatchApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    what: string,
  ) {
    super(`${what} failed: HTTP ${status} ${code}${detail ? `: ${detail}` : ''}`);
    this.name = 'SealwatchApiError';
  }
}

/**
 * Arrives and ends every open movement whose reference starts with `prefix` (left by an earlier
 * demo or simulation run, holding its devices). Failures are collected, not thrown.
 */
export async function endOpenMovements(
  api: SealwatchApi,
  prefix: string,
  time: () => string,
): Promise<{ ended: string[]; failed: string[] }> {
  const ended: string[] = [];
  const failed: string[] = [];
  for (const status of ['declared', 'in_transit', 'arrived', 'held']) {
    for (const m of await api.listMovements({ status })) {
      if (typeof m.reference !== 'string' || !m.reference.startsWith(prefix)) continue;
      try {
        if (status === 'declared') await api.startMovement(m.id, time());
        if (status === 'declared' || status === 'in_transit') await api.arriveMovement(m.id, time());
        await api.endMovement(m.id, time());
        ended.push(m.reference);
      } catch (e) {
        failed.push(`${m.reference}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  return { ended, failed };
}

/** The API accepts at most this many messages per ingest request (DESIGN §5). */
export const MAX_INGEST_BATCH = 1000;

export class SealwatchClient implements SealwatchApi {
  private readonly baseUrl: string;

  constructor(
    private readonly fetch: FetchLike,
    baseUrl: string,
    private readonly token: string,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  createOffice(office: NewOffice) {
    return this.create('/offices', office, 'office_exists');
  }

  createDevice(device: NewDevice) {
    return this.create('/devices', device, 'device_exists');
  }

  createMovement(movement: NewMovement) {
    return this.create('/movements', movement, 'movement_exists') as Promise<MovementSummary | null>;
  }

  createOrganisation(organisation: { id: string; name: string; kind: string; country: string | null; aeo?: boolean }) {
    return this.create('/organisations', organisation, 'organisation_exists');
  }

  /** Creates a user; null if the username is taken (the existing user is left as it is). */
  createUser(user: { username: string; name: string; organisation: string; roles: string[]; password: string }) {
    return this.create('/users', user, 'user_exists');
  }

  async setRiskTrader(trader: string, record: { aeo: boolean; name: string }): Promise<void> {
    await this.call('PUT', `/risk/traders/${encodeURIComponent(trader)}`, record);
  }

  startMovement(id: string, time?: string) {
    return this.step(id, 'start', time);
  }

  arriveMovement(id: string, time?: string) {
    return this.step(id, 'arrive', time);
  }

  endMovement(id: string, time?: string) {
    return this.step(id, 'end', time);
  }

  /** Every movement matching the query, following `nextCursor` page by page. */
  async listMovements(query: { status?: string; limit?: number } = {}): Promise<MovementSummary[]> {
    const items: MovementSummary[] = [];
    let cursor: string | null = null;
    do {
      const params = new URLSearchParams();
      if (query.status) params.set('status', query.status);
      params.set('limit', String(query.limit ?? 200));
      if (cursor) params.set('cursor', cursor);
      const page = await this.call('GET', `/movements?${params}`);
      items.push(...((page.body?.items ?? []) as MovementSummary[]));
      cursor = typeof page.body?.nextCursor === 'string' && page.body.nextCursor ? page.body.nextCursor : null;
    } while (cursor);
    return items;
  }

  /** The highest seq the server holds for the device (its newest observation), or null if none or unknown. */
  async lastSeq(deviceId: string): Promise<number | null> {
    const r = await this.call('GET', `/devices/${encodeURIComponent(deviceId)}/observations?limit=1`, undefined, [404]);
    if (r.status === 404) return null;
    const seq = r.body?.items?.[0]?.seq;
    return typeof seq === 'number' ? seq : null;
  }

  async lastReport(deviceId: string): Promise<{ seq: number | null; time: string } | null> {
    const r = await this.call('GET', `/devices/${encodeURIComponent(deviceId)}/observations?limit=1`, undefined, [404]);
    const item = r.status === 404 ? null : r.body?.items?.[0];
    return item && typeof item.time === 'string' ? { seq: typeof item.seq === 'number' ? item.seq : null, time: item.time } : null;
  }

  /** Sends signed messages (in requests of at most 1000) and answers one result per message, in order. */
  async ingest(messages: string[]): Promise<IngestResult[]> {
    const results: IngestResult[] = [];
    for (let i = 0; i < messages.length; i += MAX_INGEST_BATCH) {
      const r = await this.call('POST', '/ingest', { messages: messages.slice(i, i + MAX_INGEST_BATCH) });
      results.push(...((r.body?.results ?? []) as IngestResult[]));
    }
    return results;
  }

  async ensureCustody(deviceId: string, holder: string): Promise<boolean> {
    const path = `/devices/${encodeURIComponent(deviceId)}/custody`;
    const grants = (await this.call('GET', path)).body?.items as { holder: string; to: string | null }[] | undefined;
    if (grants?.some((g) => g.holder === holder && g.to === null)) return false;
    await this.call('POST', path, { holder });
    return true;
  }

  private async create(path: string, body: unknown, existsCode: string): Promise<any | null> {
    const r = await this.call('POST', path, body, [409]);
    if (r.status !== 409) return r.body;
    if (r.body?.code === existsCode) return null;
    throw this.error(r, `POST ${path}`);
  }

  private async step(id: string, action: 'start' | 'arrive' | 'end', time?: string): Promise<MovementSummary> {
    const r = await this.call('POST', `/movements/${encodeURIComponent(id)}/${action}`, time ? { time } : {});
    return r.body as MovementSummary;
  }

  /** One request; a status outside 2xx and `allowed` throws a SealwatchApiError. */
  private async call(method: string, path: string, body?: unknown, allowed: number[] = []): Promise<{ status: number; body: any }> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await this.fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    let parsed: any = null;
    try {
      parsed = await res.json();
    } catch {
      parsed = null; // an empty or non-JSON body
    }
    const answer = { status: res.status, body: parsed };
    if ((res.status >= 200 && res.status < 300) || allowed.includes(res.status)) return answer;
    throw this.error(answer, `${method} ${path.split('?')[0]}`);
  }

  private error(r: { status: number; body: any }, what: string): SealwatchApiError {
    const code = typeof r.body?.code === 'string' ? r.body.code : 'http_error';
    const detail = typeof r.body?.detail === 'string' ? r.body.detail : typeof r.body?.title === 'string' ? r.body.title : '';
    return new SealwatchApiError(r.status, code, detail, what);
  }
}
