/**
 * A trader's estimate of arrival: the distance left along the route from the point nearest to
 * the current position, at the last reported speed (or 50 km/h when stopped or unknown).
 * Plain arithmetic on WGS84 positions; the transit rules' own ETA replaces it once served.
 */
const R = 6_371_000;
const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance in metres between [lon, lat] positions. */
export function haversineM(a: readonly number[], b: readonly number[]): number {
  const dLat = rad(b[1] - a[1]);
  const dLon = rad(b[0] - a[0]);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}

/** Metres left along `route` from the vertex nearest to `position`. */
export function remainingM(route: readonly (readonly number[])[], position: readonly number[]): number {
  if (route.length === 0) return 0;
  let nearest = 0;
  let best = Infinity;
  route.forEach((p, i) => {
    const d = haversineM(p, position);
    if (d < best) {
      best = d;
      nearest = i;
    }
  });
  let left = best;
  for (let i = nearest; i < route.length - 1; i++) left += haversineM(route[i], route[i + 1]);
  return left;
}

/** Estimated arrival (ms since epoch), or null without a route or a position. */
export function estimateArrival(
  route: readonly (readonly number[])[] | null | undefined,
  position: { lat: number; lon: number; speed?: number } | null | undefined,
  now: number,
  fallbackKmh = 50,
): number | null {
  if (!route?.length || !position) return null;
  const kmh = position.speed && position.speed > 5 ? position.speed : fallbackKmh;
  return now + (remainingM(route, [position.lon, position.lat]) / (kmh / 3.6)) * 1000;
}

/** A movement's smoothed speed: what the ETA divides by, so that one fast or slow reading does not swing it. */
export interface SmoothedSpeed {
  kmh: number;
  /** time of the reading last folded in (ms) */
  at: number;
}

/** Time constant of the smoothing: a reading counts for about 1 − e^(−Δt/τ) of the new value. */
export const SPEED_TAU_S = 1800;
/** A truck stopped (border, weighbridge, night) is expected to move on: never less than this. */
export const MIN_SPEED_KMH = 20;

/**
 * Folds one reported speed into the smoothed one: an exponential average over time (τ 30 min),
 * so a stop of a few minutes or a burst of speed moves the estimate a little, a sustained change
 * moves it fully within an hour or two. The first reading starts it (the fallback when stopped).
 */
export function nextSpeed(
  prev: SmoothedSpeed | null,
  reportedKmh: number | null | undefined,
  at: number,
  fallbackKmh = 50,
): SmoothedSpeed | null {
  if (typeof reportedKmh !== 'number' || !Number.isFinite(reportedKmh)) return prev;
  if (!prev) return { kmh: reportedKmh > 5 ? reportedKmh : fallbackKmh, at };
  if (at <= prev.at) return prev;
  const a = 1 - Math.exp(-(at - prev.at) / 1000 / SPEED_TAU_S);
  return { kmh: prev.kmh + a * (reportedKmh - prev.kmh), at };
}

/** Estimated arrival (ms) at a smoothed speed, or null without a route or a position. */
export function stableArrival(
  route: readonly (readonly number[])[] | null | undefined,
  position: { lat: number; lon: number } | null | undefined,
  speed: SmoothedSpeed | null,
  now: number,
  fallbackKmh = 50,
): number | null {
  if (!route?.length || !position) return null;
  const kmh = Math.max(MIN_SPEED_KMH, speed?.kmh ?? fallbackKmh);
  return now + (remainingM(route, [position.lon, position.lat]) / (kmh / 3.6)) * 1000;
}
