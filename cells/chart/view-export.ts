// Downloads of a drawn chart: one standalone SVG file (title, legend and plot stacked, the
// page's colours written in, since CSS variables do not travel), and a PNG drawn from it.
const SVG = 'http://www.w3.org/2000/svg';
const TITLE_PX = 28;
/** White space around the picture, so labels at the edges are not cut. */
const PAD = 16;

export interface ExportParts {
  title?: string;
  legend: SVGSVGElement | null;
  plot: SVGSVGElement;
  /** The page's colours and font where the chart is shown. */
  foreground: string;
  background: string;
  font: string;
}

const size = (svg: SVGSVGElement) => ({ width: Number(svg.getAttribute('width')) || svg.getBoundingClientRect?.().width || 0, height: Number(svg.getAttribute('height')) || svg.getBoundingClientRect?.().height || 0 });

/** A copy of `svg`'s content as a group placed at `y`, keeping its class (Plot's styles hang on it). */
function asGroup(doc: Document, svg: SVGSVGElement, y: number): SVGGElement {
  const g = doc.createElementNS(SVG, 'g');
  const cls = svg.getAttribute('class');
  if (cls) g.setAttribute('class', cls);
  for (const a of ['font-family', 'font-size', 'fill', 'text-anchor']) {
    const v = svg.getAttribute(a);
    if (v) g.setAttribute(a, v);
  }
  g.setAttribute('transform', `translate(${PAD},${y})`);
  for (const child of svg.childNodes) g.append(child.cloneNode(true));
  // A tooltip showing when the button was clicked is not part of the chart.
  for (const tip of g.querySelectorAll('[aria-label="tip"]')) tip.remove();
  return g;
}

/** `doc` makes the elements: the page's document, or a server-side one for the HTML report. */
export function composeSvg(parts: ExportParts, doc: Document = document): SVGSVGElement {
  const plot = size(parts.plot);
  const legend = parts.legend ? size(parts.legend) : { width: 0, height: 0 };
  const top = PAD + (parts.title ? TITLE_PX : 0);
  const width = Math.ceil(Math.max(plot.width, legend.width) + 2 * PAD);
  const height = Math.ceil(top + legend.height + (legend.height ? 6 : 0) + plot.height + PAD);
  const svg = doc.createElementNS(SVG, 'svg');
  svg.setAttribute('xmlns', SVG);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('style', `color: ${parts.foreground}; font-family: ${parts.font}`);
  const bg = doc.createElementNS(SVG, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', parts.background);
  svg.append(bg);
  if (parts.title) {
    const title = doc.createElementNS(SVG, 'text');
    title.setAttribute('x', String(PAD));
    title.setAttribute('y', String(PAD + 19));
    title.setAttribute('font-size', '15');
    title.setAttribute('font-weight', '600');
    title.setAttribute('fill', 'currentColor');
    title.textContent = parts.title;
    svg.append(title);
  }
  if (parts.legend) svg.append(asGroup(doc, parts.legend, top));
  svg.append(asGroup(doc, parts.plot, top + legend.height + (legend.height ? 6 : 0)));
  return svg;
}

function save(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

function serialize(svg: SVGSVGElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(svg)}`;
}

export function downloadSvg(svg: SVGSVGElement, filename: string): void {
  save(new Blob([serialize(svg)], { type: 'image/svg+xml' }), `${filename}.svg`);
}

/** The composed SVG drawn onto a canvas at twice its size, for sharp pictures on any screen. */
export async function pngOf(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  const width = Number(svg.getAttribute('width'));
  const height = Number(svg.getAttribute('height'));
  const url = URL.createObjectURL(new Blob([serialize(svg)], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext('2d')!;
    context.scale(scale, scale);
    context.drawImage(image, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be made'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

export async function downloadPng(svg: SVGSVGElement, filename: string): Promise<void> {
  save(await pngOf(svg), `${filename}.png`);
}

/** A file name from the chart's title: letters, digits and dashes. */
export function fileName(title: string | undefined, fallback: string): string {
  const base = (title ?? '').normalize('NFKD').replace(/[^\w\s-]/g, '').trim().replace(/\s+/g, '-').toLowerCase().slice(0, 60);
  return base || fallback;
}
