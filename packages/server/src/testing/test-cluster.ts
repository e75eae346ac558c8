/** A throwaway cluster namespace on this machine's PostgreSQL and NATS for tests and benchmarks. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connect } from 'nats';
import { clusterNames } from '../cluster/partitions';

export const TEST_DATABASE_URL = process.env.SEALWATCH_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The master key of test clusters (every member must share one): never use it elsewhere. */
export const TEST_MASTER_KEY = Buffer.alloc(32, 7).toString('base64');
export const TEST_NATS_URL = process.env.SEALWATCH_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** Environment for one cluster member of a fresh namespace (schema, stream, bucket). */
export function clusterNamespace(partitions = 4) {
  const suffix = randomBytes(4).toString('hex');
  const env = {
    DATABASE_URL: TEST_DATABASE_URL,
    NATS_URL: TEST_NATS_URL,
    SEALWATCH_MASTER_KEY: TEST_MASTER_KEY,
    SEALWATCH_DB_SCHEMA: `sw_cl_${suffix}`,
    SEALWATCH_CLUSTER_NAME: `cl${suffix}`,
    SEALWATCH_PARTITIONS: String(partitions),
    SEALWATCH_MQTT_PORT: 'off',
  };
  return {
    env,
    /** Removes the schema, the stream and the lease bucket. */
    async destroy() {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${env.SEALWATCH_DB_SCHEMA} CASCADE`);
      await client.end();
      const nc = await connect({ servers: TEST_NATS_URL });
      const jsm = await nc.jetstreamManager();
      const names = clusterNames(env.SEALWATCH_CLUSTER_NAME);
      for (const stream of [names.stream, `KV_${names.leaseBucket}`]) await jsm.streams.delete(stream).catch(() => undefined);
      await nc.close();
    },
  };
}
