/**
 * signal_lost: no message from a device for k times its expected report interval.
 * What is expected depends on the device class (DESIGN §2): active devices stream; semi-active
 * ones report on events, so silence means nothing unless a heartbeat is configured; passive
 * tags never report on their own. A function of all the device's observation times, so buffered
 * history uploaded after a coverage gap shrinks, splits or removes the episode it covers.
 */
import type { Timestamp } from '../ids';
import type { AlertType, Device } from '../model';
import { msOf, timestampOf, type TransitEpisode } from './track';

/** The device fields the rule reads. */
export type SignalDevice = Pick<Device, 'class' | 'reportIntervalS'>;

/** Settings of the signal rule, seconds and timestamps. */
export interface SignalLossOptions {
  /** A silence longer than k × the expected interval is signal loss; default 3. */
  k?: number;
  /** Heartbeat of a semi-active device, seconds; default the device's `reportIntervalS` (null: none). */
  heartbeatIntervalS?: number | null;
  /** Expected interval of an active device registered without one, seconds; default 300. */
  defaultActiveIntervalS?: number;
  /** Start of the watch (the movement's start): counts as heard, and earlier silence is not watched. */
  watchFrom?: Timestamp | null;
  /** End of the watch (arrival or end of the movement): later silence is not watched. */
  watchUntil?: Timestamp | null;
}

/** What a signal_lost episode reports. */
export interface SignalLostDetails {
  /** The last observation before the silence; null when the silence runs from the start of the watch with nothing heard before. */
  lastHeardAt: Timestamp | null;
  /** Seconds of silence: start to end, or to `now` while ongoing. */
  gapS: number;
  expectedIntervalS: number;
  thresholdS: number;
  /** start + threshold: when a live processor could first raise it. */
  detectableAt: Timestamp;
}

/** A signal_lost: from the last beat before the silence to the next one (null while silent). */
export type SignalLostEpisode = TransitEpisode<Extract<AlertType, 'signal_lost'>, SignalLostDetails>;

/**
 * Seconds between the reports a device is expected to make, or null when its silence means
 * nothing: active → `reportIntervalS` (default 300); semi-active → the heartbeat (option, else
 * `reportIntervalS`), null without one; passive → null.
 */
export function expectedReportIntervalS(device: SignalDevice, options: SignalLossOptions = {}): number | null {
  switch (device.class) {
    case 'active':
      return device.reportIntervalS ?? options.defaultActiveIntervalS ?? 300;
    case 'semi_active':
      return options.heartbeatIntervalS ?? device.reportIntervalS ?? null;
    case 'passive':
      return null;
  }
}

/**
 * The silences of one device within the watch, oldest first, as evaluated at `now`. The beats
 * are the watch start (if given) and every observation time in the watch up to `now`; a
 * silence is a stretch between beats (or from the last beat to the end of the watch or `now`)
 * strictly longer than k × the expected interval. It starts at the last beat and ends at the
 * next one; a silence running into the watch end ends there; one running to `now` is ongoing
 * (`end` null). Observations may be of any kind and in any order.
 */
export function signalLost(
  device: SignalDevice,
  observations: ReadonlyArray<{ time: Timestamp }>,
  now: Timestamp,
  options: SignalLossOptions = {},
): SignalLostEpisode[] {
  const intervalS = expectedReportIntervalS(device, options);
  if (intervalS === null || !(intervalS > 0)) return [];
  const thresholdS = (options.k ?? 3) * intervalS,
    thresholdMs = thresholdS * 1000;
  const nowMs = msOf(now);
  const from = options.watchFrom ? msOf(options.watchFrom) : -Infinity;
  const until = Math.min(options.watchUntil ? msOf(options.watchUntil) : Infinity, nowMs);

  const times = observations.map((o) => msOf(o.time)).sort((a, b) => a - b);
  const beats = times.filter((t) => t >= from && t <= until);
  // The watch start is a beat of its own (the device was armed then), heard or not.
  const armedOnly = from > -Infinity && from <= until && beats[0] !== from;
  if (armedOnly) beats.unshift(from);
  if (beats.length === 0) return [];
  const heardBefore = times.filter((t) => t < from).pop();

  const episodes: SignalLostEpisode[] = [];
  const push = (startMs: number, endMs: number | null) => {
    const heard = armedOnly && startMs === from ? heardBefore : startMs;
    episodes.push({
      type: 'signal_lost',
      start: timestampOf(startMs),
      end: endMs === null ? null : timestampOf(endMs),
      details: {
        lastHeardAt: heard === undefined ? null : timestampOf(heard),
        gapS: ((endMs ?? nowMs) - startMs) / 1000,
        expectedIntervalS: intervalS,
        thresholdS,
        detectableAt: timestampOf(startMs + thresholdMs),
      },
    });
  };
  for (let i = 1; i < beats.length; i++) if (beats[i] - beats[i - 1] > thresholdMs) push(beats[i - 1], beats[i]);
  const last = beats[beats.length - 1];
  if (until - last > thresholdMs) push(last, until < nowMs ? until : null);
  return episodes;
}
