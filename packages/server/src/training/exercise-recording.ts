/**
 * Authoring (issue 15): an instructor records a live movement's history as a new exercise. What is
 * recorded is what trains: the offices, the itinerary and the device's readings (position, seal,
 * door, battery, sensors), with their times made relative to the run's start. What names anyone is
 * left out or replaced: no trader, vehicle or driver; the container becomes a made-up number with a
 * valid ISO 6346 check digit, the seals and the device get training names, and no raw frame,
 * signature or vendor attribute is copied.
 */
import { randomInt } from 'node:crypto';
import {
  DomainError,
  type Alert,
  incidentCodeOf,
  parseExercise,
  type Criterion,
  type Device,
  type DeviceId,
  type Exercise,
  type ExerciseLanguage,
  type ExerciseTexts,
  type IncidentCode,
  type Movement,
  type Observation,
  type Office,
} from '@sealwatch/core';
import { containerNumber } from '@sealwatch/sim';
import type { Store } from '../storage/ports';

/** Texts an instructor writes for the recording, in one language. */
export interface RecordTexts {
  title: string;
  summary?: string;
  objectives?: string[];
}

export interface RecordInput {
  movement: string;
  id: string;
  /** `title`, `summary` and `objectives` are written in `language` (default en); `translations` gives the others. */
  title: string;
  summary?: string;
  language?: ExerciseLanguage;
  /** The same texts in the console's other languages (checked by the route's schema: objectives one for one). */
  translations?: Partial<Record<ExerciseLanguage, RecordTexts>>;
  /** The instant of the history that becomes the run's start; default a minute before the movement's first alert. */
  startAt?: string;
  durationS?: number;
  objectives?: string[];
  criteria?: Criterion[];
}

type LiveStore = Pick<Store, 'devices' | 'offices' | 'observations' | 'alerts'>;
const MAX_READINGS = 20_000;

async function readingsOf(store: LiveStore, device: DeviceId, from: string, to: string | undefined): Promise<Observation[]> {
  const out: Observation[] = [];
  let cursor: string | null | undefined;
  do {
    const page = await store.observations.listByDevice(
      device,
      { from: from as never, to: to as never, order: 'asc' },
      { limit: 1000, cursor },
    );
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && out.length < MAX_READINGS);
  return out.filter((o) => o.position).slice(0, MAX_READINGS);
}

/**
 * The alert a recording trains by default (its criteria and objectives name its incident): one the
 * replay raises again. Left out: an alert the movement's own data retracted (`details.cleared.reason`
 * `retracted`: late data showed it never was, such as a signal_lost seen by a transit evaluation
 * that ran between a backdated start and the upload of the history; a run's transit rules start
 * only once its history is in, so the replay never raises it), and one after the replayed part.
 * With `startMs` (the instructor's start), the first alert from then on, else the last one before
 * it (standing when the trainee arrives); without, the first one.
 */
export function situationAlert(alerts: readonly Alert[], startMs: number | null, durationS: number): Alert | undefined {
  const retracted = (a: Alert) => (a.details.cleared as { reason?: string } | undefined)?.reason === 'retracted';
  const kept = alerts.filter((a) => !retracted(a)).sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  if (startMs === null) return kept[0];
  const at = (a: Alert) => Date.parse(a.time) - startMs;
  return kept.find((a) => at(a) >= 0 && at(a) <= durationS * 1000) ?? kept.filter((a) => at(a) < 0).pop();
}

