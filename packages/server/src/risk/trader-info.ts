/**
 * What customs knows of a trader beyond its movements: its name and AEO (Authorised Economic
 * Operator) status, kept per trader in the settings store until an organisation registry holds it.
 */
import type { KeyValueStore } from '../storage/ports';

/** A trader's record as an analyst maintains it. */
export interface TraderInfo {
  trader: string;
  name: string | null;
  /** Holds an AEO authorisation (lowers the risk score through the TRADER_AEO indicator). */
  aeo: boolean;
  updatedAt: string;
  updatedBy: string;
}

const key = (trader: string) => `risk.trader:${trader}`;

/** The trader's record, or null when none was set. */
export async function getTraderInfo(settings: KeyValueStore, trader: string): Promise<TraderInfo | null> {
  const text = await settings.get(key(trader));
  return text ? (JSON.parse(text) as TraderInfo) : null;
}

/** Sets (replaces) the trader's record. */
export async function putTraderInfo(settings: KeyValueStore, info: TraderInfo): Promise<TraderInfo> {
  await settings.set(key(info.trader), JSON.stringify(info));
  return info;
}
