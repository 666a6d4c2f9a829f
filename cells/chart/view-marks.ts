// Browser side: a chart result (the resolved spec and its points) as Observable Plot options.
// The server already grouped, binned and sorted; this only maps channels to marks and scales.
import type * as PlotLib from '@observablehq/plot';
import { formatValue } from '../kit/format.ts';
import type { ChartResult, ResolvedEncoding, ResolvedSpec } from './types.ts';
import type { Channel } from './vocabulary.ts';

type Plot = typeof PlotLib;
type Row = Record<string, unknown>;

/** One series without a color channel: the first colour of Plot's observable10 scheme. */
export const SERIES_COLOR = '#4269d0';
const CHAR_PX = 6.2;
const LABEL_CHARS = 28;

const isTemporal = (e?: ResolvedEncoding) => e?.type === 'temporal';

/** ISO strings back to dates for temporal channels (and their bin ends); midpoints for binned lines. */
function prepare(spec: ResolvedSpec, rows: Row[]): Row[] {
  const timeKeys = (Object.keys(spec.encoding) as Channel[]).filter((c) => isTemporal(spec.encoding[c]));
  for (const c of ['x', 'y'] as const) if (isTemporal(spec.encoding[c])) timeKeys.push(`${c}2` as Channel);
  const midpoints = (spec.mark === 'line' || spec.mark === 'area' || spec.mark === 'dot' || spec.mark === 'text' || spec.mark === 'rule');
  return rows.map((r) => {
    const out: Row = { ...r };
    for (const k of timeKeys) if (typeof out[k] === 'string') out[k] = new Date(out[k] as string);
    if (midpoints) {
      for (const c of ['x', 'y'] as const) {
        const bin = spec.encoding[c]?.bin;
        if (bin && 'step' in bin && typeof out[c] === 'number') out[c] = (out[c] as number) + bin.step / 2;
      }
    }
    return out;
  });
}

/**
 * A line over buckets or bins must not bridge the ones a series has no rows in: a break (a
 * point without y) goes where a series skips from one bucket to a later one.
 */
function withGaps(spec: ResolvedSpec, rows: Row[]): Row[] {
  if (spec.mark !== 'line' || !spec.encoding.x?.bin) return rows;
  const last = new Map<string, Row>();
  const out: Row[] = [];
  for (const r of rows) {
    const series = JSON.stringify([r.color ?? null, r.facet ?? null]);
    const before = last.get(series);
    if (before && before.x2 !== null && before.x2 !== undefined && before.x2 !== r.x) out.push({ ...before, x: before.x2, y: null, gap: true });
    last.set(series, r);
    out.push(r);
  }
  return out;
}

/** Distinct values in the order the server sent them (it sorted them by the chart's category first). */
function domainOf(rows: Row[], key: string): unknown[] {
  const seen = new Set<unknown>();
  const out: unknown[] = [];
  for (const r of rows) {
    const v = r[key];
    const id = v instanceof Date ? v.getTime() : v;
    if (v === null || v === undefined || seen.has(id)) continue;
    seen.add(id);
    out.push(v);
  }
  return out;
}

const collator = new Intl.Collator('en', { numeric: true });
const valueOf = (v: unknown) => (v instanceof Date ? v.getTime() : v);

/** Distinct values in their natural order: numbers and dates ascending, text as a person sorts it. */
function sortedDomainOf(rows: Row[], key: string): unknown[] {
  return domainOf(rows, key).sort((a, b) => {
    const x = valueOf(a);
    const y = valueOf(b);
    return typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
  });
}

/**
 * The axis whose order the server decided (the bars' or boxes' categories, else x): it keeps the
 * data's order, so `sort: -y` shows. Other band axes and the legend are in natural order, since
 * the data lists their values group by group.
 */
