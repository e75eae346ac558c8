/**
 * Turns a training exercise (core's exerciseSchema) into what a run feeds the platform: the
 * corridor's offices, the device and the movement, and every device message with the wall time
 * it is due. The trip is the demo's trip model at real speed (speedup 1): history before the
 * run's start is uploaded at once with its real past times, the live tail is sent as it happens,
 * and readings during a silent window are buffered and sent together when coverage returns. A
 * detour moves sideways no faster than the truck can drive, so no position is impossible.
 */
import { lineLengthM, type Exercise, type Recording } from '@sealwatch/core';
import type { NewDevice, NewMovement } from '../client';
import { findCorridor, findOffice, type CorridorOffice } from '../corridors';
import { buildPayload, plannedStops } from '../demo-vehicles';
import { hashSeed, planTrip, type Incident, type TripState } from '../trip';

/** One device message: its payload (unsigned) and when the run sends it (epoch ms). */
export interface ScriptedMessage {
  sendAtMs: number;
  payload: { device: string } & Record<string, unknown>;
}

export interface ExerciseScript {
  offices: CorridorOffice[];
  /** The device without its key: the run registers it with a key it makes. */
  device: Omit<NewDevice, 'key'>;
  /** Readers the cargo must pass (registered, and silent: the checkpoint is missed). */
  readers: Omit<NewDevice, 'key'>[];
  movement: NewMovement & { checkpoints?: { readerId: string; order: number; expectedBy: string; name: string }[] };
  departureMs: number;
  /** When the live tail ends: the run finishes by itself then. */
  endsAtMs: number;
  /** Every message, in the order of sendAtMs (then reading time). */
  messages: ScriptedMessage[];
}

/** Lateral speed of a detour, m/s: a truck turning off and back, never a jump. */
const DETOUR_SPEED_MS = 12;
const M_PER_DEG = 111_320;

/** The detour's sideways offset at `s` seconds from the run's start: ramps in and out at road speed. */
function detourOffsetM(exercise: Exercise, s: number): number {
  let offset = 0;
  for (const step of exercise.script) {
    if (!('offsetM' in step)) continue;
    const ramp = Math.min(s - step.fromS, step.untilS - s) * DETOUR_SPEED_MS;
    if (ramp > 0) offset += Math.sign(step.offsetM) * Math.min(Math.abs(step.offsetM), ramp);
  }
  return offset;
}

/** When a reading made at `s` seconds from the start is sent: at once, or when a silent window it falls in ends. */
function sendAtS(exercise: Exercise, s: number): number {
  let at = Math.max(0, s);
  for (const step of exercise.script) if ('silent' in step && s >= step.fromS && s < step.untilS) at = Math.max(at, step.untilS);
  return at;
}

