import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placeText, renderTripReportHtml } from './trip-report-html';
import type { TripReport } from './trip-report';

test('the trip report names positions by the nearest gazetteer place, coordinates when none is near', () => {
  assert.equal(placeText({ lat: 0.6345, lon: 34.2795 + 12 / 111.19 }), '12 km E of Malaba, Kenya');
  assert.equal(placeText({ lat: -3.863, lon: 39.473 }), 'Mariakani, Kenya');
  assert.equal(placeText({ lat: -3.44, lon: 38.6 }), '6.9 km SE of Voi, Kenya');
  assert.equal(placeText({ lat: -33.9, lon: 18.4 }), '-33.9, 18.4');
  assert.equal(placeText(null), '');
  assert.equal(placeText({ lat: 0.6345, lon: 34.2795 + 12 / 111.19 }, 'fr').replace(/\s/g, ' '), 'à 12 km à l’est de Malaba, Kenya');
  assert.match(placeText({ lat: 0.6345, lon: 34.2795 + 12 / 111.19 }, 'ar'), /^على بعد \u200f?12 كم شرق مالابا، كينيا$/);
});

const report: TripReport = {
  movement: {
    id: 'M-1',
    reference: 'MRN-26KE0001',
    container: 'MSCU6246831',
    vehicle: 'KDA 512Q',
    trader: 'pwani-freight',
    status: 'in_transit',
    devices: ['KE-ELOCK-0001'],
    seals: ['KRA1116348'],
    departureOffice: 'KEMBA',
    destinationOffice: 'UGKLA',
    timeLimit: '2026-12-11T02:42:56.000Z',
    startedAt: '2026-12-07T02:42:56.000Z',
    arrivedAt: null,
    endedAt: null,
    corridorWidthM: 2000,
  },
  generatedAt: '2026-12-07T08:00:00.000Z',
  track: {
    points: 2,
    distanceM: 120_000,
    durationS: 7200,
    stops: [],
    truncated: false,
    line: [
      [39.66, -4.04],
      [38.6, -3.44],
    ],
  },
  route: null,
  timeline: [
    {
      kind: 'alert',
      time: '2026-12-07T04:00:00.000Z',
      type: 'seal_tampered',
      id: 'A-1',
      severity: 'critical',
      status: 'resolved',
      device: 'KE-ELOCK-0001',
      count: 1,
      resolution: { outcome: 'confirmed', comment: null, by: 'officer.ke', at: '2026-12-07T05:00:00.000Z' },
      cleared: null,
      position: { lat: -3.44, lon: 38.6 },
      escalated: false,
      history: [],
    },
  ],
  seals: { declared: ['KRA1116348'], history: [] },
  dataGaps: [],
} as unknown as TripReport;

test('the printable report is in the reader’s language, Arabic right to left, with the server’s stylesheet and no inline style or script', () => {
  const en = renderTripReportHtml(report, { stylesheet: 'http://x/api/v1/reports/trip-report.css' });
  assert.match(en, /<html lang="en" dir="ltr">/);
  assert.match(en, /<link rel="stylesheet" href="http:\/\/x\/api\/v1\/reports\/trip-report.css">/);
  assert.match(en, /Seal tampered/);
  assert.match(en, /resolved \(confirmed\) by officer.ke at 7 Dec 2026, 05:00:00/);
  const fr = renderTripReportHtml(report, { lang: 'fr' });
  assert.match(fr, /<html lang="fr" dir="ltr">/);
  assert.match(fr, /Rapport de trajet/);
  assert.match(fr, /Scellé altéré/);
  assert.match(fr, /résolue \(confirmé\) par officer.ke le 7 déc\. 2026/);
  assert.match(fr, /en transit/);
  const ar = renderTripReportHtml(report, { lang: 'ar' });
  assert.match(ar, /<html lang="ar" dir="rtl">/);
  assert.match(ar, /تقرير الرحلة/);
  assert.match(ar, /العبث بالختم/);
  assert.match(ar, /<figure class="map" dir="ltr">/, 'the map keeps east to the right');
  for (const html of [en, fr, ar]) {
    assert.doesNotMatch(html, /<script|style=|<style/);
    assert.doesNotMatch(html, /\d{4}-\d\d-\d\dT\d\d:/, 'no ISO timestamps');
  }
});
