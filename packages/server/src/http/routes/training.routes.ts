/**
 * Training (DESIGN §8): the exercises, and the runs an instructor starts for trainees. A run's own
 * data lives in its space (training/run-space.ts), reached only with the run's token through the
 * training gateway; these routes, on the live platform, show the runs and their scores.
 */
import { z } from 'zod';
import type { AppContext } from '../../app-context';
import type { Api } from '../route';
import { idParams } from '../schemas';
import { TRAINING_SESSION_PATH } from '../../training/training-gateway';
import type { TrainingRun } from '../../training/training.service';
import { asMovementId, criterionSchema, DomainError, exerciseLanguages, movementScope, type Exercise } from '@sealwatch/core';

const tag = 'training';
const textsOut = z.object({ title: z.string(), summary: z.string(), objectives: z.array(z.string()) });
const exerciseOut = z.object({
  id: z.string(),
  title: z.string(),
  summary: z.string(),
  corridor: z.string(),
  objectives: z.array(z.string()),
  language: z.enum(exerciseLanguages).describe('the language of title, summary and objectives (en unless the exercise has no English)'),
  translations: z
    .object({ fr: textsOut.optional(), ar: textsOut.optional() })
    .describe('title, summary and objectives in French and Arabic, when the exercise has them (the console shows its language’s)'),
  durationS: z.number(),
  maxScore: z.number(),
});
const evidenceOut = z
  .object({
    summary: z.string().describe('in English'),
    code: z.string().optional().describe('what the summary says, as a code to word in another language (absent in scores kept before it)'),
    vars: z
      .record(z.string(), z.union([z.string(), z.number()]))
      .optional()
      .describe("the summary's numbers and names"),
    at: z.string().nullable(),
    incident: z.string().nullable(),
  })
  .passthrough();
const scoreOut = z.object({
  total: z.number(),
  max: z.number(),
  items: z.array(
    z.object({
      criterion: z.string(),
      kind: z.string().optional().describe('what the criterion asks: acknowledged, assigned, noted, closed, not_escalated'),
      incidentCode: z.string().optional().describe('the code of the incident it is about'),
      points: z.number(),
      max: z.number(),
      evidence: evidenceOut,
    }),
  ),
});
const runOut = z.object({
  id: z.string(),
  exercise: z.string(),
  trainee: z.string(),
  traineeName: z.string(),
  class: z.string().nullable(),
  instructor: z.string(),
  organisation: z.string().optional().describe("the instructor's organisation; its instructors see the run (the platform's every run)"),
  status: z.enum(['running', 'finished']),
  startedAt: z.string(),
  endsAt: z.string(),
  finishedAt: z.string().nullable(),
  endReason: z
    .enum(['instructor', 'time_over', 'not_resumed'])
    .nullable()
    .describe('why a finished run ended: finished by the instructor, its time was over, or it could not be taken up again after a restart'),
  movement: z.string().describe("the run's movement, in the run's space"),
  score: scoreOut,
});
const startSchema = z.object({
  trainee: z
    .string()
    .min(1)
    .max(128)
    .describe("the user id of the trainee, one of GET /api/v1/training/trainees (another organisation's user is 422 unknown_user)"),
  class: z.string().min(1).max(100).optional().describe('groups runs for the instructor screen'),
});
const title = z.string().min(3).max(200);
const summary = z.string().min(3).max(2000);
const objectives = z.array(z.string().min(3).max(500)).min(1).max(20);
const recordTexts = z.object({ title, summary: summary.optional(), objectives: objectives.optional() }).strict();
const recordSchema = z
  .object({
    movement: z.string().min(1).max(128).describe('the live movement whose history is recorded'),
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{2,63}$/)
      .describe("the new exercise's id"),
    title,
    summary: summary.optional(),
    language: z.enum(exerciseLanguages).optional().describe('the language title, summary and objectives are written in (default en)'),
    translations: z
      .object({ en: recordTexts.optional(), fr: recordTexts.optional(), ar: recordTexts.optional() })
      .strict()
      .optional()
      .describe(
        'the texts in the other languages: a title, a summary (default: the default one of that language) and, when objectives are given, one objective for each; a language left out shows the main texts (or, with the default objectives, the defaults in that language)',
      ),
    startAt: z
      .string()
      .datetime({ offset: true })
      .optional()
      .describe(
        "the instant of the history that becomes the run's start (default: a minute before the recording's situation, docs/training.md)",
      ),
    durationS: z
      .number()
      .int()
      .min(30)
      .max(4 * 3600)
      .optional(),
    objectives: objectives.optional(),
    criteria: z
      .array(criterionSchema)
      .min(1)
      .max(20)
      .optional()
      .describe("default: acknowledge within 5 min and a note, on the incident of the recording's situation (docs/training.md)"),
  })
  .strict()
  .superRefine((b, ctx) => {
    for (const lang of exerciseLanguages) {
      const t = b.translations?.[lang];
      if (!t) continue;
      if (lang === (b.language ?? 'en'))
        ctx.addIssue({ code: 'custom', path: ['translations', lang], message: `title, summary and objectives are in ${lang} already` });
      else if (!b.objectives && t.objectives)
        ctx.addIssue({
          code: 'custom',
          path: ['translations', lang, 'objectives'],
          message: 'objectives in a translation need the main objectives',
        });
      else if (b.objectives && t.objectives?.length !== b.objectives.length)
        ctx.addIssue({
          code: 'custom',
          path: ['translations', lang, 'objectives'],
          message: `one objective for each of the ${b.objectives.length} main ones`,
        });
    }
  });
