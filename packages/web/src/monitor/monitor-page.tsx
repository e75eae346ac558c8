/** The monitoring screen: the live map, the platform's degraded states, the incident queue, the movements and the selected movement. */
import { useEffect, useState } from 'react';
import { get } from '../api/client';
import type { Alert } from '../api/types';
import { IncidentQueue, type IncidentActions } from '../alerts/incident-queue';
import type { LiveStore } from '../live/live-store';
import { MapView } from '../map/map-view';
import { MovementList } from './movement-list';
import { PlatformAlertsPanel } from './platform-alerts-panel';
import { SelectionPanel } from './selection-panel';
import { useStore } from '../ui/hooks';

export function MonitorPage({
  store,
  actions,
  canAct,
  onAcknowledgeAlert,
  tileUrl,
}: {
  store: LiveStore;
  actions: IncidentActions;
  canAct: boolean;
  onAcknowledgeAlert: (a: Alert) => Promise<void>;
  tileUrl: string | null;
}) {
  const [replayTime, setReplayTime] = useState<number | null>(null);
  // A replay keeps the truck in view unless the user turns it off (to look around while it plays).
  const [follow, setFollow] = useState(true);
  // The track is asked for at the map's resolution (a few hundred points for a long trip), again when the zoom changes it.
  const [tolerance, setTolerance] = useState<number | null>(null);
  useStore(store, ['selection']);
  const selected = store.selectedId;

  useEffect(() => setReplayTime(null), [selected]);
  useEffect(() => {
    if (!selected || tolerance === null) return;
    const controller = new AbortController();
    get('/api/v1/movements/{id}/track', { path: { id: selected }, query: { tolerance }, signal: controller.signal })
      .then((fc) => store.setTrack(selected, fc as { features: Record<string, unknown>[] }))
      .catch(() => undefined);
    return () => controller.abort();
  }, [selected, tolerance, store]);

  const select = (id: string | null) => store.select(id);
  return (
    <main id="console" className="layout">
      <MapView store={store} onSelect={select} tileUrl={tileUrl} replayTime={replayTime} follow={follow} onTolerance={setTolerance} />
      <aside className="side">
        <PlatformAlertsPanel store={store} canAct={canAct} onAcknowledge={onAcknowledgeAlert} />
        <IncidentQueue store={store} actions={actions} canAct={canAct} onSelect={select} />
        <SelectionPanel
          store={store}
          replayTime={replayTime}
          onReplay={setReplayTime}
          follow={follow}
          onFollow={setFollow}
          onClose={() => select(null)}
          canMute={canAct}
        />
        <MovementList store={store} onSelect={select} />
      </aside>
    </main>
  );
}
