// The transform cell's config, declared once: an input, and a list of steps, each a one-key
// mapping (`- filter: age >= 18`). The steps' own schemas validate each step apart, so a
// problem is named by its step's index and key (`steps[3].cast.dateRep`) with its line, and
// an unknown step gets the closest step's name; the whole schema is the kind's reference.
// What needs the input's columns is checked as the plan is built (plan.ts).
import { CellError } from '../kind.ts';
import { closest } from '../shared/closest.ts';
import { describeIssue, firstProblem, parseConfigWith, z } from '../shared/config-schema.ts';
import { configLine } from '../yaml.ts';
import { PREVIEW_ROWS } from '../upload/limits.ts';
import {
  AGGREGATES, CASES, CAST_TYPES, DATE_ORDERS, FILL_STRATEGIES, JOIN_HOW, KEEP, STEP_HELP, STEP_NAMES,
  type Aggregate, type CastType, type FillStrategy, type StepName,
} from './vocabulary.ts';

export type Scalar = string | number | boolean;
export type Names = string | string[];

export interface Steps {
  drop_rows: { first?: number; last?: number };
  rename: Record<string, string>;
  filter: string;
  derive: Record<string, string>;
  cast: Record<string, CastType>;
  fill_null: Record<string, Scalar | { strategy: FillStrategy }>;
  trim: string[];
  case: Record<string, (typeof CASES)[number]>;
  replace: Record<string, Record<string, Scalar | null>>;
  drop_duplicates: { columns?: string[]; keep?: (typeof KEEP)[number] };
  join: { with: string; on: Names | Record<string, string>; how?: (typeof JOIN_HOW)[number] };
  union: string[];
  group_by: { by: Names; aggregate: Record<string, Aggregate | Aggregate[]> };
  sort: { by: Names; descending?: boolean | boolean[] };
  select: string[];
  drop: string[];
  pivot: { index: Names; on: string; values: string; aggregate?: Aggregate };
  unpivot: { index: Names; on?: string[]; variable?: string; value?: string };
  limit: number;
}

/** One step: its name and its options, as written. */
export type Step = { [K in StepName]: { name: K; args: Steps[K] } }[StepName];

export interface TransformConfig {
  input: string;
  steps: Step[];
  /** Rows of the result kept in its preview (the grid reads the rest from the table). */
  limit_preview?: number;
}

const name = z.string().min(1);
const names = z.array(name).min(1);
const nameOrNames = z.union([name, names]);
const expression = z.string().trim().min(1);
const word = <T extends readonly [string, ...string[]]>(words: T, what: string) => z.enum(words, {
  error: (iss) => `unknown ${what} "${String(iss.input)}"${closest(String(iss.input), [...words])}; ${what}s: ${words.join(', ')}`,
});
const aggregate = word(AGGREGATES, 'aggregate');
const count = z.int().min(0);

const stepSchemas: { [K in StepName]: z.ZodType<Steps[K]> } = {
  drop_rows: z.strictObject({ first: count.optional(), last: count.optional() })
    .refine((v) => v.first !== undefined || v.last !== undefined, { error: 'give first: N, last: N or both' }),
  rename: z.record(z.string(), name),
  filter: expression,
  derive: z.record(z.string(), expression),
  cast: z.record(z.string(), word([...CAST_TYPES, ...DATE_ORDERS] as const, 'type')),
  fill_null: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.strictObject({ strategy: word(FILL_STRATEGIES, 'strategy') })])),
  trim: names,
  case: z.record(z.string(), word(CASES, 'case')),
  replace: z.record(z.string(), z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))),
  drop_duplicates: z.strictObject({ columns: names.optional(), keep: word(KEEP, 'keep').optional() }),
  join: z.strictObject({ with: name, on: z.union([name, names, z.record(z.string(), name)]), how: word(JOIN_HOW, 'join').optional() }),
  union: names,
  group_by: z.strictObject({ by: nameOrNames, aggregate: z.record(z.string(), z.union([aggregate, z.array(aggregate).min(1)])) }),
  sort: z.strictObject({ by: nameOrNames, descending: z.union([z.boolean(), z.array(z.boolean())]).optional() }),
  select: names,
  drop: names,
  pivot: z.strictObject({ index: nameOrNames, on: name, values: name, aggregate: aggregate.optional() }),
  unpivot: z.strictObject({ index: nameOrNames, on: names.optional(), variable: name.optional(), value: name.optional() }),
  limit: count,
};

// Steps with no options may be written bare (`- drop_duplicates`) or with none (`- drop_duplicates:`).
const BARE: Partial<Record<StepName, unknown>> = { drop_duplicates: {} };

