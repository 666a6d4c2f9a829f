// The rule cell's result as the CLI, the report and a run comparison show it. Its counts
// (`summary`) make a run's verdict: `checks`.
import type { KindFace, Problem, RuleChange } from '../face.ts';
import { esc, num, sparkline, statusBadge } from '../report-html.ts';
import type { RulesResult } from '../../rules/engine.ts';

const outcomes = (r: RulesResult | undefined) =>
  new Map((r?.rules ?? []).map((x) => [x.name, { status: x.status as string, violations: Number(x.violations ?? 0) }]));

/** Each rule whose outcome or count moved between two runs (one run only: new or gone). */
export function ruleChanges(cell: string, a: RulesResult | undefined, b: RulesResult | undefined): RuleChange[] {
  const before = outcomes(a);
  const after = outcomes(b);
  const out: RuleChange[] = [];
  for (const name of new Set([...before.keys(), ...after.keys()])) {
    const x = before.get(name) ?? null;
    const y = after.get(name) ?? null;
    if (x && y && x.status === y.status && x.violations === y.violations) continue;
    out.push({ cell, rule: name, a: x, b: y });
  }
  return out;
}

export const ruleFace: KindFace<unknown, RulesResult> = {
  checks: true,
  summarize: ({ summary: s }) => `pass ${s.pass}, warn ${s.warn}, fail ${s.fail}, error ${s.error}`,
  problems: (r) => r.rules.filter((x) => x.status !== 'pass').map((x) => ({ item: x.name, status: x.status as Problem['status'], message: x.message })),
  itemErrors: (r) => (Array.isArray(r?.rules) ? r.rules : []).flatMap((rule, index) => {
    const error = (rule as { error?: { message: string; key?: string } }).error;
    return error ? [{ list: 'rules', index, message: error.message, ...(error.key ? { key: error.key } : {}) }] : [];
  }),
  compare: (a, b, cell) => ({ rules: ruleChanges(cell, a, b) }),
  report(r, { cell, trends }) {
    const trendOf = (rule: string) => trends?.find((t) => t.cell === cell && t.rule === rule)?.points.map((p) => p.violations);
    const rows = (r.rules ?? []).map((rule) => {
      const samples = (rule.samples ?? []) as { row: number; values: Record<string, unknown> }[];
      const sampleText = samples.slice(0, 5).map((s) => esc(`row ${s.row}: ${Object.entries(s.values).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}`)).join('<br>');
      const trend = trendOf(rule.name);
      return `<tr><td>${esc(rule.name)}</td><td>${statusBadge(rule.status)}</td><td class="num">${num(rule.violations)}</td><td>${esc(rule.message)}${sampleText ? `<br><code>${sampleText}</code>` : ''}</td>`
        + `<td>${trend && trend.length > 1 ? sparkline(trend) : ''}</td></tr>`;
    }).join('');
    const s = r.summary ?? {};
    return `<p class="summary"><span>pass ${num(s.pass)}</span><span>warn ${num(s.warn)}</span><span>fail ${num(s.fail)}</span><span>error ${num(s.error)}</span> on ${num(r.rows)} rows</p>
<table><tr><th>rule</th><th>status</th><th>violations</th><th>message and failing rows</th><th>over runs</th></tr>${rows}</table>`;
  },
};
