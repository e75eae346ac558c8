/**
 * The risk card of a movement page: score, lane and the fired indicators with their
 * contributions; a risk.decide user re-routes it (the reason is mandatory) and records what the
 * inspection found. Shown to users who may read risk (GET /movements/{id}/risk).
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { ApiError } from '../api/client';
import { loadSession } from '../auth/session';
import { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/i18n';
import { useNotices } from '../ui/notices';
import { laneList, riskApi, type Inspection, type Lane, type MovementRisk as Risk } from './risk-api';
import './risk.css';

let permissions: Promise<string[]> | null = null;
const myPermissions = () =>
  (permissions ??= loadSession().then(
    (s) => s.user?.permissions ?? [],
    () => [],
  ));

export function MovementRisk({ id, version }: { id: string; version?: unknown }) {
  const { t, number, dateTime } = useI18n();
  const { toast } = useNotices();
  const [perms, setPerms] = useState<string[]>([]);
  const [risk, setRisk] = useState<Risk | null>(null);
  const [lane, setLane] = useState<Lane>('red');
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState('');
  const [result, setResult] = useState<Inspection['result']>('nothing_found');
  const [comment, setComment] = useState('');
  const reload = () => void riskApi.movement(id).then(setRisk, () => setRisk(null));
  useEffect(() => void myPermissions().then(setPerms), []);
  useEffect(() => {
    if (perms.includes('risk.read')) reload();
  }, [id, perms, version]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!perms.includes('risk.read')) return null;
  const canDecide = perms.includes('risk.decide');
  const fail = (e: unknown) => toast(t('common.error', { detail: (e as ApiError).message }), 'error');
  const a = risk?.assessment ?? null;

  const handleAssess = async () => {
    try {
      await riskApi.assess(id);
      reload();
    } catch (e) {
      fail(e);
    }
  };
  const handleOverride = async (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) return setReasonError(t('risk.reasonRequired'));
    try {
      await riskApi.override(id, lane, reason.trim());
      setReason('');
      setReasonError('');
      toast(t('risk.overridden', { lane: t(`risk.lane.${lane}` as MessageKey) }));
      reload();
    } catch (err) {
      fail(err);
    }
  };
  const handleInspection = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await riskApi.inspect(id, result, comment.trim() || undefined);
      setComment('');
      toast(t('risk.inspectionSaved'));
      reload();
    } catch (err) {
      fail(err);
    }
  };

  return (
    <section aria-labelledby="risk-heading" className={`card risk${a ? ` lane-${a.decision.lane}` : ''}`}>
      <h2 id="risk-heading">{t('movement.risk')}</h2>
      {!a ? (
        <>
          <p className="empty">{t('risk.notAssessed')}</p>
          {canDecide && (
            <button type="button" onClick={() => void handleAssess()}>
              {t('risk.assess')}
            </button>
          )}
        </>
      ) : (
        <>
          <p className="risk-score" id="risk-lane" data-lane={a.decision.lane}>
            {t('risk.scoreLane', {
              score: number(a.score.score, 2),
              lane: t(`risk.lane.${a.decision.lane}` as MessageKey),
              reason: t(`risk.reason.${a.decision.reason}` as MessageKey),
            })}
          </p>
          <p>{t('risk.decidedBy', { version: a.profileVersion, baseline: number(a.score.baselineScore, 2), at: dateTime(a.decidedAt) })}</p>
          <h3>{t('movement.riskReasons')}</h3>
          <ul aria-label={t('risk.firedIndicators')}>
            {a.score.indicators
              .filter((r) => r.fired)
              .map((r) => (
                <li key={r.code}>
                  <code>{r.code}</code> {r.contribution > 0 ? '+' : ''}
                  {number(r.contribution, 2)}
                </li>
              ))}
          </ul>
          {(a.decision.overrides ?? []).map((o, i) => (
            <p key={i}>
              {t('risk.overrideLine', {
                from: t(`risk.lane.${o.from}` as MessageKey),
                to: t(`risk.lane.${o.to}` as MessageKey),
                by: o.by,
                reason: o.reason,
              })}
            </p>
          ))}
          {risk?.inspection && (
            <p>
              {t('risk.inspectionLine', {
                result: t(`risk.result.${risk.inspection.result}` as MessageKey),
                by: risk.inspection.by,
                at: dateTime(risk.inspection.at),
              })}
            </p>
          )}
          {canDecide && (
            <>
              <form onSubmit={(e) => void handleOverride(e)} aria-labelledby="override-heading" noValidate>
                <h3 id="override-heading">{t('risk.override')}</h3>
                <label className="field">
                  <span>{t('risk.newLane')}</span>
                  <select value={lane} onChange={(e) => setLane(e.target.value as Lane)}>
                    {laneList.map((l) => (
                      <option key={l} value={l}>
                        {t(`risk.lane.${l}` as MessageKey)}
                      </option>
                    ))}
                  </select>
                </label>
                <label className="field">
                  <span>{t('risk.reasonLabel')}</span>
                  <textarea
                    required
                    value={reason}
                    aria-invalid={!!reasonError}
                    aria-describedby={reasonError ? 'override-reason-error' : undefined}
                    onChange={(e) => setReason(e.target.value)}
                  />
                </label>
                {reasonError && (
                  <p id="override-reason-error" role="alert" className="bad">
                    {reasonError}
                  </p>
                )}
                <button type="submit">{t('risk.reroute')}</button>
              </form>
              <form onSubmit={(e) => void handleInspection(e)} aria-labelledby="inspection-heading">
                <h3 id="inspection-heading">{t('risk.inspection')}</h3>
                <fieldset>
                  <legend>{t('risk.found')}</legend>
                  {(['nothing_found', 'irregularity', 'seizure'] as const).map((r) => (
                    <label key={r} className="check">
                      <input type="radio" name="inspection-result" checked={result === r} onChange={() => setResult(r)} />{' '}
                      {t(`risk.result.${r}` as MessageKey)}
                    </label>
                  ))}
                </fieldset>
                <label className="field">
                  <span>{t('risk.comment')}</span>
                  <input value={comment} onChange={(e) => setComment(e.target.value)} />
                </label>
                <button type="submit">{t('risk.recordInspection')}</button>
              </form>
            </>
          )}
        </>
      )}
    </section>
  );
}
