/**
 * sensor_out_of_range: a condition sensor (temperature, humidity, shock, light)
 * beyond the movement's thresholds for long enough. Light inside a closed container means its
 * door was opened. A function of the thresholds and the whole set of readings, per device, so
 * readings buffered and uploaded late give what in-order ones would.
 */
import type { Timestamp } from '../ids';
import type { AlertType, SensorName, SensorThreshold } from '../model';
import { msOf, sortTrack, type TrackObservation, type TransitEpisode } from './track';

/** Part of the movement model; named here too for the rule's callers. */
export type { SensorName, SensorThreshold } from '../model';

/**
 * Default minimum durations, seconds: 600 for temperature and humidity (a reefer's defrost
 * cycle or a door opened for an inspection of a minute is not an excursion), 0 for shock and
 * light (one reading is the event).
 */
export const DEFAULT_SENSOR_MIN_DURATION_S: Readonly<Record<SensorName, number>> = { temperature: 600, humidity: 600, shock: 0, light: 0 };

/** Lux inside a closed container above which its door is taken to be open (a suggested `max` for light). */
export const DEFAULT_DOOR_LIGHT_LUX = 10;

/** What the rule reads of an observation; a stored `Observation` fits as it is. */
export interface SensorObservation extends TrackObservation {
  sensors?: Record<string, number> | null;
}

/** What a sensor_out_of_range episode reports; values in the sensor's unit, durations in seconds. */
export interface SensorOutOfRangeDetails {
  device: string | null;
  sensor: SensorName;
  min: number | null;
  max: number | null;
  /** The reading farthest beyond its bound, which bound, and when. */
  worstValue: number;
  bound: 'min' | 'max';
  worstAt: Timestamp;
  /** Seconds from the first reading out of range to the first back in range (to the last out while ongoing; 0 for one shock). */
  durationS: number;
  lastOutAt: Timestamp;
  /** The reading at which `minDurationS` was reached: when an in-order processor could first raise it. */
  confirmedAt: Timestamp;
  readings: number;
  /** Light above its maximum: the container's door was opened. */
  doorOpened?: true;
}

/** A sensor_out_of_range: first reading out of range to first back in range (null while out; shock episodes always end). */
export type SensorOutOfRangeEpisode = TransitEpisode<Extract<AlertType, 'sensor_out_of_range'>, SensorOutOfRangeDetails>;

interface Reading {
  t: number;
  time: Timestamp;
  value: number;
}

/**
 * The out-of-range episodes of every threshold, per device (the `device` of the observations),
 * ordered by start, device, sensor. A reading is out when below `min` or above `max` (strict);
 * a run of out readings of one device and sensor (readings without that sensor don't break it)
 * is an episode once its first and last are `minDurationS` apart. It ends at the first reading
 * back in range, or is ongoing. Shock is instantaneous: a run of shocks ends at its last
 * reading out of range, so a single shock is an episode of duration 0. Non-finite values are
 * ignored; input order does not matter. Thresholds apply independently (give one per sensor).
 */
export function sensorsOutOfRange(
  thresholds: readonly SensorThreshold[],
  observations: readonly SensorObservation[],
): SensorOutOfRangeEpisode[] {
  const sorted = sortTrack(observations);
  const episodes: SensorOutOfRangeEpisode[] = [];
  for (const th of thresholds) {
    const minMs = (th.minDurationS ?? DEFAULT_SENSOR_MIN_DURATION_S[th.sensor]) * 1000;
    const instantaneous = th.sensor === 'shock';
    const runs = new Map<
      string,
      { first: Reading; last: Reading; worst: Reading; excess: number; bound: 'min' | 'max'; n: number; confirmed: Reading | null }
    >();
    const close = (device: string, back: Reading | null) => {
      const run = runs.get(device);
      runs.delete(device);
      if (!run?.confirmed) return;
      const end = instantaneous ? run.last : back;
      episodes.push({
        type: 'sensor_out_of_range',
        start: run.first.time,
        end: end ? end.time : null,
        details: {
          device: device === '' ? null : device,
          sensor: th.sensor,
          min: th.min ?? null,
          max: th.max ?? null,
          worstValue: run.worst.value,
          bound: run.bound,
          worstAt: run.worst.time,
          durationS: ((end ?? run.last).t - run.first.t) / 1000,
          lastOutAt: run.last.time,
          confirmedAt: run.confirmed.time,
          readings: run.n,
          ...(th.sensor === 'light' && run.bound === 'max' ? { doorOpened: true as const } : {}),
        },
      });
    };
    for (const o of sorted) {
      const value = o.sensors?.[th.sensor];
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      const device = o.device ?? '';
      const r: Reading = { t: msOf(o.time), time: o.time, value };
      const below = th.min !== undefined && value < th.min ? th.min - value : 0;
      const above = th.max !== undefined && value > th.max ? value - th.max : 0;
      if (below === 0 && above === 0) {
        close(device, r);
        continue;
      }
      const excess = Math.max(below, above),
        bound = above > 0 ? 'max' : 'min';
      let run = runs.get(device);
      if (!run) runs.set(device, (run = { first: r, last: r, worst: r, excess, bound, n: 0, confirmed: null }));
      run.last = r;
      run.n++;
      if (excess > run.excess) Object.assign(run, { worst: r, excess, bound });
      if (!run.confirmed && r.t - run.first.t >= minMs) run.confirmed = r;
    }
    for (const device of [...runs.keys()]) close(device, null);
  }
  const dev = (e: SensorOutOfRangeEpisode) => e.details.device ?? '';
  return episodes.sort((a, b) => msOf(a.start) - msOf(b.start) || cmp(dev(a), dev(b)) || cmp(a.details.sensor, b.details.sensor));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
