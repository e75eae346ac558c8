/**
 * EPCIS 2.0 named queries (REST binding `POST /queries`): the body's `query` (valid against GS1's
 * query-schema.json, checked at the edge) read into the parameters Sealwatch answers. The standard
 * (§8.2.7.1) makes an unknown or unsupported parameter a QueryParameterException, never ignored:
 * a query naming one is refused with each such name, so a saved view never matches more than its
 * author asked for.
 */
import type { EpcisQuery } from './epcis';

/** The name of the standard's predefined query: every event, no parameters; it cannot be created or deleted. */
export const SIMPLE_EVENT_QUERY = 'SimpleEventQuery';

const LISTS = ['eventType', 'MATCH_epc', 'MATCH_anyEPC', 'EQ_bizStep', 'EQ_disposition', 'EQ_readPoint'] as const;
const TIMES = ['GE_eventTime', 'LT_eventTime', 'GE_recordTime', 'LT_recordTime'] as const;

/** The query parameters a named query may hold: the ones `GET /epcis/events` answers (and `@context`). */
export const EPCIS_QUERY_PARAMETERS: readonly string[] = [...LISTS, ...TIMES];

export type NamedQueryRead = { ok: true; query: EpcisQuery } | { ok: false; errors: { path: string; message: string }[] };

/**
 * The parameters of a named query's `query` object, or every member that Sealwatch cannot apply
 * (a parameter it does not answer, a list that is not of strings, a time that is not one).
 * `@context` (JSON-LD prefixes) is accepted and does not filter.
 */
export function readNamedQuery(raw: Record<string, unknown>): NamedQueryRead {
  const query: EpcisQuery = {};
  const errors: { path: string; message: string }[] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (name === '@context') continue;
    if ((LISTS as readonly string[]).includes(name)) {
      if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v.length > 0))
        errors.push({ path: `query.${name}`, message: 'must be a non-empty list of strings' });
      else query[name as (typeof LISTS)[number]] = value as string[];
    } else if ((TIMES as readonly string[]).includes(name)) {
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value)))
        errors.push({ path: `query.${name}`, message: 'must be a date-time' });
      else query[name as (typeof TIMES)[number]] = value;
    } else
      errors.push({
        path: `query.${name}`,
        message: `parameter not supported here (QueryParameterException); supported: ${EPCIS_QUERY_PARAMETERS.join(', ')}`,
      });
  }
  return errors.length ? { ok: false, errors } : { ok: true, query };
}
