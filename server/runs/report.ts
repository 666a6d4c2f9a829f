// A run as one self-contained HTML file: the same report from the server (a past run's
// download) and from the headless CLI (`--report`). No script, no external file: styles
// inline, charts as SVG (svg-chart.ts). Every value from a CSV or a user is escaped.
import { chartSvg, esc, miniHistogram, sparkline } from './svg-chart.ts';
import type { RuleCounts } from '../../rules/summary.ts';

export interface ReportCell {
  name: string;
  kind: string;
  status: string;
  result: unknown;
  error: unknown;
}

export interface ReportInput {
  title: string;
  run: {
    createdAt: Date | string;
    trigger: string;
    user?: { email: string } | null;
    files: { cell: string; name: string; size: number; sha256: string }[];
    summary: RuleCounts;
  };
  cells: ReportCell[];
  /** Each rule's violations over earlier runs (the server has them; the CLI has one run). */
  trends?: { cell: string; rule: string; points: { violations: number }[] }[];
}

const STYLE = `
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

const num = (v: unknown) => (typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-US') : Number(v.toPrecision(6)).toLocaleString('en-US', { maximumFractionDigits: 6 })) : v === null || v === undefined ? '' : String(v));

function statusBadge(status: string): string {
  return `<span class="st ${esc(status)}">${esc(status)}</span>`;
}

function uploadSection(r: Record<string, any>): string {
  const cols = (r.columns ?? []) as { name: string; type: string }[];
  return `<p>${esc(r.file?.name ?? '')} · ${num(r.rows)} rows · ${cols.length} columns</p>
<table><tr><th>column</th><th>type</th></tr>${cols.map((c) => `<tr><td>${esc(c.name)}</td><td>${esc(c.type)}</td></tr>`).join('')}</table>`;
}

function profileSection(r: Record<string, any>): string {
  const cols = (r.columns ?? []) as Record<string, any>[];
  const rows = cols.map((c) => `<tr><td>${esc(c.name)}</td><td>${esc(c.type)}</td><td class="num">${num(c.nulls)}</td><td class="num">${num(c.distinct)}</td>`
    + `<td class="num">${esc(num(c.min))}</td><td class="num">${esc(num(c.mean))}</td><td class="num">${esc(num(c.quantiles?.p50))}</td><td class="num">${esc(num(c.max))}</td>`
    + `<td>${miniHistogram(c.histogram)}</td><td>${esc(((c.alerts ?? []) as { code: string }[]).map((a) => a.code).join(', '))}</td></tr>`).join('');
  return `<p>${num(r.rows)} rows · quality score ${esc(num(r.quality?.score))} · ${num(r.duplicateRows?.count ?? r.duplicateRows)} duplicate rows</p>
<table><tr><th>column</th><th>type</th><th>nulls</th><th>distinct</th><th>min</th><th>mean</th><th>median</th><th>max</th><th>distribution</th><th>alerts</th></tr>${rows}</table>`;
}

function ruleSection(r: Record<string, any>, cell: string, trends: ReportInput['trends']): string {
  const rules = (r.rules ?? []) as Record<string, any>[];
  const trendOf = (rule: string) => trends?.find((t) => t.cell === cell && t.rule === rule)?.points.map((p) => p.violations);
  const rows = rules.map((rule) => {
    const samples = (rule.samples ?? []) as { row: number; values: Record<string, unknown> }[];
    const sampleText = samples.slice(0, 5).map((s) => esc(`row ${s.row}: ${Object.entries(s.values).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}`)).join('<br>');
    const trend = trendOf(rule.name);
    return `<tr><td>${esc(rule.name)}</td><td>${statusBadge(rule.status)}</td><td class="num">${num(rule.violations)}</td><td>${esc(rule.message)}${sampleText ? `<br><code>${sampleText}</code>` : ''}</td>`
      + `<td>${trend && trend.length > 1 ? sparkline(trend) : ''}</td></tr>`;
  }).join('');
  const s = r.summary ?? {};
  return `<p class="summary"><span>pass ${num(s.pass)}</span><span>warn ${num(s.warn)}</span><span>fail ${num(s.fail)}</span><span>error ${num(s.error)}</span> on ${num(r.rows)} rows</p>
<table><tr><th>rule</th><th>status</th><th>violations</th><th>message and failing rows</th><th>over runs</th></tr>${rows}</table>`;
}

function chartSection(r: Record<string, any>): string {
  const svg = chartSvg(r);
  return svg || `<p class="muted">A ${esc(r.spec?.mark ?? '')} chart of ${num(r.pointsOut)} points: open it in Assay to see it drawn.</p>`;
}

function cellSection(cell: ReportCell, trends: ReportInput['trends']): string {
  const head = `<h2>${esc(cell.name)}<span class="kind">${esc(cell.kind)}</span> ${cell.status === 'done' ? '' : statusBadge(cell.status)}</h2>`;
  if (cell.status !== 'done' || !cell.result || typeof cell.result !== 'object') {
    const e = cell.error as { message?: string } | null;
    return `${head}<p class="errorbox">${esc(e?.message ?? `the cell did not finish (${cell.status})`)}</p>`;
  }
  const r = cell.result as Record<string, any>;
  switch (cell.kind) {
    case 'upload': return head + uploadSection(r);
    case 'profile': return head + profileSection(r);
    case 'rule': return head + ruleSection(r, cell.name, trends);
    case 'chart': return head + chartSection(r);
    default: return `${head}<pre>${esc(JSON.stringify(r, null, 2).slice(0, 20_000))}</pre>`;
  }
}

export function renderReport(input: ReportInput): string {
  const { run } = input;
  const at = typeof run.createdAt === 'string' ? run.createdAt : run.createdAt.toISOString();
  const s = run.summary;
  const files = run.files.map((f) => `<li>${esc(f.cell)}: ${esc(f.name)} (${num(f.size)} bytes, sha256 <code>${esc(f.sha256.slice(0, 12))}</code>)</li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(input.title)} — Assay report</title><style>${STYLE}</style></head>
<body>
<h1>${esc(input.title)}</h1>
<p class="muted">Run of ${esc(at.replace('T', ' ').slice(0, 19))} UTC · ${esc(run.trigger)}${run.user ? ` · ${esc(run.user.email)}` : ''}</p>
<p class="summary"><b>Rules:</b> <span>${statusBadge('pass')} ${s.pass}</span><span>${statusBadge('warn')} ${s.warn}</span><span>${statusBadge('fail')} ${s.fail}</span><span>${statusBadge('error')} ${s.error}</span></p>
${files ? `<p><b>Input files</b></p><ul>${files}</ul>` : ''}
${input.cells.map((c) => cellSection(c, input.trends)).join('\n')}
<p class="muted">Made by Assay.</p>
</body></html>
`;
}
