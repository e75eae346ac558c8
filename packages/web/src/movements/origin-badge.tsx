/**
 * A partner administration's movement handed over to this installation (docs/federation.md): the
 * badge "from KRA, movement …" in lists and on the movement page, and on a movement of ours the
 * partners it was shared with and the control results they sent back.
 */
import type { MovementFederation } from '../api/types';
import { useI18n } from '../i18n/i18n-context';

/** The origin movement id shortened for a badge; the whole id is in its title. */
const short = (id: string) => (id.length > 12 ? `${id.slice(0, 8)}…` : id);

export function OriginBadge({ origin }: { origin?: MovementFederation['origin'] }) {
  const { t } = useI18n();
  if (!origin) return null;
  return (
    <span className="badge origin" title={t('origin.readOnly', { partner: origin.partner })}>
      {t('origin.from', { partner: origin.partner, movement: short(origin.movement) })}
    </span>
  );
}

/** What the movement page says of a copy (read-only) or of ours (shared with, control results). */
export function MovementFederationNote({ movement }: { movement: MovementFederation }) {
  const { t, dateTime } = useI18n();
  if (movement.origin)
    return (
      <p className="origin-note">
        {t('origin.readOnly', { partner: movement.origin.partner })}
        {movement.origin.leftAt ? ` ${t('origin.left', { time: dateTime(movement.origin.leftAt), partner: movement.origin.partner })}` : ''}
      </p>
    );
  if (!movement.sharedWith?.length) return null;
  return (
    <div className="origin-note">
      <span>{t('origin.sharedWith')}</span>
      <ul>
        {movement.sharedWith.map((s) => (
          <li key={s.partner}>
            {s.controlResults
              ? `${t('origin.controlResults', { partner: s.partner, result: s.controlResults.result, seals: t(`control.seals.${s.controlResults.stateOfSeals}`) })} (${t(`control.code.${s.controlResults.result}`)})${s.controlResults.comment ? ` · ${s.controlResults.comment}` : ''}`
              : t('origin.noResults', { partner: s.partner })}
          </li>
        ))}
      </ul>
    </div>
  );
}
