/** MQTT topics of native protocol v1 (DESIGN §5): JWS text on `…/messages`, COSE bytes on `…/cose`. */
const messagesTopic = /^sealwatch\/v1\/devices\/([^/+#]{1,128})\/messages$/;
const coseTopic = /^sealwatch\/v1\/devices\/([^/+#]{1,128})\/cose$/;

/** The device id of a messages topic, or null for any other topic. */
export function deviceOfMessagesTopic(topic: string): string | null {
  return messagesTopic.exec(topic)?.[1] ?? null;
}

/** The device and message form of a device's publish topic (`messages`: JWS, `cose`: COSE), or null. */
export function deviceTopic(topic: string): { device: string; form: 'jws' | 'cose' } | null {
  const jws = messagesTopic.exec(topic)?.[1];
  if (jws) return { device: jws, form: 'jws' };
  const cose = coseTopic.exec(topic)?.[1];
  return cose ? { device: cose, form: 'cose' } : null;
}

/** A publish's payload as ingest takes it: JWS as text, COSE as the bytes themselves. */
export const messageOf = (form: 'jws' | 'cose', payload: Uint8Array): string | Buffer =>
  form === 'cose' ? Buffer.from(payload) : Buffer.from(payload).toString('utf8');

/** Where the broker tells a device the result of each message it published. */
export const resultsTopic = (device: string) => `sealwatch/v1/devices/${device}/results`;
/** The shared-subscription filter that lets several gateways split the load of an external broker. */
export const sharedMessagesFilter = (group: string) => `$share/${group}/sealwatch/v1/devices/+/messages`;
/** The same for COSE messages. */
export const sharedCoseFilter = (group: string) => `$share/${group}/sealwatch/v1/devices/+/cose`;
