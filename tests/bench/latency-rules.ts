// The rule cell the latency benchmark edits, as YAML text: the same text is PATCHed to the
// server and run in-process by the peer. Edit `i` names its range rule after itself (so its
// result is told apart from the others') and moves the bound (so it is a new fingerprint,
// never a reused result).
export function editedRules(input: string, i: number): string {
  return [
    `input: ${input}`,
    'rules:',
    '  - check: not_null',
    '    columns: [order_id, order_date]',
    '  - check: range',
    `    name: quantity, edit ${i}`,
    '    column: quantity',
    '    min: 1',
    `    max: ${400 + i}`,
    '  - check: allowed_values',
    '    column: country',
    '    values: [US, GB, DE, FR, CA, IT, ES, NL]',
    '',
  ].join('\n');
}

/** The edit a result answers, read back from its range rule's name. */
export function editOf(result: unknown): number | undefined {
  const rules = (result as { rules?: { name?: string }[] } | null)?.rules ?? [];
  for (const r of rules) {
    const m = /^quantity, edit (\d+)$/.exec(r.name ?? '');
    if (m) return Number(m[1]);
  }
  return undefined;
}

/** The transform cell the benchmark edits: edit `i` moves the filter's bound and names a derived column after itself. */
export function editedTransform(input: string, i: number): string {
  return [
    `input: ${input}`,
    'steps:',
    `  - filter: quantity >= 1 and unit_price < ${1000 + i}`,
    `  - derive: {edit_${i}: quantity * unit_price}`,
    `  - group_by: {by: [country, category], aggregate: {edit_${i}: sum, quantity: [sum, max], orders: count}}`,
    `  - sort: {by: edit_${i}, descending: true}`,
    '',
  ].join('\n');
}

/** The edit a transform's result answers, read back from its derived column's name. */
export function transformEditOf(result: unknown): number | undefined {
  const columns = (result as { columns?: { name: string }[] } | null)?.columns ?? [];
  for (const c of columns) {
    const m = /^edit_(\d+)$/.exec(c.name);
    if (m) return Number(m[1]);
  }
  return undefined;
}
