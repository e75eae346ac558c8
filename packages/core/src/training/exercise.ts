/**
 * Training exercises (DESIGN §8 "Training"): a scenario authored as a data file, validated here
 * when it is loaded. A scenario is a real corridor, one movement sealed by one device, a script of
 * what the device does (seal changes, a detour, silence with buffered history, battery), the
 * objectives the trainee reads, and the criteria the run is scored on (training-score.ts).
 *
 * Time in a script is seconds from the run's start: negative is history (uploaded at once when
 * the run starts, with its real past times), positive is the live tail (sent when it is due). The
 * truck moves at road speed on the wall clock: a run is never a compressed clock, so the detectors
 * never see an impossible position.
 */
import { z } from 'zod';
import { nativeSealSchema } from '../native/native-message';
import { incidentCodes } from '../incidents/incident';
import { canSeeMovement, type MovementScope } from '../access/policy';
import type { MovementId, OfficeCode } from '../ids';

const seconds = z
  .number()
  .int()
  .min(-7 * 86_400)
  .max(86_400);

/** One step of the device's script. */
export const exerciseStepSchema = z.union([
  z.object({ atS: seconds, seal: nativeSealSchema.describe('the seal reading from then on') }).strict(),
  z.object({ atS: seconds, door: z.enum(['open', 'closed']) }).strict(),
  z
    .object({
      fromS: seconds,
      untilS: seconds,
      offsetM: z
        .number()
        .min(-50_000)
        .max(50_000)
        .describe('the truck drives this far to the right of the road (a detour; negative: to the left)'),
    })
    .strict(),
  z
    .object({
      fromS: seconds,
      untilS: seconds,
      silent: z.literal(true).describe('no coverage: readings are buffered and uploaded together at untilS'),
    })
    .strict(),
]);
export type ExerciseStep = z.infer<typeof exerciseStepSchema>;

/** What the trainee is scored on: each a check over the incidents of the run's movement. */
export const criterionSchema = z.discriminatedUnion('kind', [
  z
    .object({
      id: z.string().min(1).max(64),
      kind: z.literal('acknowledged'),
      incident: z.enum(incidentCodes),
      withinS: z.number().int().positive().describe('full points if acknowledged this soon after it reached the console'),
      points: z.number().int().positive(),
    })
    .strict(),
  z
    .object({
      id: z.string().min(1).max(64),
      kind: z.literal('assigned'),
      incident: z.enum(incidentCodes),
      points: z.number().int().positive(),
    })
    .strict(),
  z
    .object({
      id: z.string().min(1).max(64),
      kind: z.literal('noted'),
      incident: z.enum(incidentCodes),
      minLength: z.number().int().min(1).max(500).default(10),
      points: z.number().int().positive(),
    })
    .strict(),
  z
    .object({
      id: z.string().min(1).max(64),
      kind: z.literal('closed'),
      incident: z.enum(incidentCodes),
      outcome: z.enum(['confirmed', 'false_alarm']),
      points: z.number().int().positive(),
    })
    .strict(),
  z
    .object({
      id: z.string().min(1).max(64),
      kind: z.literal('not_escalated'),
      incident: z.enum(incidentCodes),
      points: z.number().int().positive(),
    })
    .strict()
    .describe('full points unless the incident was dispatched or confirmed'),
]);
export type Criterion = z.infer<typeof criterionSchema>;

const latLon = z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) });
const areaSchema = z.union([
  z.object({ center: latLon, radiusM: z.number().positive().max(100_000) }).strict(),
  z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(z.array(z.number()).min(2).max(3)).min(4)).min(1) }).strict(),
]);

/**
 * A live movement's history recorded as an exercise (anonymised: no trader, vehicle or driver; the
 * container, seals and device renamed): its offices, itinerary and the device's readings, replayed
 * instead of the simulator's trip model. `atS` is seconds from the run's start, as in a script.
 */
