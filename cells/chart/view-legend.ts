// A colour legend drawn as SVG, so the page and the downloaded SVG/PNG show the same one.
// Plot's own categorical legend is HTML, which an SVG file cannot hold; its continuous one
// (a ramp) is SVG already and is used as it is.
import type * as PlotLib from '@observablehq/plot';
import { formatValue } from '../kit/format.ts';

const SVG = 'http://www.w3.org/2000/svg';
const CHAR_PX = 6.6;
const ROW_PX = 18;
const MAX_ITEMS = 40;

function el<K extends keyof SVGElementTagNameMap>(doc: Document, name: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const node = doc.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** Swatches for an ordinal colour scale, wrapped to the width; names are text nodes, never markup. */
function swatches(doc: Document, scale: PlotLib.Scale, label: string, width: number): SVGSVGElement {
  const domain = (scale.domain ?? []) as unknown[];
  const range = (scale.range ?? []) as string[];
  const svg = el(doc, 'svg', { class: 'assay-legend', 'font-family': 'system-ui, sans-serif', 'font-size': 12 });
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `legend: ${label}`);
  const title = el(doc, 'text', { x: 0, y: 13, 'font-weight': 600, fill: 'currentColor' });
  title.textContent = label;
  svg.append(title);
  let x = Math.min(width / 3, label.length * CHAR_PX + 14);
  let y = 0;
  const shown = domain.slice(0, MAX_ITEMS);
  shown.forEach((value, i) => {
    const text = formatValue(value);
    const short = text.length > 30 ? `${text.slice(0, 29)}…` : text;
    const w = 18 + short.length * CHAR_PX + 14;
    if (x + w > width && x > 0) { x = 0; y += ROW_PX; }
    const item = el(doc, 'g', { transform: `translate(${x},${y})` });
    item.append(el(doc, 'rect', { x: 0, y: 3, width: 12, height: 12, rx: 2, fill: range[i % range.length] ?? 'currentColor' }));
    const name = el(doc, 'text', { x: 18, y: 13, fill: 'currentColor' });
    name.textContent = short;
    const tip = el(doc, 'title', {});
    tip.textContent = text;
    item.append(name, tip);
    svg.append(item);
    x += w;
  });
  if (domain.length > shown.length) {
    const more = el(doc, 'text', { x, y: y + 13, fill: 'currentColor', opacity: 0.7 });
    more.textContent = `and ${domain.length - shown.length} more`;
    svg.append(more);
  }
  const height = y + ROW_PX + 4;
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  return svg;
}

/** Gradient ids, unique within a page or a report. */
let ramps = 0;

/**
 * A continuous colour scale as an SVG gradient with its ends and middle labelled. Plot's own
 * ramp paints a canvas, which a server-side document (the report's) has not.
 */
function gradient(doc: Document, scale: PlotLib.Scale, label: string, width: number): SVGSVGElement | null {
  const [lo, hi] = (scale.domain ?? []) as number[];
  if (typeof lo !== 'number' || typeof hi !== 'number' || !scale.apply) return null;
  const w = Math.min(width, 320);
  const id = `assay-ramp-${++ramps}`;
  const svg = el(doc, 'svg', { class: 'assay-legend', 'font-family': 'system-ui, sans-serif', 'font-size': 11, width: w, height: 44, viewBox: `0 0 ${w} 44` });
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `legend: ${label}`);
  const defs = el(doc, 'defs', {});
  const grad = el(doc, 'linearGradient', { id, x1: 0, x2: 1, y1: 0, y2: 0 });
  for (let i = 0; i <= 10; i++) grad.append(el(doc, 'stop', { offset: `${i * 10}%`, 'stop-color': String(scale.apply(lo + ((hi - lo) * i) / 10)) }));
  defs.append(grad);
  const title = el(doc, 'text', { x: 0, y: 11, 'font-weight': 600, fill: 'currentColor' });
  title.textContent = label;
  svg.append(defs, title, el(doc, 'rect', { x: 0, y: 16, width: w, height: 10, fill: `url(#${id})` }));
  ([[lo, 0, 'start'], [(lo + hi) / 2, w / 2, 'middle'], [hi, w, 'end']] as const).forEach(([v, x, anchor]) => {
    const t = el(doc, 'text', { x, y: 40, 'text-anchor': anchor, fill: 'currentColor' });
    t.textContent = formatValue(v);
    svg.append(t);
  });
  return svg;
}

/** The legend of a plot's colour scale, or null when it has none. */
export function colorLegend(chart: ReturnType<typeof PlotLib.plot>, label: string, width: number, doc: Document): SVGSVGElement | null {
  const scale = chart.scale('color');
  if (!scale) return null;
  if (scale.type === 'ordinal' || scale.type === 'categorical') return swatches(doc, scale, label, width);
  return gradient(doc, scale, label, width);
}
