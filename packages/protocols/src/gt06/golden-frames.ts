/**
 * Real GT06 / Concox packets (hex) with what they must decode to: G1-G8 of reference §12.5
 * (Traccar Gt06ProtocolDecoderTest). The readings were worked out by hand from the bytes; CRCs check.
 */
export const gt06Golden = {
  /** G1: location 0x12, 2015-10-20 14:21:11 UTC, fixed, 5 satellites, 54.94535 N 24.01762 E, 0 km/h, course/status 0x5400, MCC 246 MNC 1 LAC 0x006E cell 0x0055DA, serial 3. */
  location: '78781f120f0a140e150bc505e51e780293a9e800540000f601006e0055da00035f240d0a',
  /** G2: location 0x12 without content, serial 0x0099. */
  emptyLocation: '787805120099abec0d0a',
  /** G3: login, IMEI 864717003283581, serial 9. */
  login: '78780D01086471700328358100093F040D0A',
  /** G4: 0xA4 multi-fence alarm (4G layout), not supported. */
  fenceAlarm4g: '78782da41a0509160203cf05be31f80c306530001c0010012ed000007ef40000000006428b074205041302ff0009389c0d0a',
  /** G5: alarm 0x16, 2023-09-19 15:58:45, SOS (0x01); terminal info 0x41 (armed, GPS on), battery byte 0x3E = 62 %, 4-byte cell id. */
  sos: '787826161709130f3a2dcc02c55f2a089f9af9005c210901360481fe066d9b03413e420102035f92fe0d0a',
  /** G6: 0xA0 location (4G layout), not supported. */
  location4g: '787829a01707150f2d0ecd01635100041e96d000087c02d4020000912e000000000718798d000e0006ed3ce50d0a',
  /** G7: 0x36, not supported. */
  type36: '787817360005040002003201010018020192006a015f0324aeaf0d0a',
  /** G8: alarm 0x16, 2023-10-08 12:14:36, terminal info 0x00, battery byte 0x5D = 93 %, alarm code 0x13 (tamper), MCC 460 cell 0x0328E7A0, serial 0x1EC3. */
  tamper: '78782616170A080C0E24C0027C58AD0C2B8B0100454E0901CC0025030328E7A0005D4B13021EC373170D0A',
} as const;

export const gt06GoldenBytes = (name: keyof typeof gt06Golden): Buffer => Buffer.from(gt06Golden[name], 'hex');
