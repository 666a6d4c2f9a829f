// The words of a chart spec: marks, encoding channels, aggregates, bins, scales. Plain data,
// no polars, so the browser's editor completes with exactly what the server accepts.

export const MARKS = ['bar', 'line', 'area', 'dot', 'histogram', 'box', 'heatmap', 'cell', 'rule', 'text'] as const;
export type MarkName = (typeof MARKS)[number];
/** `cell` is Observable Plot's name for a heatmap's mark; both are accepted, `heatmap` is reported. */
export type Mark = Exclude<MarkName, 'cell'>;

export const MARK_HELP: Record<MarkName, string> = {
  bar: 'a bar per category (or bin, or time bucket)',
  line: 'a line over x, one per color',
  area: 'a filled line over x',
  dot: 'a scatter of rows (sampled beyond 10,000)',
  histogram: 'counts of a numeric or date column in bins',
  box: 'quartiles, whiskers and outliers of y per x',
  heatmap: 'a cell per x × y, colored by a measure',
  cell: 'the same as heatmap',
  rule: 'a line at each value (a reference line, or stems)',
  text: 'the text channel written at x, y',
};

export const CHANNELS = ['x', 'y', 'color', 'size', 'facet', 'text'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CHANNEL_HELP: Record<Channel, string> = {
  x: 'horizontal position', y: 'vertical position', color: 'fill or stroke color (with a legend)',
  size: 'dot radius', facet: 'one panel per value', text: 'the label a text mark writes',
};

/** Which channels each mark draws; any other is an error naming the ones it takes. */
export const MARK_CHANNELS: Record<Mark, readonly Channel[]> = {
  bar: ['x', 'y', 'color', 'facet'],
  line: ['x', 'y', 'color', 'facet'],
  area: ['x', 'y', 'color', 'facet'],
  dot: ['x', 'y', 'color', 'size', 'facet'],
  histogram: ['x', 'y', 'color', 'facet'],
  box: ['x', 'y', 'facet'],
  heatmap: ['x', 'y', 'color', 'facet'],
  rule: ['x', 'y', 'color', 'facet'],
  text: ['x', 'y', 'text', 'color', 'size', 'facet'],
};

export const AGGREGATES = ['count', 'sum', 'mean', 'median', 'min', 'max', 'distinct'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

export const AGGREGATE_HELP: Record<Aggregate, string> = {
  count: 'rows (or non-missing values of a field)', sum: 'total of a number column', mean: 'average of a number column',
  median: 'middle value of a number column', min: 'smallest number or date', max: 'largest number or date',
  distinct: 'number of different values',
};

export const TIME_BUCKETS = ['hour', 'day', 'week', 'month', 'quarter', 'year'] as const;
export type TimeBucket = (typeof TIME_BUCKETS)[number];

export const SCALES = ['linear', 'log', 'sqrt', 'symlog'] as const;
export type ScaleType = (typeof SCALES)[number];

/** Top-level keys of a chart cell's YAML. */
export const SPEC_KEYS = ['input', 'mark', 'title', ...CHANNELS, 'filter', 'sort', 'limit', 'height'] as const;

/** Keys of an encoding written as a mapping: `y: {field: temp_max, aggregate: mean}`. */
export const ENCODING_KEYS = ['field', 'aggregate', 'bin', 'label', 'format', 'scale'] as const;

export const ENCODING_KEY_HELP: Record<(typeof ENCODING_KEYS)[number], string> = {
  field: 'a column of the input', aggregate: AGGREGATES.join(', '),
  bin: `true, a number of bins, {step: 5}, or ${TIME_BUCKETS.join('/')}`, label: 'the axis or legend title',
  format: 'd3 format: ",.0f", ".1%", "%b %Y"', scale: SCALES.join(', '),
};

/** Values `sort:` takes: a channel, `-` first for descending. */
export const SORT_VALUES = CHANNELS.filter((c) => c !== 'facet').flatMap((c) => [c, `-${c}`]);
