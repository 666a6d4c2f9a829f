import { isMap, isScalar, isSeq, parseDocument, YAMLParseError, type Document } from 'yaml';
import { CellError } from './kind.ts';
import { findUnsafeText } from './text-safety.ts';
import { yamlNestingProblem } from './yaml-shape.ts';

// Aliases are the one way a few bytes of YAML become gigabytes ("billion laughs");
// no real cell config needs more than a handful.
const MAX_ALIASES = 50;
const MAX_CONFIG_BYTES = 256 * 1024;

/** Parses a cell's YAML config; a syntax error names its line and column. */
export function parseCellYaml(text: string): Record<string, unknown> {
  if (text.length > MAX_CONFIG_BYTES) {
    throw new CellError('config_too_large', `config is ${text.length} bytes; the limit is ${MAX_CONFIG_BYTES}`);
  }
  const tooDeep = yamlNestingProblem(text);
  if (tooDeep) throw new CellError('config_yaml', `YAML: ${tooDeep.message}`, { line: tooDeep.line });
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) throw yamlError(first);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    throw new CellError('config_yaml', `YAML: ${(err as Error).message}`);
  }
  const unsafe = findUnsafeText(value);
  if (unsafe) throw new CellError('config_invalid', unsafe.message, { key: unsafe.path });
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new CellError('config_invalid', 'the config must be a YAML mapping (key: value lines)', { line: 1 });
  }
  // Lines are counted only when an error asks (a LineCounter on every parse costs more).
  positions.set(value, (path) => lineOfPath(doc, text, path));
  return value as Record<string, unknown>;
}

// Each mapping parseCellYaml returned, with where its keys were written: a kind's schema
// reports a problem by key path, and the path's line comes from here.
const positions = new WeakMap<object, (path: readonly (string | number)[]) => number | undefined>();

/** 1-based line of a key path (`y.aggregate`, `rules.2.check`) in the YAML `raw` was read from; the nearest written ancestor's when the key is absent. */
export function configLine(raw: object, path: readonly (string | number)[]): number | undefined {
  return positions.get(raw)?.(path);
}

function lineOfPath(doc: Document, text: string, path: readonly (string | number)[]): number | undefined {
  let node: unknown = doc.contents;
  let at: number | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      at = (pair.key as { range?: [number, number, number] }).range?.[0] ?? at;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
      node = node.items[segment];
      at = (node as { range?: [number, number, number] }).range?.[0] ?? at;
    } else {
      break;
    }
  }
  if (at === undefined) return undefined;
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function yamlError(err: YAMLParseError): CellError {
  const pos = err.linePos?.[0];
  const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
  // prettyErrors appends the position and a code excerpt; the position is said once, up front.
  const firstLine = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  return new CellError('config_yaml', `YAML${where}: ${firstLine}`, pos ? { line: pos.line, column: pos.col } : {});
}

// Readers for the small kinds that tests and benchmarks declare (tests/support/test-kinds.ts);
// the product's kinds declare a schema instead (schema.ts), which also gives the line and help.
export function optionalString(raw: Record<string, unknown>, key: string): string | undefined {
  const v = raw[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new CellError('config_invalid', `"${key}" must be text`, { key });
  return v;
}

export function requiredString(raw: Record<string, unknown>, key: string): string {
  const v = optionalString(raw, key);
  if (v === undefined || v.trim() === '') throw new CellError('config_invalid', `"${key}" is required`, { key });
  return v;
}

export function optionalStringList(raw: Record<string, unknown>, key: string): string[] | undefined {
  const v = raw[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    throw new CellError('config_invalid', `"${key}" must be a list of text values`, { key });
  }
  return v as string[];
}
