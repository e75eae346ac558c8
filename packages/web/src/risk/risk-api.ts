/**
 * The risk API as the analyst console and the movement page use it (docs/risk.md). Typed by hand
 * over the generic `request`: the risk answers carry the engine's own records (profiles, scores,
 * decisions), which the OpenAPI document describes only as objects.
 */
import { ApiError, buildUrl, request } from '../api/client';
import { authHeaders } from '../auth/credentials';

export type Lane = 'red' | 'yellow' | 'blue' | 'green';
export const laneList: Lane[] = ['red', 'yellow', 'blue', 'green'];
export type Level = 'low' | 'medium' | 'high';
export type ReferenceKind = 'origin_country' | 'hs_chapter' | 'office_pair';
export type Period = 'day' | 'week' | 'month' | 'quarter' | 'year';

export interface Indicator {
  code: string;
  description?: string;
  source: 'static' | 'device';
  weight: number;
  condition: unknown;
}
export interface Profile {
  version: number;
  name: string;
  basedOn: number | null;
  note: string;
  intercept: number;
  indicators: Indicator[];
  thresholds: { red: number; yellow: number; blue: number };
  laneRates: Record<Lane, number>;
  randomRate: number;
  randomLane: Lane;
  forcedRed: string[];
}
export interface StoredProfile {
  version: number;
  profile: Profile;
  createdAt: string;
  createdBy: string;
  /** The administration whose version it is; null for the installation's (shared, read-only to an administration). */
  administration: string | null;
  active: boolean;
}
export interface IndicatorResult {
  code: string;
  fired: boolean;
  weight: number;
  contribution: number;
  source?: string;
}
export interface Assessment {
  id: string;
  movement: string;
  revision: number;
  office: string;
  cause: 'arrival' | 'request' | 'override';
  score: { score: number; baselineScore: number; indicators: IndicatorResult[]; profileVersion: number };
  decision: {
    lane: Lane;
    reason: 'forced' | 'score' | 'random' | 'override';
    overrides?: { from: Lane; to: Lane; reason: string; by: string; at: string }[];
  };
  profileVersion: number;
  decidedAt: string;
  decidedBy: string;
}
export interface Inspection {
  result: 'nothing_found' | 'irregularity' | 'seizure';
  comment: string | null;
  by: string;
  at: string;
}
export interface MovementRisk {
  assessment: Assessment | null;
  history: Assessment[];
  inspection: Inspection | null;
}
export interface Rate {
  inspections: number;
  hits: number;
  seizures: number;
  hitRate: number | null;
}
export interface HitRates {
  overall: Rate;
  byLane: Record<Lane, Rate>;
  byReason: Record<string, Rate>;
  byIndicator: (Rate & { code: string })[];
}
export interface KpiRow {
  office: string;
  period: string;
  movements: number;
  lanes: Record<Lane, number>;
  inspections: number;
  inspectionRate: number;
  hitRate: number | null;
  clearanceMeanS: number | null;
  clearanceMedianS: number | null;
  inspectionsAvoided: number;
}
export interface WeightChange {
  code: string;
  from: number;
  to: number;
  support: number;
  kept: boolean;
}
export interface Calibration {
  proposal: Profile;
  changes: WeightChange[];
  fit: { samples?: number; hits?: number; converged?: boolean; [k: string]: unknown };
}
export interface ReferenceEntry {
  kind: ReferenceKind;
  key: string;
  level: Level;
  note: string | null;
  updatedAt: string;
  updatedBy: string;
}
export interface AdviceOption {
  deviceClass: string;
  feasible: boolean;
  rental: number;
  infrastructure: number;
  inspectionProbability: number;
  expectedInspectionCost: number;
  expectedCost: number;
  savingVsMostExpensive: number;
}
export interface Advice {
  score: number;
  recommended: string | null;
  inspectionProbabilityWithout: number;
  options: AdviceOption[];
}

/** A problem the server lists for an invalid profile (invalid_risk_profile → details.issues). */
export interface ProfileIssue {
  path: string;
  message: string;
}

/** Like `request`, but an invalid profile's issues come back with the error. */
export class ProfileRejected extends Error {
  constructor(readonly issues: ProfileIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('; '));
  }
}

export const riskApi = {
  profiles: () => request<{ items: StoredProfile[] }>('GET', buildUrl('/api/v1/risk/profiles', {}, { limit: 200 })),
  profile: (version: number) => request<StoredProfile>('GET', `/api/v1/risk/profiles/${version}`),
  async addProfile(body: unknown): Promise<StoredProfile> {
    // The problem's details are read here: `request` keeps only code and detail.
    const res = await fetch('/api/v1/risk/profiles', {
      method: 'POST',
      headers: authHeaders('POST', { Accept: 'application/json', 'Content-Type': 'application/json' }),
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
    const json = await res.json().catch(() => ({}));
    if (res.ok) return json as StoredProfile;
    const issues = (json as { details?: { issues?: ProfileIssue[] } }).details?.issues;
    if (issues?.length) throw new ProfileRejected(issues);
    throw new ApiError(
      res.status,
      (json as { code?: string }).code ?? `http_${res.status}`,
      (json as { detail?: string }).detail ?? res.statusText,
    );
  },
  activate: (version: number) => request<StoredProfile>('POST', `/api/v1/risk/profiles/${version}/activate`, {}),
  calibrate: (body: { l2?: number; randomOnly?: boolean; minSupport?: number }) =>
    request<Calibration>('POST', '/api/v1/risk/calibrations', body),
  kpis: (period: Period, office?: string) => request<{ items: KpiRow[] }>('GET', buildUrl('/api/v1/risk/kpis', {}, { period, office })),
  hitRates: () => request<HitRates>('GET', '/api/v1/risk/hit-rates'),
  reference: () => request<{ items: ReferenceEntry[] }>('GET', '/api/v1/risk/reference'),
  setReference: (kind: ReferenceKind, key: string, level: Level, note: string | null) =>
    request<ReferenceEntry>('PUT', `/api/v1/risk/reference/${kind}/${encodeURIComponent(key)}`, { level, note }),
  deleteReference: (kind: ReferenceKind, key: string) =>
    request<null>('DELETE', `/api/v1/risk/reference/${kind}/${encodeURIComponent(key)}`),
  movement: (id: string) => request<MovementRisk>('GET', `/api/v1/movements/${encodeURIComponent(id)}/risk`),
  assess: (id: string) => request<Assessment>('POST', `/api/v1/movements/${encodeURIComponent(id)}/risk/assess`, {}),
  override: (id: string, lane: Lane, reason: string) =>
    request<Assessment>('POST', `/api/v1/movements/${encodeURIComponent(id)}/risk/override`, { lane, reason }),
  inspect: (id: string, result: Inspection['result'], comment?: string) =>
    request<Inspection>('POST', `/api/v1/movements/${encodeURIComponent(id)}/inspection`, comment ? { result, comment } : { result }),
  advice: (body: Record<string, unknown>) => request<Advice>('POST', '/api/v1/risk/device-advice', body),
};
