// The rule language's options, declared once as zod schemas: each check's options (with a
// line of help each) validate a rule before it compiles (the unknown option, the wrong type,
// the unknown word, each with the closest known name), and become the rule cell's reference
// (/api/kinds) and the editor's help. The words themselves (check names, which options each
// takes) stay plain data in vocabulary.ts, which the browser's completion imports.
import { z } from 'zod';
import { describeIssue, firstProblem } from '../cells/shared/config-schema.ts';
import { FORMATS } from '../cells/shared/value-formats.ts';
import { CHECK_HELP, CHECK_OPTIONS, COMMON_OPTIONS, type CheckName } from './vocabulary.ts';

/** One message for a value's type and each of its checks. */
const says = (message: string) => ({ error: message });

const threshold = z.union([z.number(), z.string()]);
/** A bound: a number, or for date columns a date like 2024-01-31 (YAML reads an unquoted one as a date). */
const bound = z.union([z.number(), z.string(), z.date()]);
const columnTypes = ['integer', 'float', 'boolean', 'date', 'datetime', 'string', 'number', 'any'] as const;

/** Every option of every check, with its type and help. */
export const OPTIONS = {
  check: z.string().meta({ description: 'the check this rule runs' }),
  name: z.string().meta({ description: 'the rule\'s name in results (default: the check and its column)' }),
  severity: z.enum(['fail', 'warn']).meta({ description: 'fail (default) or warn: a warn rule never fails the run' }),
  warn_if: threshold.meta({ description: 'warn when violations pass this: "> 10" rows or "> 1%" of rows' }),
  fail_if: threshold.meta({ description: 'fail when violations pass this: "> 10" rows or "> 1%" of rows (default: any)' }),
  where: z.string(says('"where" must be an expression, e.g. "country = \'US\'"')).meta({ description: 'check only rows where this expression holds, e.g. "country = \'US\'"' }),
  key: z.string(says('"key" must name a column of the table')).meta({ description: 'a column naming each failing row, tracked across runs' }),
  column: z.string(says('"column" must be a column name')).meta({ description: 'the column to check' }),
  columns: z.union([z.array(z.string()), z.record(z.string(), z.enum(columnTypes))])
    .meta({ description: 'a list of columns; for schema, a mapping of names to types ({id: integer, note: any})' }),
  min: bound.meta({ description: 'the smallest value allowed (a number, or a date for a date column)' }),
  max: bound.meta({ description: 'the largest value allowed (a number, or a date for a date column)' }),
  exclusive: z.boolean().meta({ description: 'true: min and max themselves are outside the range' }),
  values: z.array(z.union([z.string(), z.number(), z.boolean()]), says('"values" must be a list of values, e.g. [US, GB, DE]')).meta({ description: 'the list of values, e.g. [US, GB, DE]' }),
  regex: z.string(says('"regex" must be a regular expression')).meta({ description: 'a regular expression every value matches' }),
  format: z.enum(['date', ...Object.keys(FORMATS)] as [string, ...string[]]).meta({ description: `one of ${[...Object.keys(FORMATS), 'date'].join(', ')}` }),
  date_format: z.string(says('"date_format" must be a date format, e.g. "%Y-%m-%d"')).meta({ description: 'for format: date on a text column, e.g. "%Y-%m-%d"' }),
  exact: z.boolean().meta({ description: 'true: columns not listed are problems too' }),
  max_age: z.string(says('"max_age" must be a duration like 7d, 12h, 2w or 30m')).meta({ description: 'a duration like 7d, 12h, 2w or 30m' }),
  expr: z.string(says('"expr" must be an expression, e.g. "ship_date >= order_date"')).meta({ description: 'a condition every row meets, e.g. "ship_date >= order_date"' }),
  in: z.strictObject({
    cell: z.string().meta({ description: 'the other cell' }),
    column: z.string(says('"column" must be a column name')).meta({ description: 'its column holding the known values' }),
  }).meta({ description: 'where the values are found: {cell: customers, column: id}' }),
  rule: z.record(z.string(), z.unknown(), says('"rule" must hold the check that applies where "where" holds')).meta({ description: 'the check that applies where "where" holds' }),
} satisfies Record<string, z.ZodType>;

type OptionName = keyof typeof OPTIONS;

function optionsOf(names: readonly string[]): Record<string, z.ZodType> {
  return Object.fromEntries(names.map((n) => [n, OPTIONS[n as OptionName].optional()]));
}

/** One check's rule: its own options and the common ones. */
export function checkSchema(check: CheckName): z.ZodObject {
  return z.strictObject({
    ...optionsOf(COMMON_OPTIONS),
    ...optionsOf(CHECK_OPTIONS[check]),
    check: z.literal(check),
  }).meta({ description: CHECK_HELP[check] });
}

/** The inner rule of a conditional: a check and its own options only. */
export function innerCheckSchema(check: CheckName): z.ZodObject {
  return z.strictObject({ ...optionsOf(CHECK_OPTIONS[check]), check: z.literal(check) });
}

const built = new Map<string, z.ZodObject>();
/** A check's schema (or a conditional's inner rule's), built once. */
export function schemaOf(check: CheckName, inner = false): z.ZodObject {
  const id = `${inner ? 'inner ' : ''}${check}`;
  let schema = built.get(id);
  if (!schema) built.set(id, (schema = inner ? innerCheckSchema(check) : checkSchema(check)));
  return schema;
}

/** Any rule, for the reference: one of the checks. */
export const ruleItemSchema = z.union((Object.keys(CHECK_OPTIONS) as CheckName[]).map(checkSchema));

/** The first problem of a rule's options, worded as the rule's error; the key is the option (`in`, not `in.cell`). */
export function optionProblem(schema: z.ZodType, spec: Record<string, unknown>, check: string): { message: string; key?: string } | undefined {
  const result = schema.safeParse(spec, { reportInput: true, error: (iss) => describeIssue(iss, 'option') });
  if (result.success) return undefined;
  const { message, path } = firstProblem(result.error.issues[0]!, { where: ` for ${check}` });
  return { message, ...(typeof path[0] === 'string' ? { key: path[0] } : {}) };
}
