// The chart cell's config, declared once as a zod schema: it reads a chart cell's YAML
// mapping into a ChartConfig (keys, mark names, aggregates, bins, the filter's syntax), and
// is the kind's reference (/api/kinds) and the editor's help. What needs the input's columns
// (does the field exist, does the aggregate fit its type) is checked when the chart runs.
import { parseConfigWith, z } from '../shared/config-schema.ts';
import { closest } from '../shared/closest.ts';
import { parseExpression } from '../shared/expression.ts';
import type { BinConfig, ChartConfig, EncodingConfig } from './types.ts';
import {
  AGGREGATES, CHANNEL_HELP, CHANNELS, ENCODING_KEY_HELP, MARKS, SCALES, SORT_VALUES, TIME_BUCKETS,
  type Channel, type Mark, type MarkName, type TimeBucket,
} from './vocabulary.ts';

export const MAX_BINS = 1000;
export const MAX_LIMIT = 10_000;

const SORT_RULE = `"sort" must be one of ${SORT_VALUES.join(', ')} (a channel; a leading "-" sorts descending)`;

const said = (v: unknown) => String(v);

const markSchema = z.enum(MARKS, {
  error: (iss) => `unknown mark "${said(iss.input)}"${closest(said(iss.input), [...MARKS])}; marks: ${MARKS.join(', ')}`,
}).transform((m): Mark => ((m as MarkName) === 'cell' ? 'heatmap' : (m as Mark)));

const aggregateSchema = z.enum(AGGREGATES, {
  error: (iss) => `unknown aggregate "${said(iss.input)}"${closest(said(iss.input), [...AGGREGATES])}; aggregates: ${AGGREGATES.join(', ')}`,
});

const BIN_COUNT = `"bin" as a number is how many bins: a whole number from 1 to ${MAX_BINS}`;
const BIN_STEP = '"bin: {step: …}" takes a positive number, the width of each bin';
const binWords = (input: unknown) =>
  `"bin" must be true, false, a number of bins, {step: <width>} or a time bucket (${TIME_BUCKETS.join(', ')})${typeof input === 'string' ? closest(input, [...TIME_BUCKETS]) : ''}`;

/** `true`/`auto`, `false`, a number of bins, `{step: 5}`, or a time bucket (`month`). */
const binSchema = z.union([
  z.boolean(),
  z.literal('auto'),
  z.int({ error: BIN_COUNT }).min(1, { error: BIN_COUNT }).max(MAX_BINS, { error: BIN_COUNT }),
  z.enum(TIME_BUCKETS),
  // `step` is checked as present below, so that a typo of it ({stp: 5}) is named as one first.
  z.strictObject({ step: z.number({ error: BIN_STEP }).positive({ error: BIN_STEP }).refine(Number.isFinite, { error: BIN_STEP }).optional() }),
], {
  error: (iss) => (typeof iss.input === 'number' ? BIN_COUNT : iss.input && typeof iss.input === 'object' ? BIN_STEP : binWords(iss.input)),
}).transform((raw, ctx): BinConfig => {
  if (raw === true || raw === 'auto') return { kind: 'auto' };
  if (raw === false) return { kind: 'none' };
  if (typeof raw === 'number') return { kind: 'count', count: raw };
  if (typeof raw === 'string') return { kind: 'time', unit: raw as TimeBucket };
  if (raw.step === undefined) {
    ctx.issues.push({ code: 'custom', input: raw, message: BIN_STEP });
    return z.NEVER;
  }
  return { kind: 'step', step: raw.step };
}).meta({ description: ENCODING_KEY_HELP.bin });

/** `{field, aggregate, bin, label, format, scale}`. */
const encodingMapping = z.strictObject({
  field: z.string().optional().meta({ description: ENCODING_KEY_HELP.field }),
  aggregate: aggregateSchema.optional().meta({ description: ENCODING_KEY_HELP.aggregate }),
  bin: binSchema.optional(),
  label: z.string().optional().meta({ description: ENCODING_KEY_HELP.label }),
  format: z.string().optional().meta({ description: ENCODING_KEY_HELP.format }),
  scale: z.enum(SCALES, {
    error: (iss) => `unknown scale "${said(iss.input)}"${closest(said(iss.input), [...SCALES])}; scales: ${SCALES.join(', ')}`,
  }).optional().meta({ description: ENCODING_KEY_HELP.scale }),
});

const SHORTHAND = /^\s*([A-Za-z_]+)\s*\(\s*(.*?)\s*\)\s*$/;

