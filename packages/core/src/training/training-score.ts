/**
 * Scoring a training run: pure rules over what the trainee did to the incidents of the run's
 * movement (their history says who did what and when). Each criterion gives points with its
 * evidence, so an instructor sees why, not only how much.
 */
import type { Incident, IncidentCode, IncidentHistoryEntry } from '../incidents/incident';
import type { Timestamp } from '../ids';
import type { Criterion } from './exercise';

/** What the evidence says, as a closed code a console words in its language (with `vars`). */
export type EvidenceCode =
  | 'no_incident'
  | 'not_acknowledged'
  | 'acknowledged'
  | 'dispatched'
  | 'not_dispatched'
  | 'noted'
  | 'no_note'
  | 'left_open'
  | 'closed'
  | 'escalated_dispatched'
  | 'escalated_confirmed'
  | 'not_escalated';

export interface ScoreEvidence {
  /** One line an instructor reads on the result sheet (English; `code` and `vars` for other languages). */
  summary: string;
  code: EvidenceCode;
  /** The numbers and names `summary` is made of. */
  vars: Record<string, string | number>;
  /** When the trainee did what earned (or lost) the points; null when nothing was done. */
  at: Timestamp | null;
  incident: string | null;
  /** Seconds from the incident reaching the console to its acknowledgement (acknowledged criteria). */
  timeToAcknowledgeS?: number;
  outcome?: 'confirmed' | 'false_alarm' | null;
  note?: string;
  assignee?: string;
}

export interface ScoreItem {
  criterion: string;
  /** What the criterion asks, about which incident (so a console can word it). */
  kind: Criterion['kind'];
  incidentCode: IncidentCode;
  points: number;
  max: number;
  evidence: ScoreEvidence;
}

export interface Score {
  total: number;
  max: number;
  items: ScoreItem[];
}

const byPerson = (h: IncidentHistoryEntry) => h.by !== null;

/** The first incident of the code (the one the exercise is about), by when it opened. */
function incidentOf(incidents: readonly Incident[], code: IncidentCode): Incident | null {
  return [...incidents].filter((i) => i.code === code).sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0] ?? null;
}

function scoreOne(c: Criterion, incidents: readonly Incident[]): ScoreItem {
  const item = (points: number, evidence: ScoreEvidence): ScoreItem => ({
    criterion: c.id,
    kind: c.kind,
    incidentCode: c.incident,
    points,
    max: c.points,
    evidence,
  });
  const inc = incidentOf(incidents, c.incident);
  if (!inc) {
    // No incident at all: nothing to escalate, everything else could not be done yet.
    const summary = `no ${c.incident} incident yet`;
    return item(c.kind === 'not_escalated' ? c.points : 0, {
      summary,
      code: 'no_incident',
      vars: { incident: c.incident },
      at: null,
      incident: null,
    });
  }
  const done = inc.history.filter(byPerson);
  switch (c.kind) {
    case 'acknowledged': {
      const ack = done.find((h) => h.action === 'acknowledged' || h.action === 'assigned' || h.action === 'closed');
      if (!ack) return item(0, { summary: 'not acknowledged', code: 'not_acknowledged', vars: {}, at: null, incident: inc.id });
      const s = Math.max(0, Math.round((Date.parse(ack.at) - Date.parse(inc.createdAt)) / 1000));
      const inTime = s <= c.withinS;
      return item(inTime ? c.points : Math.floor(c.points / 2), {
        summary: `acknowledged after ${s} s (${inTime ? 'within' : 'beyond'} ${c.withinS} s)`,
        code: 'acknowledged',
        vars: { seconds: s, withinS: c.withinS, inTime: inTime ? 'yes' : 'no' },
        at: ack.at,
        incident: inc.id,
        timeToAcknowledgeS: s,
      });
    }
    case 'assigned': {
      const a = done.find((h) => h.action === 'assigned');
      return a
        ? item(c.points, {
            summary: `dispatched to ${a.assignee ?? '?'}`,
            code: 'dispatched',
            vars: { assignee: a.assignee ?? '?' },
            at: a.at,
            incident: inc.id,
            assignee: a.assignee,
          })
        : item(0, { summary: 'nobody dispatched', code: 'not_dispatched', vars: {}, at: null, incident: inc.id });
    }
    case 'noted': {
      const n = done.find(
        (h) =>
          (h.action === 'noted' || h.action === 'closed' || h.action === 'acknowledged') && (h.comment ?? '').trim().length >= c.minLength,
      );
      return n
        ? item(c.points, {
            summary: `note written: "${n.comment!.trim()}"`,
            code: 'noted',
            vars: { note: n.comment!.trim() },
            at: n.at,
            incident: inc.id,
            note: n.comment!.trim(),
          })
        : item(0, {
            summary: `no note of at least ${c.minLength} characters`,
            code: 'no_note',
            vars: { minLength: c.minLength },
            at: null,
            incident: inc.id,
          });
    }
    case 'closed': {
      const closed = done.find((h) => h.action === 'closed');
      if (!closed) return item(0, { summary: 'left open', code: 'left_open', vars: {}, at: null, incident: inc.id, outcome: null });
      const right = closed.outcome === c.outcome;
      return item(right ? c.points : 0, {
        summary: `closed as ${closed.outcome} (expected ${c.outcome})`,
        code: 'closed',
        vars: { outcome: closed.outcome ?? '?', expected: c.outcome },
        at: closed.at,
        incident: inc.id,
        outcome: closed.outcome ?? null,
      });
    }
    case 'not_escalated': {
      const escalation = done.find((h) => h.action === 'assigned' || (h.action === 'closed' && h.outcome === 'confirmed'));
      return escalation
        ? item(0, {
            summary: escalation.action === 'assigned' ? `escalated: dispatched to ${escalation.assignee ?? '?'}` : 'escalated: confirmed',
            code: escalation.action === 'assigned' ? 'escalated_dispatched' : 'escalated_confirmed',
            vars: escalation.action === 'assigned' ? { assignee: escalation.assignee ?? '?' } : {},
            at: escalation.at,
            incident: inc.id,
          })
        : item(c.points, { summary: 'not escalated', code: 'not_escalated', vars: {}, at: null, incident: inc.id });
    }
  }
}

/** The run's score: every criterion in the exercise's order, with its total and maximum. */
export function scoreRun(criteria: readonly Criterion[], incidents: readonly Incident[]): Score {
  const items = criteria.map((c) => scoreOne(c, incidents));
  return { total: items.reduce((s, i) => s + i.points, 0), max: items.reduce((s, i) => s + i.max, 0), items };
}
