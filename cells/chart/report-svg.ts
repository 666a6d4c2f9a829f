// A chart cell's result as static SVG text, for the HTML report (no DOM, no script: the page
// draws charts with Observable Plot; a report is a file that must open anywhere). It draws the
// common marks from the points the server computed (bars, histograms, lines, areas, dots,
// boxes); the others become a note that says so.
import { esc, linear } from '../report-html.ts';

const W = 640;
const H = 260;
const M = { top: 12, right: 16, bottom: 44, left: 64 };
const PALETTE = ['#4269d0', '#efb118', '#ff725c', '#6cc5b0', '#3ca951', '#ff8ab7', '#a463f2', '#97bbf5', '#9c6b4e', '#9498a0'];

type Row = Record<string, unknown>;
interface Enc { type?: string; label?: string }
interface Spec { mark?: string; orientation?: string; title?: string; encoding?: Record<string, Enc | undefined> }


const isTemporal = (e?: Enc) => e?.type === 'temporal';
const toNum = (v: unknown, temporal: boolean): number | null => {
  if (v === null || v === undefined) return null;
  if (temporal) {
    const t = Date.parse(String(v));
    return Number.isFinite(t) ? t : null;
  }
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

function ticks(d0: number, d1: number, n = 5): number[] {
  const span = d1 - d0;
  if (!(span > 0)) return [d0];
  const raw = span / n;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(d0 / step) * step; v <= d1 + step * 1e-9; v += step) out.push(Number(v.toFixed(10)));
  return out;
}

const fmt = (v: number, temporal: boolean) => (temporal ? new Date(v).toISOString().slice(0, 10)
  : Math.abs(v) >= 1e6 ? `${(v / 1e6).toFixed(1)}M` : Math.abs(v) >= 1e4 ? `${(v / 1e3).toFixed(0)}k` : String(Number(v.toPrecision(4))));

function frame(body: string, xLabel: string, yLabel: string, title?: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title ?? `${yLabel} by ${xLabel}`)}" font-family="system-ui, sans-serif" font-size="11">`
    + `${body}<text x="${W / 2}" y="${H - 6}" text-anchor="middle" fill="#555">${esc(xLabel)}</text>`
    + `<text transform="translate(12 ${H / 2}) rotate(-90)" text-anchor="middle" fill="#555">${esc(yLabel)}</text></svg>`;
}

function yAxis(y: (v: number) => number, d0: number, d1: number, temporal = false): string {
  return ticks(d0, d1).map((t) => `<line x1="${M.left}" x2="${W - M.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#eee"/>`
    + `<text x="${M.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" fill="#555">${esc(fmt(t, temporal))}</text>`).join('');
}

/** Calendar ticks for dates: year starts over long spans, month starts (every few) over short ones. */
function dateTicks(d0: number, d1: number): number[] {
  const years = (d1 - d0) / (365.25 * 86400_000);
  const out: number[] = [];
  const start = new Date(d0);
  if (years >= 2) {
    const every = Math.ceil(years / 8);
    for (let y = start.getUTCFullYear() + (start.getUTCMonth() || start.getUTCDate() > 1 ? 1 : 0); Date.UTC(y, 0, 1) <= d1; y += every) out.push(Date.UTC(y, 0, 1));
  } else {
    const months = Math.max(1, Math.ceil((years * 12) / 8));
    for (let m = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + (start.getUTCDate() > 1 ? 1 : 0), 1)); m.getTime() <= d1; m.setUTCMonth(m.getUTCMonth() + months)) out.push(m.getTime());
  }
  return out.length ? out : [d0];
}

function xAxisNumeric(x: (v: number) => number, d0: number, d1: number, temporal: boolean): string {
  return (temporal ? dateTicks(d0, d1) : ticks(d0, d1, 6)).map((t) => `<text x="${x(t).toFixed(1)}" y="${H - M.bottom + 16}" text-anchor="middle" fill="#555">${esc(fmt(t, temporal))}</text>`).join('')
    + `<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#999"/>`;
}

const colorOf = (keys: string[]) => (k: string) => PALETTE[Math.max(0, keys.indexOf(k)) % PALETTE.length]!;

function legend(keys: string[]): string {
  if (keys.length < 2) return '';
  return keys.slice(0, 10).map((k, i) => `<rect x="${M.left + i * 90}" y="0" width="9" height="9" fill="${PALETTE[i % PALETTE.length]}"/><text x="${M.left + 12 + i * 90}" y="9" fill="#333">${esc(k.slice(0, 12))}</text>`).join('');
}

