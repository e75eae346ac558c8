/**
 * On a declared movement, whether its trader has lent the devices it holds (docs/security.md,
 * lending consent): waiting for the trader, confirmed or refused. Nothing when the movement raised
 * no request (own devices, a standing consent, the platform's declaration).
 */
import { useEffect, useState } from 'react';
import { get } from '../api/client';
import { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/messages';

type Consent = Awaited<ReturnType<typeof get<'/api/v1/custody/consents'>>>['items'][number];

export function LendingNote({ movement, status }: { movement: string; status: string }) {
  const { t } = useI18n();
  const [request, setRequest] = useState<Consent | null>(null);
  useEffect(() => {
    let live = true;
    void get('/api/v1/custody/consents', { query: { movement, limit: 1 } }).then(
      (page) => live && setRequest(page.items[0] ?? null),
      () => live && setRequest(null),
    );
    return () => {
      live = false;
    };
  }, [movement, status]);
  if (!request) return null;
  return (
    <p className={`lending-note status-${request.status}`} role="status">
      {t(`lending.note.${request.status}` as MessageKey, {
        trader: `\u2068${request.trader}\u2069`,
        devices: `\u2068${(request.devices ?? []).join(', ')}\u2069`,
      })}
    </p>
  );
}
