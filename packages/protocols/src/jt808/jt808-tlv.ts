/**
 * The additional-information items after a JT/T 808 location report (JT/T 808-2013 §8.18,
 * table 27: id BYTE, length BYTE, value), standard ones and the e-lock / padlock extensions seen
 * in the field. Every item is kept raw (`tlv<id>` as hex) in the vendor attributes; the ones whose
 * meaning is known are also read into named attributes and the lock facts below.
 * Vendor items (not in the standard; meanings from Traccar Jt808ProtocolDecoder, read for facts,
 * checked against the frames of reference §12.4):
 * - 0x0B lock command: command byte, then a 4-byte card (length 5-6) or a 6-character password
 *   (length ≥ 7), then, when the length is even, the unlock result byte;
 * - 0x60 lock event: event WORD; events 0x61-0x66 carry a 6-byte lock id and an 8-character card;
 * - 0x63 padlock list: 11 bytes per lock: id (6), battery mV (WORD), seal byte ('1' = sealed), physical state, RSSI;
 * - 0xD5 lock list (length > 2): count, then per lock id (5), card (5), battery %, status WORD whose bit 5 set means unlocked;
 *   with length 2 it is the battery voltage in 10 mV;
 * - 0xEB nested items (WORD length, WORD type, value): 0x0089 status whose bit 12 cleared means the
 *   device was removed and bit 0 cleared external power off; 0x002D battery voltage in mV (4 bytes: external power in mV); 0x00B2 ICCID;
 * - 0xE3 (length ≥ 4): reserved, battery %, battery voltage in 10 mV; 0xFE (length 1): battery %; 0x69: battery voltage in 10 mV.
 * - battery items of other vendors: 0x06 (length 1) battery %; 0x56 (length 2) battery in tens of %
 *   and a reserved byte; 0xD4 / 0xE1 (length 1) battery %, 0xFF meaning charging; 0xE1 (length 2)
 *   external power in 0.1 V; 0xE4 (length 2) charging when the first byte is 0, then battery %;
 *   0xEB nested 0x00A8 / 0x00E1 battery % (first byte).
 * - external power and vibration: 0xD3 (length 2) external power in 0.1 V; 0xEB nested 0x00CE external
 *   power in 10 mV; 0xD0 (length 4) user status whose bit 3 is vibration; 0xEB nested 0x00C5 alarm
 *   word whose bit 6 cleared is vibration.
 */

/** What the items say about the seal and the battery, for the seal model. */
export interface Jt808LockFacts {
  tampered: boolean;
  removed: boolean;
  /** Per padlock of 0x63: sealed or not. */
  sealed: boolean[];
  /** Per lock of 0xD5: locked or not. */
  locked: boolean[];
  batteryLevel: number | null;
  batteryVoltage: number | null;
  /** A vendor item reports vibration (shock) at the device. */
  vibration: boolean;
}

export const noLockFacts = (): Jt808LockFacts => ({
  tampered: false,
  removed: false,
  sealed: [],
  locked: [],
  batteryLevel: null,
  batteryVoltage: null,
  vibration: false,
});

/** A battery percentage as the items give it: only 0-100 is one (0xFF and other codes are not). */
const setLevel = (f: Jt808LockFacts, level: number) => {
  if (level >= 0 && level <= 100) f.batteryLevel = level;
};

const ascii = (b: Buffer) => b.toString('latin1').replace(/[^\x20-\x7e]/g, '');

/** Reads the 0x0B lock command item into `a`. */
export function readLockCommand(v: Buffer, a: Record<string, unknown>): void {
  if (v.length < 1) return;
  a.lockCommand = v[0];
  if (v.length >= 5 && v.length <= 6) a.lockCard = v.readUInt32BE(1);
  else if (v.length >= 7) a.lockPassword = ascii(v.subarray(1, 7));
  if (v.length % 2 === 0) a.unlockResult = v[v.length - 1];
}

function readNested(v: Buffer, a: Record<string, unknown>, f: Jt808LockFacts): void {
  // Some devices put a cell list or a time zone text in 0xEB instead: only read it as nested items
  // when the items tile the value exactly.
  const items: { type: number; value: Buffer }[] = [];
  for (let at = 0; at < v.length;) {
    if (at + 4 > v.length) return;
    const length = v.readUInt16BE(at);
    if (length < 2 || at + 2 + length > v.length) return;
    items.push({ type: v.readUInt16BE(at + 2), value: v.subarray(at + 4, at + 2 + length) });
    at += 2 + length;
  }
  for (const { type, value } of items) {
    if (type === 0x0089 && value.length === 4) {
      const s = value.readUInt32BE(0);
      a.extendedStatus = s;
      a.externalPower = (s & 0x1) !== 0;
      if ((s & 0x1000) === 0) f.removed = true;
    } else if (type === 0x002d && value.length === 2) f.batteryVoltage = value.readUInt16BE(0) / 1000;
    else if (type === 0x002d && value.length === 4) a.externalVoltage = value.readUInt32BE(0) / 1000;
    else if (type === 0x00b2) a.iccid = value.toString('hex').replace(/f+$/, '');
    else if ((type === 0x00a8 || type === 0x00e1) && value.length >= 1) setLevel(f, value[0]);
    else if (type === 0x00ce && value.length === 2) a.externalVoltage = value.readUInt16BE(0) / 100;
    else if (type === 0x00c5 && value.length === 4) {
      a.eb00c5 = value.toString('hex');
      if ((value.readUInt32BE(0) & 0x40) === 0) f.vibration = true;
    } else a[`eb${type.toString(16).padStart(4, '0')}`] = value.toString('hex');
  }
}

