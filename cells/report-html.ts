// HTML pieces shared by the kinds' report sections (see face.ts): the report is one
// self-contained file, so everything is text; every value from a CSV or a user goes through esc.

/** The reports' styles: a run's report and a profile's document (cells/profile/report.ts). */
export const REPORT_STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; color: #1d1d1f; max-width: 1000px; margin: 24px auto; padding: 0 20px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.muted { color: #666; } .kind { font-size: 12px; color: #666; font-weight: normal; margin-left: 6px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; font-size: 13px; } th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #eee; vertical-align: top; }
th { background: #f6f6f7; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.st { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 12px; font-weight: 600; }
.pass { background: #e3f5e7; color: #17652e; } .warn { background: #fff3d6; color: #7a5300; } .fail, .error { background: #fde4e1; color: #9b1c13; }
.errorbox { background: #fde4e1; color: #9b1c13; padding: 8px 10px; border-radius: 6px; }
.summary span { margin-right: 10px; } code { font-size: 12px; }
`;

export const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** A number as the report prints it: integers with separators, others to six significant digits. */
export const num = (v: unknown) => (typeof v === 'number'
  ? (Number.isInteger(v) ? v.toLocaleString('en-US') : Number(v.toPrecision(6)).toLocaleString('en-US', { maximumFractionDigits: 6 }))
  : v === null || v === undefined ? '' : String(v));

export function statusBadge(status: string): string {
  return `<span class="st ${esc(status)}">${esc(status)}</span>`;
}

export function linear(d0: number, d1: number, r0: number, r1: number) {
  const span = d1 - d0 || 1;
  return (v: number) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** A small line of a series over runs: the report's and the compare page's violation trend. */
export function sparkline(values: number[], width = 160, height = 28): string {
  if (values.length === 0) return '';
  const max = Math.max(...values, 1);
  const x = linear(0, Math.max(values.length - 1, 1), 2, width - 2);
  const y = linear(0, max, height - 3, 3);
  const d = values.map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('');
  const last = values.at(-1)!;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="violations over ${values.length} runs, last ${last}">`
    + `<path d="${d}" fill="none" stroke="#d03c3c" stroke-width="1.5"/>${values.map((v, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="1.8" fill="#d03c3c"/>`).join('')}</svg>`;
}

/** A profile column's histogram as a small bar strip (the report's profile table). */
export function miniHistogram(bins: { start: unknown; end: unknown; count: number }[] | undefined, width = 120, height = 28): string {
  if (!Array.isArray(bins) || bins.length === 0) return '';
  const max = Math.max(...bins.map((b) => Number(b.count) || 0), 1);
  const w = width / bins.length;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="histogram from ${esc(bins[0]!.start)} to ${esc(bins.at(-1)!.end)}">`
    + bins.map((b, i) => {
      const h = ((Number(b.count) || 0) / max) * (height - 2);
      return `<rect x="${(i * w + 0.5).toFixed(1)}" y="${(height - h).toFixed(1)}" width="${Math.max(0.5, w - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="#4269d0"><title>${esc(b.start)} – ${esc(b.end)}: ${Number(b.count) || 0}</title></rect>`;
    }).join('') + '</svg>';
}
