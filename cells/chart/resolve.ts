// Turns a chart config into a plan against the input's columns: every field exists, every
// aggregate and bin fits its column's type, the mark is chosen when not given, and each
// channel is either a key (grouped by) or a measure (aggregated). Every default applied is
// recorded in words, so the result says what was drawn. Pure: no polars, no data.
import { CellError } from '../kind.ts';
import type { ColumnType } from '../shared/column-type.ts';
import { closest } from '../shared/closest.ts';
import type { ChartConfig, EncodingConfig, ValueType } from './types.ts';
import { AGGREGATES, MARK_CHANNELS, type Aggregate, type Channel, type Mark } from './vocabulary.ts';

export interface PlannedEncoding extends EncodingConfig {
  /** The column's type; absent for count() without a field. */
  column?: ColumnType;
  type: ValueType;
}

export interface Plan {
  mark: Mark;
  orientation: 'vertical' | 'horizontal';
  /** aggregate: group by the keys and compute the measures; raw: rows as they are; box: quartiles per group. */
  mode: 'aggregate' | 'raw' | 'box';
  encoding: Partial<Record<Channel, PlannedEncoding>>;
  /** The position channel that holds the categories (bars, boxes), if any. */
  category?: Channel;
  defaults: string[];
  config: ChartConfig;
}

const NUMBER: readonly ColumnType[] = ['integer', 'float'];
const TIME: readonly ColumnType[] = ['date', 'datetime'];

/** The column types each aggregate takes (count and distinct take any). */
const AGGREGATE_TYPES: Record<Aggregate, readonly ColumnType[] | 'any'> = {
  count: 'any', distinct: 'any',
  sum: [...NUMBER, 'boolean'], mean: [...NUMBER, 'boolean'], median: NUMBER,
  min: [...NUMBER, ...TIME], max: [...NUMBER, ...TIME],
};

const TYPE_WORD: Record<ColumnType, string> = {
  integer: 'an integer', float: 'a number', boolean: 'true/false', date: 'a date', datetime: 'a date-time', string: 'text', other: 'of an unsupported type',
};

function fail(code: string, message: string, key: string): CellError {
  return new CellError(code, message, { key });
}

const isBinned = (e?: PlannedEncoding) => Boolean(e?.bin && e.bin.kind !== 'none');
const isNominal = (e?: PlannedEncoding) => e?.type === 'nominal';
/** A field with no aggregate that holds numbers. */
const isRawNumber = (e?: PlannedEncoding) => Boolean(e && !e.aggregate && e.column && NUMBER.includes(e.column));
const isRawTime = (e?: PlannedEncoding) => Boolean(e && !e.aggregate && e.column && TIME.includes(e.column));
const describe = (e: EncodingConfig) => (e.aggregate ? `${e.aggregate}(${e.field ?? ''})` : e.field ?? '');

function typeOf(e: EncodingConfig, column?: ColumnType): ValueType {
  if (e.aggregate) return (e.aggregate === 'min' || e.aggregate === 'max') && column && TIME.includes(column) ? 'temporal' : 'quantitative';
  if (e.bin?.kind === 'time') return 'temporal';
  if (e.bin && e.bin.kind !== 'none') return column && TIME.includes(column) ? 'temporal' : 'quantitative';
  if (column && NUMBER.includes(column)) return 'quantitative';
  if (column && TIME.includes(column)) return 'temporal';
  return 'nominal';
}