/** Bars (stacked by color) with categories along one axis, or bins with x..x2. */
function bars(data: Row[], spec: Spec): string {
  const horizontal = spec.orientation === 'horizontal';
  const cat = horizontal ? 'y' : 'x';
  const val = horizontal ? 'x' : 'y';
  const binned = data.some((r) => r[`${cat}2`] !== undefined && r[`${cat}2`] !== null);
  const colors = [...new Set(data.map((r) => String(r.color ?? '')))];
  const color = colorOf(colors);
  const catTemporal = isTemporal(spec.encoding?.[cat]);
  const stacks = new Map<string, number>();
  let max = 0;
  for (const r of data) {
    const k = String(r[cat]);
    const top = (stacks.get(k) ?? 0) + (toNum(r[val], false) ?? 0);
    stacks.set(k, top);
    max = Math.max(max, top);
  }
  const labelCat = spec.encoding?.[cat]?.label ?? cat;
  const labelVal = spec.encoding?.[val]?.label ?? val;
  const base = new Map<string, number>();
  let body = legend(colors);
  if (binned) {
    const starts = data.map((r) => toNum(r[cat], catTemporal)!).filter((v) => v !== null);
    const ends = data.map((r) => toNum(r[`${cat}2`], catTemporal)!).filter((v) => v !== null);
    const d0 = Math.min(...starts);
    const d1 = Math.max(...ends);
    const x = linear(d0, d1, M.left, W - M.right);
    const y = linear(0, max || 1, H - M.bottom, M.top);
    body += yAxis(y, 0, max || 1);
    for (const r of data) {
      const k = String(r[cat]);
      const v = toNum(r[val], false) ?? 0;
      const b = base.get(k) ?? 0;
      base.set(k, b + v);
      const x0 = x(toNum(r[cat], catTemporal) ?? d0);
      const x1 = x(toNum(r[`${cat}2`], catTemporal) ?? d1);
      body += `<rect class="mark" x="${(x0 + 0.5).toFixed(1)}" y="${y(b + v).toFixed(1)}" width="${Math.max(0.5, x1 - x0 - 1).toFixed(1)}" height="${(y(b) - y(b + v)).toFixed(1)}" fill="${color(String(r.color ?? ''))}"/>`;
    }
    body += xAxisNumeric(x, d0, d1, catTemporal);
    return frame(body, labelCat, labelVal, spec.title);
  }
  const cats = [...stacks.keys()];
  const band = ((horizontal ? H - M.top - M.bottom : W - M.left - M.right) / Math.max(cats.length, 1));
  const scale = horizontal ? linear(0, max || 1, M.left, W - M.right) : linear(0, max || 1, H - M.bottom, M.top);
  if (!horizontal) body += yAxis(scale, 0, max || 1);
  for (const r of data) {
    const k = String(r[cat]);
    const i = cats.indexOf(k);
    const v = toNum(r[val], false) ?? 0;
    const b = base.get(k) ?? 0;
    base.set(k, b + v);
    const fill = color(String(r.color ?? ''));
    body += horizontal
      ? `<rect class="mark" x="${scale(b).toFixed(1)}" y="${(M.top + i * band + band * 0.1).toFixed(1)}" width="${(scale(b + v) - scale(b)).toFixed(1)}" height="${(band * 0.8).toFixed(1)}" fill="${fill}"/>`
      : `<rect class="mark" x="${(M.left + i * band + band * 0.1).toFixed(1)}" y="${scale(b + v).toFixed(1)}" width="${(band * 0.8).toFixed(1)}" height="${(scale(b) - scale(b + v)).toFixed(1)}" fill="${fill}"/>`;
  }
  const every = Math.ceil(cats.length / (horizontal ? 20 : 12));
  body += cats.map((k, i) => (i % every ? '' : horizontal
    ? `<text x="${M.left - 4}" y="${(M.top + (i + 0.5) * band + 4).toFixed(1)}" text-anchor="end" fill="#555">${esc(k.slice(0, 10))}</text>`
    : `<text x="${(M.left + (i + 0.5) * band).toFixed(1)}" y="${H - M.bottom + 14}" text-anchor="middle" fill="#555">${esc(k.slice(0, 12))}</text>`)).join('');
  return frame(body, horizontal ? labelVal : labelCat, horizontal ? labelCat : labelVal, spec.title);
}

