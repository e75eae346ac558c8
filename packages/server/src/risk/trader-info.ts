/**
 * What customs knows of a trader beyond its movements: its name and AEO (Authorised Economic
 * Operator) status, kept per trader and per administration in the settings store (an AEO status
 * is granted by an administration). The installation's record ('' layer) applies where the
 * administration has none of its own.
 */
import type { KeyValueStore } from '../storage/ports';
import { INSTALLATION } from './risk-administration';

/** A trader's record as an analyst maintains it. */
export interface TraderInfo {
  trader: string;
  name: string | null;
  /** Holds an AEO authorisation (lowers the risk score through the TRADER_AEO indicator). */
  aeo: boolean;
  updatedAt: string;
  updatedBy: string;
  /** The administration whose record it is; absent for the installation's. */
  administration?: string;
}

const key = (trader: string, administration: string) =>
  administration === INSTALLATION ? `risk.trader:${trader}` : `risk.trader@${administration}:${trader}`;

/** The trader's record for an administration (its own, else the installation's), or null when none was set. */
export async function getTraderInfo(settings: KeyValueStore, trader: string, administration = INSTALLATION): Promise<TraderInfo | null> {
  const text =
    (administration !== INSTALLATION ? await settings.get(key(trader, administration)) : null) ??
    (await settings.get(key(trader, INSTALLATION)));
  return text ? (JSON.parse(text) as TraderInfo) : null;
}

/** Sets (replaces) the trader's record in an administration's layer. */
export async function putTraderInfo(settings: KeyValueStore, info: TraderInfo, administration = INSTALLATION): Promise<TraderInfo> {
  const stored = administration === INSTALLATION ? info : { ...info, administration };
  await settings.set(key(info.trader, administration), JSON.stringify(stored));
  return stored;
}
