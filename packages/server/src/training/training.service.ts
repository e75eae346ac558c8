/**
 * Training runs (DESIGN §8): an instructor starts an exercise for a trainee; the run gets its own
 * space (run-space.ts) with the exercise's offices, device and movement, the trip's history
 * uploaded at once and its live tail sent as it becomes due; the trainee works in it with the
 * run's token; the score is read live from the run's incidents and kept when the run finishes
 * (by the instructor, or by itself when the exercise is over). A run's record is `run.json` in its
 * folder, so finished runs and their scores outlive a restart.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { DomainError, scoreRun, type Exercise, type Incident, type MovementId, type Principal, type Score } from '@sealwatch/core';
import {
  exerciseScript,
  generateDeviceKey,
  SealwatchClient,
  signMessage,
  type DeviceSigningKey,
  type ScriptedMessage,
} from '@sealwatch/sim';
import type { Config } from '../config/config';
import type { User } from '../storage/ports';
import { injectFetch } from '../cli/inject-fetch';
import { PLATFORM_ORG } from '../access/access.service';
import { openRunSpace, runTransitEvalMs, type OpenPlatform, type RunSpace } from './run-space';

export interface TrainingRun {
  id: string;
  exercise: string;
  /** The trainee's user id on this installation, and name. */
  trainee: string;
  traineeName: string;
  /** A class the instructor groups runs by (the instructor screen shows one class side by side). */
  class: string | null;
  instructor: string;
  status: 'running' | 'finished';
  startedAt: string;
  endsAt: string;
  finishedAt: string | null;
  /** The run's movement id (in the run's space). */
  movement: string;
  /** The final score once finished. */
  score: Score | null;
}

interface LiveRun {
  run: TrainingRun;
  space: RunSpace;
  tokenHash: string;
  pending: ScriptedMessage[];
  key: DeviceSigningKey;
  timer: NodeJS.Timeout | null;
  sending: Promise<void>;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const ADMIN: Principal = {
  id: 'admin',
  name: 'admin',
  roles: ['admin'],
  organisation: { id: PLATFORM_ORG, kind: 'platform', country: null },
};
const BATCH = 500;

export class TrainingService {
  private readonly runs = new Map<string, TrainingRun>();
  private readonly live = new Map<string, LiveRun>();
  private readonly byToken = new Map<string, string>();
  private readonly root: string;

  constructor(
    private readonly deps: {
      config: Readonly<Config>;
      exercises: readonly Exercise[];
      open: OpenPlatform;
      now: () => number;
      newId: () => string;
      users: { getUser(id: string): Promise<User | null> };
      log: { warn(o: object, msg: string): void };
    },
  ) {
    this.root = join(deps.config.dataDir, 'training');
  }

  exercises(): readonly Exercise[] {
    return this.deps.exercises;
  }

  exercise(id: string): Exercise {
    const e = this.deps.exercises.find((x) => x.id === id);
    if (!e) throw new DomainError('unknown_exercise', `no exercise ${id}`);
    return e;
  }

  /** Reads the runs kept on disk; a run left running by a stop is finished now with the score its space holds. */
  async load(): Promise<void> {
    if (!existsSync(this.root)) return;
    for (const id of readdirSync(this.root)) {
      const file = join(this.root, id, 'run.json');
      if (!existsSync(file)) continue;
      const run = JSON.parse(readFileSync(file, 'utf8')) as TrainingRun;
      this.runs.set(run.id, run);
      if (run.status === 'running') {
        const space = await openRunSpace(this.deps.open, this.deps.config, join(this.root, id));
        try {
          this.save({
            ...run,
            status: 'finished',
            finishedAt: new Date(this.deps.now()).toISOString(),
            score: await this.scoreIn(space, run),
          });
        } finally {
          await space.platform.stop();
        }
      }
    }
  }

  async start(
    exerciseId: string,
    input: { trainee: string; class?: string | null },
    instructor: Principal,
  ): Promise<TrainingRun & { token: string }> {
    const exercise = this.exercise(exerciseId);
    const trainee = await this.deps.users.getUser(input.trainee);
    if (!trainee) throw new DomainError('unknown_user', `no user ${input.trainee}`, { field: 'trainee' });
    const id = this.deps.newId();
    const nowMs = this.deps.now();
    const dir = join(this.root, id);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const space = await openRunSpace(this.deps.open, this.deps.config, dir);
    try {
      const script = exerciseScript(exercise, nowMs, `TRN-${id.slice(0, 8).toUpperCase()}`);
      const client = new SealwatchClient(injectFetch(space.platform.http), 'http://in-process', space.adminToken);
      for (const o of script.offices) await client.createOffice(o);
      const key = generateDeviceKey('EdDSA');
      await client.createDevice({ ...script.device, key: key.registration });
      // The readers stay silent (the exercise is the missed read); native devices are registered with a key.
      for (const r of script.readers) await client.createDevice({ ...r, key: generateDeviceKey('EdDSA').registration });
      const movement = await client.createMovement(script.movement);
      if (!movement) throw new Error('the run movement exists already');
      await client.startMovement(movement.id, new Date(script.departureMs).toISOString());
      const access = space.platform.ctx.access;
      await access.createOrganisation({ id: 'training', name: 'Training', kind: 'customs', country: null });
      const user = await access.createUser({
        username: trainee.username,
        name: trainee.name,
        organisation: 'training',
        roles: ['officer'],
        password: `${sha256(`${id}${Math.random()}`)}Aa1!`,
      });
      const { token } = await access.createToken(ADMIN, user, { name: `training run ${id}`, expiresInDays: 2 });
      const run: TrainingRun = {
        id,
        exercise: exercise.id,
        trainee: trainee.id,
        traineeName: trainee.name,
        class: input.class ?? null,
        instructor: instructor.id,
        status: 'running',
        startedAt: new Date(nowMs).toISOString(),
        endsAt: new Date(script.endsAtMs).toISOString(),
        finishedAt: null,
        movement: movement.id,
        score: null,
      };
      const liveRun: LiveRun = {
        run,
        space,
        tokenHash: sha256(token),
        pending: script.messages,
        key,
        timer: null,
        sending: Promise.resolve(),
      };
      this.save(run);
      this.live.set(id, liveRun);
      this.byToken.set(liveRun.tokenHash, id);
      await this.sendDue(liveRun);
      await this.watchTransit(space);
      return { ...run, token };
    } catch (e) {
      await space.platform.stop();
      throw e;
    }
  }