/** Lines, areas and dots: x and y positions, one series per color. */
function xy(data: Row[], spec: Spec, mark: string): string {
  const tx = isTemporal(spec.encoding?.x);
  const ty = isTemporal(spec.encoding?.y);
  const pts = data.map((r) => ({ x: toNum(r.x, tx), y: toNum(r.y, ty), c: String(r.color ?? '') })).filter((p) => p.x !== null && p.y !== null) as { x: number; y: number; c: string }[];
  if (!pts.length) return '';
  const xs = pts.map((p) => p.x);
  const ys = pts.map((p) => p.y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(0, ...ys), Math.max(...ys)];
  const x = linear(x0, x1, M.left, W - M.right);
  const y = linear(mark === 'dot' ? Math.min(...ys) : y0, y1, H - M.bottom, M.top);
  const series = [...new Set(pts.map((p) => p.c))];
  const color = colorOf(series);
  let body = legend(series) + yAxis(y, mark === 'dot' ? Math.min(...ys) : y0, y1, ty);
  for (const s of series) {
    const line = pts.filter((p) => p.c === s).sort((a, b) => a.x - b.x);
    if (mark === 'dot') {
      body += line.map((p) => `<circle cx="${x(p.x).toFixed(1)}" cy="${y(p.y).toFixed(1)}" r="2.2" fill="none" stroke="${color(s)}"/>`).join('');
    } else {
      const d = line.map((p, i) => `${i ? 'L' : 'M'}${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`).join('');
      body += mark === 'area'
        ? `<path d="${d}L${x(line.at(-1)!.x).toFixed(1)},${y(0).toFixed(1)}L${x(line[0]!.x).toFixed(1)},${y(0).toFixed(1)}Z" fill="${color(s)}" fill-opacity="0.5"/>`
        : `<path d="${d}" fill="none" stroke="${color(s)}" stroke-width="1.5"/>`;
    }
  }
  body += xAxisNumeric(x, x0, x1, tx);
  return frame(body, spec.encoding?.x?.label ?? 'x', spec.encoding?.y?.label ?? 'y', spec.title);
}

function boxes(data: Row[], spec: Spec): string {
  const vertical = spec.orientation !== 'horizontal';
  const cat = vertical ? 'x' : 'y';
  const los = data.map((r) => Number(r.lo)).filter(Number.isFinite);
  const his = data.map((r) => Number(r.hi)).filter(Number.isFinite);
  if (!vertical || !los.length) return '';
  const y = linear(Math.min(...los), Math.max(...his), H - M.bottom, M.top);
  const band = (W - M.left - M.right) / data.length;
  let body = yAxis(y, Math.min(...los), Math.max(...his));
  data.forEach((r, i) => {
    const cx = M.left + (i + 0.5) * band;
    const w = band * 0.5;
    body += `<line x1="${cx}" x2="${cx}" y1="${y(Number(r.lo)).toFixed(1)}" y2="${y(Number(r.hi)).toFixed(1)}" stroke="#333"/>`
      + `<rect x="${(cx - w / 2).toFixed(1)}" y="${y(Number(r.q3)).toFixed(1)}" width="${w.toFixed(1)}" height="${(y(Number(r.q1)) - y(Number(r.q3))).toFixed(1)}" fill="#97bbf5" stroke="#333"/>`
      + `<line x1="${(cx - w / 2).toFixed(1)}" x2="${(cx + w / 2).toFixed(1)}" y1="${y(Number(r.median)).toFixed(1)}" y2="${y(Number(r.median)).toFixed(1)}" stroke="#333" stroke-width="2"/>`
      + `<text x="${cx.toFixed(1)}" y="${H - M.bottom + 14}" text-anchor="middle" fill="#555">${esc(String(r[cat]).slice(0, 12))}</text>`;
  });
  return frame(body, spec.encoding?.[cat]?.label ?? cat, spec.encoding?.y?.label ?? 'y', spec.title);
}

/** The chart as SVG text, or '' when its mark is one this renderer does not draw. */
export function chartSvg(result: { spec?: Spec; data?: Row[] }): string {
  const spec = result.spec ?? {};
  const data = Array.isArray(result.data) ? result.data : [];
  if (!data.length) return '';
  switch (spec.mark) {
    case 'bar': case 'histogram': return bars(data, spec);
    case 'line': case 'area': case 'dot': return xy(data, spec, spec.mark);
    case 'box': return boxes(data, spec);
    default: return '';
  }
}
