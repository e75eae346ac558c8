/** Devices map to log partitions by a stable hash, so one device's messages stay in order. */

/** FNV-1a, 32 bit: fast, stable across processes and versions. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export const partitionOf = (device: string, partitions: number) => fnv1a(device) % partitions;

/** The NATS names of one cluster, prefixed by its name so several can share a NATS server. */
export function clusterNames(cluster: string) {
  return {
    stream: `${cluster.toUpperCase()}_INGEST`,
    subjects: `${cluster}.ingest.>`,
    ingestSubject: (partition: number) => `${cluster}.ingest.p${partition}`,
    consumer: (partition: number) => `processor-p${partition}`,
    leaseBucket: `${cluster}-partition-leases`,
    live: `${cluster}.live`,
  };
}
export type ClusterNames = ReturnType<typeof clusterNames>;

/** The processor checkpoint name of a partition (its position is the stream sequence). */
export const checkpointName = (partition: number) => `partition-${partition}`;
