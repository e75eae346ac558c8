/**
 * The stream seen through a principal's scope: observations, events, alerts, incidents and movements of the
 * movements it may see, kept current as movements are declared or change. The visible set shrinks
 * as well as grows, on the open stream: a device is delivered while it is on a movement in scope
 * that has not ended; an ended movement's own messages (its end, later alert handling) still go,
 * its devices' positions no longer; a movement no longer in scope goes entirely. Full-scope
 * principals (platform, auditors, a central administration) see everything.
 */
import { can, movementScope, type Movement, type Principal } from '@sealwatch/core';
import type { Store } from '../storage/ports';
import type { StreamMessage } from '../stream/stream-bus';
import type { Scopes } from './scope';

export interface StreamGate {
  /** True if the message may be sent to this principal. */
  allows(m: StreamMessage): boolean;
  /** Updates the visible set with a movement message, growing or shrinking it (call before `allows`). */
  track(m: Movement): Promise<void>;
}

export async function streamGate(principal: Principal, store: Pick<Store, 'movements'>, scopes: Scopes): Promise<StreamGate> {
  const scope = movementScope(principal);
  const riskVisible = can(principal, 'risk.read');
  if (scope.kind === 'all') return { allows: () => true, track: async () => {} };
  const movements = new Set<string>();
  /** device → the open movements in scope it is on. */
  const devices = new Map<string, Set<string>>();
  const releaseDevices = (id: string) => {
    for (const [device, on] of devices) {
      on.delete(id);
      if (!on.size) devices.delete(device);
    }
  };
  const remember = (m: Movement) => {
    movements.add(m.id);
    // Re-added below while the movement is open: a device taken off it, or an ended one, is released.
    releaseDevices(m.id);
    if (m.status === 'ended') return;
    for (const d of m.devices) (devices.get(d) ?? devices.set(d, new Set()).get(d)!).add(m.id);
  };
  if (scope.kind !== 'none') {
    const visibility = await scopes.movementVisibility(principal);
    if (visibility !== 'none' && visibility !== 'all') {
      let cursor: string | null = null;
      do {
        const page = await store.movements.list({ visibleTo: visibility }, { limit: 1000, cursor });
        for (const m of page.items) if (m.status !== 'ended') remember(m);
        cursor = page.nextCursor;
      } while (cursor);
    }
  }
  return {
    async track(m) {
      if (scope.kind !== 'none' && (await scopes.canSee(principal, m))) return remember(m);
      movements.delete(m.id);
      releaseDevices(m.id);
    },
    allows(m) {
      switch (m.kind) {
        case 'movement':
          return movements.has(m.data.id) && (riskVisible || !('risk' in m.data));
        case 'observation':
          return devices.has(m.data.device);
        case 'event':
        case 'alert':
        case 'incident':
          return m.data.movement !== null && movements.has(m.data.movement);
      }
    },
  };
}
