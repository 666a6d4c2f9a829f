// Reads a chart cell's YAML mapping into a ChartConfig: the shape of the spec only (keys,
// mark names, aggregates, bins, the filter's syntax). What needs the input's columns (does
// the field exist, does the aggregate fit its type) is checked when the chart runs.
import { CellError } from '../kind.ts';
import { optionalString, requiredString } from '../yaml.ts';
import { closest } from '../../rules/closest.ts';
import { parseExpression } from '../../rules/expression.ts';
import type { BinConfig, ChartConfig, EncodingConfig } from './types.ts';
import {
  AGGREGATES, CHANNELS, ENCODING_KEYS, MARKS, SCALES, SORT_VALUES, SPEC_KEYS, TIME_BUCKETS,
  type Aggregate, type Channel, type Mark, type MarkName, type ScaleType, type TimeBucket,
} from './vocabulary.ts';

export const MAX_BINS = 1000;
export const MAX_LIMIT = 10_000;

function invalid(message: string, key: string): CellError {
  return new CellError('config_invalid', message, { key });
}

function rejectUnknown(raw: Record<string, unknown>, known: readonly string[], where: string, prefix = ''): void {
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) {
      throw invalid(`unknown key "${key}"${where}${closest(key, [...known]) || `; expected one of: ${known.join(', ')}`}`, prefix + key);
    }
  }
}

function parseMark(raw: unknown): Mark | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string' || !(MARKS as readonly string[]).includes(raw)) {
    const word = String(raw);
    throw invalid(`unknown mark "${word}"${closest(word, [...MARKS])}; marks: ${MARKS.join(', ')}`, 'mark');
  }
  return (raw as MarkName) === 'cell' ? 'heatmap' : (raw as Mark);
}

function parseAggregate(raw: unknown, key: string): Aggregate {
  if (typeof raw !== 'string' || !(AGGREGATES as readonly string[]).includes(raw)) {
    const word = String(raw);
    throw invalid(`unknown aggregate "${word}"${closest(word, [...AGGREGATES])}; aggregates: ${AGGREGATES.join(', ')}`, key);
  }
  return raw as Aggregate;
}

function parseBin(raw: unknown, key: string): BinConfig | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (raw === true || raw === 'auto') return { kind: 'auto' };
  if (raw === false) return { kind: 'none' };
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw) || raw < 1 || raw > MAX_BINS) throw invalid(`"bin" as a number is how many bins: a whole number from 1 to ${MAX_BINS}`, key);
    return { kind: 'count', count: raw };
  }
  if (typeof raw === 'string' && (TIME_BUCKETS as readonly string[]).includes(raw)) return { kind: 'time', unit: raw as TimeBucket };
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const spec = raw as Record<string, unknown>;
    rejectUnknown(spec, ['step'], ' in "bin"', `${key}.`);
    if (typeof spec.step !== 'number' || !(spec.step > 0) || !Number.isFinite(spec.step)) throw invalid('"bin: {step: …}" takes a positive number, the width of each bin', key);
    return { kind: 'step', step: spec.step };
  }
  const word = String(raw);
  throw invalid(`"bin" must be true, false, a number of bins, {step: <width>} or a time bucket (${TIME_BUCKETS.join(', ')})${typeof raw === 'string' ? closest(word, [...TIME_BUCKETS]) : ''}`, key);
}

const SHORTHAND = /^\s*([A-Za-z_]+)\s*\(\s*(.*?)\s*\)\s*$/;