/** The exercise recorded from `movement` (already checked to be in the instructor's scope). */
export async function recordExercise(store: LiveStore, movement: Movement, input: RecordInput): Promise<Exercise> {
  // `reason` lets the console word the refusal in its language.
  const refuse = (why: string, reason: 'not_started' | 'no_device' | 'too_few_positions' | 'invalid' = 'invalid') => {
    throw new DomainError('movement_not_recordable', why, { field: 'movement', reason });
  };
  if (!movement.startedAt) refuse('the movement has not started: there is no history to record', 'not_started');
  const devices = (await Promise.all(movement.devices.map((d) => store.devices.get(d)))).filter((d): d is Device => !!d);
  const device = devices.find((d) => d.class === 'active' || d.class === 'semi_active');
  if (!device || device.kind === 'reader' || device.kind === 'rfid_seal')
    return refuse('the movement has no active or semi-active device', 'no_device');
  const readings = await readingsOf(store, device.id, movement.startedAt!, movement.arrivedAt ?? movement.endedAt ?? undefined);
  if (readings.length < 2) refuse('the movement has fewer than two positions to replay', 'too_few_positions');
  const alerts = (await store.alerts.list({ movement: movement.id }, { limit: 100 })).items;
  const durationS = input.durationS ?? 900;
  const situation = situationAlert(alerts, input.startAt ? Date.parse(input.startAt) : null, durationS);
  const startMs = input.startAt
    ? Date.parse(input.startAt)
    : situation
      ? Date.parse(situation.time) - 60_000
      : Date.parse(readings[readings.length - 1].time);
  const offsetS = (t: string) => Math.round((Date.parse(t) - startMs) / 1000);
  const startedAtS = Math.max(offsetS(movement.startedAt!), -7 * 86_400 + 60);

  const codes = [movement.departureOffice, ...(movement.transitOffices ?? []), movement.destinationOffice];
  const offices = (await Promise.all(codes.map((c) => store.offices.get(c)))).filter((o): o is Office => !!o);
  const code = situation ? incidentCodeOf[situation.type] : 'other';
  const timeLimitMs = movement.timeLimit ? Date.parse(movement.timeLimit) : Date.parse(movement.startedAt!) + 7 * 86_400_000;
  const route = offices.map((o) => o.name).join(' – ');
  const exercise = {
    id: input.id,
    corridor: 'recorded',
    device: {
      id: 'TRN-REC-01',
      class: device.class,
      kind: device.kind,
      reportIntervalS: Math.min(3600, Math.max(10, device.reportIntervalS ?? 300)),
    },
    movement: {
      container: containerNumber('TRNU', randomInt(1_000_000)),
      seals: movement.seals.map((_, i) => `TRN-REC-${String(i + 1).padStart(2, '0')}`).slice(0, 8),
    },
    trip: { speedKmh: 50, departedMinutesAgo: Math.min(48 * 60, Math.max(0, Math.ceil(-startedAtS / 60))) },
    durationS,
    script: [],
    recording: {
      offices: offices.map((o) => ({ code: o.code, name: o.name, country: o.country, area: o.area })),
      departureOffice: movement.departureOffice,
      destinationOffice: movement.destinationOffice,
      route: movement.route?.coordinates ?? readings.map((r) => [r.position!.lon, r.position!.lat]),
      corridorWidthM: movement.corridorWidthM,
      authorizedStops: movement.authorizedStops,
      startedAtS,
      timeLimitAfterS: Math.max(1, Math.round((timeLimitMs - Date.parse(movement.startedAt!)) / 1000)),
      readings: readings
        .filter((r) => offsetS(r.time) >= startedAtS && offsetS(r.time) <= durationS)
        .map((r) => ({
          atS: offsetS(r.time),
          position: r.position!,
          ...(r.seal ? { seal: r.seal } : {}),
          ...(r.door ? { door: r.door } : {}),
          ...(r.battery ? { battery: r.battery } : {}),
          ...(r.sensors ? { sensors: r.sensors } : {}),
        })),
    },
    ...recordedTexts(input, route, code),
    criteria: input.criteria ?? [
      { id: 'acknowledge-in-time', kind: 'acknowledged', incident: code, withinS: 300, points: 5 },
      { id: 'note', kind: 'noted', incident: code, minLength: 10, points: 5 },
    ],
  };
  // The same schema as a shipped file: a recording the scoring or the replay could not use is refused here.
  try {
    return parseExercise(exercise, `recording of ${movement.id}`);
  } catch (e) {
    return refuse((e as Error).message);
  }
}

const LANGUAGES: readonly ExerciseLanguage[] = ['en', 'fr', 'ar'];