export const recordingSchema = z
  .object({
    offices: z
      .array(
        z.object({ code: z.string().min(2).max(32), name: z.string().min(1).max(200), country: z.string().length(2), area: areaSchema }),
      )
      .min(1)
      .max(20),
    departureOffice: z.string().min(2).max(32),
    destinationOffice: z.string().min(2).max(32),
    route: z.array(z.array(z.number()).min(2).max(3)).min(2).max(20_000),
    corridorWidthM: z.number().positive().max(100_000),
    authorizedStops: z
      .array(z.object({ name: z.string().min(1).max(200), area: areaSchema, maxDwellMinutes: z.number().positive().max(10_080) }).strict())
      .max(100),
    /** When the movement started, seconds from the run's start (negative: before it). */
    startedAtS: seconds,
    /** The time limit, seconds after the movement started. */
    timeLimitAfterS: z
      .number()
      .int()
      .positive()
      .max(30 * 86_400),
    readings: z
      .array(
        z
          .object({
            atS: seconds,
            position: latLon.extend({
              accuracy: z.number().min(0).optional(),
              speed: z.number().min(0).optional(),
              heading: z.number().min(0).max(360).optional(),
            }),
            seal: nativeSealSchema.optional(),
            door: z.enum(['open', 'closed']).optional(),
            battery: z.object({ level: z.number().min(0).max(100).optional(), voltage: z.number().optional() }).optional(),
            sensors: z.record(z.string(), z.number()).optional(),
          })
          .strict(),
      )
      .min(2)
      .max(20_000),
  })
  .strict();
export type Recording = z.infer<typeof recordingSchema>;

/** The console's languages an exercise's texts may be written in. */
export const exerciseLanguages = ['en', 'fr', 'ar'] as const;
export type ExerciseLanguage = (typeof exerciseLanguages)[number];

/** An exercise's texts in another language of the console (titles, summary, objectives: one for each English one). */
const exerciseTextsSchema = z
  .object({
    title: z.string().min(3).max(200),
    summary: z.string().min(3).max(2000),
    objectives: z.array(z.string().min(3).max(500)).min(1).max(20),
  })
  .strict();
export type ExerciseTexts = z.infer<typeof exerciseTextsSchema>;

