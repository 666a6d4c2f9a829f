// Renaming a cell's references in another cell's YAML config, as text: only the values
// that name the cell change, so comments, key order, quoting and layout stay as written.
// A kind that names cells inside a text (a sql cell's query) renames them there itself
// (CellKind.namesCellsIn), by tokens.
import { isMap, isPair, isScalar, isSeq, parseDocument, visit, type Scalar } from 'yaml';
import type { CellKind } from './kind.ts';
import { parseCellYaml } from './yaml.ts';
import { findParams } from './shared/params.ts';

// The keys under which a kind's config names another cell: `input: sales`, a list of them in
// `inputs:`, and a rule's `in: {cell: sales}`. The rewrite is checked against the kind's own
// inputs() below, so a kind that names cells elsewhere is left alone, never half-renamed.
const REFERENCE_KEYS = new Set(['input', 'inputs', 'cell']);

/**
 * `config` with every reference to the cell `from` made to `to`, or undefined when it has
 * none, or when the rewrite would not leave the kind reading `to` where it read `from`.
 */
export function renameReferences(kind: CellKind, config: string, from: string, to: string): string | undefined {
  const before = inputsOf(kind, config);
  if (!before?.includes(from)) return undefined;
  const doc = parseDocument(config, { keepSourceTokens: true });
  const spans: { start: number; end: number; text: string }[] = [];
  const renameScalar = (node: unknown) => {
    if (!isScalar(node) || node.value !== from || !node.range) return;
    const quote = (node as Scalar).type === 'QUOTE_DOUBLE' ? '"' : (node as Scalar).type === 'QUOTE_SINGLE' ? "'" : (node as Scalar).type === 'PLAIN' ? '' : undefined;
    if (quote === undefined) return; // a block scalar: not a cell name anyone writes
    spans.push({ start: node.range[0], end: node.range[1], text: `${quote}${to}${quote}` });
  };
  const inText = kind.namesCellsIn;
  // `$from`, an input cell's value read by name (cells/shared/params.ts), in any text of the config.
  const renameParams = (kind.params?.(parsed(kind, config)!) ?? []).includes(from);
  visit(doc, {
    Scalar(_key, node) {
      if (!renameParams || typeof node.value !== 'string' || !node.range) return;
      const source = config.slice(node.range[0], node.range[1]);
      const refs = findParams(source).filter((r) => r.name === from);
      for (const r of refs) spans.push({ start: node.range[0] + r.start, end: node.range[0] + r.end, text: `$${to}` });
    },
    Pair(_key, pair) {
      if (!isPair(pair) || !isScalar(pair.key)) return;
      if (inText && pair.key.value === inText.key && isScalar(pair.value)) {
        const span = renameInText(config, pair.value as Scalar, (text) => inText.rename(text, from, to));
        if (span) spans.push(span);
        return;
      }
      if (!REFERENCE_KEYS.has(String(pair.key.value))) return;
      if (isSeq(pair.value)) pair.value.items.forEach(renameScalar);
      else if (!isMap(pair.value)) renameScalar(pair.value);
    },
  });
  if (spans.length === 0) return undefined;
  let text = config;
  for (const span of spans.sort((a, b) => b.start - a.start)) text = text.slice(0, span.start) + span.text + text.slice(span.end);
  const after = inputsOf(kind, text);
  const expected = before.map((name) => (name === from ? to : name));
  return after && JSON.stringify(after) === JSON.stringify(expected) ? text : undefined;
}

/**
 * A text value that names cells (a query) with a rename applied: a plain or block scalar's
 * source is renamed where it stands (its layout and comments kept); a quoted one is written
 * again, double-quoted, from its renamed value.
 */
function renameInText(config: string, node: Scalar, rename: (text: string) => string): { start: number; end: number; text: string } | undefined {
  if (!node.range || typeof node.value !== 'string') return undefined;
  const [start, end] = node.range;
  const source = config.slice(start, end);
  if (node.type === 'PLAIN' || node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    // A block scalar's header (`|`, `>-`, a comment after it) is YAML, not the query: kept as written.
    const body = node.type === 'PLAIN' ? 0 : source.indexOf('\n') + 1;
    if (node.type !== 'PLAIN' && body === 0) return undefined;
    const renamed = source.slice(0, body) + rename(source.slice(body));
    return renamed === source ? undefined : { start, end, text: renamed };
  }
  const renamed = rename(node.value);
  if (renamed === node.value) return undefined;
  return { start, end, text: node.type === 'QUOTE_SINGLE' && !renamed.includes('\n') ? `'${renamed.replaceAll("'", "''")}'` : JSON.stringify(renamed) };
}

function parsed(kind: CellKind, config: string): unknown {
  try {
    return kind.parseConfig(parseCellYaml(config));
  } catch {
    return undefined;
  }
}

/** The cells a config reads: by reference (`input:`) and by value (`$name`). */
function inputsOf(kind: CellKind, config: string): string[] | undefined {
  const c = parsed(kind, config);
  if (c === undefined) return undefined;
  const inputs = kind.inputs(c);
  return [...inputs, ...(kind.params?.(c) ?? []).filter((p) => !inputs.includes(p))];
}
