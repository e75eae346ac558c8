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
  /** G4: 0xA4 multi-fence alarm, alarm code 0x13 (tamper); see gt06Traccar.fenceTamperA4L25. */
  fenceAlarm4g: '78782da41a0509160203cf05be31f80c306530001c0010012ed000007ef40000000006428b074205041302ff0009389c0d0a',
  /** G5: alarm 0x16, 2023-09-19 15:58:45, SOS (0x01); terminal info 0x41 (armed, GPS on), battery byte 0x3E = 62 %, 4-byte cell id. */
  sos: '787826161709130f3a2dcc02c55f2a089f9af9005c210901360481fe066d9b03413e420102035f92fe0d0a',
  /** G6: 0xA0 location (4G layout: LAC DWORD, cell id 8 bytes). */
  location4g: '787829a01707150f2d0ecd01635100041e96d000087c02d4020000912e000000000718798d000e0006ed3ce50d0a',
  /** G7: 0x36, not supported. */
  type36: '787817360005040002003201010018020192006a015f0324aeaf0d0a',
  /** G8: alarm 0x16, 2023-10-08 12:14:36, terminal info 0x00, battery byte 0x5D = 93 %, alarm code 0x13 (tamper), MCC 460 cell 0x0328E7A0, serial 0x1EC3. */
  tamper: '78782616170A080C0E24C0027C58AD0C2B8B0100454E0901CC0025030328E7A0005D4B13021EC373170D0A',
} as const;

/**
 * More packets from Traccar's src/test/java/org/traccar/protocol/Gt06ProtocolDecoderTest.java (HEAD
 * 9e5c458), named by the line of the packet in that file; the readings are ours, from the bytes.
 */
export const gt06Traccar = {
  /** L25 (KEY_ALARM tampering): 0xA4, 2026-05-09 22:02:03, 53.528173 N 113.610124 W; cell block of length 16; status 0x42, voltage 5, GSM 4, alarm 0x13 (+ high nibble of 0x02 = 0). */
  fenceTamperA4L25: '78782da41a0509160203cf05be31f80c306530001c0010012ed000007ef40000000006428b074205041302ff0009389c0d0a',
  /** L158 (KEY_ALARM tampering): 0xA5 cell alarm without GPS: MCC 302, MNC 208, LAC 0x75DF (DWORD), 8-byte cell id; status 0x02, voltage 5, GSM 4, alarm 0x13. */
  cellTamperA5L158: '787819a5012ed0000075df000000000098661502050413000019a12b0d0a',
  /** L166 (KEY_ALARM tampering): 0x26, 2022-09-19 06:57:24, 23.012646 N 114.340559 E (no fix), alarm 0x0C. */
  tamper0cL166: '78782526160913063918c002780fab0c44750f00040008027f14084c0038420600030c020007398e0d0a',
  /** L174 (KEY_ALARM tampering): 0x16, 2022-09-08 06:55:54, 4.020916 S 39.7216 E (no fix), alarm 0x25. */
  tamper25L174: '78782516160908063736c0006e70110442fc800000000800000000000000000300002512000473fb0d0a',
  /** L58 (verifyPosition): 0xA2, 2024-11-15 15:52:07, 3.501628 N 76.504233 W, MCC 732 MNC 101; network 0x11, info 0x41, battery 42 %. */
  locationA2L58:
    '787840a2180b0f0f3407cf00602cd208354064001c6a02dc650000698100000000095674c9114100002a04000100004b31000000000863829079286793020001a22a8f0d0a',
  /** L238 (verifyPosition): 0x37, 2020-08-13 05:00:10, 6.135882 S 106.79224 E. */
  location37L238: '7878353714080d05000ac500a886eb0b7522f000100001fe0a05ea004f1b000001002e0400002328003b0217c0003c0401020001002c468a0d0a',
  /** L499 (verifyPosition): 0x10 GPS only, 2011-03-26 11:27:49, 23.111678 N 114.409208 E, 1 km/h, 289°. */
  gps10L499: '787819100B031A0B1B31CC027AC7FD0C4657BF0115210001001CC6070D0A',
  /** L511 (verifyPosition): 0x1E, 2014-03-17 11:05:17, 16.543998 S 68.074275 W. */
  location1eL511:
    '7878471e0e03110b0511c501c664fd074db73f0218a602e003433a002fed40433a0056e14e433a0056104e433a0056fd53433a002eed55433a007e4b57433a002ee25aff00020120f6720d0a',
  /** L631 (verifyPosition): 0xA0, 2021-04-16 07:53:14, 23.11177 N 114.40935 E, MCC 460. */
  locationA0L631: '78782aa015041007350eca027ac8a20c4658be00140081cc00000000287d0000000002ea5e010004000009dffc0d0a',
} as const;

export const gt06TraccarBytes = (name: keyof typeof gt06Traccar): Buffer => Buffer.from(gt06Traccar[name], 'hex');

export const gt06GoldenBytes = (name: keyof typeof gt06Golden): Buffer => Buffer.from(gt06Golden[name], 'hex');