/** A channel: `temp_max`, `mean(temp_max)`, `count()`, or the mapping. */
const encodingSchema = (channel: Channel) => z.union([z.string(), encodingMapping], {
  error: (iss) => (iss.code === 'invalid_union'
    ? `"${channel}" must be a column name, an aggregate like mean(price) or count(), or a mapping {field: …, aggregate: …}` : undefined),
}).transform((raw, ctx): EncodingConfig => {
  const fail = (message: string, path: string[] = []) => {
    ctx.issues.push({ code: 'custom', input: raw, path, message });
    return z.NEVER;
  };
  if (typeof raw === 'string') {
    if (raw.trim() === '') return fail(`"${channel}" is empty: give a column name`);
    const call = SHORTHAND.exec(raw);
    if (!call) return { field: raw };
    const aggregate = aggregateSchema.safeParse(call[1]);
    if (!aggregate.success) return fail(aggregate.error.issues[0]!.message);
    const field = call[2] ? call[2].replace(/^`(.*)`$/, '$1') : undefined;
    if (!field && aggregate.data !== 'count') return fail(`"${channel}: ${aggregate.data}()" needs a column inside the brackets, e.g. ${aggregate.data}(price)`);
    return field ? { field, aggregate: aggregate.data } : { aggregate: aggregate.data };
  }
  const out: EncodingConfig = {};
  if (raw.field !== undefined && raw.field.trim() !== '') out.field = raw.field;
  if (raw.aggregate) out.aggregate = raw.aggregate;
  if (raw.bin) out.bin = raw.bin;
  if (raw.label !== undefined) out.label = raw.label;
  if (raw.format !== undefined) out.format = raw.format;
  if (raw.scale) out.scale = raw.scale;
  if (out.aggregate && out.bin) return fail(`"${channel}" has both an aggregate and a bin: bin the category channel, aggregate the measure`);
  if (!out.field && out.aggregate !== 'count') {
    return fail(out.aggregate ? `"${channel}": ${out.aggregate} needs a "field"` : `"${channel}" needs a "field" (a column name)`);
  }
  return out;
}).meta({ description: `${CHANNEL_HELP[channel]}: a column, an aggregate like mean(price) or count(), or {field, aggregate, bin, label, format, scale}` });

const positiveInteger = (key: string, max: number) => {
  const message = `"${key}" must be a whole number from 1 to ${max}`;
  return z.int({ error: message }).min(1, { error: message }).max(max, { error: message });
};

/** The chart cell's config: validation, reference and help. */
export const chartConfigSchema = z.strictObject({
  input: z.string().trim().min(1).meta({ description: 'the cell whose table is charted' }),
  mark: markSchema.optional().meta({ description: `${MARKS.join(', ')}; chosen from x and y when absent` }),
  title: z.string().optional().meta({ description: 'the chart\'s title' }),
  ...(Object.fromEntries(CHANNELS.map((c) => [c, encodingSchema(c).optional()])) as Record<Channel, z.ZodOptional<ReturnType<typeof encodingSchema>>>),
  filter: z.string().optional().superRefine((f, ctx) => {
    if (f === undefined || f.trim() === '') return;
    try {
      parseExpression(f);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `"filter": ${(err as Error).message}` });
    }
  }).meta({ description: 'chart only rows where this expression holds, e.g. "amount > 0"' }),
  sort: z.string({ error: SORT_RULE }).refine((s) => SORT_VALUES.includes(s.trim()), { error: SORT_RULE }).optional()
    .meta({ description: `${SORT_VALUES.join(', ')}: order by a channel; a leading "-" sorts descending` }),
  limit: positiveInteger('limit', MAX_LIMIT).optional().meta({ description: `at most this many rows or categories (up to ${MAX_LIMIT})` }),
  height: positiveInteger('height', 2000).optional().meta({ description: 'the chart\'s height in pixels (at least 120)' }),
});

function sortOf(raw: string | undefined): ChartConfig['sort'] {
  if (raw === undefined) return undefined;
  const text = raw.trim();
  return { channel: text.replace(/^-/, '') as Channel, descending: text.startsWith('-') };
}

export function parseChartConfig(raw: Record<string, unknown>): ChartConfig {
  const spec = parseConfigWith(chartConfigSchema, raw, { what: 'a chart spec' });
  const config: ChartConfig = { input: spec.input, encoding: {} };
  if (spec.mark) config.mark = spec.mark;
  if (spec.title) config.title = spec.title;
  for (const channel of CHANNELS) {
    const encoding = spec[channel];
    if (encoding) config.encoding[channel] = encoding;
  }
  if (spec.filter !== undefined && spec.filter.trim() !== '') config.filter = spec.filter;
  const sort = sortOf(spec.sort);
  if (sort) config.sort = sort;
  if (spec.limit) config.limit = spec.limit;
  if (spec.height) config.height = Math.max(120, spec.height);
  return config;
}