/** Checks one channel against the table: its field exists, its aggregate and bin fit the column. */
function checkEncoding(channel: Channel, e: EncodingConfig, columns: Record<string, ColumnType>, input: string): PlannedEncoding {
  let column: ColumnType | undefined;
  if (e.field !== undefined) {
    if (!Object.hasOwn(columns, e.field)) {
      const names = Object.keys(columns);
      const hint = closest(e.field, names)
        || ((AGGREGATES as readonly string[]).includes(e.field) ? `; for an aggregate write ${e.field}(<column>)${e.field === 'count' ? ' or count()' : ''}` : '');
      throw fail('unknown_field', `${channel}: no column "${e.field}" in "${input}"${hint}; it has: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}`, channel);
    }
    column = columns[e.field]!;
    if (column === 'other') throw fail('field_type', `${channel}: column "${e.field}" is of a type charts cannot draw`, channel);
  }
  if (e.aggregate && column) {
    const fits = AGGREGATE_TYPES[e.aggregate];
    if (fits !== 'any' && !fits.includes(column)) {
      throw fail('aggregate_type', `${channel}: ${e.aggregate} needs ${e.aggregate === 'min' || e.aggregate === 'max' ? 'a number or date' : 'a number'} column; "${e.field}" is ${TYPE_WORD[column]} (count and distinct work on any column)`, `${channel}.aggregate`);
    }
  }
  const bin = e.bin;
  if (bin && bin.kind !== 'none' && column) {
    if (bin.kind === 'time') {
      if (!TIME.includes(column)) throw fail('bin_type', `${channel}: "bin: ${bin.unit}" buckets dates; "${e.field}" is ${TYPE_WORD[column]}${NUMBER.includes(column) ? ' (use bin: true or {step: …} for numbers)' : ''}`, `${channel}.bin`);
      if (bin.unit === 'hour' && column === 'date') throw fail('bin_type', `${channel}: "${e.field}" holds dates without times; hour buckets need a date-time column`, `${channel}.bin`);
    } else if (bin.kind === 'auto') {
      if (!NUMBER.includes(column) && !TIME.includes(column)) throw fail('bin_type', `${channel}: only numbers and dates can be binned; "${e.field}" is ${TYPE_WORD[column]}`, `${channel}.bin`);
    } else if (!NUMBER.includes(column)) {
      throw fail('bin_type', `${channel}: numeric bins need a number column; "${e.field}" is ${TYPE_WORD[column]}${TIME.includes(column) ? ' (use bin: day, week, month, quarter or year)' : ''}`, `${channel}.bin`);
    }
  }
  const planned: PlannedEncoding = { ...e, type: typeOf(e, column) };
  if (column) planned.column = column;
  if (planned.scale && planned.scale !== 'linear' && planned.type !== 'quantitative') {
    throw fail('scale_type', `${channel}: a ${planned.scale} scale needs numbers; "${describe(e)}" is ${planned.type === 'temporal' ? 'dates' : 'categories'}`, `${channel}.scale`);
  }
  return planned;
}

/** The mark a spec without `mark` gets, from what x and y hold. */
function inferMark(x: PlannedEncoding | undefined, y: PlannedEncoding | undefined, defaults: string[]): Mark {
  const say = (mark: Mark, why: string) => { defaults.push(`mark: ${mark} (${why})`); return mark; };
  if (!x && !y) throw fail('config_invalid', 'a chart needs at least "x" (a column); e.g. x: category', 'x');
  const [a, b, axis] = x ? [x, y, 'x'] : [y!, undefined, 'y'];
  if (b === undefined) {
    if (a.aggregate) return say('bar', `${axis} is an aggregate`);
    if (a.type === 'temporal') return say('line', `${axis} holds dates`);
    if (a.type === 'quantitative') return say('histogram', `${axis} holds numbers and there is no ${axis === 'x' ? 'y' : 'x'}`);
    return say('bar', `${axis} holds categories and there is no ${axis === 'x' ? 'y' : 'x'}`);
  }
  // Categories, bins and dates can all be cut into cells; two of them (one at least not raw dates) make a grid.
  const cuttable = (e: PlannedEncoding) => !e.aggregate && (isNominal(e) || isBinned(e) || isRawTime(e));
  if (cuttable(a) && cuttable(b) && [a, b].some((e) => isNominal(e) || isBinned(e))) return say('heatmap', 'x and y both hold categories or bins');
  if (a.type === 'temporal' && !isNominal(b)) return say('line', 'x holds dates');
  if (isNominal(a) || isNominal(b) || a.aggregate || b.aggregate) return say('bar', isNominal(a) || isNominal(b) ? 'one axis holds categories' : 'an axis is an aggregate');
  return say('dot', 'x and y both hold numbers');
}

