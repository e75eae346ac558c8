/** MQTT topics of native protocol v1 (DESIGN §5). */
const messagesTopic = /^sealwatch\/v1\/devices\/([^/+#]{1,128})\/messages$/;

/** The device id of a messages topic, or null for any other topic. */
export function deviceOfMessagesTopic(topic: string): string | null {
  return messagesTopic.exec(topic)?.[1] ?? null;
}

/** Where the broker tells a device the result of each message it published. */
export const resultsTopic = (device: string) => `sealwatch/v1/devices/${device}/results`;
/** The shared-subscription filter that lets several gateways split the load of an external broker. */
export const sharedMessagesFilter = (group: string) => `$share/${group}/sealwatch/v1/devices/+/messages`;
