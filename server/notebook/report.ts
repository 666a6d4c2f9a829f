// A run as one self-contained HTML file: the same report from the server (a past run's
// download) and from the headless CLI (`--report`). No script, no external file: styles
// inline, each cell's section from its kind (KindFace.report). Every value from a CSV or a user is escaped.
import type { Trends } from '../../cells/face.ts';
import { kindOf } from '../../cells/registry.ts';
import { esc, num, REPORT_STYLE, statusBadge } from '../../cells/report-html.ts';
import type { RuleCounts } from '../../cells/shared/rule-counts.ts';

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
  trends?: Trends;
}


function cellSection(cell: ReportCell, trends: ReportInput['trends']): string {
  const head = `<h2>${esc(cell.name)}<span class="kind">${esc(cell.kind)}</span> ${cell.status === 'done' ? '' : statusBadge(cell.status)}</h2>`;
  if (cell.status !== 'done' || !cell.result || typeof cell.result !== 'object') {
    const e = cell.error as { message?: string } | null;
    return `${head}<p class="errorbox">${esc(e?.message ?? `the cell did not finish (${cell.status})`)}</p>`;
  }
  const section = kindOf(cell.kind)?.report;
  return head + (section ? section(cell.result, { cell: cell.name, trends }) : `<pre>${esc(JSON.stringify(cell.result, null, 2).slice(0, 20_000))}</pre>`);
}

export function renderReport(input: ReportInput): string {
  const { run } = input;
  const at = typeof run.createdAt === 'string' ? run.createdAt : run.createdAt.toISOString();
  const s = run.summary;
  const files = run.files.map((f) => `<li>${esc(f.cell)}: ${esc(f.name)} (${num(f.size)} bytes, sha256 <code>${esc(f.sha256.slice(0, 12))}</code>)</li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(input.title)} — Assay report</title><style>${REPORT_STYLE}</style></head>
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
