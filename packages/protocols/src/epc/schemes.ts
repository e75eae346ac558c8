/**
 * The EPC binary schemes Sealwatch reads, as data (GS1 EPC Tag Data Standard 1.13 §14): header
 * byte, total length, partition table and the field after the partitioned pair. The decoder
 * and the encoder both walk these tables, so a scheme is described once.
 */

/** One row of a partition table (TDS §14.5): company prefix and the partitioned reference. */
export interface PartitionRow {
  cpBits: number;
  cpDigits: number;
  refBits: number;
  /** Digits of the reference (padded and integer kinds) or characters (string kind). */
  refDigits: number;
}

const row = (cpBits: number, cpDigits: number, refBits: number, refDigits: number): PartitionRow => ({
  cpBits,
  cpDigits,
  refBits,
  refDigits,
});

// Company prefix widths are the same in every table: 12..6 digits in 40, 37, 34, 30, 27, 24, 20 bits.
const CP: Array<[number, number]> = [
  [40, 12],
  [37, 11],
  [34, 10],
  [30, 9],
  [27, 8],
  [24, 7],
  [20, 6],
];
const table = (refs: Array<[number, number]>): PartitionRow[] => CP.map(([b, d], i) => row(b, d, refs[i][0], refs[i][1]));

/** SGTIN partition table (TDS §14.5.1, also used by SGTIN-198 §14.5.2): item reference including the indicator digit. */
export const SGTIN_PARTITIONS = table([
  [4, 1],
  [7, 2],
  [10, 3],
  [14, 4],
  [17, 5],
  [20, 6],
  [24, 7],
]);
/** SSCC partition table (TDS §14.5.3): serial reference including the extension digit. */
export const SSCC_PARTITIONS = table([
  [18, 5],
  [21, 6],
  [24, 7],
  [28, 8],
  [31, 9],
  [34, 10],
  [38, 11],
]);
/** SGLN partition table (TDS §14.5.4): location reference. */
export const SGLN_PARTITIONS = table([
  [1, 0],
  [4, 1],
  [7, 2],
  [11, 3],
  [14, 4],
  [17, 5],
  [21, 6],
]);
/** GRAI partition table (TDS §14.5.6, also GRAI-170 §14.5.7): asset type. */
export const GRAI_PARTITIONS = table([
  [4, 0],
  [7, 1],
  [10, 2],
  [14, 3],
  [17, 4],
  [20, 5],
  [24, 6],
]);
/** GIAI-96 partition table (TDS §14.5.8): individual asset reference as an integer of at most this many digits. */
export const GIAI96_PARTITIONS = table([
  [42, 13],
  [45, 14],
  [48, 15],
  [52, 16],
  [55, 17],
  [58, 18],
  [62, 19],
]);
/** GIAI-202 partition table (TDS §14.5.9): individual asset reference as 7-bit characters. */
export const GIAI202_PARTITIONS = table([
  [148, 18],
  [151, 19],
  [154, 20],
  [158, 21],
  [161, 22],
  [164, 23],
  [168, 24],
]);

export type EpcKind = 'sgtin' | 'sscc' | 'sgln' | 'grai' | 'giai';
export type EpcScheme = 'sgtin-96' | 'sgtin-198' | 'sscc-96' | 'sgln-96' | 'grai-96' | 'grai-170' | 'giai-96' | 'giai-202';

/** How the partitioned reference is written: zero-padded digits, an integer, or a 7-bit string. */
export type RefKind = 'padded' | 'integer' | 'string';

/** The field after the partitioned pair: a serial (integer or string), an extension, or reserved zeros. */
export type Trailer =
  { kind: 'integer'; bits: number } | { kind: 'string'; bits: number } | { kind: 'reserved'; bits: number } | { kind: 'none' };

export interface SchemeSpec {
  scheme: EpcScheme;
  kind: EpcKind;
  header: number;
  /** Length of the encoding in bits (before padding to a 16-bit word in EPC memory). */
  bits: number;
  partitions: PartitionRow[];
  ref: RefKind;
  trailer: Trailer;
}

/** Every scheme Sealwatch reads, by header byte (TDS §14.2). */
export const SCHEMES: SchemeSpec[] = [
  {
    scheme: 'sgtin-96',
    kind: 'sgtin',
    header: 0x30,
    bits: 96,
    partitions: SGTIN_PARTITIONS,
    ref: 'padded',
    trailer: { kind: 'integer', bits: 38 },
  },
  {
    scheme: 'sscc-96',
    kind: 'sscc',
    header: 0x31,
    bits: 96,
    partitions: SSCC_PARTITIONS,
    ref: 'padded',
    trailer: { kind: 'reserved', bits: 24 },
  },
  {
    scheme: 'sgln-96',
    kind: 'sgln',
    header: 0x32,
    bits: 96,
    partitions: SGLN_PARTITIONS,
    ref: 'padded',
    trailer: { kind: 'integer', bits: 41 },
  },
  {
    scheme: 'grai-96',
    kind: 'grai',
    header: 0x33,
    bits: 96,
    partitions: GRAI_PARTITIONS,
    ref: 'padded',
    trailer: { kind: 'integer', bits: 38 },
  },
  { scheme: 'giai-96', kind: 'giai', header: 0x34, bits: 96, partitions: GIAI96_PARTITIONS, ref: 'integer', trailer: { kind: 'none' } },
  {
    scheme: 'sgtin-198',
    kind: 'sgtin',
    header: 0x36,
    bits: 198,
    partitions: SGTIN_PARTITIONS,
    ref: 'padded',
    trailer: { kind: 'string', bits: 140 },
  },
  {
    scheme: 'grai-170',
    kind: 'grai',
    header: 0x37,
    bits: 170,
    partitions: GRAI_PARTITIONS,
    ref: 'padded',
    trailer: { kind: 'string', bits: 112 },
  },
  { scheme: 'giai-202', kind: 'giai', header: 0x38, bits: 202, partitions: GIAI202_PARTITIONS, ref: 'string', trailer: { kind: 'none' } },
];

export const schemeByHeader = (header: number): SchemeSpec | undefined => SCHEMES.find((s) => s.header === header);
export const schemeByName = (name: string): SchemeSpec | undefined => SCHEMES.find((s) => s.scheme === name);

/** Length in hex characters of a scheme's encoding padded to whole 16-bit words, as EPC memory holds it (TDS §15.1.1). */
export const paddedHexLength = (spec: SchemeSpec): number => Math.ceil(spec.bits / 16) * 4;
