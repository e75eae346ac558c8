/** SQL for `MovementVisibility`, shared by both engines (`param` adds a bound value and returns its placeholder). */

/**
 * Restricts a list to the movements a party may see (the policy's scopes): a trader's own, or a
 * customs administration's, i.e. those departing from or arriving at one of its offices.
 */
export type MovementVisibility = { trader: string } | { offices: string[] };

/** A condition on a movements row: `trader = ?`, or departure/destination among the offices. */
export function movementVisibilitySql(v: MovementVisibility, param: (value: unknown) => string, prefix = ''): string {
  if ('trader' in v) return `${prefix}trader = ${param(v.trader)}`;
  if (!v.offices.length) return 'FALSE';
  // Placeholders are made per use: SQLite's `?` binds positionally, so each list needs its own values.
  const list = () => v.offices.map((o) => param(o)).join(', ');
  return `(${prefix}departure_office IN (${list()}) OR ${prefix}destination_office IN (${list()}))`;
}