/** The run's material for an exercise started at `startMs`; `reference` names the run's movement. */
export function exerciseScript(exercise: Exercise, startMs: number, reference: string): ExerciseScript {
  if (exercise.recording) return recordedScript(exercise, exercise.recording, startMs, reference);
  const corridor = findCorridor(exercise.corridor);
  const departureMs = startMs - exercise.trip.departedMinutesAgo * 60_000;
  const endsAtMs = startMs + exercise.durationS * 1000;
  // The truck leaves the office `departsAfterS` after the movement started; seal steps count from the run's start.
  const agoS = exercise.trip.departedMinutesAgo * 60 - exercise.trip.departsAfterS;
  const incidents: Incident[] = exercise.script.flatMap((s): Incident[] =>
    'seal' in s ? [{ atS: s.atS + agoS, seal: s.seal }] : 'door' in s ? [{ atS: s.atS + agoS, door: s.door }] : [],
  );
  const trip = planTrip({
    route: corridor.route.coordinates,
    departureMs: departureMs + exercise.trip.departsAfterS * 1000,
    speedup: 1,
    speedKmh: exercise.trip.speedKmh,
    seed: hashSeed(exercise.id, startMs),
    incidents,
    stops: plannedStops(corridor),
    batteryStart: exercise.trip.batteryStart,
    batteryDrainPerHour: exercise.trip.batteryDrainPerHour,
    climate: corridor.climate,
  });
  const device = exercise.device;
  const readings: ScriptedMessage[] = [];
  let seq = 1;
  // Periodic reports, and one at each seal or door change: a device reports an event when it happens.
  const times = new Set<number>();
  for (let ms = departureMs; ms <= endsAtMs; ms += device.reportIntervalS * 1000) times.add(ms);
  for (const step of exercise.script) if ('atS' in step) times.add(startMs + step.atS * 1000);
  for (const ms of [...times].sort((a, b) => a - b)) {
    const s = (ms - startMs) / 1000;
    const state: TripState = trip.stateAt(ms);
    // A detour leaves the road sideways (to the right of the heading, left for a negative offset), whatever way the road runs.
    const aside = detourOffsetM(exercise, s);
    const right = ((state.position.heading + 90) * Math.PI) / 180;
    const position = aside
      ? {
          ...state.position,
          lat: state.position.lat + (aside * Math.cos(right)) / M_PER_DEG,
          lon: state.position.lon + (aside * Math.sin(right)) / (M_PER_DEG * Math.cos((state.position.lat * Math.PI) / 180)),
        }
      : state.position;
    readings.push({ sendAtMs: startMs + sendAtS(exercise, s) * 1000, payload: buildPayload(device.id, seq++, ms, { ...state, position }) });
  }
  readings.sort((a, b) => a.sendAtMs - b.sendAtMs || (a.payload.seq as number) - (b.payload.seq as number));

  const checkpoint = exercise.movement.checkpoint;
  const timeLimitMs = departureMs + corridor.transitHours * 3_600_000;
  const movement: ExerciseScript['movement'] = {
    reference,
    container: exercise.movement.container,
    devices: [device.id],
    seals: exercise.movement.seals,
    departureOffice: corridor.departureOffice,
    destinationOffice: corridor.destinationOffice,
    route: corridor.route,
    corridorWidthM: 2000,
    authorizedStops: corridor.authorizedStops,
    timeLimit: new Date(timeLimitMs).toISOString(),
    ...(checkpoint
      ? {
          checkpoints: [
            {
              readerId: checkpoint.reader,
              order: 1,
              name: checkpoint.name,
              expectedBy: new Date(startMs + checkpoint.expectedAfterS * 1000).toISOString(),
            },
          ],
        }
      : {}),
  };
  const officeCodes = [corridor.departureOffice, ...corridor.borderOffices, corridor.destinationOffice];
  return {
    offices: officeCodes.map(findOffice),
    device: { id: device.id, class: device.class, kind: device.kind, protocol: 'native', reportIntervalS: device.reportIntervalS },
    readers: checkpoint ? [{ id: checkpoint.reader, class: 'passive', kind: 'reader', protocol: 'native' }] : [],
    movement,
    departureMs,
    endsAtMs,
    messages: readings,
  };
}

/** A recorded movement's script: its own offices and itinerary, its readings replayed at their offsets from the run's start. */
function recordedScript(exercise: Exercise, rec: Recording, startMs: number, reference: string): ExerciseScript {
  const departureMs = startMs + rec.startedAtS * 1000;
  const endsAtMs = startMs + exercise.durationS * 1000;
  const device = exercise.device;
  const messages: ScriptedMessage[] = rec.readings
    .filter((r) => r.atS <= exercise.durationS && r.atS >= rec.startedAtS)
    .sort((a, b) => a.atS - b.atS)
    .map((r, i) => ({
      sendAtMs: startMs + sendAtS(exercise, r.atS) * 1000,
      payload: { device: device.id, seq: i + 1, time: new Date(startMs + r.atS * 1000).toISOString(), ...withoutAtS(r) },
    }));
  messages.sort((a, b) => a.sendAtMs - b.sendAtMs || (a.payload.seq as number) - (b.payload.seq as number));
  return {
    offices: rec.offices as CorridorOffice[],
    device: { id: device.id, class: device.class, kind: device.kind, protocol: 'native', reportIntervalS: device.reportIntervalS },
    readers: [],
    movement: {
      reference,
      container: exercise.movement.container,
      devices: [device.id],
      seals: exercise.movement.seals,
      departureOffice: rec.departureOffice,
      destinationOffice: rec.destinationOffice,
      route: { type: 'LineString', coordinates: rec.route },
      corridorWidthM: rec.corridorWidthM,
      authorizedStops: rec.authorizedStops,
      timeLimit: new Date(departureMs + rec.timeLimitAfterS * 1000).toISOString(),
    },
    departureMs,
    endsAtMs,
    messages,
  };
}

const withoutAtS = ({ atS: _atS, ...rest }: Recording['readings'][number]) => rest;

/** The length of the exercise's corridor, metres (authors check where the truck is). */
export const corridorLengthM = (exercise: Exercise) => lineLengthM(findCorridor(exercise.corridor).route.coordinates);
