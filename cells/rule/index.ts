// The rule cell: data-quality checks (rules/) over an upstream cell's table. The config is
// checked only as an envelope here (an input, a list of rules): each rule is validated when
// it runs, so one bad rule is that rule's error and the others still run.
import fs from 'node:fs';
import { inputTable, tableColumns } from '../shared/column-type.ts';
import { CellError, type CellKind, type CellOutput } from '../kind.ts';
import { parseConfigWith, z } from '../shared/config-schema.ts';
import { ruleItemSchema } from '../../rules/schema.ts';
import { runRules, type RulesResult } from '../../rules/engine.ts';
import type { Table } from '../../rules/checks.ts';
import { paramNamesIn, paramValues, substituteIn } from '../shared/params.ts';
import { ruleFace } from './face.ts';
import { ruleDownloads } from './downloads.ts';

export interface RuleConfig {
  input: string;
  rules: unknown[];
}

export type RuleResult = RulesResult;

const RULES_LIST = '"rules" must be a list: each item starts with "- check: …"';

/** The rule cell's config, declared once: its reference lists every check and its options (rules/schema.ts). */
export const ruleConfigSchema = z.strictObject({
  input: z.string().trim().min(1).meta({ description: 'the cell whose table is checked' }),
  rules: z.array(ruleItemSchema, { error: (iss) => (iss.code === 'invalid_type' ? RULES_LIST : undefined) })
    .optional().meta({ description: 'the checks, each "- check: <name>" with its options' }),
});

// The cell checks only the envelope: each rule is validated (by the same schemas) when it
// runs, so one bad rule is that rule's error and the others still run.
const envelope = ruleConfigSchema.extend({ rules: z.array(z.unknown(), { error: RULES_LIST }).optional().meta({ description: 'the checks' }) });

// Options whose text is another language: expressions bind `$name` themselves (as a value,
// never as text), and in a regex or a date format `$` is that language's own.
const EXPRESSION_KEYS = ['expr', 'where'];
const OWN_DOLLAR_KEYS = ['regex', 'date_format'];

/** The input cells a rule list reads as `$name`: in bounds (`min: $min_cases`), thresholds (`fail_if: "> $max_bad"`), expressions. */
const ruleParams = (rules: unknown[]) => paramNamesIn(rules, { quoted: EXPRESSION_KEYS, skip: OWN_DOLLAR_KEYS });

/** Cells a rule list reads besides its input: those named by `reference` checks. */
function referencedCells(rules: unknown[]): string[] {
  const out: string[] = [];
  const visit = (r: unknown) => {
    if (!r || typeof r !== 'object') return;
    const spec = r as Record<string, unknown>;
    const target = spec.in as Record<string, unknown> | undefined;
    if (spec.check === 'reference' && target && typeof target.cell === 'string' && !out.includes(target.cell)) out.push(target.cell);
    if (spec.check === 'conditional') visit(spec.rule);
  };
  rules.forEach(visit);
  return out;
}

/**
 * What a rule list runs on: its input's table, the tables its `reference` checks read, and
 * its rules with input cells' values in place. The run and the failing-rows download
 * (failing-rows.ts) read the same.
 */
export async function checkedTable(config: RuleConfig, inputs: Record<string, CellOutput>): Promise<{ tablePath: string; rules: unknown[]; table: Table }> {
  const { path: tablePath, columns } = await inputTable(inputs, config.input, 'check');
  const others: Table['others'] = {};
  for (const name of referencedCells(config.rules)) {
    const path = inputs[name]?.table;
    if (path && fs.existsSync(path)) others[name] = { path, columns: await tableColumns(path) };
  }
  const params = paramValues(ruleParams(config.rules), inputs);
  const rules = substituteIn(config.rules, params, [...EXPRESSION_KEYS, ...OWN_DOLLAR_KEYS]);
  return { tablePath, rules, table: { columns, others, now: Date.now(), params } };
}

export const rule: CellKind<RuleConfig, RuleResult> = {
  ...ruleFace,
  downloads: ruleDownloads,
  kind: 'rule',
  version: 1,
  // One pass over the columns its rules name (0.2 s for five rules on a million rows): an
  // edit of a rule cell is the small edit a running profile must not hold up.
  heavy: false,
  acceptsFile: false,
  starterConfig: (inputName?: string) => [
    `input: ${inputName ?? ''}`,
    'rules:',
    '  - check: row_count',
    '    min: 1',
    '  # - check: not_null',
    '  #   columns: [id]',
    '  # - check: range',
    '  #   column: amount',
    '  #   min: 0',
    '  #   fail_if: "> 1%"',
    '',
  ].join('\n'),
  parseConfig(raw) {
    const { input, rules } = parseConfigWith(envelope, raw);
    return { input, rules: rules ?? [] };
  },
  configSchema: ruleConfigSchema,
  inputs: (config) => [config.input, ...referencedCells(config.rules).filter((c) => c !== config.input)],
  params: (config) => ruleParams(config.rules),

  async run({ config, inputs, ctx }) {
    const { tablePath, rules, table } = await checkedTable(config, inputs);
    const result = await runRules(tablePath, rules, table, ctx.signal);
    if (ctx.signal.aborted) throw new CellError('cancelled', 'the run was cancelled');
    ctx.progress(1);
    return { result };
  },
};