export function planChart(config: ChartConfig, columns: Record<string, ColumnType>): Plan {
  const encoding: Partial<Record<Channel, PlannedEncoding>> = {};
  for (const [channel, e] of Object.entries(config.encoding) as [Channel, EncodingConfig][]) {
    encoding[channel] = checkEncoding(channel, e, columns, config.input);
  }
  const defaults: string[] = [];
  const mark = config.mark ?? inferMark(encoding.x, encoding.y, defaults);
  for (const channel of Object.keys(encoding) as Channel[]) {
    if (!MARK_CHANNELS[mark].includes(channel)) {
      throw fail('config_invalid', `a ${mark} chart does not use "${channel}"; it takes ${MARK_CHANNELS[mark].join(', ')}`, channel);
    }
  }
  const plan: Plan = { mark, orientation: 'vertical', mode: 'aggregate', encoding, defaults, config };
  const facet = encoding.facet;
  if (facet && (facet.aggregate || isBinned(facet))) throw fail('config_invalid', '"facet" takes a column of categories, one panel per value (no aggregate or bin)', 'facet');
  if (facet) facet.type = 'nominal';
  for (const c of ['color', 'size', 'text'] as const) {
    if (isBinned(encoding[c])) throw fail('config_invalid', `"${c}" cannot be binned; bin x or y instead`, `${c}.bin`);
  }
  PLANNERS[mark](plan);
  if (config.sort && !encoding[config.sort.channel]) {
    throw fail('config_invalid', `"sort: ${config.sort.descending ? '-' : ''}${config.sort.channel}" sorts by a channel this chart does not have; it has ${Object.keys(encoding).join(', ')}`, 'sort');
  }
  return plan;
}

// --- per mark ------------------------------------------------------------------------------------

/** Makes `e` the measure of the chart: count() when absent, a default aggregate for a raw number. */
function measure(plan: Plan, channel: Channel, fallback: Aggregate, why: string): void {
  const e = plan.encoding[channel];
  if (!e) {
    plan.encoding[channel] = { aggregate: 'count', type: 'quantitative' };
    plan.defaults.push(`${channel}: count() (the number of rows)`);
    return;
  }
  if (e.aggregate) return;
  if (!isRawNumber(e) && !(e.column === 'boolean' && fallback !== 'median')) {
    throw fail('config_invalid', `${channel}: a ${plan.mark} chart needs a number or an aggregate here; "${e.field}" is ${TYPE_WORD[e.column ?? 'other']} (try ${channel}: count() or ${channel}: distinct(${e.field}))`, channel);
  }
  e.aggregate = fallback;
  e.type = 'quantitative';
  plan.defaults.push(`${channel}: ${fallback}(${e.field}) (${why})`);
}

/** A category axis of bars, boxes and heatmaps: dates are bucketed, fractional numbers binned. */
function categoryAxis(plan: Plan, channel: Channel, numbers: 'bin' | 'categories'): void {
  const e = plan.encoding[channel]!;
  if (e.aggregate) throw fail('config_invalid', `${channel}: the categories of a ${plan.mark} chart cannot be an aggregate`, channel);
  if (e.bin) return;
  if (isRawTime(e)) {
    e.bin = { kind: 'auto' };
    plan.defaults.push(`${channel}: ${e.field} by the best time bucket`);
  } else if (isRawNumber(e) && (numbers === 'bin' || e.column === 'float')) {
    e.bin = { kind: 'auto' };
    plan.defaults.push(`${channel}: ${e.field} in bins`);
  } else {
    // Whole numbers (years, ratings) read as categories in a bar chart.
    e.type = 'nominal';
  }
}

