/**
 * Training runs (DESIGN §8): an instructor starts an exercise for a trainee; the run gets its own
 * space (run-space.ts) with the exercise's offices, device and movement, the trip's history
 * uploaded at once and its live tail sent as it becomes due; the trainee works in it with the
 * run's token; the score is read live from the run's incidents and kept when the run finishes
 * (by the instructor, or by itself when the exercise is over). A run's files (run-files.ts) outlive
 * a restart: a finished run keeps its score, and a running one is taken up again at the next start
 * (its space reopened, the trainee's token working again, the device's messages due meanwhile sent
 * as the buffered history a real device would upload), or finished with the reason said, never left a ghost.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import {
  DomainError,
  exerciseInScope,
  mayTrain,
  movementScope,
  scoreRun,
  type Exercise,
  type Incident,
  type Movement,
  type MovementId,
  type Principal,
  type Score,
} from '@sealwatch/core';
import {
  deriveDemoKey,
  exerciseScript,
  generateDeviceKey,
  SealwatchClient,
  signMessage,
  type DeviceSigningKey,
  type ScriptedMessage,
} from '@sealwatch/sim';
import type { Config } from '../config/config';
import type { Organisation, Store, User } from '../storage/ports';
import { recordExercise, type RecordInput } from './exercise-recording';
import { injectFetch } from '../cli/inject-fetch';
import { PLATFORM_ORG } from '../access/access.service';
import { openRunSpace, runTransitEvalMs, type OpenPlatform, type RunSpace } from './run-space';
import { readRun, readRunExercise, readRunSecrets, writeRun, writeRunExercise, writeRunSecrets, type TrainingRun } from './run-files';

export type { TrainingRun } from './run-files';

/** Where exercises recorded on this installation are kept (beside its data, not in the repository). */
export const authoredExercisesDir = (config: Readonly<Config>) => join(config.dataDir, 'training-exercises');

interface LiveRun {
  run: TrainingRun;
  exercise: Exercise;
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
  private readonly catalogue: Exercise[];

  constructor(
    private readonly deps: {
      config: Readonly<Config>;
      exercises: readonly Exercise[];
      open: OpenPlatform;
      now: () => number;
      newId: () => string;
      users: {
        getUser(id: string): Promise<User | null>;
        listUsers(organisation?: string): Promise<User[]>;
        getOrganisation(id: string): Promise<Organisation | null>;
      };
      /** The live store, read only to record a movement as an exercise (exercise-recording.ts). */
      live: Pick<Store, 'devices' | 'offices' | 'observations' | 'alerts'>;
      log: { warn(o: object, msg: string): void };
    },
  ) {
    this.root = join(deps.config.dataDir, 'training');
    this.catalogue = [...deps.exercises];
  }

  /**
   * The exercises offered to `caller`: every scripted one, and the recordings of live movements
   * it could see (core's exerciseInScope: a recording keeps the data scope of its movement).
   */
  exercises(caller: Principal): readonly Exercise[] {
    const scope = movementScope(caller);
    return this.catalogue.filter((e) => exerciseInScope(e, scope));
  }

  /** The exercise by id, whoever asks (a run's own, the training gateway's banner); unknown_exercise otherwise. */
  exercise(id: string): Exercise {
    const e = this.catalogue.find((x) => x.id === id);
    if (!e) throw new DomainError('unknown_exercise', `no exercise ${id}`);
    return e;
  }

  /** The exercise if it is offered to `caller`; outside its scope a recording does not exist (unknown_exercise, as for any item). */
  exerciseFor(id: string, caller: Principal): Exercise {
    const e = this.exercise(id);
    if (!exerciseInScope(e, movementScope(caller))) throw new DomainError('unknown_exercise', `no exercise ${id}`);
    return e;
  }

