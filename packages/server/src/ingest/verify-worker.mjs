// Worker thread: verifies batches of signatures off the event loop. Keys are imported once per
// (device, key fingerprint) and cached, so a steady fleet costs one import per device.
import { parentPort } from 'node:worker_threads';
import { importVerifyKey, verifySignature } from './jws-crypto.mjs';

const keys = new Map();
parentPort.on('message', ({ id, jobs }) => {
  const results = jobs.map((job) => {
    try {
      let k = keys.get(job.keyId);
      if (!k) {
        if (keys.size > 200_000) keys.clear();
        k = importVerifyKey(job.key);
        keys.set(job.keyId, k);
      }
      return verifySignature(job.key.alg, k, job.signingInput, Buffer.from(job.signature));
    } catch {
      return false;
    }
  });
  parentPort.postMessage({ id, results });
});
