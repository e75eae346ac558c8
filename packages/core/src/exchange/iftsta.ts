/**
 * A movement as a UN/EDIFACT IFTSTA D.00B "international multimodal status report" (DESIGN §8)
 * for older trade systems: one consignment (CNI) with its status (STS), and per container an EQD
 * with a SEL per seal carrying the seal condition (4517: 1 in right condition, 4 broken, 5 faulty
 * electronic seal). Segment order follows the D.00B segment table (UNH BGM DTM SG3 SG4(CNI LOC SG5(STS
 * DTM SG8(EQD SEL))) UNT); UNT counts the segments from UNH to UNT.
 */
import type { Movement } from '../model';
import type { SealCondition, SealStatus } from './seal-condition';

export interface IftstaInput {
  movement: Pick<
    Movement,
    | 'reference'
    | 'container'
    | 'vehicle'
    | 'status'
    | 'departureOffice'
    | 'destinationOffice'
    | 'createdAt'
    | 'startedAt'
    | 'arrivedAt'
    | 'endedAt'
  >;
  seals: SealStatus[];
  /** Interchange sender and recipient identifications (an..35), the control reference (an..14). */
  sender: string;
  recipient: string;
  controlReference: string;
  preparedAt: number;
}

/** 4517 Seal condition code (UNTDID D.00B). */
export const sealConditionCodes: Record<SealCondition, '1' | '4' | '5'> = { intact: '1', broken: '4', faulty: '5' };

/**
 * The movement's status as STS status event, mutually defined (3055 `ZZZ`): UNTDID 4405 has no
 * codes for a customs movement's lifecycle, so the codes and their text are Sealwatch's (docs/exchange.md).
 */
const statusEvent: Record<Movement['status'], [string, string]> = {
  declared: ['DEC', 'Declared'],
  in_transit: ['TRN', 'In transit under customs control'],
  arrived: ['ARR', 'Arrived at office of destination'],
  ended: ['END', 'Customs control ended'],
  held: ['HLD', 'Held by customs'],
};

/** Escapes the UNOC service characters with the release character `?`. */
const esc = (s: string) => s.replace(/[?+:']/g, (c) => `?${c}`);
const ymdhm = (t: number | string) => new Date(t).toISOString().replace(/[-:T]/g, '').slice(0, 12);

/**
 * Builds the interchange (UNA, UNB, the message, UNZ) as one line: the segment terminator `'`
 * ends each segment, with no line breaks (many EDI translators take a line break as data).
 */
export function buildIftsta(input: IftstaInput): string {
  const { movement: m } = input;
  const statusTime = { declared: m.createdAt, in_transit: m.startedAt, arrived: m.arrivedAt, ended: m.endedAt, held: null }[m.status];
  const [code, text] = statusEvent[m.status];
  const message: string[] = [
    `UNH+1+IFTSTA:D:00B:UN`,
    // 1001 = 23 status information; 1225 = 9 original.
    `BGM+23+${esc(input.controlReference)}+9`,
    `DTM+137:${ymdhm(input.preparedAt)}:203`,
    // 1153 ABT: customs declaration number (the MRN).
    `RFF+ABT:${esc(m.reference)}`,
    `CNI+1+${esc(m.reference)}`,
    // 3227: 5 place of departure, 8 place of destination (customs office codes).
    `LOC+5+${esc(m.departureOffice)}`,
    `LOC+8+${esc(m.destinationOffice)}`,
    // C601 9015 = 1 transport status; C555 mutually defined (ZZZ) with its text.
    `STS+1+${code}::ZZZ:${esc(text)}`,
    ...(statusTime ? [`DTM+334:${ymdhm(statusTime)}:203`] : []),
  ];
  const equipment = m.container ? `EQD+CN+${esc(m.container)}` : m.vehicle ? `EQD+TE+${esc(m.vehicle)}` : null;
  if (equipment) {
    message.push(equipment);
    // SEL: 9308 seal identifier, C215 9303 sealing party CU (customs), 4517 seal condition.
    for (const s of input.seals) message.push(`SEL+${esc(s.seal)}+CU+${sealConditionCodes[s.condition]}`);
  }
  message.push(`UNT+${message.length + 1}+1`);
  const segments = [
    "UNA:+.? '",
    `UNB+UNOC:3+${esc(input.sender)}+${esc(input.recipient)}+${ymdhm(input.preparedAt).slice(2, 8)}:${ymdhm(input.preparedAt).slice(8)}+${esc(input.controlReference)}`,
    ...message,
    `UNZ+1+${esc(input.controlReference)}`,
  ];
  // UNA is not terminated by the segment terminator: its six characters define it.
  return segments.map((s, i) => (i === 0 ? s : `${s}'`)).join('');
}
