/** A small hand-rolled SVG line chart (time on x, value on y) with an accessible summary. */
import { useI18n } from '../i18n/i18n-context';

const W = 320;
const H = 110;
const PAD = { l: 34, r: 26, t: 8, b: 18 };

export function LineChart({ title, points }: { title: string; points: { t: number; v: number }[] }) {
  const { number, time } = useI18n();
  const t0 = points[0].t;
  const t1 = Math.max(points[points.length - 1].t, t0 + 1);
  let lo = Math.min(...points.map((p) => p.v));
  let hi = Math.max(...points.map((p) => p.v));
  if (hi - lo < 1e-9) {
    lo -= 1;
    hi += 1;
  }
  // Time runs left to right in every language: charts are read that way in Arabic too, and a
  // mirrored axis would make a falling battery look as if it were charging.
  const x = (t: number) => PAD.l + ((t - t0) / (t1 - t0)) * (W - PAD.l - PAD.r);
  const y = (v: number) => PAD.t + (1 - (v - lo) / (hi - lo)) * (H - PAD.t - PAD.b);
  const d = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)} ${y(p.v).toFixed(1)}`).join('');
  const last = points[points.length - 1];
  const summary = `${title}: ${number(lo, 1)} – ${number(hi, 1)}, ${number(last.v, 1)} @ ${time(new Date(last.t).toISOString())}`;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} direction="ltr">
        <line className="axis" x1={PAD.l} x2={W - PAD.r} y1={H - PAD.b} y2={H - PAD.b} />
        <text className="tick" x={PAD.l - 4} y={y(hi) + 4} textAnchor="end">
          {number(hi, 1)}
        </text>
        <text className="tick" x={PAD.l - 4} y={y(lo)} textAnchor="end">
          {number(lo, 1)}
        </text>
        <text className="tick" x={x(t0)} y={H - 4} textAnchor="middle">
          {time(new Date(t0).toISOString())}
        </text>
        <text className="tick" x={x(t1)} y={H - 4} textAnchor="middle">
          {time(new Date(t1).toISOString())}
        </text>
        <path className="line" d={d} />
        {points.length === 1 && <circle className="line-dot" cx={x(last.t)} cy={y(last.v)} r={3} />}
      </svg>
    </figure>
  );
}
