/**
 * The default risk profile (version 1): a starting point for a risk analyst, not a national
 * profile. There are no universal weights (standards §6); these are illustrative log-odds chosen
 * so that the score reads as the chance in percent that an examination finds an irregularity, with
 * a 4.7 % base rate, and are meant to be replaced by calibrated versions (risk-calibration.ts).
 */
import type { RiskIndicator, RiskProfile } from './risk-profile';

const i = (
  code: string,
  source: RiskIndicator['source'],
  weight: number,
  condition: RiskIndicator['condition'],
  description: string,
): RiskIndicator => ({ code, description, source, condition, weight });

/**
 * HS chapters commonly targeted in transit fraud: 22 beverages and spirits, 24 tobacco,
 * 27 mineral fuels, 30 pharmaceuticals, 71 precious metals and stones, 93 arms and ammunition.
 */
export const SENSITIVE_HS_CHAPTERS = [22, 24, 27, 30, 71, 93];

/** Codes of the default indicators that force red: broken or mismatched seals (standards §6: mandatory examination). */
export const DEFAULT_FORCED_RED = ['SEAL_TAMPERED', 'SEAL_OPENED', 'SEAL_MISMATCH'];

const indicators: RiskIndicator[] = [
  // static: trader, route and origin, goods
  i('TRADER_AEO', 'static', -1.2, { fact: 'trader_aeo', op: 'true' }, 'Authorised Economic Operator'),
  i('TRADER_NEW', 'static', 0.6, { fact: 'trader_new', op: 'true' }, 'Trader with fewer than 5 prior movements'),
  i(
    'TRADER_NONCOMPLIANT',
    'static',
    1.2,
    { fact: 'trader_irregularity_rate', op: 'gte', value: 0.1 },
    "At least 10 % of the trader's inspections found an irregularity",
  ),
  i('ROUTE_HIGH_RISK', 'static', 0.8, { fact: 'route_risk', op: 'eq', value: 'high' }, 'Route rated high risk'),
  i('ORIGIN_HIGH_RISK', 'static', 0.9, { fact: 'origin_risk', op: 'eq', value: 'high' }, 'Origin rated high risk'),
  i(
    'GOODS_SENSITIVE',
    'static',
    0.9,
    { fact: 'hs_chapter', op: 'in', value: SENSITIVE_HS_CHAPTERS },
    'Goods of a sensitive HS chapter (22, 24, 27, 30, 71, 93)',
  ),
  // device: declared versus observed route, seals, deviations, stops, gaps, battery, GNSS
  i(
    'ROUTE_MISMATCH',
    'device',
    1.0,
    {
      any: [
        { fact: 'route_mismatch_m', op: 'gte', value: 2000 },
        { fact: 'route_off_share', op: 'gte', value: 0.1 },
      ],
    },
    'Observed track up to 2 km or more away from the declared route, or 10 % of it outside the corridor',
  ),
  i('SEAL_TAMPERED', 'device', 3.0, { fact: 'seal_tampered', op: 'gte', value: 1 }, 'Seal reported tampered'),
  i(
    'SEAL_OPENED',
    'device',
    2.5,
    {
      any: [
        { fact: 'seal_opened', op: 'gte', value: 1 },
        { fact: 'rope_cut', op: 'gte', value: 1 },
        { fact: 'unlock_unauthorized', op: 'gte', value: 1 },
      ],
    },
    'Seal opened, rope cut or unauthorised unlock',
  ),
  i('SEAL_MISMATCH', 'device', 3.0, { fact: 'seal_mismatch', op: 'gte', value: 1 }, 'Seal identity or count differs from the declaration'),
  i('ROUTE_DEVIATION', 'device', 1.5, { fact: 'route_deviation', op: 'gte', value: 1 }, 'Left the route corridor'),
  i(
    'UNAUTHORIZED_STOP',
    'device',
    1.2,
    { fact: 'unauthorized_stop', op: 'gte', value: 1 },
    'Stopped outside an authorised stop or overstayed',
  ),
  i('TRANSIT_OVERDUE', 'device', 0.6, { fact: 'transit_overdue', op: 'gte', value: 1 }, 'Arrived after the time limit'),
  i('SIGNAL_GAP', 'device', 0.7, { fact: 'signal_lost', op: 'gte', value: 1 }, 'Device silent longer than allowed'),
  i('CHECKPOINT_MISSED', 'device', 0.8, { fact: 'checkpoint_missed', op: 'gte', value: 1 }, 'Not read at a checkpoint on the route'),
  i(
    'BATTERY_TROUBLE',
    'device',
    0.3,
    {
      any: [
        { fact: 'battery_low', op: 'gte', value: 1 },
        { fact: 'battery_insufficient', op: 'gte', value: 1 },
      ],
    },
    'Battery low or insufficient for the trip',
  ),
  i('GNSS_ANOMALY', 'device', 0.9, { fact: 'gnss_anomaly', op: 'gte', value: 1 }, 'Implausible positions (jamming, spoofing, jumps)'),
  i('SENSOR_OUT_OF_RANGE', 'device', 0.3, { fact: 'sensor_out_of_range', op: 'gte', value: 1 }, 'Temperature, light or shock out of range'),
  i('DEVICE_CLONED', 'device', 1.5, { fact: 'device_cloned', op: 'gte', value: 1 }, 'Same tag or device seen where it cannot be'),
  i(
    'MESSAGE_FORGED',
    'device',
    1.5,
    { fact: 'message_forged', op: 'gte', value: 1 },
    'Messages with a bad signature or a conflicting sequence',
  ),
  // device: trust of the data
  i('CLEAN_TRIP', 'device', -1.0, { fact: 'clean_trip', op: 'true' }, 'Monitored trip with no alert above warning'),
  i(
    'DATA_SIGNED',
    'device',
    -0.5,
    { fact: 'trust_signed_share', op: 'gte', value: 0.9 },
    'At least 90 % of observations signed (native protocol)',
  ),
  i(
    'DATA_UNAUTHENTICATED',
    'device',
    0.3,
    { fact: 'trust_vendor_share', op: 'gte', value: 0.5 },
    'At least half the observations from unauthenticated vendor protocols',
  ),
  i(
    'DATA_PASSIVE_ONLY',
    'device',
    0.2,
    { fact: 'trust_passive_only', op: 'true' },
    'Only passive reads at readers: no seal state or track',
  ),
  i('DATA_NONE', 'device', 1.0, { fact: 'observation_count', op: 'lte', value: 0 }, 'No device data for the movement'),
];

/** Version 1 of the default profile. Thresholds 50 / 25 / 12; 2 % random selection to red. */
export const defaultRiskProfile: RiskProfile = {
  version: 1,
  name: 'Sealwatch default',
  basedOn: null,
  note: 'Illustrative starting weights; calibrate them on your own inspection outcomes.',
  intercept: -3.0,
  indicators,
  thresholds: { red: 50, yellow: 25, blue: 12 },
  laneRates: { red: 0.05, yellow: 0.1, blue: 0.15, green: 0.7 },
  randomRate: 0.02,
  randomLane: 'red',
  forcedRed: DEFAULT_FORCED_RED,
};
