/**
 * The declaration form's pickers: the trader (organisations of kind trader), the devices the
 * declarant may use (held by its organisation or the trader's, on no movement), the seals (the
 * chosen devices' own, plus other seal numbers), the vehicle and the goods; the time limit in UTC.
 */
import { useEffect, useId, useState } from 'react';
import { get } from '../api/client';
import { codeWords } from '../i18n/domain-words';
import { useI18n } from '../i18n/i18n-context';

export interface Parties {
  trader: string;
  devices: string[];
  /** Seal numbers other than the chosen devices' own (bolt seals, ISO 17712), comma-separated. */
  otherSeals: string;
  vehicle: string;
  hsChapter: string;
  originCountry: string;
  /** "YYYY-MM-DD HH:MM" read as UTC (the console shows every time in UTC). */
  timeLimit: string;
}

export const emptyParties = (): Parties => ({
  trader: '',
  devices: [],
  otherSeals: '',
  vehicle: '',
  hsChapter: '',
  originCountry: '',
  timeLimit: '',
});

interface Declarable {
  id: string;
  kind: string;
  sealNumber: string | null;
  holder: string;
  /** False: the trader's device, lent once the trader confirms (no standing consent). */
  consented?: boolean;
}

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** The movement body's fields from the pickers: the seals are the devices' own then the others, once each. */
export function partiesToBody(p: Parties, declarable: readonly Declarable[]) {
  const own = p.devices.map((d) => declarable.find((x) => x.id === d)?.sealNumber).filter((s): s is string => !!s);
  return {
    trader: p.trader || null,
    devices: p.devices,
    seals: [...new Set([...own, ...list(p.otherSeals)])],
    vehicle: p.vehicle.trim() || null,
    hsChapter: p.hsChapter.trim() || null,
    originCountry: p.originCountry.trim().toUpperCase() || null,
    timeLimit: p.timeLimit ? utcInputToIso(p.timeLimit) : null,
  };
}

/**
 * "2026-12-09 14:00" (or with a T) typed as UTC → "2026-12-09T14:00:00.000Z"; null when it is not a
 * real time. A text field, not the browser's date picker: that one shows the browser's locale
 * (12-hour, month first in en-US) and reads local time.
 */
export function utcInputToIso(v: string): string | null {
  const m = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)$/.exec(v.trim());
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const back = new Date(Date.UTC(y, mo - 1, d, h, mi));
  // 2026-02-30 or 24:00 roll over: refused rather than moved
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || back.getUTCHours() !== h) return null;
  return back.toISOString();
}

export function DeclarationPickers({
  value,
  onChange,
  onDeclarable,
}: {
  value: Parties;
  onChange(p: Parties): void;
  /** The devices offered, so the form can add their seals to the body. */
  onDeclarable(d: Declarable[]): void;
}) {
  const { t, dateTime } = useI18n();
  const [traders, setTraders] = useState<Array<{ id: string; name: string; aeo: boolean }>>([]);
  const [declarable, setDeclarable] = useState<Declarable[] | null>(null);
  const timeHint = useId();
  useEffect(() => {
    void get('/api/v1/traders').then(
      (r) => setTraders(r.items),
      () => setTraders([]),
    );
  }, []);
  useEffect(() => {
    let live = true;
    setDeclarable(null);
    void get('/api/v1/custody/declarable-devices', { query: value.trader ? { trader: value.trader } : {} }).then(
      (r) => {
        if (!live) return;
        setDeclarable(r.items);
        onDeclarable(r.items);
      },
      () => live && setDeclarable([]),
    );
    return () => {
      live = false;
    };
  }, [value.trader]); // eslint-disable-line react-hooks/exhaustive-deps
  const set = (patch: Partial<Parties>) => onChange({ ...value, ...patch });
  const offered = declarable ?? [];
  // a device chosen before the trader changed, and no longer offered, is dropped
  const chosen = value.devices.filter((d) => offered.some((x) => x.id === d));
  const ownSeals = chosen.map((d) => offered.find((x) => x.id === d)?.sealNumber).filter(Boolean);
  const iso = value.timeLimit ? utcInputToIso(value.timeLimit) : null;
  return (
    <>
      <label>
        {t('declare.trader')}
        <select value={value.trader} onChange={(e) => set({ trader: e.target.value, devices: [] })}>
          <option value="">{t('declare.noTrader')}</option>
          {traders.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
              {o.aeo ? ' · AEO' : ''}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="device-picker">
        <legend>{t('declare.devices')}</legend>
        {declarable === null ? (
          <p className="hint">{t('declare.loadingDevices')}</p>
        ) : offered.length === 0 ? (
          <p className="hint">{t('declare.noDevices')}</p>
        ) : (
          <ul className="picker-list">
            {offered.map((d) => (
              <li key={d.id}>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={chosen.includes(d.id)}
                    onChange={(e) => set({ devices: e.target.checked ? [...chosen, d.id] : chosen.filter((x) => x !== d.id) })}
                  />
                  <span>
                    <bdi>{d.id}</bdi> · {codeWords({ t }, 'deviceKind', d.kind)}
                    {d.sealNumber && (
                      <>
                        {' · '}
                        <bdi>{t('declare.sealNo', { seal: d.sealNumber })}</bdi>
                      </>
                    )}
                    {value.trader && d.holder === value.trader ? ` · ${t('declare.heldByTrader')}` : ''}
                    {value.trader && d.holder === value.trader && d.consented === false ? ` · ${t('declare.needsTraderConsent')}` : ''}
                  </span>
                </label>
              </li>
            ))}
          </ul>
        )}
      </fieldset>
      <label>
        {t('declare.otherSeals')}
        <input value={value.otherSeals} onChange={(e) => set({ otherSeals: e.target.value })} />
        {ownSeals.length > 0 && <span className="hint">{t('declare.ownSeals', { seals: ownSeals.join(', ') })}</span>}
      </label>
      <label>
        {t('declare.vehicle')}
        <input maxLength={35} value={value.vehicle} onChange={(e) => set({ vehicle: e.target.value })} />
      </label>
      <div className="form-row">
        <label>
          {t('declare.hsChapter')}
          <input
            inputMode="numeric"
            maxLength={16}
            pattern="[0-9. ]*"
            value={value.hsChapter}
            onChange={(e) => set({ hsChapter: e.target.value })}
          />
        </label>
        <label>
          {t('declare.origin')}
          <input
            maxLength={2}
            pattern="[A-Za-z]{2}"
            autoCapitalize="characters"
            value={value.originCountry}
            onChange={(e) => set({ originCountry: e.target.value.toUpperCase() })}
          />
        </label>
      </div>
      <label>
        {t('declare.timeLimitUtc')}
        <input
          aria-describedby={timeHint}
          inputMode="numeric"
          placeholder="2026-12-31 14:00"
          pattern="\d{4}-\d\d-\d\d[T ]\d\d:\d\d"
          dir="ltr"
          value={value.timeLimit}
          onChange={(e) => set({ timeLimit: e.target.value })}
        />
        <span id={timeHint} className="hint">
          {iso ? t('declare.timeLimitIs', { time: dateTime(iso) }) : t('declare.timeLimitHint')}
        </span>
      </label>
    </>
  );
}