  /**
   * Records a live movement's history as a new exercise (anonymised, exercise-recording.ts), kept in
   * `<data dir>/training-exercises/` so it is offered again after a restart; the shipped files are not touched.
   */
  async record(movement: Movement, input: RecordInput): Promise<Exercise> {
    if (this.catalogue.some((e) => e.id === input.id))
      throw new DomainError('exercise_exists', `an exercise ${input.id} exists already`, { field: 'id' });
    const exercise = await recordExercise(this.deps.live, movement, input);
    const dir = authoredExercisesDir(this.deps.config);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, `${exercise.id}.json`), JSON.stringify(exercise, null, 2), { mode: 0o600 });
    this.catalogue.push(exercise);
    return exercise;
  }

  /** Reads the runs kept on disk and takes up the ones left running by a stop (see the file's comment). */
  async load(): Promise<void> {
    if (!existsSync(this.root)) return;
    for (const id of readdirSync(this.root)) {
      const dir = join(this.root, id);
      const run = readRun(dir);
      if (!run) continue;
      this.runs.set(run.id, run);
      if (run.status !== 'running') continue;
      try {
        await this.resume(run, dir);
      } catch (e) {
        this.deps.log.warn({ run: run.id, err: (e as Error).message }, 'training run: could not be resumed; finished');
        await this.abandon(run, dir);
      }
    }
  }

  /** Reopens a running run's space and carries on its script from where the wall clock now is. */
  private async resume(run: TrainingRun, dir: string): Promise<void> {
    const exercise = readRunExercise(dir);
    const secrets = readRunSecrets(dir);
    if (!exercise || !secrets) throw new Error('the run was kept before runs could be resumed');
    const space = await openRunSpace(this.deps.open, this.deps.config, dir);
    try {
      if (this.deps.now() >= Date.parse(run.endsAt)) {
        this.save(this.finished(run, 'time_over', await this.scoreIn(space, run, exercise)));
        await space.platform.stop();
        return;
      }
      const script = exerciseScript(exercise, Date.parse(run.startedAt), secrets.reference);
      const key = deriveDemoKey(secrets.deviceKeySeed, exercise.device.id, 'EdDSA');
      const liveRun: LiveRun = {
        run,
        exercise,
        space,
        tokenHash: secrets.tokenHash,
        // Everything due is sent again: what the space took before the stop is a duplicate (same bytes), stored once.
        pending: script.messages,
        key,
        timer: null,
        sending: Promise.resolve(),
      };
      this.live.set(run.id, liveRun);
      this.byToken.set(liveRun.tokenHash, run.id);
      await this.sendDue(liveRun);
      await this.watchTransit(space);
    } catch (e) {
      this.live.delete(run.id);
      this.byToken.delete(secrets.tokenHash);
      await space.platform.stop();
      throw e;
    }
  }

  /** A run that cannot be taken up again: finished, with what its space scores if it still opens. */
  private async abandon(run: TrainingRun, dir: string): Promise<void> {
    let score: Score | null = null;
    try {
      const exercise = readRunExercise(dir) ?? this.exercise(run.exercise);
      const space = await openRunSpace(this.deps.open, this.deps.config, dir);
      try {
        score = await this.scoreIn(space, run, exercise);
      } finally {
        await space.platform.stop();
      }
    } catch (e) {
      this.deps.log.warn({ run: run.id, err: (e as Error).message }, 'training run: its space could not be scored');
    }
    this.save(this.finished(run, 'not_resumed', score));
  }

  private finished(run: TrainingRun, endReason: NonNullable<TrainingRun['endReason']>, score: Score | null): TrainingRun {
    return { ...run, status: 'finished', finishedAt: new Date(this.deps.now()).toISOString(), endReason, score };
  }

  /**
   * The people `instructor` may start a run for (core's mayTrain: its own organisation's users who
   * handle alerts; the platform's, everyone's), by name: ids and names only, for the trainee picker.
   */
  async trainees(instructor: Principal): Promise<{ id: string; name: string; organisation: string }[]> {
    const own = instructor.organisation.kind === 'platform' ? undefined : instructor.organisation.id;
    return (await this.deps.users.listUsers(own))
      .filter((u) => mayTrain(instructor, u))
      .map((u) => ({ id: u.id, name: u.name, organisation: u.organisation }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async start(
    exerciseId: string,
    input: { trainee: string; class?: string | null },
    instructor: Principal,
  ): Promise<TrainingRun & { token: string }> {
    const exercise = this.exerciseFor(exerciseId, instructor);
    const trainee = await this.deps.users.getUser(input.trainee);
    // Another organisation's user is unknown to an administration's instructor (no name leaks through traineeName).
    if (!trainee || !mayTrain(instructor, trainee))
      throw new DomainError('unknown_user', `no trainee ${input.trainee} among the users you may train`, { field: 'trainee' });
    // A recording shows its movement's track to the trainee: only to someone who could see that
    // movement. An administration's instructor trains its own people, in its own scope; this
    // refuses the platform's instructor a trainee of another jurisdiction.
    if (!(await this.traineeMaySee(trainee, exercise)))
      throw new DomainError('unknown_user', `${input.trainee} may not see the movement exercise ${exercise.id} replays`, {
        field: 'trainee',
        reason: 'exercise_scope',
      });
    const id = this.deps.newId();
    const nowMs = this.deps.now();
    const dir = join(this.root, id);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const space = await openRunSpace(this.deps.open, this.deps.config, dir);
    try {
      const reference = `TRN-${id.slice(0, 8).toUpperCase()}`;
      const script = exerciseScript(exercise, nowMs, reference);
      const client = new SealwatchClient(injectFetch(space.platform.http), 'http://in-process', space.adminToken);
      for (const o of script.offices) await client.createOffice(o);
      // A key from a seed kept in the run's folder: after a restart the same key signs the rest of the trip.
      const deviceKeySeed = randomBytes(32).toString('base64url');
      const key = deriveDemoKey(deviceKeySeed, script.device.id, 'EdDSA');
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
        organisation: instructor.organisation.id,
        status: 'running',
        startedAt: new Date(nowMs).toISOString(),
        endsAt: new Date(script.endsAtMs).toISOString(),
        finishedAt: null,
        endReason: null,
        movement: movement.id,
        score: null,
      };
      const liveRun: LiveRun = {
        run,
        exercise,
        space,
        tokenHash: sha256(token),
        pending: script.messages,
        key,
        timer: null,
        sending: Promise.resolve(),
      };
      writeRunExercise(dir, exercise);
      writeRunSecrets(dir, { tokenHash: liveRun.tokenHash, deviceKeySeed, reference });
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

  private async traineeMaySee(trainee: User, exercise: Exercise): Promise<boolean> {
    if (!exercise.recording) return true;
    const org = await this.deps.users.getOrganisation(trainee.organisation);
    if (!org) return false;
    const scope = movementScope({
      id: trainee.id,
      name: trainee.name,
      roles: trainee.roles,
      organisation: { id: org.id, kind: org.kind, country: org.country },
    });
    return exerciseInScope(exercise, scope);
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

  /** The run if `caller` may see it (its organisation's, or any for the platform); unknown_training_run otherwise. */
  getFor(id: string, caller: Principal): TrainingRun {
    const run = this.runs.get(id);
    if (!run || !runVisible(run, caller)) throw new DomainError('unknown_training_run', `no training run ${id}`);
    return run;
  }

  /** The run with its score: live while running, the kept one once finished. */
  async withScore(id: string): Promise<TrainingRun & { score: Score }> {
    const run = this.get(id);
    const live = this.live.get(id);
    if (live) return { ...run, score: await this.scoreIn(live.space, run, live.exercise) };
    return { ...run, score: run.score ?? { total: 0, max: 0, items: [] } };
  }

  /** Runs `caller` may see (its organisation's; the platform's every one), newest first. */
  list(filter: { class?: string; exercise?: string }, caller: Principal): TrainingRun[] {
    return [...this.runs.values()]
      .filter((r) => runVisible(r, caller))
      .filter((r) => (!filter.class || r.class === filter.class) && (!filter.exercise || r.exercise === filter.exercise))
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt) || a.id.localeCompare(b.id));
  }

  async finish(id: string, reason: 'instructor' | 'time_over' = 'instructor'): Promise<TrainingRun & { score: Score }> {
    this.get(id);
    const live = this.live.get(id);
    if (!live) throw new DomainError('training_run_finished', `training run ${id} is finished`);
    this.live.delete(id);
    this.byToken.delete(live.tokenHash);
    if (live.timer) clearTimeout(live.timer);
    await live.sending;
    const score = await this.scoreIn(live.space, live.run, live.exercise);
    const run = this.finished(live.run, reason, score);
    this.save(run);
    await live.space.platform.stop();
    return { ...run, score };
  }

  /** Stops every run's space (the runs stay running on disk: the next start takes them up again). */
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
    writeRun(join(this.root, run.id), run);
  }

  private async scoreIn(space: RunSpace, run: TrainingRun, exercise: Exercise): Promise<Score> {
    const page = await space.platform.ctx.store.incidents.list({ movement: run.movement as MovementId }, { limit: 200 });
    return scoreRun(exercise.criteria, page.items as Incident[]);
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
          void this.finish(live.run.id, 'time_over').catch((e: unknown) =>
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

const isPlatform = (p: Principal) => p.organisation.kind === 'platform';
/** A run belongs to its instructor's organisation (runs from before that: the platform's). */
const runVisible = (run: TrainingRun, caller: Principal) =>
  isPlatform(caller) || (run.organisation ?? PLATFORM_ORG) === caller.organisation.id;