export const exerciseSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{2,63}$/),
    title: z.string().min(3).max(200),
    summary: z.string().min(3).max(2000),
    /** A corridor of the simulator (packages/sim corridors.ts), e.g. MSA-KLA. */
    corridor: z.string().min(3).max(32),
    device: z
      .object({
        id: z.string().regex(/^[A-Z0-9-]{3,40}$/),
        class: z.enum(['active', 'semi_active']),
        kind: z.enum(['e_seal', 'e_lock', 'tracker', 'container_sensor']),
        reportIntervalS: z.number().int().min(10).max(3600),
      })
      .strict(),
    movement: z
      .object({
        container: z.string().regex(/^[A-Z]{4}\d{7}$/),
        seals: z.array(z.string().min(1).max(64)).min(1).max(8),
        /** An RFID reader the cargo must pass, expected `expectedAfterS` after the run starts. */
        checkpoint: z
          .object({ reader: z.string().regex(/^[A-Z0-9-]{3,40}$/), name: z.string().min(1).max(200), expectedAfterS: seconds })
          .strict()
          .optional(),
      })
      .strict(),
    trip: z
      .object({
        speedKmh: z.number().min(10).max(110),
        /** How long before the run's start the truck left (the history uploaded at once); 0: it leaves at the start. */
        departedMinutesAgo: z
          .number()
          .int()
          .min(0)
          .max(48 * 60),
        /** Seconds the truck waits at the office of departure after the movement started (a check before it leaves); default 0. */
        departsAfterS: z
          .number()
          .int()
          .min(0)
          .max(4 * 3600)
          .default(0),
        batteryStart: z.number().min(1).max(100).default(95),
        batteryDrainPerHour: z.number().min(0).max(50).default(0.4),
      })
      .strict(),
    /** How long the live tail lasts, seconds: the run ends by itself then. */
    durationS: z
      .number()
      .int()
      .min(30)
      .max(4 * 3600),
    script: z.array(exerciseStepSchema).max(100).default([]),
    /** A recorded live movement replayed instead of the trip model (then `corridor` is `recorded`). */
    recording: recordingSchema.optional(),
    objectives: z.array(z.string().min(3).max(500)).min(1).max(20),
    /**
     * The language of `title`, `summary` and `objectives`: English unless an exercise was written
     * without English (a recording whose instructor wrote only French or Arabic).
     */
    language: z.enum(exerciseLanguages).optional(),
    /** The texts trainees and instructors read in French and Arabic (the console picks its language's; the main ones otherwise). */
    translations: z.object({ fr: exerciseTextsSchema.optional(), ar: exerciseTextsSchema.optional() }).strict().optional(),
    criteria: z.array(criterionSchema).min(1).max(20),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.language && e.language !== 'en' && e.translations?.[e.language])
      ctx.addIssue({ code: 'custom', path: ['translations', e.language], message: `the main texts are in ${e.language} already` });
    for (const [lang, texts] of Object.entries(e.translations ?? {}))
      if (texts && texts.objectives.length !== e.objectives.length)
        ctx.addIssue({ code: 'custom', path: ['translations', lang, 'objectives'], message: 'one objective for each English one' });
    const ids = new Set<string>();
    for (const c of e.criteria) {
      if (ids.has(c.id)) ctx.addIssue({ code: 'custom', path: ['criteria'], message: `criterion ${c.id} is named twice` });
      ids.add(c.id);
    }
    for (const [i, s] of e.script.entries()) {
      if ('fromS' in s && s.untilS <= s.fromS) ctx.addIssue({ code: 'custom', path: ['script', i], message: 'untilS must be after fromS' });
      const first = 'fromS' in s ? s.fromS : s.atS;
      if (first < -e.trip.departedMinutesAgo * 60)
        ctx.addIssue({ code: 'custom', path: ['script', i], message: 'a step before the departure' });
      if (('untilS' in s ? s.untilS : first) > e.durationS)
        ctx.addIssue({ code: 'custom', path: ['script', i], message: 'a step after the end of the exercise' });
    }
  });
export type Exercise = z.infer<typeof exerciseSchema>;

/** The exercise, or a readable reason it is not one (file name first, for the author). */
export function parseExercise(json: unknown, source: string): Exercise {
  const r = exerciseSchema.safeParse(json);
  if (r.success) return r.data;
  const i = r.error.issues[0];
  throw new Error(`${source}: ${i.path.join('.') || '(root)'}: ${i.message}`);
}

/**
 * Whether an exercise is offered to (listed to, runnable by, trainable on) a party whose movement
 * scope is `scope`. A scripted exercise (a shipped file or an installation's own) is made up and
 * offered to everyone. A recording is the replayed track of a real movement, anonymised of its
 * trader, vehicle, container and seals but not of its positions: it keeps the data scope of its
 * source, decided by the rule that decides who sees that movement (canSeeMovement) over the
 * departure and destination offices the recording names, with the countries recorded with them.
 * An office the recording does not place in a country places the movement in no jurisdiction: then
 * only those who see every movement are offered it.
 */
export function exerciseInScope(exercise: Pick<Exercise, 'recording'>, scope: MovementScope): boolean {
  const r = exercise.recording;
  if (!r) return true;
  const country = (code: OfficeCode) => r.offices.find((o) => o.code === code)?.country ?? null;
  return canSeeMovement(
    scope,
    {
      id: 'recording' as MovementId,
      trader: null,
      departureOffice: r.departureOffice as OfficeCode,
      destinationOffice: r.destinationOffice as OfficeCode,
      devices: [],
    },
    country,
  );
}
