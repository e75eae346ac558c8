/**
 * The trip report as a printable HTML page in the reader's language (en, fr, ar; Arabic right to
 * left): the movement, an inline SVG map of the track over the route corridor, the stops, the
 * timeline, seals and data gaps. No script and no inline style (the app's CSP forbids them): the
 * layout and the print rules are the server's stylesheet (trip-report.css, GET
 * /api/v1/reports/trip-report.css), linked by absolute address because the console opens the page
 * from a blob: URL, against which a relative one does not resolve. "Print / Save as PDF" in any
 * browser gives the paper version.
 */
import type { LatLon } from '@sealwatch/core';
import type { TripReport } from './trip-report';
import { reportWords, type ReportLanguage, type ReportWords } from './trip-report-words';

export const TRIP_REPORT_CSS_PATH = '/api/v1/reports/trip-report.css';

const esc = (v: unknown): string =>
  String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** A code (reference, device, seal, office) kept whole and left to right inside any sentence. */
const code = (v: unknown) => `<bdi>${esc(v)}</bdi>`;

const W = 760,
  H = 420,
  PAD = 20;

/** Equirectangular projection fitted to the track and route, with longitudes scaled by cos(mid latitude). */
function mapSvg(r: TripReport, w: ReportWords): string {
  const pts = [...r.track.line, ...(r.route ?? [])];
  if (!pts.length) return `<p class="empty">${esc(w.t('noPosition'))}</p>`;
  const lons = pts.map((p) => p[0]),
    lats = pts.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const k = Math.cos((((y0 + y1) / 2) * Math.PI) / 180);
  const scale = Math.min((W - 2 * PAD) / Math.max((x1 - x0) * k, 1e-6), (H - 2 * PAD) / Math.max(y1 - y0, 1e-6));
  const xy = (p: number[]): [string, string] => [(PAD + (p[0] - x0) * k * scale).toFixed(1), (H - PAD - (p[1] - y0) * scale).toFixed(1)];
  const line = (ps: number[][]) => ps.map((p) => xy(p).join(',')).join(' ');
  // The corridor is drawn as a wide line: its width in pixels is corridorWidthM at this scale (2 × half-width).
  const corridorPx = Math.max(2, ((2 * r.movement.corridorWidthM) / 111_320) * scale);
  const parts = [
    `<svg class="track-map" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(w.t('mapLabel'))}">`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="#f7f7f4" stroke="#999"/>`,
  ];
  if (r.route) {
    parts.push(
      `<polyline points="${line(r.route)}" fill="none" stroke="#9ec5e8" stroke-opacity="0.6" stroke-width="${corridorPx.toFixed(1)}" stroke-linecap="round" stroke-linejoin="round"/>`,
      `<polyline points="${line(r.route)}" fill="none" stroke="#3a78b5" stroke-width="1" stroke-dasharray="4 3"/>`,
    );
  }
  if (r.track.line.length) {
    parts.push(`<polyline points="${line(r.track.line)}" fill="none" stroke="#c0392b" stroke-width="2"/>`);
    const [fx, fy] = xy(r.track.line[0]);
    const [lx, ly] = xy(r.track.line[r.track.line.length - 1]);
    parts.push(`<circle cx="${fx}" cy="${fy}" r="5" fill="#27ae60"/>`, `<circle cx="${lx}" cy="${ly}" r="5" fill="#2c3e50"/>`);
  }
  for (const s of r.track.stops) {
    const [cx, cy] = xy([s.lon, s.lat]).map(Number);
    parts.push(
      `<rect x="${cx - 4}" y="${cy - 4}" width="8" height="8" fill="#f39c12"><title>${esc(`${w.time(s.start)} · ${w.number(Math.round(s.durationS / 60))} ${w.t('minutes')} · ${w.place(s)}`)}</title></rect>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/** "12 km NW of Malaba (KE)" in English, from the offline gazetteer; the coordinates when no place is within 150 km. */
export function placeText(p: LatLon | null, lang: ReportLanguage = 'en'): string {
  return reportWords(lang).place(p);
}

/** A cell naming a place, with its coordinates as the cell's title (shown on hover). */
const placeCell = (w: ReportWords, p: LatLon | null) =>
  p ? `<td class="where" title="${esc(w.coords(p))}">${esc(w.place(p))}</td>` : '<td class="where"></td>';

const entryPosition = (e: TripReport['timeline'][number]): LatLon | null => {
  if (e.kind === 'alert') return e.position;
  const p = e.details.position as LatLon | undefined;
  return p && typeof p.lat === 'number' && typeof p.lon === 'number' ? p : null;
};

const table = (head: string[], rows: string[], empty: string) =>
  rows.length
    ? `<table class="grid"><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody></table>`
    : `<p class="empty">${esc(empty)}</p>`;

const fact = (label: string, value: string) => `<dt>${esc(label)}</dt><dd>${value}</dd>`;

/** The report as one HTML document in `lang`, linking the stylesheet at `stylesheet` (an absolute URL). */
export function renderTripReportHtml(r: TripReport, options: { lang?: ReportLanguage; stylesheet?: string } = {}): string {
  const w = reportWords(options.lang ?? 'en');
  const m = r.movement;
  const outcome = (e: TripReport['timeline'][number]) =>
    e.kind !== 'alert'
      ? e.late
        ? w.t('detectedLate', { time: w.time(e.detectedAt) })
        : ''
      : [
          e.resolution
            ? (e.resolution.by
                ? w.t('resolved', { outcome: w.code('outcome', e.resolution.outcome), by: e.resolution.by, time: w.time(e.resolution.at) })
                : w.t('resolvedNoOne', { outcome: w.code('outcome', e.resolution.outcome), time: w.time(e.resolution.at) })) +
              (e.resolution.comment ? `: ${e.resolution.comment}` : '')
            : w.code('status', e.status),
          e.cleared ? w.t('cleared', { reason: e.cleared.reason, time: w.time(e.cleared.at) }) : '',
          e.escalated ? w.t('escalated') : '',
        ]
          .filter(Boolean)
          .join(' · ');
  const timelineRows = r.timeline.map(
    (e) =>
      `<tr class="${e.kind === 'alert' ? `alert sev-${esc(e.severity)}` : 'event'}"><td class="time">${esc(w.time(e.time))}</td><td>${esc(w.t(`kind.${e.kind}`))}</td><td>${esc(w.type(e.type))}</td><td>${e.device ? code(e.device) : ''}</td><td>${e.kind === 'alert' ? esc(w.code('severity', e.severity)) : ''}</td>${placeCell(w, entryPosition(e))}<td>${esc(outcome(e))}</td></tr>`,
  );
  const stopRows = r.track.stops.map(
    (s) =>
      `<tr><td class="time">${esc(w.time(s.start))}</td><td class="time">${esc(s.end ? w.time(s.end) : w.t('ongoing'))}</td><td class="num">${esc(w.number(Math.round(s.durationS / 60)))}</td>${placeCell(w, s)}</tr>`,
  );
  const sealRows = r.seals.history.map(
    (s) => `<tr><td class="time">${esc(w.time(s.time))}</td><td>${esc(w.type(s.type))}</td><td>${s.device ? code(s.device) : ''}</td></tr>`,
  );
  const gapRows = r.dataGaps.map(
    (g) =>
      `<tr><td>${g.device ? code(g.device) : ''}</td><td class="time">${esc(w.time(g.start))}</td><td class="time">${esc(g.end ? w.time(g.end) : w.t('ongoing'))}</td><td class="num">${g.gapS === null ? '' : esc(w.number(Math.round(g.gapS / 60)))}</td></tr>`,
  );
  const stylesheet = options.stylesheet ?? TRIP_REPORT_CSS_PATH;
  return `<!doctype html>
<html lang="${w.lang}" dir="${w.dir}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(w.t('title', { reference: m.reference }))}</title>
<link rel="stylesheet" href="${esc(stylesheet)}">
</head>
<body class="trip-report">
<header class="report-head">
<h1>${esc(w.t('heading'))} ${code(m.reference)}</h1>
<p class="meta">${esc(w.t('generated'))} ${esc(w.time(r.generatedAt))} · ${esc(w.t('times'))}</p>
<p class="screen-only">${esc(w.t('print'))}</p>
</header>
<section class="facts">
<dl>
${fact(w.t('status'), `<span class="status status-${esc(m.status)}">${esc(w.code('mstatus', m.status))}</span>`)}
${fact(w.t('containerVehicle'), `${code(m.container ?? '—')} / ${code(m.vehicle ?? '—')}`)}
${fact(w.t('trader'), code(m.trader ?? '—'))}
${fact(w.t('offices'), `${code(m.departureOffice)} → ${code(m.destinationOffice)}`)}
${fact(w.t('devices'), m.devices.map(code).join(', ') || '—')}
${fact(w.t('seals'), m.seals.map(code).join(', ') || '—')}
${fact(w.t('started'), esc(w.time(m.startedAt)))}
${fact(w.t('arrived'), esc(w.time(m.arrivedAt)))}
${fact(w.t('ended'), esc(w.time(m.endedAt)))}
${fact(w.t('timeLimit'), esc(w.time(m.timeLimit)))}
${fact(w.t('movement'), code(m.id))}
</dl>
</section>
<section class="track">
<h2>${esc(w.t('track'))}</h2>
<p>${esc(
    w.t('trackSummary', {
      points: w.number(r.track.points),
      distance: w.km(r.track.distanceM),
      hours: w.hours(r.track.durationS),
      stops: w.number(r.track.stops.length),
    }),
  )}${r.track.truncated ? ` ${esc(w.t('truncated'))}` : ''}</p>
<figure class="map" dir="ltr">
${mapSvg(r, w)}
<figcaption dir="${w.dir}">${esc(w.t('legend', { width: `${w.number(m.corridorWidthM)} m` }))}</figcaption>
</figure>
${table([w.t('stopFrom'), w.t('to'), w.t('minutes'), w.t('where')], stopRows, w.t('noStops'))}
</section>
<section class="timeline">
<h2>${esc(w.t('timeline'))}</h2>
${table([w.t('occurred'), w.t('kind'), w.t('type'), w.t('device'), w.t('severity'), w.t('where'), w.t('outcome')], timelineRows, w.t('noEntries'))}
</section>
<section class="seals">
<h2>${esc(w.t('sealHistory'))}</h2>
<p>${esc(w.t('declaredSeals', { seals: '' }))}${r.seals.declared.map(code).join(', ') || esc(w.t('none'))}</p>
${table([w.t('time'), w.t('change'), w.t('device')], sealRows, w.t('noSealChanges'))}
</section>
<section class="gaps">
<h2>${esc(w.t('dataGaps'))}</h2>
${table([w.t('device'), w.t('from'), w.t('to'), w.t('minutes')], gapRows, w.t('noGaps'))}
</section>
</body></html>
`;
}
