// Parts of the profile view, each a function of the result: the quality score with its
// parts, the overview table of columns, the missing-values view and the sample rows.
import { html, nothing } from 'lit';
import { formatCount, formatPercent, formatPlain, formatValue, isCodeColumn } from '../kit/format.ts';
import { shareText } from './score.ts';
import type { ColumnProfile, ProfileResult, QualityScore, SampleRows } from './types.ts';

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

const PART_ORDER = ['completeness', 'validity', 'uniqueness', 'rules'] as const;
const PART_NAMES: Record<string, string> = {
  completeness: 'Completeness', validity: 'Validity', uniqueness: 'Uniqueness', rules: 'Rules',
};
const PART_HELP: Record<string, string> = {
  completeness: 'cells that hold a value',
  validity: 'values that fit their column (a few negatives in a column of counts, text among numbers)',
  uniqueness: 'rows that are not a copy of an earlier row',
  rules: 'rules of the workspace on this table that do not fail',
};

/** The score, its parts on hover (title) and on expanding it. */
export function qualityTile(q: QualityScore) {
  // In this order: a result read back from the database (jsonb) has its keys reordered.
  const parts = q.parts ? PART_ORDER.flatMap((k) => (q.parts![k] ? [[k, q.parts![k]] as const] : [])) : [];
  const score = `${formatCount(q.score)} / 100`;
  if (!parts.length) return html`<div><span class="label">Quality</span><span class="big" data-testid="quality-score">${score}</span></div>`;
  const hover = parts.map(([k, p]) => `${PART_NAMES[k] ?? k} ${shareText(p!)}: ${p!.detail}`).join('\n');
  return html`
    <details class="quality" data-testid="quality">
      <summary title=${`100 × ${parts.map(([k]) => k).join(' × ')}, rounded; 99 at most when any part found something\n${hover}`}>
        <span class="label">Quality</span><span class="big" data-testid="quality-score">${score}</span>
      </summary>
      <table class="parts" data-testid="quality-parts">
        ${parts.map(([k, p]) => html`<tr data-part=${k}>
          <th title=${PART_HELP[k] ?? ''}>${PART_NAMES[k] ?? k}</th><td class="n">${shareText(p!)}</td><td>${p!.detail}</td></tr>`)}
      </table>
      <p class="muted">100 × ${parts.map(([k]) => (PART_NAMES[k] ?? k).toLowerCase()).join(' × ')}, rounded; 99 at most when any part found something.</p>
    </details>`;
}

type Alerts = NonNullable<ProfileResult['alerts']>;

/** One row a column: name, type, missing, distinct, alerts; its name opens the column's card. */
export function overviewTable(columns: ColumnProfile[], rows: number | undefined, alerts: Alerts, open: (name: string) => void) {
  const byColumn = new Map<string, Alerts>();
  for (const a of alerts) byColumn.set(a.column, [...(byColumn.get(a.column) ?? []), a]);
  return html`
    <table class="overview" data-testid="profile-overview">
      <thead><tr><th>column</th><th>type</th><th class="n">missing</th><th class="n">distinct</th><th>alerts</th></tr></thead>
      <tbody>${columns.map((c) => {
        const rate = isNumber(c.nullRate) ? c.nullRate : isNumber(c.nulls) && isNumber(rows) && rows > 0 ? c.nulls / rows : null;
        const own = byColumn.get(c.name) ?? [];
        return html`<tr data-testid="overview-row" data-column=${c.name}>
          <td><button class="link" data-testid="open-column" title="Open this column's figures" @click=${() => open(c.name)}>${c.name}</button></td>
          <td class="type">${c.type}</td>
          <td class="n" title=${isNumber(c.nulls) ? `${formatCount(c.nulls)} missing` : ''}>${rate === null ? '–' : formatPercent(rate)}</td>
          <td class="n">${c.distinctByHash || c.estimates?.distinct ? '≈ ' : ''}${formatCount(c.distinct)}</td>
          <td>${own.map((a) => html`<span class="chip ${a.severity ?? 'note'}" title=${a.message}>${a.code.replace(/_/g, ' ')}</span>`)}</td>
        </tr>`;
      })}</tbody>
    </table>`;
}

