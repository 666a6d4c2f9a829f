// "Suggest cleaning": a transform cell written from what a profile found (cleaning-hints.ts):
// a second header row dropped, exact duplicate rows dropped, spaces trimmed, markers of a
// missing value read as null, one category's spellings made one, numbers stored as text read
// as numbers. Each step says in a comment what it was read from; the analyst checks it first.
// Steps run in this order because each needs the one before: the header row would fail a
// cast, spaces would hide a marker (" N/A") or a spelling, a marker would fail a cast.
import { stringify } from 'yaml';
import { cleaningFound, type CleaningHints } from './cleaning-types.ts';
import type { ProfileResult } from './types.ts';

const flow = (value: unknown) => stringify(value, { collectionStyle: 'flow', lineWidth: 0, flowCollectionPadding: false }).trim();
const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
const quoted = (v: string | number) => (typeof v === 'number' ? String(v) : JSON.stringify(v));

const CASES = {
  upper: (s: string) => s.toUpperCase(),
  lower: (s: string) => s.toLowerCase(),
  title: (s: string) => s.toLowerCase().split(' ').map((w) => w.slice(0, 1).toUpperCase() + w.slice(1)).join(' '),
} as const;

/**
 * One column's spellings made one: `case` when every value the profile saw already has one
 * case but the variants (so the step changes nothing else), else each variant replaced by the
 * column's most frequent spelling.
 */
function oneSpelling(profile: ProfileResult, column: string, groups: CleaningHints['caseVariants']): { case?: string; replace?: Record<string, string> } {
  const c = profile.columns.find((x) => x.name === column);
  const variants = new Set(groups.flatMap((g) => g.forms.slice(1).map((f) => f.value)));
  const seen = c && c.distinct <= c.top.length ? c.top.map((t) => String(t.value).trim()).filter((v) => !variants.has(v)) : undefined;
  const fit = seen && (Object.keys(CASES) as (keyof typeof CASES)[]).find((k) => seen.every((v) => CASES[k](v) === v) && groups.every((g) => CASES[k](g.forms[0]!.value) === g.forms[0]!.value));
  if (fit) return { case: fit };
  return { replace: Object.fromEntries(groups.flatMap((g) => g.forms.slice(1).map((f) => [f.value, g.forms[0]!.value]))) };
}

/** The transform cell's YAML, or undefined when the profile found nothing to clean. */
export function suggestCleaning(profile: ProfileResult & { cleaning?: CleaningHints }, input: string): string | undefined {
  const hints = profile.cleaning;
  if (!hints || !cleaningFound(hints, profile.duplicateRows)) return undefined;
  const steps: string[] = [];
  const step = (why: string[], name: string, args: unknown) => steps.push(...why.map((w) => `  # ${w}`), `  - ${name}: ${flow(args)}`);

  const header = hints.secondHeader;
  if (header) {
    const why = [
      ...(header.repeatsHeader.length ? [`Row 1 repeats the column names (${header.repeatsHeader.join(', ')}): a second header row.`] : []),
      ...(header.textOverNumbers.length ? [`Row 1 is text above numbers in ${header.textOverNumbers.map((c) => c.column).join(', ')}: a second header row.`] : []),
    ];
    step(why, 'drop_rows', { first: 1 });
  }
  if (profile.duplicateRows > 0) {
    step([`${count(profile.duplicateRows, 'row is an exact copy', 'rows are exact copies')} of an earlier row: the first of each is kept.`], 'drop_duplicates', { keep: 'first' });
  }
  if (hints.padded.length) {
    step([`Spaces around the text: ${hints.padded.map((p) => `${p.column} (${count(p.values, 'value')})`).join(', ')}.`], 'trim', hints.padded.map((p) => p.column));
  }
  if (hints.markers.length) {
    const byColumn: Record<string, Record<string, null>> = {};
    for (const m of hints.markers) (byColumn[m.column] ??= {})[String(m.value)] = null;
    step([`Markers of a missing value, read as null: ${hints.markers.map((m) => `${m.column} ${quoted(m.value)} (${count(m.count, 'row')})`).join(', ')}.`], 'replace', byColumn);
  }
  const variantColumns = [...new Set(hints.caseVariants.map((v) => v.column))];
  if (variantColumns.length) {
    const cases: Record<string, string> = {};
    const replaces: Record<string, Record<string, string>> = {};
    const why: { case: string[]; replace: string[] } = { case: [], replace: [] };
    for (const column of variantColumns) {
      const groups = hints.caseVariants.filter((v) => v.column === column);
      const fix = oneSpelling(profile, column, groups);
      if (fix.case) cases[column] = fix.case;
      else replaces[column] = fix.replace!;
      why[fix.case ? 'case' : 'replace'].push(`One category in several cases: ${column} ${groups.map((g) => g.forms.map((f) => `${quoted(f.value)} ${f.count}`).join(' / ')).join('; ')}.`);
    }
    if (why.case.length) step(why.case, 'case', cases);
    if (why.replace.length) step(why.replace, 'replace', replaces);
  }
  const numbers = new Map<string, { integer: boolean; why: string }>();
  for (const c of header?.textOverNumbers ?? []) numbers.set(c.column, { integer: c.integer, why: 'numbers below the header row' });
  for (const g of hints.numbersAsText) {
    const why = [...(g.grouped ? [`${count(g.grouped, 'number')} with thousands separators`] : []), ...(g.marked ? [`${count(g.marked, 'marker')} of a missing value`] : [])];
    if (!numbers.has(g.column)) numbers.set(g.column, { integer: g.integer, why: why.join(', ') });
  }
  if (numbers.size) {
    step([`Numbers stored as text: ${[...numbers].map(([c, n]) => `${c} (${n.why})`).join(', ')}.`], 'cast',
      Object.fromEntries([...numbers].map(([c, n]) => [c, n.integer ? 'integer' : 'float'])));
  }
  if (!steps.length) return undefined;
  const read = hints.rowsRead < profile.rows ? `; the hints read its first ${hints.rowsRead.toLocaleString('en-US')} rows` : '';
  return [
    `# Suggested cleaning from the profile of "${input}" (${profile.rows.toLocaleString('en-US')} rows${read}).`,
    '# Each step says what it was read from: check it before you keep it.',
    `input: ${input}`,
    'steps:',
    ...steps,
    '',
  ].join('\n');
}