const listQuery = z.object({ class: z.string().max(100).optional(), exercise: z.string().max(64).optional() });

const exerciseView = (e: Exercise) => ({
  id: e.id,
  title: e.title,
  summary: e.summary,
  corridor: e.corridor,
  objectives: e.objectives,
  language: e.language ?? 'en',
  translations: e.translations ?? {},
  durationS: e.durationS,
  maxScore: e.criteria.reduce((s, c) => s + c.points, 0),
});

export function trainingRoutes(api: Api, ctx: AppContext): void {
  const { training } = ctx;
  api.route({
    method: 'GET',
    url: '/api/v1/training/exercises',
    operationId: 'listExercises',
    tag,
    auth: 'user',
    permission: 'training.manage',
    summary:
      "The exercises shipped with the installation (and its own), with objectives and the maximum score; a recording of a live movement only to instructors who could see that movement (its departure's and destination's administrations, and those who see every movement)",
    responses: { 200: { description: 'Exercises', schema: z.object({ items: z.array(exerciseOut), nextCursor: z.null() }) } },
    handler: async ({ principal }) => ({ items: training.exercises(principal).map(exerciseView), nextCursor: null }),
  });

  api.route({
    method: 'POST',
    url: '/api/v1/training/exercises',
    operationId: 'recordExercise',
    tag,
    auth: 'user',
    permission: 'training.manage',
    summary:
      "Record a live movement's history as a new exercise, anonymised (no trader, vehicle or driver; container, seals and device renamed); kept by the installation, offered to the instructors who could see the movement (docs/training.md)",
    body: recordSchema,
    responses: { 201: { description: 'The new exercise', schema: exerciseOut } },
    handler: async ({ body, principal, reply }) => {
      // A recording is the movement's track as it was driven, offered to the instructors of every
      // administration that sees the movement (exerciseInScope): one administration does not turn a
      // movement it shares with another into training material for both; the installation (or a
      // central administration), which sees every movement, does.
      if (movementScope(principal).kind !== 'all')
        throw new DomainError(
          'outside_jurisdiction',
          'a recording is offered to every administration that sees its movement: only an instructor who sees every movement records one',
          { field: 'movement', reason: 'instructor_scope' },
        );
      const movement = await ctx.store.movements.get(asMovementId(body.movement));
      // Outside the instructor's scope a movement does not exist (DESIGN §6).
      if (!movement || !(await ctx.scopes.canSee(principal, movement)))
        throw new DomainError('unknown_movement', `no movement ${body.movement}`, { field: 'movement' });
      const exercise = await training.record(movement, body);
      reply.code(201);
      return exerciseView(exercise);
    },
  });

  api.route({
    method: 'GET',
    url: '/api/v1/training/trainees',
    operationId: 'listTrainees',
    tag,
    auth: 'user',
    permission: 'training.manage',
    summary:
      "Who the caller may start a run for: the enabled users of its own organisation who may act on alerts (every organisation's for the platform), ids and names only",
    responses: {
      200: {
        description: 'Trainees, by name',
        schema: z.object({
          items: z.array(z.object({ id: z.string(), name: z.string(), organisation: z.string() })),
          nextCursor: z.null(),
        }),
      },
    },
    handler: async ({ principal }) => ({ items: await training.trainees(principal), nextCursor: null }),
  });

  api.route({
    method: 'POST',
    url: '/api/v1/training/exercises/:id/runs',
    operationId: 'startTrainingRun',
    tag,
    auth: 'user',
    permission: 'training.manage',
    summary:
      "Start the exercise for a trainee in a training space of its own; `token` (shown once) is the run's bearer token: the trainee opens the console with it (/#token=…)",
    params: idParams,
    body: startSchema,
    responses: {
      201: {
        description: 'The run',
        schema: z.object({
          id: z.string(),
          exercise: z.string(),
          trainee: z.string(),
          traineeName: z.string(),
          status: z.literal('running'),
          token: z.string(),
          movement: z.string(),
          endsAt: z.string(),
        }),
      },
      404: { description: "unknown_exercise (a recording of a movement outside the caller's scope included)" },
      422: {
        description:
          'unknown_user: not a user the caller may train, or (details.reason exercise_scope) one who may not see the movement a recording replays',
      },
    },
    handler: async ({ params, body, principal, reply }) => {
      const run = await training.start(params.id, body, principal);
      reply.code(201);
      return {
        id: run.id,
        exercise: run.exercise,
        trainee: run.trainee,
        traineeName: run.traineeName,
        status: 'running' as const,
        token: run.token,
        movement: run.movement,
        endsAt: run.endsAt,
      };
    },
  });

  const view = (run: TrainingRun & { score: NonNullable<TrainingRun['score']> }) => run;
  api.route({
    method: 'GET',
    url: '/api/v1/training/runs',
    operationId: 'listTrainingRuns',
    tag,
    auth: 'user',
    permission: 'training.manage',
    summary: 'Runs, newest first, with their scores (live while running); `class` shows one class side by side',
    query: listQuery,
    responses: { 200: { description: 'Runs', schema: z.object({ items: z.array(runOut), nextCursor: z.null() }) } },
    handler: async ({ query, principal }) => ({
      items: await Promise.all(training.list(query, principal).map(async (r) => view(await training.withScore(r.id)))),
      nextCursor: null,
    }),
  });

  api.route({
    method: 'GET',
    url: '/api/v1/training/runs/:id',
    operationId: 'getTrainingRun',
    tag,
    auth: 'user',
    permission: 'training.manage',
    summary: 'A run with its score: each criterion with points, maximum and evidence (what the trainee did and when)',
    params: idParams,
    responses: {
      200: { description: 'The run', schema: runOut },
      404: { description: "unknown_training_run (or another organisation's)" },
    },
    handler: async ({ params, principal }) => view(await training.withScore(training.getFor(params.id, principal).id)),
  });

  api.route({
    method: 'POST',
    url: '/api/v1/training/runs/:id/finish',
    operationId: 'finishTrainingRun',
    tag,
    auth: 'user',
    permission: 'training.manage',
    summary:
      "End a run now: its score is kept, its token stops working, its space is closed (a run also ends when the exercise's time is over)",
    params: idParams,
    responses: {
      200: { description: 'The finished run', schema: runOut },
      404: { description: "unknown_training_run (or another organisation's)" },
    },
    handler: async ({ params, principal }) => view(await training.finish(training.getFor(params.id, principal).id)),
  });

  api.route({
    method: 'GET',
    url: TRAINING_SESSION_PATH,
    operationId: 'getTrainingSession',
    tag,
    auth: 'user',
    summary: "With a run's token: the run, exercise, objectives and end (the console's TRAINING banner); 404 for any live session",
    responses: { 404: { description: 'Not a training session' } },
    handler: async () => {
      throw new DomainError('unknown_training_run', 'this session is not a training run');
    },
  });
}
