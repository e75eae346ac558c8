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
