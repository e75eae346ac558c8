/**
 * What changed between two runs of a detector over the same movement: the step that turns
 * "re-run on everything known" into events and alert updates. An episode keeps its identity
 * across runs when its type and subject match and its interval overlaps the old one, because
 * late data may move its start earlier, end it, or split it.
 */
import { msOf, type TransitEpisode, type TransitFact } from './track';

/** The episodes of a new run sorted against the previous run's. */
export interface EpisodeDiff<E> {
  /** New episodes overlapping nothing from before: an event (and an alert where the type is one). */
  opened: E[];
  /** The same episode with a new start, end or details: update the event/alert (an end set means cleared). */
  changed: Array<{ before: E; after: E }>;
  /** Old episodes the new data no longer supports (e.g. a gap filled by buffered history): annotate, don't delete. */
  retracted: E[];
  unchanged: E[];
}

/**
 * Pairs old and new episodes: per key (type + `subjectOf`, e.g. the office or device), each new
 * episode in start order takes the earliest unpaired old one whose interval [start, end or
 * open] overlaps its own. Where late data split an episode, the first part keeps the identity
 * and the others are opened; where it merged two, the second old one is retracted.
 */
export function diffEpisodes<E extends TransitEpisode<string, unknown>>(
  before: readonly E[],
  after: readonly E[],
  subjectOf: (e: E) => string = () => '',
): EpisodeDiff<E> {
  const key = (e: E) => `${e.type}\u0000${subjectOf(e)}`;
  const span = (e: E): [number, number] => [msOf(e.start), e.end === null ? Infinity : msOf(e.end)];
  const byStart = (a: E, b: E) => msOf(a.start) - msOf(b.start);
  const unpaired = new Set(before);
  const diff: EpisodeDiff<E> = { opened: [], changed: [], retracted: [], unchanged: [] };
  for (const next of after.slice().sort(byStart)) {
    const [s, e] = span(next);
    const old = before
      .filter((b) => unpaired.has(b) && key(b) === key(next))
      .sort(byStart)
      .find((b) => {
        const [bs, be] = span(b);
        return bs <= e && s <= be;
      });
    if (!old) {
      diff.opened.push(next);
      continue;
    }
    unpaired.delete(old);
    if (sameJson(old, next)) diff.unchanged.push(next);
    else diff.changed.push({ before: old, after: next });
  }
  diff.retracted = before.filter((b) => unpaired.has(b));
  return diff;
}

/** Instantaneous facts (office_entered, border_crossed, …) are the same fact when type, subject and time match. */
export function diffFacts<F extends TransitFact<string, unknown>>(
  before: readonly F[],
  after: readonly F[],
  subjectOf: (f: F) => string = () => '',
): { added: F[]; retracted: F[] } {
  const key = (f: F) => `${f.type}\u0000${subjectOf(f)}\u0000${msOf(f.time)}`;
  const had = new Set(before.map(key)),
    has = new Set(after.map(key));
  return { added: after.filter((f) => !had.has(key(f))), retracted: before.filter((f) => !has.has(key(f))) };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