  /** The running run a bearer token belongs to, with its space's port; null for any other token. */
  runOfToken(token: string): { run: TrainingRun; port: number } | null {
    const id = this.byToken.get(sha256(token));
    const live = id ? this.live.get(id) : undefined;
    return live ? { run: live.run, port: live.space.port } : null;
  }

  get(id: string): TrainingRun {
    const run = this.runs.get(id);
    if (!run) throw new DomainError('unknown_training_run', `no training run ${id}`);
    return run;
  }

  /** The run with its score: live while running, the kept one once finished. */
  async withScore(id: string): Promise<TrainingRun & { score: Score }> {
    const run = this.get(id);
    const live = this.live.get(id);
    if (live) return { ...run, score: await this.scoreIn(live.space, run) };
    return { ...run, score: run.score ?? { total: 0, max: 0, items: [] } };
  }

  list(filter: { class?: string; exercise?: string }): TrainingRun[] {
    return [...this.runs.values()]
      .filter((r) => (!filter.class || r.class === filter.class) && (!filter.exercise || r.exercise === filter.exercise))
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt) || a.id.localeCompare(b.id));
  }

  async finish(id: string): Promise<TrainingRun & { score: Score }> {
    this.get(id);
    const live = this.live.get(id);
    if (!live) throw new DomainError('training_run_finished', `training run ${id} is finished`);
    this.live.delete(id);
    this.byToken.delete(live.tokenHash);
    if (live.timer) clearTimeout(live.timer);
    await live.sending;
    const score = await this.scoreIn(live.space, live.run);
    const run: TrainingRun = { ...live.run, status: 'finished', finishedAt: new Date(this.deps.now()).toISOString(), score };
    this.save(run);
    await live.space.platform.stop();
    return { ...run, score };
  }

  /** Stops every run's space (the runs stay running on disk: the next start finishes them). */
  async stop(): Promise<void> {
    for (const live of [...this.live.values()]) {
      if (live.timer) clearTimeout(live.timer);
      await live.sending;
      await live.space.platform.stop();
    }
    this.live.clear();
    this.byToken.clear();
  }

  /**
   * Turns the run's transit rules on once its history is in and processed: evaluated at once (a
   * situation the history already holds, a detour under way, shows as the trainee arrives), then on a timer.
   */
  private async watchTransit(space: RunSpace): Promise<void> {
    await space.platform.ctx.processor.idle();
    await space.platform.transit.evaluateAll();
    space.platform.transit.schedule(runTransitEvalMs(this.deps.config));
  }

  private save(run: TrainingRun): void {
    this.runs.set(run.id, run);
    writeFileSync(join(this.root, run.id, 'run.json'), JSON.stringify(run, null, 2), { mode: 0o600 });
  }

  private async scoreIn(space: RunSpace, run: TrainingRun): Promise<Score> {
    const page = await space.platform.ctx.store.incidents.list({ movement: run.movement as MovementId }, { limit: 200 });
    return scoreRun(this.exercise(run.exercise).criteria, page.items as Incident[]);
  }

  /** Sends every message now due (signed as the device makes them), then waits for the next; finishes the run at its end. */
  private async sendDue(live: LiveRun): Promise<void> {
    const nowMs = this.deps.now();
    const due: ScriptedMessage[] = [];
    while (live.pending.length && live.pending[0].sendAtMs <= nowMs) due.push(live.pending.shift()!);
    const client = new SealwatchClient(injectFetch(live.space.platform.http), 'http://in-process', live.space.adminToken);
    for (let i = 0; i < due.length; i += BATCH) {
      const results = await client.ingest(due.slice(i, i + BATCH).map((m) => signMessage(live.key, m.payload)));
      const refused = results.filter((r) => r.status === 'rejected');
      if (refused.length) this.deps.log.warn({ run: live.run.id, refused: refused.slice(0, 3) }, 'training run: device messages refused');
    }
    if (!this.live.has(live.run.id)) return;
    const endsMs = Date.parse(live.run.endsAt);
    const next = Math.min(live.pending[0]?.sendAtMs ?? endsMs, endsMs);
    live.timer = setTimeout(
      () => {
        live.timer = null;
        if (this.deps.now() >= endsMs && !live.pending.length) {
          void this.finish(live.run.id).catch((e: unknown) =>
            this.deps.log.warn({ run: live.run.id, err: e }, 'training run: finishing failed'),
          );
          return;
        }
        live.sending = this.sendDue(live).catch((e: unknown) =>
          this.deps.log.warn({ run: live.run.id, err: e }, 'training run: sending failed'),
        );
      },
      Math.max(0, next - this.deps.now()),
    );
    live.timer.unref();
  }
}