function orderedAxis(spec: ResolvedSpec): 'x' | 'y' {
  return (spec.mark === 'bar' || spec.mark === 'histogram' || spec.mark === 'box') && spec.orientation === 'horizontal' ? 'y' : 'x';
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A bucket's start as its label on a band axis (boxes per month): "2014", "Mar 2014", "2014-03-10". */
function bucketLabel(unit: string): (d: unknown) => string {
  return (d) => {
    if (!(d instanceof Date)) return formatValue(d);
    const iso = d.toISOString();
    if (unit === 'year') return iso.slice(0, 4);
    if (unit === 'month' || unit === 'quarter') return `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
    if (unit === 'hour') return `${iso.slice(0, 10)} ${iso.slice(11, 13)}:00`;
    return iso.slice(0, 10);
  };
}

const shorten = (v: unknown) => {
  const text = formatValue(v);
  return text.length > LABEL_CHARS ? `${text.slice(0, LABEL_CHARS - 1)}…` : text;
};

/**
 * A band (or point) axis holds categories: text, a box chart's categories whatever they hold,
 * and a heatmap's time buckets (so each cell sits under its label).
 */
function isBandAxis(spec: ResolvedSpec, c: 'x' | 'y'): boolean {
  const e = spec.encoding[c];
  if (!e) return false;
  const bin = e.bin;
  return e.type === 'nominal' || (spec.mark === 'box' && c === (spec.orientation === 'vertical' ? 'x' : 'y'))
    || (spec.mark === 'heatmap' && bin !== undefined && 'unit' in bin);
}

function positionScale(spec: ResolvedSpec, c: 'x' | 'y', rows: Row[]): PlotLib.ScaleOptions {
  const e = spec.encoding[c];
  const opts: PlotLib.ScaleOptions = {};
  if (!e) return opts;
  opts.label = e.label;
  if (e.scale && e.scale !== 'linear') opts.type = e.scale;
  const bin = e.bin;
  if (isBandAxis(spec, c)) {
    opts.domain = c === orderedAxis(spec) ? domainOf(rows, c) : sortedDomainOf(rows, c);
    // Plot reads a format string on a band axis as a number format: dates get a function.
    if (bin && 'unit' in bin) opts.tickFormat = bucketLabel(bin.unit);
    else if (e.format) opts.tickFormat = e.format;
    else opts.tickFormat = shorten;
    // A vertical label beside long category names would run into them: it goes on top.
    if (c === 'y') opts.labelAnchor = 'top';
  } else {
    if (e.format) opts.tickFormat = e.format;
    // Plot labels log ticks with SI prefixes (0.4 as "400m"); plain numbers read better.
    else if (e.scale === 'log') opts.tickFormat = '~g';
    if (e.type === 'quantitative') opts.grid = true;
  }
  return opts;
}

function colorScale(spec: ResolvedSpec, rows: Row[]): PlotLib.ScaleOptions | undefined {
  const e = spec.encoding.color;
  if (!e) return undefined;
  if (e.type === 'nominal') return { type: 'ordinal', domain: sortedDomainOf(rows, 'color'), scheme: 'observable10', label: e.label, tickFormat: shorten };
  return {
    type: e.scale && e.scale !== 'linear' ? e.scale : isTemporal(e) ? 'utc' : 'linear',
    scheme: spec.mark === 'heatmap' ? 'ylgnbu' : 'viridis',
    label: e.label,
    ...(e.format ? { tickFormat: e.format } : {}),
  };
}

/** Tooltips write values with the encoding's `format` where one is given. */
function tipFor(spec: ResolvedSpec): true | { format: Record<string, string> } {
  const format: Record<string, string> = {};
  const of: [string[], Channel][] = [[['x', 'x1', 'x2'], 'x'], [['y', 'y1', 'y2', 'q1', 'median', 'q3', 'lo', 'hi'], 'y'], [['fill', 'stroke'], 'color'], [['r'], 'size']];
  for (const [names, channel] of of) {
    const f = spec.encoding[channel]?.format;
    if (f) for (const n of names) format[n] = f;
  }
  if (spec.mark === 'box' && spec.orientation === 'horizontal') for (const n of ['q1', 'median', 'q3', 'lo', 'hi']) delete format[n];
  return Object.keys(format).length ? { format } : true;
}

/** Channels shared by every mark: the series colour (or one colour), the facet. */
function common(spec: ResolvedSpec, paint: 'fill' | 'stroke'): Record<string, unknown> {
  const out: Record<string, unknown> = { [paint]: spec.encoding.color ? 'color' : SERIES_COLOR };
  if (spec.encoding.facet) out.fy = 'facet';
  return out;
}

/** Bars on a log scale start at the power of ten below the smallest value, not at zero. */
function logBase(rows: Row[], key: string): number {
  const values = rows.map((r) => r[key]).filter((v): v is number => typeof v === 'number' && v > 0);
  return values.length ? 10 ** Math.floor(Math.log10(Math.min(...values))) : 1;
}

function barMarks(Plot: Plot, spec: ResolvedSpec, rows: Row[]): PlotLib.Markish[] {
  const vertical = spec.orientation === 'vertical';
  const cat = vertical ? 'x' : 'y';
  const val = vertical ? 'y' : 'x';
  const binned = spec.encoding[cat]?.bin !== undefined;
  const log = spec.encoding[val]?.scale === 'log';
  const measure = log ? { [`${val}1`]: logBase(rows, val), [`${val}2`]: val } : { [val]: val };
  const options = { ...common(spec, 'fill'), ...measure, tip: tipFor(spec) } as Record<string, unknown>;
  if (binned) {
    Object.assign(options, { [`${cat}1`]: cat, [`${cat}2`]: `${cat}2`, [vertical ? 'insetLeft' : 'insetTop']: 0.5, [vertical ? 'insetRight' : 'insetBottom']: 0.5 });
    return [vertical ? Plot.rectY(rows, options) : Plot.rectX(rows, options), vertical ? Plot.ruleY([0]) : Plot.ruleX([0])];
  }
  options[cat] = cat;
  return [vertical ? Plot.barY(rows, options) : Plot.barX(rows, options), log ? null : vertical ? Plot.ruleY([0]) : Plot.ruleX([0])];
}

function lineMarks(Plot: Plot, spec: ResolvedSpec, rows: Row[]): PlotLib.Markish[] {
  // Points show when there are few, or when breaks could leave one standing alone.
  const dots = rows.length <= 60 || rows.some((r) => r.gap);
  if (spec.mark === 'area') {
    const fill = spec.encoding.color ? { fill: 'color', fillOpacity: 0.8 } : { fill: SERIES_COLOR, fillOpacity: 0.3 };
    return [
      Plot.areaY(rows, { x: 'x', y: 'y', ...fill, ...(spec.encoding.facet ? { fy: 'facet' } : {}), tip: tipFor(spec) }),
      spec.encoding.color ? null : Plot.lineY(rows, { x: 'x', y: 'y', stroke: SERIES_COLOR, ...(spec.encoding.facet ? { fy: 'facet' } : {}) }),
      Plot.ruleY([0]),
    ];
  }
  return [
    Plot.lineY(rows, { x: 'x', y: 'y', ...common(spec, 'stroke'), strokeWidth: 1.5, tip: tipFor(spec) }),
    dots ? Plot.dot(rows, { x: 'x', y: 'y', ...common(spec, 'fill'), r: rows.length <= 60 ? 2.5 : 1.5 }) : null,
  ];
}

function dotMarks(Plot: Plot, spec: ResolvedSpec, rows: Row[]): PlotLib.Markish[] {
  const { x, y, size } = spec.encoding;
  const options: Record<string, unknown> = {
    ...common(spec, 'fill'), fillOpacity: rows.length > 2000 ? 0.5 : 0.75, tip: tipFor(spec),
    ...(x ? { x: 'x' } : {}), ...(y ? { y: 'y' } : {}),
    ...(size ? { r: 'size' } : { r: rows.length > 2000 ? 2 : 3 }),
  };
  return [x && y ? Plot.dot(rows, options) : x ? Plot.dotX(rows, options) : Plot.dotY(rows, options)];
}

function textMarks(Plot: Plot, spec: ResolvedSpec, rows: Row[]): PlotLib.Markish[] {
  const options: Record<string, unknown> = {
    x: 'x', y: 'y', text: (d: Row) => formatValue(d.text), ...common(spec, 'fill'), tip: tipFor(spec),
    ...(spec.encoding.size ? { fontSize: 'size' } : { fontSize: 12 }),
  };
  if (!spec.encoding.color) options.fill = 'currentColor';
  return [Plot.text(rows, options)];
}

function ruleMarks(Plot: Plot, spec: ResolvedSpec, rows: Row[]): PlotLib.Markish[] {
  const { x, y } = spec.encoding;
  const options = { ...common(spec, 'stroke'), strokeWidth: 2, tip: tipFor(spec) };
  if (x && y) return [Plot.ruleX(rows, { ...options, x: 'x', y1: 0, y2: 'y' }), Plot.ruleY([0])];
  return [y ? Plot.ruleY(rows, { ...options, y: 'y' }) : Plot.ruleX(rows, { ...options, x: 'x' })];
}

function heatmapMarks(Plot: Plot, spec: ResolvedSpec, rows: Row[]): PlotLib.Markish[] {
  const xBinned = spec.encoding.x?.bin !== undefined && !isBandAxis(spec, 'x');
  const yBinned = spec.encoding.y?.bin !== undefined && !isBandAxis(spec, 'y');
  const fill = { fill: 'color', tip: tipFor(spec), ...(spec.encoding.facet ? { fy: 'facet' } : {}) };
  const x = xBinned ? { x1: 'x', x2: 'x2' } : { x: 'x' };
  const y = yBinned ? { y1: 'y', y2: 'y2' } : { y: 'y' };
  const options = { ...x, ...y, ...fill, inset: 0.5 };
  if (xBinned && yBinned) return [Plot.rect(rows, options)];
  if (xBinned) return [Plot.barX(rows, options)];
  if (yBinned) return [Plot.barY(rows, options)];
  return [Plot.cell(rows, options)];
}

function boxMarks(Plot: Plot, spec: ResolvedSpec, rows: Row[], outliers: Row[]): PlotLib.Markish[] {
  const vertical = spec.orientation === 'vertical';
  const cat = vertical ? 'x' : 'y';
  const val = vertical ? 'y' : 'x';
  const facet = spec.encoding.facet ? { fy: 'facet' } : {};
  // A single box (no category) still needs a band to stand in.
  const category = spec.encoding[cat] ? cat : () => spec.encoding[val]?.label ?? '';
  const stats = { q1: 'q1', median: 'median', q3: 'q3', lo: 'lo', hi: 'hi', n: 'n' };
  if (vertical) {
    return [
      Plot.ruleX(rows, { x: category, y1: 'lo', y2: 'hi', ...facet }),
      Plot.barY(rows, { x: category, y1: 'q1', y2: 'q3', fill: SERIES_COLOR, fillOpacity: 0.35, stroke: SERIES_COLOR, ...facet, tip: tipFor(spec), channels: stats }),
      Plot.tickY(rows, { x: category, y: 'median', strokeWidth: 2, ...facet }),
      Plot.dot(outliers, { x: category, y: val, r: 2, fill: 'currentColor', fillOpacity: 0.6, ...facet }),
    ];
  }
  return [
    Plot.ruleY(rows, { y: category, x1: 'lo', x2: 'hi', ...facet }),
    Plot.barX(rows, { y: category, x1: 'q1', x2: 'q3', fill: SERIES_COLOR, fillOpacity: 0.35, stroke: SERIES_COLOR, ...facet, tip: tipFor(spec), channels: stats }),
    Plot.tickX(rows, { y: category, x: 'median', strokeWidth: 2, ...facet }),
    Plot.dot(outliers, { y: category, x: val, r: 2, fill: 'currentColor', fillOpacity: 0.6, ...facet }),
  ];
}

/** Margins and height from what the axes will hold: long category names, many panels. */
function layout(spec: ResolvedSpec, rows: Row[], width: number): Partial<PlotLib.PlotOptions> {
  const out: Partial<PlotLib.PlotOptions> = {};
  const longest = (key: string) => {
    const bin = spec.encoding[key as Channel]?.bin;
    const text = bin && 'unit' in bin ? bucketLabel(bin.unit) : formatValue;
    return Math.min(LABEL_CHARS, Math.max(0, ...domainOf(rows, key).map((v) => text(v).length)));
  };
  const panels = spec.encoding.facet ? Math.max(1, domainOf(rows, 'facet').length) : 1;
  const yBand = isBandAxis(spec, 'y');
  const xBand = isBandAxis(spec, 'x');
  let panel = 300;
  if (yBand) {
    out.marginLeft = Math.max(40, Math.round(longest('y') * CHAR_PX) + 14);
    panel = Math.max(120, domainOf(rows, 'y').length * 22 + 20);
  } else {
    // A number axis's ticks are as long as its largest value written with separators
    // ("5,500,000"): Plot's default 40 px cut the first digits off.
    out.marginLeft = Math.max(40, Math.round(numberLabelChars(rows, ['y', 'y2']) * CHAR_PX) + 14);
  }
  if (xBand) {
    const categories = domainOf(rows, 'x').length;
    const labelPx = longest('x') * CHAR_PX;
    if (categories * (labelPx + 8) > width - 60) {
      out.x = { tickRotate: -40 } as PlotLib.ScaleOptions;
      out.marginBottom = Math.round(labelPx * 0.7) + 30;
    }
  }
  if (spec.encoding.facet) out.marginRight = Math.max(40, Math.round(longest('facet') * CHAR_PX) + 16);
  // Panels get shorter as there are more of them, so a faceted chart stays about a screen tall.
  const panelHeight = panels === 1 ? panel : Math.min(panel, panels > 4 ? 130 : 180);
  out.height = spec.height ?? Math.min(2400, panels * panelHeight + 60 + (out.marginBottom ?? 0));
  return out;
}

export function plotOptions(Plot: Plot, result: ChartResult, width: number): PlotLib.PlotOptions {
  const { spec } = result;
  const rows = prepare(spec, withGaps(spec, result.data as Row[]));
  const outliers = prepare(spec, (result.outliers ?? []) as Row[]);
  const marks: PlotLib.Markish[] = {
    bar: () => barMarks(Plot, spec, rows), histogram: () => barMarks(Plot, spec, rows),
    line: () => lineMarks(Plot, spec, rows), area: () => lineMarks(Plot, spec, rows),
    dot: () => dotMarks(Plot, spec, rows), text: () => textMarks(Plot, spec, rows), rule: () => ruleMarks(Plot, spec, rows),
    heatmap: () => heatmapMarks(Plot, spec, rows), box: () => boxMarks(Plot, spec, rows, outliers),
  }[spec.mark]();
  const { x: rotate, ...sized } = layout(spec, rows, width);
  const color = colorScale(spec, rows);
  return {
    width,
    ...sized,
    x: { ...positionScale(spec, 'x', rows), ...(rotate as object | undefined) },
    y: positionScale(spec, 'y', rows),
    ...(color ? { color } : {}),
    ...(spec.encoding.size ? { r: { label: spec.encoding.size.label, range: spec.mark === 'text' ? [8, 28] : [1, 9] } as PlotLib.ScaleOptions } : {}),
    ...(spec.encoding.facet ? { fy: { label: spec.encoding.facet.label, tickFormat: shorten } as PlotLib.ScaleOptions } : {}),
    marks,
  };
}

/** Characters of the longest tick label a number axis over these keys' values can get. */
function numberLabelChars(rows: Row[], keys: string[]): number {
  let widest = 0;
  for (const row of rows) {
    for (const key of keys) {
      const v = row[key];
      if (typeof v === 'number' && Number.isFinite(v)) widest = Math.max(widest, Math.round(v).toLocaleString('en-US').length);
    }
  }
  return Math.min(LABEL_CHARS, widest);
}