/** Per column, how much is missing; which columns are missing in the same rows. */
export function missingView(r: Partial<ProfileResult>, columns: ColumnProfile[]) {
  const m = r.missing;
  const withNulls = columns.filter((c) => isNumber(c.nulls) && c.nulls > 0).sort((a, b) => b.nulls - a.nulls);
  if (!m || !withNulls.length) return nothing;
  const rows = isNumber(r.rows) ? r.rows : 0;
  return html`
    <details class="missing" data-testid="missing-values" open>
      <summary>Missing values: ${formatCount(m.rowsWithMissing)} of ${formatCount(rows)} rows miss a value, in ${formatCount(withNulls.length)} column${withNulls.length === 1 ? '' : 's'}</summary>
      <ul class="bars">${withNulls.slice(0, 30).map((c) => html`
        <li data-testid="missing-column" data-column=${c.name}><span class="v">${c.name}</span>
          <span class="bar"><i style="width:${Math.max(1, (c.nulls / Math.max(rows, 1)) * 100)}%"></i></span>
          <span class="n">${formatCount(c.nulls)} (${formatPercent(rows ? c.nulls / rows : 0)})</span></li>`)}</ul>
      ${m.patterns.length ? html`
        <h5>missing together${m.omitted ? html` <span class="muted">(the ${m.columns.length} columns with most nulls)</span>` : nothing}</h5>
        <table class="patterns" data-testid="missing-patterns">
          <thead><tr>${m.columns.map((c) => html`<th title=${c}><span>${c}</span></th>`)}<th class="n">rows</th></tr></thead>
          <tbody>${m.patterns.map((p) => html`<tr>${m.columns.map((c) => (p.missing.includes(c)
            ? html`<td class="hole" title=${`${c} missing`}>■</td>` : html`<td class="has"></td>`))}<td class="n">${formatCount(p.count)}</td></tr>`)}</tbody>
        </table>` : nothing}
      ${m.together.length ? html`<p class="muted" data-testid="missing-together">${m.together.slice(0, 5).map((t) => `${t.a} and ${t.b}: ${formatCount(t.rows)} row${t.rows === 1 ? '' : 's'}`).join(' · ')}</p>` : nothing}
    </details>`;
}

export type SampleSet = 'first' | 'last' | 'random';
const SET_NAMES: Record<SampleSet, string> = { first: 'First', last: 'Last', random: 'Random' };

/** The sample rows, one set at a time. */
export function samplesView(s: SampleRows | undefined, shown: SampleSet, pick: (set: SampleSet) => void) {
  if (!s || !s.columns?.length || !s.first?.length) return nothing;
  const rows = s[shown] ?? [];
  const plain = new Set(s.columns.filter((c) => isCodeColumn({ name: c, values: s.first.map((r) => r.values[c]) })));
  return html`
    <details class="samples" data-testid="sample-rows">
      <summary>Sample rows</summary>
      <div class="sets" role="group" aria-label="which rows">
        ${(Object.keys(SET_NAMES) as SampleSet[]).filter((k) => (s[k] ?? []).length).map((k) => html`
          <button data-testid=${`sample-${k}`} aria-pressed=${k === shown ? 'true' : 'false'} @click=${() => pick(k)}>${SET_NAMES[k]}</button>`)}
        ${shown === 'random' ? html`<span class="muted">drawn with a fixed seed: the same rows on every run of the same table</span>` : nothing}
        ${s.omittedColumns ? html`<span class="muted">the first ${formatCount(s.columns.length)} columns</span>` : nothing}
      </div>
      <div class="scroll"><table class="rows">
        <thead><tr><th>row</th>${s.columns.map((c) => html`<th>${c}</th>`)}</tr></thead>
        <tbody>${rows.map((x) => html`<tr><td class="n">${formatCount(x.row)}</td>${s.columns.map((c) => {
          const v = x.values[c];
          return v === null || v === undefined ? html`<td class="null">null</td>` : html`<td>${plain.has(c) ? formatPlain(v) : formatValue(v)}</td>`;
        })}</tr>`)}</tbody>
      </table></div>
    </details>`;
}
