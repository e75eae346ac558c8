/**
 * The trip report as a printable HTML page: the movement, an inline SVG map of the track over
 * the route corridor, the timeline, seals and data gaps. Self-contained: no script, no external
 * resource, no inline style (the app's CSP forbids them); layout comes from HTML and SVG
 * attributes only, so "Print / Save as PDF" in any browser gives the paper version.
 */
import type { LatLon } from '@sealwatch/core';
import { nearestPlace } from '@sealwatch/core/places/nearest-place';
import type { TripReport } from './trip-report';

const esc = (v: unknown): string =>
  String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const W = 760,
  H = 420,
  PAD = 20;

/** Equirectangular projection fitted to the track and route, with longitudes scaled by cos(mid latitude). */
function mapSvg(r: TripReport): string {
  const pts = [...r.track.line, ...(r.route ?? [])];
  if (!pts.length) return '<p>No position was reported.</p>';
  const lons = pts.map((p) => p[0]),
    lats = pts.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const k = Math.cos((((y0 + y1) / 2) * Math.PI) / 180);
  const scale = Math.min((W - 2 * PAD) / Math.max((x1 - x0) * k, 1e-6), (H - 2 * PAD) / Math.max(y1 - y0, 1e-6));
  const xy = (p: number[]) => `${(PAD + (p[0] - x0) * k * scale).toFixed(1)},${(H - PAD - (p[1] - y0) * scale).toFixed(1)}`;
  // The corridor is drawn as a wide line: its width in pixels is corridorWidthM at this scale (2 × half-width).
  const corridorPx = Math.max(2, ((2 * r.movement.corridorWidthM) / 111_320) * scale);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="Track over the route corridor">`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="#f7f7f4" stroke="#999"/>`,
  ];
  if (r.route) {
    const line = r.route.map(xy).join(' ');
    parts.push(
      `<polyline points="${line}" fill="none" stroke="#9ec5e8" stroke-opacity="0.6" stroke-width="${corridorPx.toFixed(1)}" stroke-linecap="round" stroke-linejoin="round"/>`,
    );
    parts.push(`<polyline points="${line}" fill="none" stroke="#3a78b5" stroke-width="1" stroke-dasharray="4 3"/>`);
  }
  if (r.track.line.length) {
    parts.push(`<polyline points="${r.track.line.map(xy).join(' ')}" fill="none" stroke="#c0392b" stroke-width="2"/>`);
    parts.push(
      `<circle cx="${xy(r.track.line[0]).split(',')[0]}" cy="${xy(r.track.line[0]).split(',')[1]}" r="5" fill="#27ae60"><title>first fix</title></circle>`,
    );
    const last = xy(r.track.line[r.track.line.length - 1]).split(',');
    parts.push(`<circle cx="${last[0]}" cy="${last[1]}" r="5" fill="#2c3e50"><title>last fix</title></circle>`);
  }
  for (const s of r.track.stops) {
    const [cx, cy] = xy([s.lon, s.lat]).split(',');
    parts.push(
      `<rect x="${Number(cx) - 4}" y="${Number(cy) - 4}" width="8" height="8" fill="#f39c12"><title>stop ${esc(s.start)}, ${Math.round(s.durationS / 60)} min, ${esc(placeText(s))}</title></rect>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/** "12 km NW of Malaba (KE)" from the offline gazetteer; the coordinates when no place is within 150 km. */
export function placeText(p: LatLon | null): string {
  if (!p) return '';
  const fix = nearestPlace(p);
  const coords = `${p.lat.toFixed(4)}, ${p.lon.toFixed(4)}`;
  if (!fix) return coords;
  const where = `${fix.place.name} (${fix.place.country})`;
  if (fix.at) return where;
  const km = fix.distanceM / 1000;
  return `${km < 10 ? km.toFixed(1) : Math.round(km)} km ${fix.direction} of ${where}`;
}

/** A cell naming a place, with its coordinates as the cell's title (shown on hover). */
const placeCell = (p: LatLon | null) => ({
  td: p ? `<td valign="top" title="${esc(`${p.lat.toFixed(5)}, ${p.lon.toFixed(5)}`)}">${esc(placeText(p))}</td>` : '<td></td>',
});

const entryPosition = (e: TripReport['timeline'][number]): LatLon | null => {
  if (e.kind === 'alert') return e.position;
  const p = e.details.position as LatLon | undefined;
  return p && typeof p.lat === 'number' && typeof p.lon === 'number' ? p : null;
};

/** A table row; a `{ td }` cell is already rendered (a place with its coordinates as title). */
const row = (cells: Array<unknown | { td: string }>, head = false) =>
  `<tr>${cells
    .map((c) =>
      head ? `<th align="left">${esc(c)}</th>` : c && typeof c === 'object' && 'td' in c ? c.td : `<td valign="top">${esc(c)}</td>`,
    )
    .join('')}</tr>`;

/** The report as one HTML document. */
export function renderTripReportHtml(r: TripReport): string {
  const m = r.movement;
  const outcome = (e: TripReport['timeline'][number]) =>
    e.kind !== 'alert'
      ? e.late
        ? `detected late at ${e.detectedAt}`
        : ''
      : [
          e.resolution
            ? `resolved ${e.resolution.outcome}${e.resolution.by ? ` by ${e.resolution.by}` : ''} at ${e.resolution.at}` +
              (e.resolution.comment ? `: ${e.resolution.comment}` : '')
            : e.status,
          e.cleared ? `cleared (${e.cleared.reason}) at ${e.cleared.at}` : '',
          e.escalated ? 'escalated' : '',
        ]
          .filter(Boolean)
          .join('; ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Trip report ${esc(m.reference)}</title></head>
<body>
<h1>Trip report: ${esc(m.reference)}</h1>
<table cellpadding="3">
${row(['Movement', m.id])}${row(['Container / vehicle', `${m.container ?? '—'} / ${m.vehicle ?? '—'}`])}${row(['Trader', m.trader ?? '—'])}
${row(['Offices', `${m.departureOffice} → ${m.destinationOffice}`])}${row(['Status', m.status])}
${row(['Started / arrived / ended', `${m.startedAt ?? '—'} / ${m.arrivedAt ?? '—'} / ${m.endedAt ?? '—'}`])}${row(['Time limit', m.timeLimit ?? '—'])}
${row(['Devices', m.devices.join(', ')])}${row(['Generated', r.generatedAt])}
</table>
<h2>Track</h2>
<p>${r.track.points} positions, ${(r.track.distanceM / 1000).toFixed(1)} km in ${(r.track.durationS / 3600).toFixed(1)} h, ${r.track.stops.length} stops${r.track.truncated ? ' (track truncated)' : ''}. Red: track; blue band: route corridor (${m.corridorWidthM} m); orange: stops.</p>
${mapSvg(r)}
<table border="1" cellspacing="0" cellpadding="3">
${row(['Stop from (UTC)', 'To', 'Minutes', 'Where'], true)}
${r.track.stops.map((s) => row([s.start, s.end ?? 'ongoing', Math.round(s.durationS / 60), placeCell(s)])).join('\n')}
</table>
<h2>Timeline</h2>
<table border="1" cellspacing="0" cellpadding="3">
${row(['Occurred (UTC)', 'Kind', 'Type', 'Device', 'Severity', 'Where', 'Outcome'], true)}
${r.timeline.map((e) => row([e.time, e.kind, e.type, e.device ?? '', e.kind === 'alert' ? e.severity : '', placeCell(entryPosition(e)), outcome(e)])).join('\n')}
</table>
<h2>Seals</h2>
<p>Declared: ${esc(r.seals.declared.join(', ') || 'none')}</p>
<table border="1" cellspacing="0" cellpadding="3">
${row(['Time (UTC)', 'Change', 'Device'], true)}
${r.seals.history.map((s) => row([s.time, s.type, s.device ?? ''])).join('\n')}
</table>
<h2>Data gaps</h2>
<table border="1" cellspacing="0" cellpadding="3">
${row(['Device', 'From', 'To', 'Minutes'], true)}
${r.dataGaps.map((g) => row([g.device ?? '', g.start, g.end ?? 'ongoing', g.gapS === null ? '' : Math.round(g.gapS / 60)])).join('\n')}
</table>
</body></html>
`;
}
