/** Storage contract, EPCIS capture jobs: part of the suite every storage engine runs (index.ts). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CaptureJob } from '../capture-job-ports';
import type { WithStore } from './fixtures';

export function captureJobsContract(withStore: WithStore): void {
  describe('EPCIS capture jobs', () => {
    test(
      'a saved job reads back whole; saving it again replaces it; an unknown id is null',
      withStore(async (s) => {
        const job: CaptureJob = {
          captureID: 'cap-1',
          createdAt: '2026-12-01T10:00:00.000Z',
          finishedAt: '2026-12-01T10:00:01.000Z',
          running: false,
          success: true,
          captureErrorBehaviour: 'proceed',
          errors: [{ event: 2, reason: 'no reader R-1 in your scope' }],
          summary: { events: 3, observations: 1, duplicates: 0, refused: 1, ignored: 1 },
          owner: 'user:acme',
        };
        await s.captureJobs.save(job);
        assert.deepEqual(await s.captureJobs.get('cap-1'), job);
        await s.captureJobs.save({ ...job, success: false });
        assert.equal((await s.captureJobs.get('cap-1'))?.success, false);
        assert.equal(await s.captureJobs.get('cap-2'), null);
      }),
    );
    test(
      'purging removes the finished jobs that finished before the cut-off and keeps later and running ones',
      withStore(async (s) => {
        const base: CaptureJob = {
          captureID: 'old',
          createdAt: '2026-11-01T10:00:00.000Z',
          finishedAt: '2026-11-01T10:00:01.000Z',
          running: false,
          success: true,
          captureErrorBehaviour: 'proceed',
          errors: [],
          summary: { events: 1, observations: 1, duplicates: 0, refused: 0, ignored: 0 },
          owner: 'user:acme',
        };
        await s.captureJobs.save(base);
        await s.captureJobs.save({
          ...base,
          captureID: 'recent',
          createdAt: '2026-12-01T10:00:00.000Z',
          finishedAt: '2026-12-01T10:00:01.000Z',
        });
        await s.captureJobs.save({ ...base, captureID: 'running', finishedAt: null, running: true });
        assert.equal(await s.captureJobs.purgeFinishedBefore('2026-11-15T00:00:00.000Z'), 1);
        assert.equal(await s.captureJobs.get('old'), null);
        assert.equal((await s.captureJobs.get('recent'))?.captureID, 'recent');
        assert.equal((await s.captureJobs.get('running'))?.captureID, 'running');
        assert.equal(await s.captureJobs.purgeFinishedBefore('2026-11-15T00:00:00.000Z'), 0);
      }),
    );
  });
}
