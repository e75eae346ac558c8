/** Storage contract, settings: part of the suite every storage engine runs (index.ts). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { WithStore } from './fixtures';

export function settingsContract(withStore: WithStore): void {
  describe('settings', () => {
    test(
      'get is null for an unknown key; set stores a value and then overwrites it',
      withStore(async (s) => {
        assert.equal(await s.settings.get('admin_token_hash'), null);
        await s.settings.set('admin_token_hash', 'sha256:abc');
        await s.settings.set('other', 'x');
        assert.equal(await s.settings.get('admin_token_hash'), 'sha256:abc');
        await s.settings.set('admin_token_hash', 'sha256:def');
        assert.equal(await s.settings.get('admin_token_hash'), 'sha256:def');
        assert.equal(await s.settings.get('other'), 'x');
      }),
    );

    test(
      'setIfAbsent keeps the first value written',
      withStore(async (s) => {
        assert.equal(await s.settings.setIfAbsent('signing_key', 'first'), 'first');
        assert.equal(await s.settings.setIfAbsent('signing_key', 'second'), 'first');
        assert.equal(await s.settings.get('signing_key'), 'first');
      }),
    );
  });
}