/** Which of x and y holds the categories: the one that is not a measure. */
function pickCategory(plan: Plan): Channel {
  const { x, y } = plan.encoding;
  if (x && !y) return 'x';
  if (y && !x) return 'y';
  if (y!.aggregate && !x!.aggregate) return 'x';
  if (x!.aggregate && !y!.aggregate) return 'y';
  if (x!.aggregate && y!.aggregate) throw fail('config_invalid', `a ${plan.mark} chart needs one axis of categories: x and y are both aggregates`, 'x');
  if (isNominal(y) && !isNominal(x) && !isBinned(x)) return 'y';
  return 'x';
}

function setCategory(plan: Plan, category: Channel): Channel {
  plan.category = category;
  plan.orientation = category === 'x' ? 'vertical' : 'horizontal';
  return category === 'x' ? 'y' : 'x';
}

/** Channels other than positions (color, size, text) stay keys unless they are aggregates. */
function finishAggregate(plan: Plan): void {
  const { encoding } = plan;
  const anyGrouping = Object.values(encoding).some((e) => e && (e.aggregate || isBinned(e)));
  plan.mode = anyGrouping ? 'aggregate' : 'raw';
}

function planBar(plan: Plan): void {
  const { x, y } = plan.encoding;
  if (!x && !y) throw fail('config_invalid', `a ${plan.mark} chart needs "x" (its categories)`, 'x');
  const measureChannel = setCategory(plan, pickCategory(plan));
  categoryAxis(plan, plan.category!, plan.mark === 'histogram' ? 'bin' : 'categories');
  measure(plan, measureChannel, 'sum', 'bars add up the values of their rows');
  if (plan.encoding[measureChannel]!.scale === 'log' && plan.encoding.color && !plan.encoding.color.aggregate) {
    throw fail('config_invalid', `${measureChannel}: stacked bars (by color) cannot use a log scale`, `${measureChannel}.scale`);
  }
  finishAggregate(plan);
}

function planHistogram(plan: Plan): void {
  const { x } = plan.encoding;
  const axis: Channel = x && !x.aggregate ? 'x' : 'y';
  const e = plan.encoding[axis];
  if (!e || (!isRawNumber(e) && !isRawTime(e))) {
    throw fail('config_invalid', `a histogram bins a number or date column: "${axis}" ${e ? `is ${e.aggregate ? 'an aggregate' : TYPE_WORD[e.column ?? 'other']}` : 'is missing'} (for categories use mark: bar)`, axis);
  }
  if (axis === 'y' && x && !x.aggregate) throw fail('config_invalid', 'a histogram bins one of x and y; the other must be an aggregate (or left out: count)', 'x');
  if (!e.bin) {
    e.bin = { kind: 'auto' };
    plan.defaults.push(`${axis}: ${e.field} in bins`);
  }
  e.type = isRawTime(e) ? 'temporal' : 'quantitative';
  const other = setCategory(plan, axis);
  measure(plan, other, 'sum', 'bars add up the values of their rows');
  finishAggregate(plan);
}

function planLine(plan: Plan): void {
  const { x, y } = plan.encoding;
  if (!x) throw fail('config_invalid', `a ${plan.mark} chart needs "x" (what the line runs along)`, 'x');
  if (x.aggregate) throw fail('config_invalid', `x: a ${plan.mark} chart runs along x, which cannot be an aggregate`, 'x');
  if (isRawTime(x) && !x.bin) {
    x.bin = { kind: 'auto' };
    plan.defaults.push(`x: ${x.field} by the best time bucket`);
  }
  const grouped = isBinned(x) || isNominal(x);
  if (!y) {
    measure(plan, 'y', 'count', '');
  } else if (!y.aggregate && grouped) {
    measure(plan, 'y', 'mean', `x is ${isNominal(x) ? 'categories' : 'bucketed'}, so each point averages its rows`);
  } else if (!y.aggregate && !isRawNumber(y) && !isRawTime(y)) {
    throw fail('config_invalid', `y: a ${plan.mark} chart needs numbers or an aggregate; "${y.field}" is ${TYPE_WORD[y.column ?? 'other']}`, 'y');
  }
  if (plan.mark === 'rule') plan.category = 'x';
  finishAggregate(plan);
}

