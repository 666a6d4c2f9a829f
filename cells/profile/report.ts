// The profile alone as one self-contained HTML file (GET …/cells/:cellId/profile.html): no
// script, nothing loaded, every value from the CSV escaped. Its parts follow the page: the
// score and its parts, the alerts most pressing first, each column's figures, which columns
// are missing together, the correlation matrices with their values, and sample rows.
import { esc, num, REPORT_STYLE } from '../report-html.ts';
import { profileFace } from './face.ts';
import { scoreOf, shareText } from './score.ts';
import type { Correlation, ProfileResult, QualityPart } from './types.ts';

const EXTRA_STYLE = `
.matrix td { text-align: center; min-width: 44px; font-variant-numeric: tabular-nums; } .matrix th { white-space: nowrap; }
.act { color: #9b1c13; font-weight: 600; } .check { color: #7a5300; } .note { color: #666; }
`;

/** A rule's outcome as the score reads it (rules/engine.ts's RuleOutcome, in part). */
export interface RuleStanding { name: string; status: string; violations: number; violationRate: number | null }

/**
 * How much of the data a rule passes: a row check, the share of rows it passes (whatever its
 * thresholds made of them); a check of the table as a whole, all (pass, warn) or nothing
 * (fail, error).
 */
function passShare(r: RuleStanding): number {
  if (r.status === 'pass') return 1;
  if (typeof r.violationRate === 'number') return 1 - Math.min(1, r.violationRate);
  return r.status === 'warn' ? 1 : 0;
}

/**
 * The score with a fourth part where the workspace has rule results on the profiled table:
 * the mean over its rules of the share of the data each passes (see passShare), so one
 * failing rule on 13 rows of 7,710 costs what those rows cost, not the whole score. Added
 * when the profile is read (the rules run after the profile, in cells of their own), never stored.
 */
export function withRuleResults(result: ProfileResult, cells: { cell: string; rules: RuleStanding[] }[]): ProfileResult {
  const parts = result.quality?.parts;
  const rules = cells.flatMap((c) => c.rules);
  if (!parts || rules.length === 0) return result;
  const failing = rules.filter((r) => r.status === 'fail' || r.status === 'error');
  const count = (n: number) => n.toLocaleString('en-US');
  const where = failing.slice(0, 5).map((r) => (r.violations && typeof r.violationRate === 'number' ? `${r.name} (${count(r.violations)} row${r.violations === 1 ? '' : 's'})` : r.name));
  const rulePart: QualityPart = {
    share: rules.reduce((n, r) => n + passShare(r), 0) / rules.length,
    bad: failing.length,
    of: rules.length,
    detail: failing.length
      ? `${count(failing.length)} of ${count(rules.length)} rules fail (${cells.map((c) => c.cell).join(', ')}): ${where.join(', ')}${failing.length > 5 ? ', …' : ''}`
      : `all ${count(rules.length)} rules pass or warn (${cells.map((c) => c.cell).join(', ')})`,
  };
  const all = { ...parts, rules: rulePart };
  return {
    ...result,
    quality: {
      ...result.quality,
      parts: all,
      score: scoreOf(result.rows, [all.completeness, all.validity, all.uniqueness, rulePart]),
      reasons: failing.length ? [...result.quality.reasons, rulePart.detail] : result.quality.reasons,
    },
  };
}

/** A cell whose results count rule outcomes (KindFace.checks), as the score reads it: its name, the table it checks, its result. */
export interface CheckCell { name: string; input: unknown; result: unknown }

/**
 * The profile of table `input` with the rules part of the check cells that check the same
 * table: the one way the page (view.ts) and the downloads (downloads.ts) score alike.
 */
export function withChecks(result: ProfileResult, input: unknown, checks: CheckCell[]): ProfileResult {
  const rules = checks.filter((c) => input !== undefined && c.input === input).flatMap((c) => {
    const outcomes = (c.result as { rules?: RuleStanding[] } | null)?.rules;
    return Array.isArray(outcomes) ? [{ cell: c.name, rules: outcomes }] : [];
  });
  return withRuleResults(result, rules);
}