/** Incident codes as the console names them (its incident.code.* words), for the default objectives. */
const INCIDENT_WORDS: Record<ExerciseLanguage, Record<IncidentCode, string>> = {
  en: {
    seal_broken: 'Seal broken',
    route_deviation: 'Route deviation',
    unauthorized_stop: 'Unauthorised stop',
    signal_lost: 'Signal lost',
    transit_overdue: 'Transit overdue',
    device_fault: 'Device fault',
    other: 'Other',
  },
  fr: {
    seal_broken: 'Scellé rompu',
    route_deviation: 'Déviation d’itinéraire',
    unauthorized_stop: 'Arrêt non autorisé',
    signal_lost: 'Perte de signal',
    transit_overdue: 'Délai de transit dépassé',
    device_fault: 'Défaut du dispositif',
    other: 'Autre',
  },
  ar: {
    seal_broken: 'ختم مكسور',
    route_deviation: 'انحراف عن المسار',
    unauthorized_stop: 'توقف غير مأذون',
    signal_lost: 'فقدان الإشارة',
    transit_overdue: 'تجاوز مهلة العبور',
    device_fault: 'عطل في الجهاز',
    other: 'أخرى',
  },
};

/** The default summary and objectives of a recording, in `lang` (the incident named as the console names it). */
function defaultTexts(lang: ExerciseLanguage, route: string, code: IncidentCode): { summary: string; objectives: string[] } {
  const incident = INCIDENT_WORDS[lang][code];
  switch (lang) {
    case 'en':
      return {
        summary: `Recorded from a live movement (${route}), anonymised.`,
        objectives: [`Acknowledge the “${incident}” incident within five minutes.`, 'Write what you did in a note on it.'],
      };
    case 'fr':
      return {
        summary: `Enregistré à partir d’un mouvement réel (${route}), anonymisé.`,
        objectives: [`Prendre en compte l’incident « ${incident} » dans les cinq minutes.`, 'Écrire dans une note ce qui a été fait.'],
      };
    case 'ar':
      return {
        summary: `سُجّل من حركة فعلية (${route})، مع إخفاء الهوية.`,
        objectives: [`أقرّ بحادث «${incident}» خلال خمس دقائق.`, 'اكتب ما فعلته في ملاحظة على الحادث.'],
      };
  }
}

/**
 * The exercise's texts from what the instructor wrote: its main texts in English when it wrote
 * English (in `language` or among `translations`), else in its language (`language` says which);
 * French and Arabic beside them. A language the instructor wrote gets its words (a summary it left
 * out: the default one of that language). A language it did not write gets the default objectives
 * and summary in that language with the instructor's title when the objectives are the defaults; when
 * the instructor wrote the objectives, nothing (the console shows the main texts: a made-up
 * translation of someone's objectives would not be theirs).
 */
function recordedTexts(
  input: RecordInput,
  route: string,
  code: IncidentCode,
): Pick<Exercise, 'title' | 'summary' | 'objectives' | 'language' | 'translations'> {
  const main = input.language ?? 'en';
  const written: Partial<Record<ExerciseLanguage, RecordTexts>> = {
    ...input.translations,
    [main]: { title: input.title, summary: input.summary, objectives: input.objectives },
  };
  const textsIn = (lang: ExerciseLanguage): ExerciseTexts | null => {
    const w = written[lang];
    const d = defaultTexts(lang, route, code);
    if (w) return { title: w.title, summary: w.summary ?? d.summary, objectives: w.objectives ?? d.objectives };
    return input.objectives ? null : { title: input.title, summary: input.summary ?? d.summary, objectives: d.objectives };
  };
  const base: ExerciseLanguage = textsIn('en') ? 'en' : main;
  const translations = Object.fromEntries(
    LANGUAGES.filter((l) => l !== 'en' && l !== base).flatMap((l) => {
      const t = textsIn(l);
      return t ? [[l, t]] : [];
    }),
  );
  return {
    ...textsIn(base)!,
    ...(base === 'en' ? {} : { language: base }),
    ...(Object.keys(translations).length ? { translations } : {}),
  };
}