const STEPS_HELP = `the steps, in order, each a one-key mapping: ${STEP_NAMES.join(', ')}`;

/** The whole config as the reference shows it: each step's form with its help. */
export const transformConfigSchema = z.strictObject({
  input: name.meta({ description: 'the cell whose table the steps start from' }),
  steps: z.array(z.union(STEP_NAMES.map((n) => z.strictObject({ [n]: stepSchemas[n].meta({ description: STEP_HELP[n] }) })) as unknown as [z.ZodType, ...z.ZodType[]]))
    .optional().meta({ description: STEPS_HELP }),
  limit_preview: z.number().int().min(1).max(PREVIEW_ROWS).optional()
    .meta({ description: `rows of the result shown before the grid reads the table (at most ${PREVIEW_ROWS})` }),
});

// The top level alone: each step is read by its own schema below.
const topSchema = transformConfigSchema.extend({ steps: z.array(z.unknown()).optional().meta({ description: STEPS_HELP }) });

export const STARTER_CONFIG = (input?: string) => [
  `input: ${input || 'my_table'}`,
  'steps:',
  '  # - filter: amount > 0',
  '  # - derive: {amount_eur: amount * 0.92}',
  '  # - group_by: {by: [country], aggregate: {amount: sum, rows: count}}',
  '  # - sort: {by: amount, descending: true}',
  '# limit_preview: 20   # rows kept in the preview; the grid reads the rest',
  '',
].join('\n');

/** `steps[3].derive.per_100k`: where a problem is, as messages say it. */
export function stepPath(index: number, ...keys: (string | number)[]): string {
  return `steps[${index}]${keys.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('')}`;
}

// The line of each key of a parsed config, for problems found when the plan is built (the
// run sees the config, not the YAML). Kept beside the config, not in it: a line is not part
// of what the cell computes, so moving a step down a line changes no fingerprint.
const lines = new WeakMap<TransformConfig, (path: (string | number)[]) => number | undefined>();

/** A problem with a step, named by its index and key path, at its line when the YAML is known. */
export function stepError(config: TransformConfig | undefined, code: string, index: number, keys: (string | number)[], message: string): CellError {
  const path = ['steps', index, ...keys];
  const line = config ? lines.get(config)?.(path) : undefined;
  return new CellError(code, `${stepPath(index, ...keys)}: ${message}`, { key: path.join('.'), step: index, ...(line !== undefined ? { line } : {}) });
}

/** Validates a transform cell's YAML mapping: the top level, then each step by its own schema. */
export function parseTransformConfig(raw: Record<string, unknown>): TransformConfig {
  const top = parseConfigWith(topSchema, raw) as { input: string; steps?: unknown[]; limit_preview?: number };
  const steps = (top.steps ?? []).map((written, i) => readStep(raw, written, i));
  const config: TransformConfig = { ...top, steps };
  lines.set(config, (path) => configLine(raw, path));
  return config;
}

function readStep(raw: Record<string, unknown>, written: unknown, index: number): Step {
  const fail = (message: string, keys: (string | number)[] = []) => {
    const path = ['steps', index, ...keys];
    const line = configLine(raw, path);
    return new CellError('config_invalid', `${stepPath(index, ...keys)}: ${message}`, { key: path.join('.'), ...(line !== undefined ? { line } : {}) });
  };
  const mapping = typeof written === 'string' && Object.hasOwn(BARE, written) ? { [written]: BARE[written as StepName] } : written;
  if (!mapping || typeof mapping !== 'object' || Array.isArray(mapping)) {
    throw fail(`a step is a one-key mapping like "- filter: amount > 0"; steps: ${STEP_NAMES.join(', ')}`);
  }
  const keys = Object.keys(mapping);
  if (keys.length !== 1) throw fail(`a step has one key (its name), not ${keys.length}${keys.length ? ` (${keys.join(', ')}): start each step with its own "-"` : ''}`);
  const step = keys[0]!;
  if (!Object.hasOwn(stepSchemas, step)) throw fail(`unknown step "${step}"${closest(step, STEP_NAMES) || `; steps: ${STEP_NAMES.join(', ')}`}`, [step]);
  const n = step as StepName;
  const value = (mapping as Record<string, unknown>)[n] ?? BARE[n];
  const result = z.strictObject({ [n]: stepSchemas[n] }).safeParse({ [n]: value }, { reportInput: true, error: describeIssue });
  if (!result.success) {
    const { message, path } = firstProblem(result.error.issues[0]!);
    // The message names the key path ("cast.dateRep"); the path before it says which step.
    throw fail(message.replace(/^"[^"]*" /, ''), path);
  }
  return { name: n, args: result.data[n] } as Step;
}
