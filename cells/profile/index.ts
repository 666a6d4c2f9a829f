// The profile cell: column statistics, alerts, correlations and a quality score for an
// upstream cell's table, streamed to the browser a group of columns at a time.
import pl from 'nodejs-polars';
import { CellError, type CellKind } from '../kind.ts';
import { parseProfileConfig, profileConfigSchema } from './config.ts';
import { inputTable } from '../shared/column-type.ts';
import { profileGroup, type ColumnInfo, type StatPlan } from './column-stats.ts';
import { BOUNDED_ROWS, planBatches, profileBounded } from './bounded.ts';
import { associations, correlations, duplicateRows, quality, spearmanStep } from './table-stats.ts';
import type { ColumnProfile, Correlation, ProfileConfig, ProfilePartial, ProfileResult } from './types.ts';
import { profileFace } from './face.ts';
import { profileDownloads } from './downloads.ts';
import { suggestRules } from './suggest-rules.ts';
import { rankAlerts } from './alert-rank.ts';
import { missingPatterns } from './missing.ts';
import { sampleRows } from './samples.ts';
import { cleaningHints } from './cleaning-hints.ts';
import { suggestCleaning } from './suggest-cleaning.ts';

export type { ProfileConfig, ProfileResult } from './types.ts';

/** Columns per polars query and per partial result, at most. */
const GROUP = 20;
// Polars' in-memory engine holds every column a query reads: on tall tables fewer
// columns go in each query, so memory follows this budget rather than the table's size.
const CELLS_PER_QUERY = 8_000_000;

function checkAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new CellError('cancelled', 'the run was cancelled');
}

// "auto" counts text exactly up to this many rows, by 64-bit hashes above (see StatPlan).
const EXACT_DISTINCT_ROWS = 2_000_000;
// From this many rows, order statistics are lookups into sorted columns (see StatPlan).
const TALL_ROWS = 1_000_000;

// As ydata-profiling's default: |r| above this is a high correlation.
const HIGH_CORRELATION = 0.9;

/** On the first column of each highly correlated pair; not in the column's own alerts, which the partials carried. */
function correlationAlerts(pairs: Correlation[]): ProfileResult['alerts'] {
  return pairs.filter((p) => p.pearson !== null && Math.abs(p.pearson) > HIGH_CORRELATION).map((p) => ({
    column: p.a, code: 'high_correlation' as const, value: p.pearson!,
    message: `highly correlated with "${p.b}" (Pearson r = ${p.pearson!.toFixed(2)})`,
  }));
}

export const profile: CellKind<ProfileConfig, ProfileResult> = {
  ...profileFace,
  downloads: profileDownloads,
  // Here, not in the face: the browser does not need the suggester (or the YAML writer it brings).
  // Rules first: the page's "Suggest rules" takes the first suggestion. Then a transform cell
  // for what cleaning would fix, when the profile found any.
  suggest: (r, { config }) => {
    const cleaning = suggestCleaning(r, config.input);
    return [
      { kind: 'rule', name: `${config.input}_rules`, config: suggestRules(r, config.input) },
      ...(cleaning ? [{ kind: 'transform', name: `${config.input}_clean`, config: cleaning }] : []),
    ];
  },
  kind: 'profile',
  version: 5,
  heavy: true,
  acceptsFile: false,
  starterConfig: (inputName?: string) => [
    `input: ${inputName ?? ''}`,
    '# columns: [a, b]   # profile only these columns',
    '# distinct: auto    # exact, or approx (text counted by 64-bit hashes; auto: approx above 2 M rows)',
    '',
  ].join('\n'),
  parseConfig: parseProfileConfig,
  configSchema: profileConfigSchema,
  inputs: (config) => [config.input],

  async run({ config, inputs, ctx }) {
    const { path: tablePath, columns: schema } = await inputTable(inputs, config.input, 'profile');
    const source = pl.scanParquet(tablePath);
    let names = Object.keys(schema);
    if (config.columns) {
      const missing = config.columns.filter((c) => !Object.hasOwn(schema, c));
      if (missing.length) {
        throw new CellError('unknown_column', `column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')} not in "${config.input}"; it has: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}`, { key: 'columns', column: missing[0] });
      }
      names = [...new Set(config.columns)];
    }
    const infos: ColumnInfo[] = names.map((name) => ({ name, type: schema[name]! }));
    const table = config.columns ? source.select(pl.col(names)) : source;
    const [countRow] = (await table.select(pl.len().alias('n')).collect()).toRecords();
    const rows = Number(countRow?.n ?? 0);
    // At once, before any column is computed: the page can lay out the table's outline.
    ctx.partial({ rows, columns: [], done: 0, total: infos.length, schema: infos } satisfies ProfilePartial as unknown as Record<string, unknown>);
    ctx.progress(0.02);

    const distinctCounts = config.distinct ?? (rows > EXACT_DISTINCT_ROWS ? 'approx' : 'exact');
    const plan: StatPlan = { tall: rows >= TALL_ROWS, hashed: distinctCounts === 'approx', byCounts: true };
    const columns: ColumnProfile[] = [];
    // A tall table (or one of large values) is read a slice of rows at a time, in memory
    // bounded by the slice (bounded.ts); a group whose rows would not fit fails, naming the budget.
    const tall = rows > BOUNDED_ROWS;
    const width = tall ? GROUP : Math.max(1, Math.min(GROUP, Math.floor(CELLS_PER_QUERY / Math.max(rows, 1))));
    for (let start = 0; start < infos.length; start += width) {
      checkAborted(ctx.signal);
      const slice = infos.slice(start, start + width);
      const { bounded, batchRows } = await planBatches(table, slice, rows, config.input);
      const group = bounded
        ? await profileBounded(table, slice, rows, { batchRows, signal: ctx.signal, input: config.input })
        : await profileGroup(table, slice, rows, plan);
      columns.push(...group);
      const partial: ProfilePartial = { rows, columns: group, done: columns.length, total: infos.length };
      ctx.partial(partial as unknown as Record<string, unknown>);
      ctx.progress(0.02 + 0.88 * (columns.length / infos.length));
    }
    checkAborted(ctx.signal);
    const duplicates = await duplicateRows(table, rows, columns);
    ctx.progress(0.95);
    checkAborted(ctx.signal);
    const correlated = await correlations(table, columns, rows);
    ctx.progress(0.97);
    checkAborted(ctx.signal);
    const associated = await associations(table, columns);
    ctx.progress(0.98);
    checkAborted(ctx.signal);
    const missing = await missingPatterns(table, rows, columns);
    const samples = await sampleRows(table, rows, infos);
    const cleaning = await cleaningHints(table, columns);
    ctx.progress(1);
    const alerts = rankAlerts([
      ...columns.flatMap((c) => c.alerts.map((a) => ({ ...a, column: c.name }))),
      ...correlationAlerts(correlated),
    ]);
    return {
      result: {
        rows, columns, correlations: correlated, associations: associated, alerts, duplicateRows: duplicates, distinctCounts,
        spearmanRows: spearmanStep(rows).rows,
        quality: quality(rows, columns, duplicates),
        missing,
        samples,
        cleaning,
      },
    };
  },
};
