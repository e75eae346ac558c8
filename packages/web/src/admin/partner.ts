/** A federation partner as the API shows it (GET /api/v1/federation/partners, federation.routes.ts). */

/** The data classes an agreement may share beyond the fixed minimum (DESIGN §8). */
export const sharedFields = ['position', 'seal', 'sensors', 'trader', 'goods', 'driver'] as const;
export type SharedField = (typeof sharedFields)[number];

export interface Partner {
  administration: string;
  name: string;
  country: string;
  url: string;
  agreement: { fields: string[]; positionsInside: 'partner_territory' | 'whole_route'; retentionDays: number };
  /** This installation's own days per data class for the partner's copies (at most retentionDays). */
  retention?: Partial<Record<SharedField, number>>;
  keys: { kid: string }[];
  pendingKeys: { kid: string }[] | null;
  endedAt: string | null;
  lastExchangeAt: string | null;
  backlog: number;
}

/** The classes this side keeps for less than the agreement, with their days, in the agreement's order. */
export function ownRetention(p: Partner): [SharedField, number][] {
  return sharedFields.filter((f) => p.retention?.[f] !== undefined).map((f) => [f, p.retention![f]!]);
}