/** Reads one additional-information item into the attributes and the lock facts. */
export function readJt808Item(id: number, v: Buffer, a: Record<string, unknown>, f: Jt808LockFacts): void {
  a[`tlv${id.toString(16).padStart(2, '0')}`] = v.toString('hex');
  switch (id) {
    case 0x01:
      if (v.length === 4) a.odometer = v.readUInt32BE(0) * 100;
      break; // 1/10 km → m
    case 0x02:
      if (v.length === 2) a.fuel = v.readUInt16BE(0) / 10;
      break; // 1/10 L
    case 0x03:
      if (v.length === 2) a.tachographSpeed = v.readUInt16BE(0) / 10;
      break; // 1/10 km/h
    case 0x25:
      if (v.length === 4) a.vehicleSignals = v.readUInt32BE(0);
      break;
    case 0x2a:
      if (v.length === 2) a.ioStatus = v.readUInt16BE(0);
      break;
    case 0x30:
      if (v.length === 1) a.rssi = v[0];
      break;
    case 0x31:
      if (v.length === 1) a.satellites = v[0];
      break;
    case 0x0b:
      readLockCommand(v, a);
      break;
    case 0x60:
      if (v.length >= 2) {
        const event = v.readUInt16BE(0);
        a.lockEvent = event;
        if (event >= 0x61 && event <= 0x66 && v.length >= 16) {
          a.lockEventLockId = v.subarray(2, 8).toString('hex');
          a.lockEventCard = ascii(v.subarray(8, 16));
        }
      }
      break;
    case 0x63: {
      const locks = [];
      for (let at = 0; at + 11 <= v.length; at += 11) {
        const sealed = v[at + 8] === 0x31;
        f.sealed.push(sealed);
        locks.push({
          id: v.subarray(at, at + 6).toString('hex'),
          voltage: v.readUInt16BE(at + 6) / 1000,
          sealed,
          physicalState: v[at + 9],
          rssi: v[at + 10],
        });
      }
      a.padlocks = locks;
      break;
    }
    case 0xd5:
      if (v.length === 2) f.batteryVoltage = v.readUInt16BE(0) / 100;
      else if (v.length >= 1) {
        const locks = [];
        for (let i = 0, at = 1; i < v[0] && at + 13 <= v.length; i++, at += 13) {
          const status = v.readUInt16BE(at + 11);
          const locked = (status & 0x20) === 0;
          f.locked.push(locked);
          locks.push({
            id: v.subarray(at, at + 5).toString('hex'),
            card: v.subarray(at + 5, at + 10).toString('hex'),
            batteryLevel: v[at + 10],
            status,
            locked,
          });
        }
        a.locks = locks;
        // One lock whose id is the terminal's: the lock is the device, its battery is the device's.
        if (locks.length === 1 && locks[0].batteryLevel <= 100) f.batteryLevel = locks[0].batteryLevel;
      }
      break;
    case 0xe3:
      if (v.length >= 4) {
        f.batteryLevel = v[1] <= 100 ? v[1] : f.batteryLevel;
        f.batteryVoltage = v.readUInt16BE(2) / 100;
      }
      break;
    case 0xfe:
      if (v.length === 1 && v[0] <= 100) f.batteryLevel = v[0];
      break;
    case 0x06:
      if (v.length === 1) setLevel(f, v[0]);
      break;
    case 0x56:
      if (v.length === 2) setLevel(f, v[0] * 10);
      break;
    case 0xd4:
    case 0xe1:
      if (v.length === 1) {
        if (v[0] === 0xff) a.charging = true;
        else setLevel(f, v[0]);
      } else if (id === 0xe1 && v.length === 2) a.externalVoltage = v.readUInt16BE(0) / 10;
      break;
    case 0xe4:
      if (v.length === 2) {
        if (v[0] === 0) a.charging = true;
        setLevel(f, v[1]);
      }
      break;
    case 0xd3:
      if (v.length === 2) a.externalVoltage = v.readUInt16BE(0) / 10;
      break;
    case 0xd0:
      if (v.length === 4 && v.readUInt32BE(0) & 0x8) f.vibration = true;
      break;
    case 0x69:
      if (v.length === 2) f.batteryVoltage = v.readUInt16BE(0) / 100;
      break;
    case 0xeb:
      readNested(v, a, f);
      break;
  }
}

/**
 * Reads the items from `at` to the end of `b`; a string says where an item runs past the end
 * (the body length is known, so a truncated item is a malformed report, not a short read).
 */
export function readJt808Items(b: Buffer, at: number, a: Record<string, unknown>, f: Jt808LockFacts): string | null {
  while (at < b.length) {
    if (at + 2 > b.length) return `additional information ends inside an item header at byte ${at}`;
    const id = b[at];
    const length = b[at + 1];
    if (at + 2 + length > b.length)
      return `additional information item 0x${id.toString(16).padStart(2, '0')} of ${length} bytes runs past the end of the body`;
    readJt808Item(id, b.subarray(at + 2, at + 2 + length), a, f);
    at += 2 + length;
  }
  return null;
}
