/**
 * The two partner actions that need a second look (docs/federation.md): accepting a partner's new
 * federation key (compare its id with the partner first: from then on its messages signed with it
 * are taken) and ending a partnership (what stops, and what becomes of the copies on both sides).
 */
import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n-context';
import { Dialog } from '../ui/dialog';
import { ownRetention, type Partner } from './partner';

/** Shows the pinned and the newly published key ids side by side before they are pinned. */
export function AcceptKeysDialog({
  partner,
  onClose,
  onAccept,
}: {
  partner: Partner | null;
  onClose(): void;
  onAccept(p: Partner): Promise<void>;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const handleSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!partner) return;
    setBusy(true);
    try {
      await onAccept(partner);
      onClose();
    } catch {
      // the error was shown as a toast; the dialog stays open
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('partners.acceptHeading', { name: partner?.name ?? '' })} open={partner !== null} onClose={onClose}>
      {partner && (
        <form onSubmit={(e) => void handleSubmit(e)}>
          <p className="dialog-summary">{t('partners.acceptCheck')}</p>
          <dl className="key-compare">
            <dt>{t('partners.keysPinned')}</dt>
            {partner.keys.map((k) => (
              <dd key={k.kid}>
                <code>{k.kid}</code>
              </dd>
            ))}
            <dt>{t('partners.keysNew')}</dt>
            {(partner.pendingKeys ?? []).map((k) => (
              <dd key={k.kid}>
                <code>{k.kid}</code>
                {!partner.keys.some((p) => p.kid === k.kid) && <strong> {t('partners.keyIsNew')}</strong>}
              </dd>
            ))}
          </dl>
          <p>{t('partners.acceptEffect', { name: partner.name })}</p>
          <div className="dialog-actions">
            <button type="button" className="ghost" onClick={onClose}>
              {t('common.cancel')}
            </button>
            <button type="submit" className="primary" disabled={busy}>
              {t('partners.accept')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

/**
 * Ending a partnership: says what stops and what becomes of the shared copies, and asks for the
 * partner's administration id typed out before it ends.
 */
export function EndPartnershipDialog({
  partner,
  onClose,
  onEnd,
}: {
  partner: Partner | null;
  onClose(): void;
  onEnd(p: Partner): Promise<void>;
}) {
  const { t } = useI18n();
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const close = () => {
    setTyped('');
    onClose();
  };
  const handleSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!partner || typed.trim() !== partner.administration) return;
    setBusy(true);
    try {
      await onEnd(partner);
      close();
    } catch {
      // the error was shown as a toast; the dialog stays open
    } finally {
      setBusy(false);
    }
  };
  const ownClasses = partner ? ownRetention(partner) : [];
  return (
    <Dialog title={t('partners.endHeading', { name: partner?.name ?? '' })} open={partner !== null} onClose={close}>
      {partner && (
        <form onSubmit={(e) => void handleSubmit(e)}>
          <p className="dialog-summary">{t('partners.endIntro', { name: partner.name })}</p>
          <ul className="end-effects">
            <li>{t('partners.endStopsSending', { name: partner.name, backlog: String(partner.backlog) })}</li>
            <li>{t('partners.endRefuses', { name: partner.name })}</li>
            <li>
              {t('partners.endCopiesHere', { days: String(partner.agreement.retentionDays) })}
              {ownClasses.length > 0 &&
                ` ${t('partners.endOwnRetention', {
                  classes: ownClasses
                    .map(([f, d]) => t('partners.classDays', { field: t(`partners.field.${f}`), days: String(d) }))
                    .join(', '),
                })}`}
            </li>
            <li>{t('partners.endCopiesThere', { name: partner.name, days: String(partner.agreement.retentionDays) })}</li>
            <li>{t('partners.endRecordStays')}</li>
          </ul>
          <label>
            {t('partners.endType', { id: partner.administration })}
            <input value={typed} autoComplete="off" onChange={(e) => setTyped(e.target.value)} />
          </label>
          <div className="dialog-actions">
            <button type="button" className="ghost" onClick={close}>
              {t('common.cancel')}
            </button>
            <button type="submit" className="primary danger" disabled={busy || typed.trim() !== partner.administration}>
              {t('partners.end')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
