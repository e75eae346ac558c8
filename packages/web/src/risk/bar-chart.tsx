/** A hand-rolled SVG bar chart of one value per category (e.g. a rate per period), with an accessible summary. */
const W = 360,
  H = 140,
  PAD = { l: 8, r: 8, t: 10, b: 22 };

export function BarChart({
  title,
  bars,
  max = 1,
  format,
}: {
  title: string;
  bars: { label: string; value: number | null }[];
  max?: number;
  format(v: number): string;
}) {
  const n = Math.max(1, bars.length);
  const slot = (W - PAD.l - PAD.r) / n;
  const top = Math.max(max, ...bars.map((b) => b.value ?? 0), 1e-9);
  const summary = `${title}: ${bars.map((b) => `${b.label} ${b.value === null ? '—' : format(b.value)}`).join(', ')}`;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} direction="ltr">
        <line x1={PAD.l} x2={W - PAD.r} y1={H - PAD.b} y2={H - PAD.b} className="axis" stroke="currentColor" strokeOpacity={0.4} />
        {bars.map((b, i) => {
          const h = b.value === null ? 0 : ((H - PAD.t - PAD.b) * b.value) / top;
          // periods run left to right in every language, as time does on the line charts
          const x = PAD.l + i * slot + slot * 0.15;
          return (
            <g key={b.label}>
              <rect x={x} y={H - PAD.b - h} width={slot * 0.7} height={h} fill="var(--accent)" />
              {n <= 16 && (
                <text x={x + slot * 0.35} y={H - 6} textAnchor="middle" fontSize={9} fill="currentColor">
                  {b.label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
