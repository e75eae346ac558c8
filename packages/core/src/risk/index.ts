/** The risk engine (standards §6): facts, profiles, scores and lanes, outcomes and KPIs, calibration, device advice. Pure. */
// Re-exports only; each module documents its exports.
export * from './risk-facts';
export * from './risk-profile';
export * from './default-risk-profile';
export * from './risk-score';
export * from './risk-outcomes';
export * from './logistic-regression';
export * from './risk-calibration';
export * from './device-advice';
export * from './risk-reference';
