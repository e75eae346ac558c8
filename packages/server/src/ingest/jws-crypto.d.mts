import type { KeyObject } from 'node:crypto';
import type { DeviceKey } from '@sealwatch/core';
export declare function importVerifyKey(key: DeviceKey): KeyObject | Buffer;
export declare function verifySignature(
  alg: string,
  verifyKey: KeyObject | Buffer,
  signingInput: string | Uint8Array,
  signature: Buffer,
): boolean;