function qualitySection(r: ProfileResult): string {
  const parts = r.quality?.parts;
  if (!parts) return '';
  // In this order: a result read back from the database (jsonb) has its keys reordered.
  const rows = (['completeness', 'validity', 'uniqueness', 'rules'] as const).flatMap((name) => {
    const p = parts[name];
    return p ? [`<tr><td>${esc(name)}</td><td class="num">${esc(shareText(p))}</td><td>${esc(p.detail)}</td></tr>`] : [];
  }).join('');
  return `<h2>Quality ${esc(num(r.quality.score))} / 100</h2>
<p class="muted">100 × completeness × validity × uniqueness${parts.rules ? ' × rules' : ''}, rounded; 99 at most when any part found something.</p>
<table><tr><th>part</th><th>share good</th><th>what was found</th></tr>${rows}</table>`;
}

function alertsSection(r: ProfileResult): string {
  const alerts = r.alerts ?? [];
  if (!alerts.length) return '';
  return `<h2>Alerts (${alerts.length})</h2><table><tr><th></th><th>column</th><th>alert</th><th>detail</th></tr>${alerts.map((a) => `<tr><td class="${esc(a.severity ?? 'note')}">${esc(a.severity ?? '')}</td><td>${esc(a.column)}</td><td>${esc(a.code.replace(/_/g, ' '))}</td><td>${esc(a.message)}</td></tr>`).join('')}</table>`;
}

function missingSection(r: ProfileResult): string {
  const m = r.missing;
  if (!m || m.columns.length === 0) return '';
  const patterns = m.patterns.map((p) => `<tr><td>${esc(p.missing.join(', '))}</td><td class="num">${num(p.count)}</td></tr>`).join('');
  const together = m.together.slice(0, 20).map((t) => `<tr><td>${esc(t.a)}</td><td>${esc(t.b)}</td><td class="num">${num(t.rows)}</td></tr>`).join('');
  return `<h2>Missing values</h2><p>${num(m.rowsWithMissing)} of ${num(r.rows)} rows miss a value${m.omitted ? ` (patterns over the ${m.columns.length} columns with most nulls; ${m.omitted} more left out)` : ''}.</p>
<table><tr><th>missing together</th><th>rows</th></tr>${patterns}</table>${together ? `<table><tr><th>column</th><th>column</th><th>rows missing both</th></tr>${together}</table>` : ''}`;
}

/** A square matrix of coefficients with their values, for one method. */
export function matrixTable(pairs: Correlation[], method: 'pearson' | 'spearman'): string {
  const names = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
  if (names.length < 2) return '';
  const value = new Map(pairs.flatMap((p) => [[`${p.a}\u0000${p.b}`, p[method]], [`${p.b}\u0000${p.a}`, p[method]]]));
  const cell = (a: string, b: string) => {
    const v = a === b ? 1 : value.get(`${a}\u0000${b}`);
    return `<td>${typeof v === 'number' ? v.toFixed(2) : '–'}</td>`;
  };
  return `<table class="matrix"><tr><th>${method === 'pearson' ? 'Pearson' : 'Spearman'}</th>${names.map((n) => `<th>${esc(n)}</th>`).join('')}</tr>${names.map((a) => `<tr><th>${esc(a)}</th>${names.map((b) => cell(a, b)).join('')}</tr>`).join('')}</table>`;
}

function samplesSection(r: ProfileResult): string {
  const s = r.samples;
  if (!s || s.columns.length === 0) return '';
  const table = (label: string, rows: { row: number; values: Record<string, unknown> }[]) => (rows.length
    ? `<h3>${label}</h3><table><tr><th>row</th>${s.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>${rows.map((x) => `<tr><td class="num">${num(x.row)}</td>${s.columns.map((c) => `<td>${esc(num(x.values[c]))}</td>`).join('')}</tr>`).join('')}</table>`
    : '');
  return `<h2>Sample rows</h2>${table('First rows', s.first)}${table('Last rows', s.last)}${table('Random rows (fixed seed)', s.random)}`;
}

export function profileDocument(title: string, cell: string, r: ProfileResult): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(cell)} — ${esc(title)} — Assay profile</title><style>${REPORT_STYLE}${EXTRA_STYLE}</style></head>
<body>
<h1>${esc(cell)}<span class="kind">profile</span></h1>
<p class="muted">${esc(title)}</p>
${profileFace.report!(r, { cell })}
${qualitySection(r)}
${alertsSection(r)}
${missingSection(r)}
${r.correlations?.length ? `<h2>Correlations</h2>${matrixTable(r.correlations, 'pearson')}${matrixTable(r.correlations, 'spearman')}` : ''}
${samplesSection(r)}
<p class="muted">Made by Assay.</p>
</body></html>
`;
}
