/**
 * An in-memory stand-in for the Sealwatch API, for unit tests of the simulator: it keeps offices,
 * devices and movements, and judges ingested messages like the server does (signature against the
 * registered key, seq duplicates and conflicts, time ahead of its clock). Not for end-to-end tests.
 */
import { createHmac, createPublicKey, verify } from 'node:crypto';
import type { DeviceKey } from '@sealwatch/core';
import type { IngestResult, MovementSummary, NewDevice, NewMovement, NewOffice, SealwatchApi } from './client';

export interface FakeMovement extends NewMovement {
  id: string;
  status: string;
  startedAt?: string;
}
export interface Payload {
  device: string;
  seq: number;
  time: string;
  seal: { state: string; rope?: string };
  position: { lat: number; lon: number };
}

/** The fake and its inspectable state; `lastSeqs` are the seqs the "server" already holds, made at `lastTimes` (default 1970). */
export function fakeApi(clock: { now(): number }, lastSeqs: Record<string, number> = {}, lastTimes: Record<string, string> = {}) {
  const state = {
    offices: new Map<string, NewOffice>(),
    devices: new Map<string, NewDevice>(),
    movements: [] as FakeMovement[],
    received: [] as Payload[],
    ingestCalls: [] as string[][],
    seen: new Map<string, string>(),
    failNextIngest: false,
    notAccepted: [] as IngestResult[],
    gate: null as Promise<void> | null,
    custody: new Map<string, string>(),
  };
  const verifies = (jws: string, key: DeviceKey) => {
    const [h, p, s] = jws.split('.');
    const input = Buffer.from(`${h}.${p}`);
    const sig = Buffer.from(s, 'base64url');
    if (key.alg === 'HS256') return createHmac('sha256', Buffer.from(key.secret, 'base64url')).update(input).digest().equals(sig);
    const pub = createPublicKey({ key: key.jwk as never, format: 'jwk' });
    return key.alg === 'EdDSA' ? verify(null, input, pub, sig) : verify('sha256', input, { key: pub, dsaEncoding: 'ieee-p1363' }, sig);
  };
  const move = (id: string, from: string[], to: string) => {
    const m = state.movements.find((x) => x.id === id);
    if (!m || !from.includes(m.status)) throw new Error(`invalid_transition ${id} ${m?.status} → ${to}`);
    m.status = to;
    return m as unknown as MovementSummary;
  };
  const api: SealwatchApi = {
    async createOffice(o) {
      if (state.offices.has(o.code)) return null;
      state.offices.set(o.code, o);
      return o;
    },
    async createDevice(d) {
      if (state.devices.has(d.id)) return null;
      state.devices.set(d.id, d);
      return d;
    },
    async createMovement(m) {
      if (state.movements.some((x) => x.reference === m.reference)) return null;
      const created = { ...m, id: `mv-${state.movements.length + 1}`, status: 'declared' };
      state.movements.push(created);
      return created as unknown as MovementSummary;
    },
    async startMovement(id, time) {
      const m = move(id, ['declared'], 'in_transit');
      (m as any).startedAt = time;
      return m;
    },
    async arriveMovement(id) {
      return move(id, ['in_transit'], 'arrived');
    },
    async endMovement(id) {
      return move(id, ['arrived', 'held'], 'ended');
    },
    async listMovements(q) {
      return state.movements.filter((m) => !q?.status || m.status === q.status) as unknown as MovementSummary[];
    },
    async lastSeq(id) {
      return lastSeqs[id] ?? null;
    },
    async lastReport(id) {
      const mine = state.received.filter((p) => p.device === id).sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
      const last = mine.at(-1);
      if (last) return { seq: last.seq, time: last.time };
      return lastSeqs[id] !== undefined ? { seq: lastSeqs[id], time: lastTimes[id] ?? new Date(0).toISOString() } : null;
    },
    async ensureCustody(device, holder) {
      if (state.custody.get(device) === holder) return false;
      state.custody.set(device, holder);
      return true;
    },
    async ingest(messages) {
      state.ingestCalls.push(messages);
      if (state.failNextIngest) {
        state.failNextIngest = false;
        throw new Error('connect ECONNREFUSED');
      }
      if (state.gate) await state.gate;
      const results = messages.map((jws): IngestResult => {
        const p = JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString()) as Payload;
        const device = state.devices.get(p.device);
        if (!device?.key || !verifies(jws, device.key))
          return { device: p.device, seq: p.seq, status: 'rejected', reason: 'bad_signature' };
        if (Date.parse(p.time) > clock.now()) return { device: p.device, seq: p.seq, status: 'rejected', reason: 'clock_skew' };
        const id = `${p.device}#${p.seq}`;
        if (state.seen.has(id))
          return {
            device: p.device,
            seq: p.seq,
            status: state.seen.get(id) === jws ? 'duplicate' : 'rejected',
            reason: state.seen.get(id) === jws ? undefined : 'seq_conflict',
          };
        state.seen.set(id, jws);
        state.received.push(p);
        return { device: p.device, seq: p.seq, status: 'accepted' };
      });
      state.notAccepted.push(...results.filter((r) => r.status !== 'accepted'));
      return results;
    },
  };
  return { api, state };
}
