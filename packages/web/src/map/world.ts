/** The offline basemap: Natural Earth 1:110m countries from the `world-atlas` package, shipped as a build asset. */
import worldUrl from 'world-atlas/countries-110m.json?url';
import { feature, type FeatureCollection, type Topology } from '@sealwatch/core/geo/topojson';

let pending: Promise<FeatureCollection> | null = null;

export function loadWorld(): Promise<FeatureCollection> {
  pending ??= fetch(worldUrl)
    .then((r) => r.json() as Promise<Topology>)
    .then((topology) => feature(topology, 'countries') as FeatureCollection);
  return pending;
}
