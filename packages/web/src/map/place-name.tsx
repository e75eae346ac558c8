/**
 * A position shown to people: the nearest place of the offline gazetteer ("12 km NW of Malaba,
 * Uganda"), with the coordinates on hover and for screen readers' details (title), and in the DOM
 * as data-lat/data-lon for whoever copies them.
 */
import { useI18n } from '../i18n/i18n-context';

export function PlaceName({ position, className }: { position: { lat: number; lon: number } | null | undefined; className?: string }) {
  const { place, coords, t } = useI18n();
  if (!position) return <span className={className}>—</span>;
  const c = coords(position);
  return (
    <span
      className={className ? `place ${className}` : 'place'}
      title={t('place.coordsTitle', { coords: c })}
      data-lat={position.lat}
      data-lon={position.lon}
    >
      {place(position)}
    </span>
  );
}
