/**
 * NCTS phase 5 CC029C "release for transit" → the fields of a movement declaration (DESIGN §8).
 * Only the fields Sealwatch maps are read and validated: the MRN, the offices and the transport
 * equipment. A real message may deviate from the XSD elsewhere (HMRC's own example has a zoned
 * date); that is no reason to refuse it. Every problem in a mapped field is listed, not only the first.
 */
import { isValidContainerNumber } from '../containers/iso6346';
import { childNamed, childrenNamed, parseXml, type XmlElement } from './xml';

/** One field that cannot be mapped: an XPath-like location in the message and why. */
export interface DocumentFieldError {
  path: string;
  message: string;
}

export interface ReleasedDeclaration {
  /** The MRN: the movement's reference. */
  reference: string;
  /** The local reference number of the declarant, kept for the officer's cross-check. */
  lrn: string | null;
  /** The one container of the movement (ISO 6346), or null where the goods travel uncontainerised. */
  container: string | null;
  /** Seal identifiers of every transport equipment, in message order, each once. */
  seals: string[];
  departureOffice: string;
  destinationOffice: string;
  /** Offices of transit by sequence number, then offices of exit for transit (border posts to pass). */
  transitOffices: string[];
  /** The holder of the transit procedure (EORI and name) as declared. */
  holder: { identificationNumber: string | null; name: string | null };
}

/**
 * The mapped declaration, or the fields that cannot be mapped. `offices` lists every well-formed
 * office reference with its path either way, so the caller checks they exist in the same answer.
 */
export type Cc029cImport = ({ ok: true; declaration: ReleasedDeclaration } | { ok: false; errors: DocumentFieldError[] }) & {
  offices: { path: string; code: string }[];
};

// MRN patterns of XSD 51.8.6 (stypes.xsd MRNType): phase 4 legacy and phase 5.
const MRN = /^(([0-1][0-9]|2[0-4])[A-Z]{2}[A-Z0-9]{13}[0-9]|([2][4-9]|[3-9][0-9])[A-Z]{2}[A-Z0-9]{12}[J-M][0-9])$/;
// CORefNumType: the customs office reference number.
const OFFICE = /^[A-Z]{2}[A-Z0-9]{6}$/;
const MAX_SEALS = 99;

const seq = (el: XmlElement) => Number(childNamed(el, 'sequenceNumber')?.text ?? NaN);
const bySequence = (els: XmlElement[]) => els.map((el, i) => ({ el, i, n: seq(el) })).sort((a, b) => (a.n || 0) - (b.n || 0) || a.i - b.i);

/** Maps a CC029C document; `errors` names each field that cannot be mapped. */
export function importCc029c(xml: string): Cc029cImport {
  const parsed = parseXml(xml);
  if (!parsed.ok) return { ok: false, errors: [{ path: '/', message: `not well-formed XML: ${parsed.error}` }], offices: [] };
  const root = parsed.root;
  if (root.name !== 'CC029C')
    return { ok: false, errors: [{ path: `/${root.name}`, message: 'the root element must be CC029C' }], offices: [] };
  const errors: DocumentFieldError[] = [];
  const offices: { path: string; code: string }[] = [];
  const at = (...parts: string[]) => `/CC029C/${parts.join('/')}`;

  const transit = childNamed(root, 'TransitOperation');
  const mrn = transit && childNamed(transit, 'MRN')?.text;
  if (!mrn) errors.push({ path: at('TransitOperation', 'MRN'), message: 'required: the MRN is the movement reference' });
  else if (!MRN.test(mrn))
    errors.push({ path: at('TransitOperation', 'MRN'), message: `${mrn} is not an MRN (18 characters, NCTS pattern)` });

  const office = (el: XmlElement | undefined, path: string): string | null => {
    const code = el && childNamed(el, 'referenceNumber')?.text;
    if (!code) errors.push({ path, message: 'required: a customs office reference number' });
    else if (!OFFICE.test(code))
      errors.push({ path, message: `${code} is not a customs office reference number (2 letters, 6 letters or digits)` });
    else {
      offices.push({ path, code });
      return code;
    }
    return null;
  };
  const departureOffice = office(childNamed(root, 'CustomsOfficeOfDeparture'), at('CustomsOfficeOfDeparture', 'referenceNumber'));
  const destinationOffice = office(
    childNamed(root, 'CustomsOfficeOfDestinationDeclared'),
    at('CustomsOfficeOfDestinationDeclared', 'referenceNumber'),
  );
  const transitOffices: string[] = [];
  for (const name of ['CustomsOfficeOfTransitDeclared', 'CustomsOfficeOfExitForTransitDeclared']) {
    for (const { el, i } of bySequence(childrenNamed(root, name))) {
      const code = office(el, at(`${name}[${i + 1}]`, 'referenceNumber'));
      if (code && !transitOffices.includes(code) && code !== departureOffice && code !== destinationOffice) transitOffices.push(code);
    }
  }

  const consignment = childNamed(root, 'Consignment');
  if (!consignment) errors.push({ path: at('Consignment'), message: 'required: the consignment with its transport equipment' });
  const containers: { number: string; path: string }[] = [];
  const seals: string[] = [];
  for (const { el, i } of bySequence(consignment ? childrenNamed(consignment, 'TransportEquipment') : [])) {
    const base = `Consignment/TransportEquipment[${i + 1}]`;
    const raw = childNamed(el, 'containerIdentificationNumber')?.text;
    if (raw) {
      // NCTS allows free text up to 17 characters; a movement's container is ISO 6346 (spaces dropped).
      const number = raw.replace(/[\s-]/g, '').toUpperCase();
      const path = at(base, 'containerIdentificationNumber');
      if (!isValidContainerNumber(number))
        errors.push({ path, message: `${raw} is not a valid ISO 6346 container number (owner code, category, serial, check digit)` });
      else if (!containers.some((c) => c.number === number)) containers.push({ number, path });
    }
    for (const { el: seal, i: j } of bySequence(childrenNamed(el, 'Seal'))) {
      const id = childNamed(seal, 'identifier')?.text ?? '';
      const path = at(base, `Seal[${j + 1}]`, 'identifier');
      if (id.length < 1 || id.length > 20) errors.push({ path, message: 'a seal identifier has 1 to 20 characters' });
      else if (!seals.includes(id)) seals.push(id);
    }
  }
  for (const extra of containers.slice(1))
    errors.push({
      path: extra.path,
      message: `a movement carries one container: ${containers[0].number} and ${extra.number} need one movement each`,
    });
  if (seals.length > MAX_SEALS) errors.push({ path: at('Consignment', 'TransportEquipment'), message: `at most ${MAX_SEALS} seals` });

  if (errors.length || !mrn || !departureOffice || !destinationOffice) return { ok: false, errors, offices };
  const holder = childNamed(root, 'HolderOfTheTransitProcedure');
  return {
    ok: true,
    offices,
    declaration: {
      reference: mrn,
      lrn: (transit && childNamed(transit, 'LRN')?.text) || null,
      container: containers[0]?.number ?? null,
      seals,
      departureOffice,
      destinationOffice,
      transitOffices,
      holder: {
        identificationNumber: (holder && childNamed(holder, 'identificationNumber')?.text) || null,
        name: (holder && childNamed(holder, 'name')?.text) || null,
      },
    },
  };
}
