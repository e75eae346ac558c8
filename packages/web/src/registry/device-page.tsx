/**
 * One device (#/devices/<id>): class, kind, protocol, identifiers, last seen, battery with its
 * forecast (core's discharge-rate estimate over the last two days of readings, the same rule the
 * battery_insufficient alert uses) and the device's open battery alerts; its keys; its commands.
 * A device provider reads no observations (movements.read): its forecast starts from the last
 * reading at the planning rate of the device's kind.
 */
import { useEffect, useState } from 'react';
import { forecastBattery, type BatteryForecast } from '@sealwatch/core/battery/battery-forecast';
import type { DeviceKind } from '@sealwatch/core/model';
import type { Timestamp } from '@sealwatch/core/ids';
import { get, listAll } from '../api/client';
import type { Alert, Device, Observation } from '../api/types';
import { codeWords } from '../i18n/domain-words';
import { useI18n } from '../i18n/i18n-context';
import { DeviceCommands } from './device-commands';
import { DeviceCustody } from './device-custody';
import { deviceHealth } from './device-health';
import { DeviceKeys } from './device-keys';
import '../ui/screens.css';

const HISTORY_MS = 48 * 3_600_000;

export interface DevicePermissions {
  canWrite: boolean;
  canCommand: boolean;
  /** movements.read: observations and commands */
  canReadMovements: boolean;
  canReadAlerts: boolean;
}

export function DevicePage({ id, canWrite, canCommand, canReadMovements, canReadAlerts }: { id: string } & DevicePermissions) {
  const i18n = useI18n();
  const { t, ago, dateTime, unit, number, type: typeName } = i18n;
  const [device, setDevice] = useState<Device | null>(null);
  const [error, setError] = useState('');
  const [forecast, setForecast] = useState<BatteryForecast | null | undefined>(undefined);
  const [alerts, setAlerts] = useState<Alert[]>([]);

  useEffect(() => {
    const now = Date.now();
    get('/api/v1/devices/{id}', { path: { id } }).then(
      async (d) => {
        setDevice(d);
        const last = d.battery && d.lastTime ? ([{ time: d.lastTime, battery: d.battery }] as Observation[]) : [];
        const obs = canReadMovements
          ? await listAll(
              (cursor) =>
                get('/api/v1/devices/{id}/observations', {
                  path: { id },
                  query: { from: new Date(now - HISTORY_MS).toISOString(), order: 'asc', limit: 1000, cursor },
                }),
              5,
            ).catch(() => ({ items: last }))
          : { items: last };
        setForecast(
          forecastBattery(
            d.kind as DeviceKind,
            obs.items.map((o) => ({ time: o.time as Timestamp, battery: o.battery })),
            new Date(now).toISOString() as Timestamp,
          ),
        );
      },
      (e: Error) => setError(e.message),
    );
    if (canReadAlerts)
      void listAll((cursor) => get('/api/v1/alerts', { query: { device: id, limit: 200, cursor } }), 2).then(
        (r) => setAlerts(r.items.filter((a) => a.status !== 'resolved' && (a.type === 'battery_insufficient' || a.type === 'battery_low'))),
        () => undefined,
      );
  }, [id, canReadMovements, canReadAlerts]);

  if (error)
    return (
      <main className="page">
        <p role="alert">{t('common.error', { detail: error })}</p>
      </main>
    );
  if (!device)
    return (
      <main className="page">
        <p>{t('common.loading')}</p>
      </main>
    );
  const health = deviceHealth(device, Date.now());

  return (
    <main className="page" aria-labelledby="device-heading">
      <p>
        <a href="#/devices">{t('device.back')}</a>
      </p>
      <h1 id="device-heading">
        {t('device.heading', { id: device.id })} <span className={`badge health-${health}`}>{t(`health.${health}`)}</span>
      </h1>
      <div className="device-detail">
        <section className="card" aria-labelledby="device-facts-heading">
          <h2 id="device-facts-heading">{t('movement.facts')}</h2>
          <dl className="facts">
            <dt>{t('devices.class')}</dt>
            <dd>{codeWords(i18n, 'deviceClass', device.class)}</dd>
            <dt>{t('devices.kind')}</dt>
            <dd>{codeWords(i18n, 'deviceKind', device.kind)}</dd>
            <dt>{t('devices.protocol')}</dt>
            <dd>{codeWords(i18n, 'protocol', device.protocol)}</dd>
            <dt>{t('device.identifiers')}</dt>
            <dd>
              {Object.entries(device.identifiers)
                .map(([k, v]) => `${k}: ${v}`)
                .join(', ') || '—'}
            </dd>
            <dt>{t('device.owner')}</dt>
            <dd>{device.owner ?? '—'}</dd>
            <dt>{t('device.reportInterval')}</dt>
            <dd>{device.reportIntervalS ? `${number(device.reportIntervalS)} s` : '—'}</dd>
            <dt>{t('devices.lastSeen')}</dt>
            <dd>{device.lastSeenAt ? `${ago(device.lastSeenAt)} (${dateTime(device.lastSeenAt)})` : t('health.never_seen')}</dd>
            <dt>{t('device.lastSeq')}</dt>
            <dd>{device.lastSeq ?? '—'}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="battery-heading">
          <h2 id="battery-heading">{t('device.battery')}</h2>
          <dl className="facts">
            <dt>{t('device.batteryLast')}</dt>
            <dd>
              {unit(device.battery?.level, 'percent', 1)}
              {device.battery?.voltage ? ` · ${number(device.battery.voltage, 2)} V` : ''}
            </dd>
            {forecast === undefined && (
              <>
                <dt>{t('device.forecast')}</dt>
                <dd>{t('common.loading')}</dd>
              </>
            )}
            {forecast === null && (
              <>
                <dt>{t('device.forecast')}</dt>
                <dd>{t('device.noForecast')}</dd>
              </>
            )}
            {forecast && (
              <>
                <dt>{t('device.levelNow')}</dt>
                <dd>{unit(forecast.levelNow, 'percent', 1)}</dd>
                <dt>{t('device.rate')}</dt>
                <dd>
                  {t('device.rateValue', { rate: number(forecast.ratePctPerH, 2) })} · {t(`device.rateSource.${forecast.source}`)}
                </dd>
                <dt>{t('device.emptyAt')}</dt>
                <dd>
                  {forecast.emptyAt
                    ? `${dateTime(forecast.emptyAt)} (${t('device.hoursLeft', { hours: number(forecast.hoursLeft, 1) })})`
                    : t('device.noDischarge')}
                </dd>
              </>
            )}
          </dl>
          <p className="note">{t('device.forecastNote', { alert: typeName('battery_insufficient') })}</p>
          {alerts.length > 0 && (
            <ul aria-label={t('device.batteryAlerts')}>
              {alerts.map((a) => (
                <li key={a.id}>
                  <span className={`badge sev-${a.severity}`}>{t(`severity.${a.severity}`)}</span> {typeName(a.type)} · {dateTime(a.time)}
                  {typeof a.details.etaAt === 'string' ? ` · ETA ${dateTime(a.details.etaAt)}` : ''}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <DeviceKeys device={device.id} canWrite={canWrite} />
      {canWrite && <DeviceCustody device={device.id} />}
      {canReadMovements && <DeviceCommands device={device.id} protocol={device.protocol} canCommand={canCommand} />}
    </main>
  );
}