function planDot(plan: Plan): void {
  const { x, y } = plan.encoding;
  if (!x && !y) throw fail('config_invalid', 'a dot chart needs "x" or "y"', 'x');
  if (plan.mark === 'text' && !plan.encoding.text) {
    const measured = (['y', 'x', 'color', 'size'] as Channel[]).find((c) => plan.encoding[c]?.aggregate);
    if (!measured) throw fail('config_invalid', 'a text chart needs "text": the column (or aggregate) to write', 'text');
    plan.encoding.text = { ...plan.encoding[measured]!, label: undefined };
    plan.defaults.push(`text: ${describe(plan.encoding.text)} (the ${measured} value)`);
  }
  finishAggregate(plan);
  // Grouped by a raw number, a dot chart would make a group per distinct value: bin it instead.
  if (plan.mode === 'aggregate') {
    for (const c of ['x', 'y'] as const) {
      const e = plan.encoding[c];
      if (e && !e.aggregate && !e.bin && (isRawTime(e) || e.column === 'float')) {
        e.bin = { kind: 'auto' };
        plan.defaults.push(`${c}: ${e.field} ${isRawTime(e) ? 'by the best time bucket' : 'in bins'} (the other channels are aggregates)`);
      }
    }
  }
}

function planRule(plan: Plan): void {
  const { x, y } = plan.encoding;
  if (x && y) return planLine(plan);
  const only = (x ? 'x' : 'y') as Channel;
  const e = plan.encoding[only];
  if (!e) throw fail('config_invalid', 'a rule chart needs "x" or "y"', 'y');
  if (e.type === 'nominal') throw fail('config_invalid', `${only}: a rule is drawn at a number or date; "${e.field}" holds categories`, only);
  finishAggregate(plan);
}

function planHeatmap(plan: Plan): void {
  const { x, y } = plan.encoding;
  if (!x || !y) throw fail('config_invalid', 'a heatmap needs "x" and "y" (its rows and columns of cells)', x ? 'y' : 'x');
  categoryAxis(plan, 'x', 'bin');
  categoryAxis(plan, 'y', 'bin');
  measure(plan, 'color', 'mean', 'each cell averages its rows');
  finishAggregate(plan);
}

function planBox(plan: Plan): void {
  const { x, y } = plan.encoding;
  for (const c of ['x', 'y', 'facet'] as const) {
    if (plan.encoding[c]?.aggregate) throw fail('config_invalid', `${c}: a box chart summarises raw values; no aggregate`, c);
  }
  // Numbers on y make vertical boxes; numbers only on x, horizontal ones.
  const valueAxis: Channel = isRawNumber(y) && !isBinned(y) ? 'y' : isRawNumber(x) && !isBinned(x) ? 'x' : 'y';
  const v = plan.encoding[valueAxis];
  if (!v || !isRawNumber(v)) throw fail('config_invalid', `a box chart needs numbers on ${valueAxis}: ${v ? `"${v.field}" is ${TYPE_WORD[v.column ?? 'other']}` : `"${valueAxis}" is missing`}`, valueAxis);
  plan.orientation = valueAxis === 'y' ? 'vertical' : 'horizontal';
  const category: Channel = valueAxis === 'y' ? 'x' : 'y';
  if (plan.encoding[category]) {
    plan.category = category;
    categoryAxis(plan, category, 'categories');
  }
  plan.mode = 'box';
}

const PLANNERS: Record<Mark, (plan: Plan) => void> = {
  bar: planBar, histogram: planHistogram, line: planLine, area: planLine, dot: planDot, text: planDot,
  rule: planRule, heatmap: planHeatmap, box: planBox,
};
