/**
 * CPU profile of the embedded ingest phase alone (devices registered and messages signed before
 * the profiler starts): `node --import tsx packages/server/bench/profile-ingest.ts EdDSA|HS256 out.cpuprofile`.
 * `node scripts/top-frames.mjs out.cpuprofile` folds it into the top frames (docs/performance.md).
 * The verification workers' own time is not in the main thread's profile.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { SigningAlg } from '@sealwatch/core';
import { startTestPlatform } from '../src/testing/test-platform';
import { postAll, signedFleet, urlOf } from './common';
import { DEVICES, MESSAGES } from './ingest-bench';

const alg = (process.argv[2] ?? 'HS256') as SigningAlg;
const out = process.argv[3] ?? `ingest-${alg}.cpuprofile`;
const p = await startTestPlatform({ SEALWATCH_MQTT_PORT: 'off' });
await p.listen();
const messages = await signedFleet(p, `P${alg}`, alg, DEVICES, MESSAGES);
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 500 });
await session.post('Profiler.start');
// CPU time of this process (main thread, verification workers and the HTTP clients) per message:
// unlike msg/s, it hardly moves when other processes share the cores.
const cpu0 = process.cpuUsage();
const rate = await postAll(urlOf(p), messages, `ingest ${alg} embedded (profiled)`);
await p.ctx.processor.idle();
const cpu = process.cpuUsage(cpu0);
const { profile } = await session.post('Profiler.stop');
writeFileSync(out, JSON.stringify(profile));
const perMessage = (cpu.user + cpu.system) / messages.length;
console.log(`${alg}: ${Math.round(rate)} msg/s (profiled), ${perMessage.toFixed(0)} µs CPU per message → ${out}`);
await p.cleanup();
process.exit(0);
