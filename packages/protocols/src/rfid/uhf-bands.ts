/**
 * Regional UHF RFID band profiles (EPC Gen2 / ISO/IEC 18000-63 runs anywhere in 860-960 MHz, but
 * each region allows only part of it: reference/standards.md §2.4). A reader's band is recorded
 * with each read so that a read claiming a frequency its region forbids stands out: a misconfigured
 * or imported reader, or a fabricated report.
 */

export type UhfBandId = 'ETSI' | 'ETSI_UPPER' | 'FCC' | 'CN' | 'JP' | 'KR' | 'AU_NZ' | 'IN' | 'BR';

export interface UhfBand {
  id: UhfBandId;
  name: string;
  /** Allowed ranges in MHz, inclusive; a channel's centre frequency must lie inside one of them. */
  rangesMHz: Array<[number, number]>;
}

/**
 * The profiles. Europe, North America and AU/NZ follow reference/standards.md §2.4 (which gives
 * Europe's 865.6-867.6 MHz channel span inside the 865-868 MHz ETSI band); the others come from
 * the national rules as named, not from the reference file, and should be checked per deployment.
 */
export const UHF_BANDS: Record<UhfBandId, UhfBand> = {
  ETSI: { id: 'ETSI', name: 'Europe, ETSI EN 302 208 lower band', rangesMHz: [[865, 868]] },
  // ETSI EN 302 208 v3 added four channels at 916.3-919.9 MHz where national law allows them.
  ETSI_UPPER: { id: 'ETSI_UPPER', name: 'Europe, ETSI EN 302 208 upper band', rangesMHz: [[915, 921]] },
  FCC: { id: 'FCC', name: 'North America, FCC Part 15.247', rangesMHz: [[902, 928]] },
  // China allows two bands; 920-925 MHz is the one readers for logistics use.
  CN: {
    id: 'CN',
    name: 'China',
    rangesMHz: [
      [840, 845],
      [920, 925],
    ],
  },
  JP: { id: 'JP', name: 'Japan, ARIB STD-T106/T107', rangesMHz: [[916.7, 920.9]] },
  KR: { id: 'KR', name: 'South Korea', rangesMHz: [[917, 923.5]] },
  AU_NZ: { id: 'AU_NZ', name: 'Australia and New Zealand', rangesMHz: [[918, 926]] },
  IN: { id: 'IN', name: 'India', rangesMHz: [[865, 867]] },
  BR: {
    id: 'BR',
    name: 'Brazil',
    rangesMHz: [
      [902, 907.5],
      [915, 928],
    ],
  },
};

// Names readers and operators use for the same profiles.
const ALIASES: Record<string, UhfBandId> = {
  EU: 'ETSI',
  ETSI_LOWER: 'ETSI',
  EU_UPPER: 'ETSI_UPPER',
  US: 'FCC',
  NA: 'FCC',
  USA: 'FCC',
  CA: 'FCC',
  MX: 'FCC',
  CHINA: 'CN',
  JAPAN: 'JP',
  KOREA: 'KR',
  AU: 'AU_NZ',
  NZ: 'AU_NZ',
  INDIA: 'IN',
  BRAZIL: 'BR',
};

/** Finds a band profile by its id or a common alias (case-insensitive); undefined when unknown. */
export function findUhfBand(name: string): UhfBand | undefined {
  const key = name.trim().toUpperCase().replace(/[\s-]/g, '_');
  const id = (key in UHF_BANDS ? key : ALIASES[key]) as UhfBandId | undefined;
  return id ? UHF_BANDS[id] : undefined;
}

/** True when a frequency (MHz) lies inside one of the band's ranges. */
export function isInBand(band: UhfBand, frequencyMHz: number): boolean {
  return band.rangesMHz.some(([lo, hi]) => frequencyMHz >= lo && frequencyMHz <= hi);
}

/**
 * Reads a frequency that a vendor may give in Hz, kHz or MHz (LLRP frequency tables are in kHz,
 * our generic JSON in MHz, other vendors vary) by its magnitude and returns MHz; null when it is
 * no UHF RFID frequency (800-1000 MHz) in any of these units.
 */
export function toMHz(value: number): number | null {
  if (!Number.isFinite(value) || value <= 0) return null;
  const mhz = value >= 1e8 ? value / 1e6 : value >= 1e5 ? value / 1e3 : value;
  return mhz >= 800 && mhz <= 1000 ? mhz : null;
}