/** `temp_max`, `mean(temp_max)`, `count()`, or `{field, aggregate, bin, label, format, scale}`. */
function parseEncoding(raw: unknown, channel: Channel): EncodingConfig {
  if (typeof raw === 'string') {
    if (raw.trim() === '') throw invalid(`"${channel}" is empty: give a column name`, channel);
    const call = SHORTHAND.exec(raw);
    if (!call) return { field: raw };
    const aggregate = parseAggregate(call[1], channel);
    const field = call[2] ? call[2].replace(/^`(.*)`$/, '$1') : undefined;
    if (!field && aggregate !== 'count') throw invalid(`"${channel}: ${aggregate}()" needs a column inside the brackets, e.g. ${aggregate}(price)`, channel);
    return field ? { field, aggregate } : { aggregate };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw invalid(`"${channel}" must be a column name, an aggregate like mean(price) or count(), or a mapping {field: …, aggregate: …}`, channel);
  }
  const spec = raw as Record<string, unknown>;
  rejectUnknown(spec, ENCODING_KEYS, ` in "${channel}"`, `${channel}.`);
  const out: EncodingConfig = {};
  const field = optionalString(spec, 'field');
  if (field !== undefined && field.trim() !== '') out.field = field;
  if (spec.aggregate !== undefined && spec.aggregate !== null) out.aggregate = parseAggregate(spec.aggregate, `${channel}.aggregate`);
  const bin = parseBin(spec.bin, `${channel}.bin`);
  if (bin) out.bin = bin;
  for (const key of ['label', 'format'] as const) {
    const v = spec[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw invalid(`"${channel}.${key}" must be text`, `${channel}.${key}`);
    out[key] = v;
  }
  if (spec.scale !== undefined && spec.scale !== null) {
    if (typeof spec.scale !== 'string' || !(SCALES as readonly string[]).includes(spec.scale)) {
      throw invalid(`unknown scale "${String(spec.scale)}"${closest(String(spec.scale), [...SCALES])}; scales: ${SCALES.join(', ')}`, `${channel}.scale`);
    }
    out.scale = spec.scale as ScaleType;
  }
  if (out.aggregate && out.bin) throw invalid(`"${channel}" has both an aggregate and a bin: bin the category channel, aggregate the measure`, channel);
  if (!out.field && out.aggregate !== 'count') {
    throw invalid(out.aggregate ? `"${channel}": ${out.aggregate} needs a "field"` : `"${channel}" needs a "field" (a column name)`, channel);
  }
  return out;
}

function parseSort(raw: unknown): ChartConfig['sort'] {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string' || !SORT_VALUES.includes(raw.trim())) {
    throw invalid(`"sort" must be one of ${SORT_VALUES.join(', ')} (a channel; a leading "-" sorts descending)`, 'sort');
  }
  const text = raw.trim();
  return { channel: text.replace(/^-/, '') as Channel, descending: text.startsWith('-') };
}

function parsePositiveInteger(raw: unknown, key: string, max: number): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > max) throw invalid(`"${key}" must be a whole number from 1 to ${max}`, key);
  return raw;
}

export function parseChartConfig(raw: Record<string, unknown>): ChartConfig {
  rejectUnknown(raw, SPEC_KEYS, ' in a chart spec');
  const config: ChartConfig = { input: requiredString(raw, 'input').trim(), encoding: {} };
  const mark = parseMark(raw.mark);
  if (mark) config.mark = mark;
  const title = optionalString(raw, 'title');
  if (title) config.title = title;
  for (const channel of CHANNELS) {
    if (raw[channel] !== undefined && raw[channel] !== null) config.encoding[channel] = parseEncoding(raw[channel], channel);
  }
  const filter = optionalString(raw, 'filter');
  if (filter !== undefined && filter.trim() !== '') {
    try {
      parseExpression(filter);
    } catch (err) {
      throw invalid(`"filter": ${(err as Error).message}`, 'filter');
    }
    config.filter = filter;
  }
  const sort = parseSort(raw.sort);
  if (sort) config.sort = sort;
  const limit = parsePositiveInteger(raw.limit, 'limit', MAX_LIMIT);
  if (limit) config.limit = limit;
  const height = parsePositiveInteger(raw.height, 'height', 2000);
  if (height) config.height = Math.max(120, height);
  return config;
}
