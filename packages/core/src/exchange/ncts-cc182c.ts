/**
 * An incident (DESIGN §6) as an NCTS phase 5 CC182C "forwarded incident notification" (DESIGN
 * §8), valid against XSD 51.8.6 (cc182c.xsd). The XSD's own rules shape the output: date-times
 * without zone or fraction (written in UTC), GNSS coordinates with 6 decimals (5 to 7 allowed),
 * customs office reference numbers of 2 letters and 6 letters or digits, and a text of at most
 * 512 characters. What cannot be written validly is refused with the field named, never guessed.
 */
import type { Incident, IncidentCode } from '../incidents/incident';
import type { DocumentFieldError } from './ncts-cc029c';
import { writeXml, type XmlNode } from './xml';

/**
 * NCTS code list CL019 (incident codes), for the incident codes that have one: 1 = the carrier
 * deviated from the prescribed itinerary, 2 = seals broken or tampered with. The other Sealwatch
 * codes (a stop, a silence, an overdue movement, a device fault) are not NCTS incidents.
 */
export const nctsIncidentCodes: Partial<Record<IncidentCode, '1' | '2'>> = { seal_broken: '2', route_deviation: '1' };

export interface Cc182cInput {
  incident: Pick<Incident, 'id' | 'code' | 'openedAt' | 'position' | 'container' | 'seals' | 'types' | 'devices'>;
  /** The movement's MRN. */
  mrn: string;
  departureOffice: string;
  /** The office that registers the incident (the office on the itinerary in the incident's country). */
  registrationOffice: string;
  /** ISO 3166-1 alpha-2 of the incident's position. */
  country: string;
  /** Who the notification goes to: the holder of the procedure (up to 35 characters). */
  recipient: string;
  /** The message id (up to 35 characters) and when it is prepared (epoch ms). */
  messageId: string;
  preparedAt: number;
}

export type Cc182cExport = { ok: true; xml: string } | { ok: false; errors: DocumentFieldError[] };

const OFFICE = /^[A-Z]{2}[A-Z0-9]{6}$/;
const MRN = /^(([0-1][0-9]|2[0-4])[A-Z]{2}[A-Z0-9]{13}[0-9]|([2][4-9]|[3-9][0-9])[A-Z]{2}[A-Z0-9]{12}[J-M][0-9])$/;

/** `YYYY-MM-DDThh:mm:ss` in UTC: the XSD's DateTimeType allows neither a zone nor a fraction. */
export const nctsDateTime = (t: number | string) => new Date(t).toISOString().slice(0, 19);

const el = (name: string, text: string): XmlNode => ({ name, text });

/** Builds the CC182C, or lists each field that cannot be written validly. */
export function buildCc182c(input: Cc182cInput): Cc182cExport {
  const { incident } = input;
  const errors: DocumentFieldError[] = [];
  const code = nctsIncidentCodes[incident.code];
  if (!code)
    errors.push({
      path: '/CC182C/Consignment/Incident/code',
      message: `a ${incident.code} incident has no NCTS incident code (CL019: 1 itinerary deviation, 2 seals broken or tampered with)`,
    });
  if (!MRN.test(input.mrn))
    errors.push({ path: '/CC182C/TransitOperation/MRN', message: `the movement reference ${input.mrn} is not an MRN` });
  for (const [path, office] of [
    ['/CC182C/CustomsOfficeOfDeparture/referenceNumber', input.departureOffice],
    ['/CC182C/CustomsOfficeOfIncidentRegistration/referenceNumber', input.registrationOffice],
  ] as const)
    if (!OFFICE.test(office)) errors.push({ path, message: `${office} is not an NCTS customs office reference number` });
  if (!incident.position)
    errors.push({ path: '/CC182C/Consignment/Incident/Location/GNSS', message: 'the incident has no position to report (qualifier W)' });
  if (!/^[A-Z]{2}$/.test(input.country))
    errors.push({ path: '/CC182C/Consignment/Incident/Location/country', message: 'the country of the incident is unknown' });
  if (errors.length || !code || !incident.position) return { ok: false, errors };

  const seals = incident.seals.slice(0, 99);
  const text =
    `Sealwatch incident ${incident.id}: ${incident.code.replace(/_/g, ' ')} (${incident.types.join(', ')}) at ${incident.openedAt}${
      incident.devices.length ? `, reported by ${incident.devices.join(', ')}` : ''
    }`.slice(0, 512);
  const equipment: XmlNode | null =
    incident.container || seals.length
      ? {
          name: 'TransportEquipment',
          children: [
            el('sequenceNumber', '1'),
            incident.container ? el('containerIdentificationNumber', incident.container) : null,
            el('numberOfSeals', String(seals.length)),
            ...seals.map((s, i) => ({ name: 'Seal', children: [el('sequenceNumber', String(i + 1)), el('identifier', s.slice(0, 20))] })),
          ],
        }
      : null;
  const xml = writeXml({
    name: 'ncts:CC182C',
    attributes: { 'xmlns:ncts': 'http://ncts.dgtaxud.ec', PhaseID: 'NCTS5.0' },
    children: [
      el('messageSender', input.registrationOffice),
      el('messageRecipient', input.recipient.slice(0, 35)),
      el('preparationDateAndTime', nctsDateTime(input.preparedAt)),
      el('messageIdentification', input.messageId.slice(0, 35)),
      el('messageType', 'CC182C'),
      {
        name: 'TransitOperation',
        children: [el('MRN', input.mrn), el('incidentNotificationDateAndTime', nctsDateTime(incident.openedAt))],
      },
      { name: 'CustomsOfficeOfDeparture', children: [el('referenceNumber', input.departureOffice)] },
      { name: 'CustomsOfficeOfIncidentRegistration', children: [el('referenceNumber', input.registrationOffice)] },
      {
        name: 'Consignment',
        children: [
          {
            name: 'Incident',
            children: [
              el('sequenceNumber', '1'),
              el('code', code),
              el('text', text),
              {
                name: 'Location',
                children: [
                  el('qualifierOfIdentification', 'W'),
                  el('country', input.country),
                  {
                    name: 'GNSS',
                    children: [el('latitude', incident.position.lat.toFixed(6)), el('longitude', incident.position.lon.toFixed(6))],
                  },
                ],
              },
              equipment,
            ],
          },
        ],
      },
    ],
  });
  return { ok: true, xml };
}
