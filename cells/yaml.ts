import { parseDocument, YAMLParseError } from 'yaml';
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
  return value as Record<string, unknown>;
}

function yamlError(err: YAMLParseError): CellError {
  const pos = err.linePos?.[0];
  const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
  // prettyErrors appends the position and a code excerpt; the position is said once, up front.
  const firstLine = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  return new CellError('config_yaml', `YAML${where}: ${firstLine}`, pos ? { line: pos.line, column: pos.col } : {});
}

/** Small readers for validating a parsed config; each error names the key. */
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

export function optionalBoolean(raw: Record<string, unknown>, key: string): boolean | undefined {
  const v = raw[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new CellError('config_invalid', `"${key}" must be true or false`, { key });
  return v;
}

/** Refuses keys the kind does not know, so a typo is an error instead of a silent no-op. */
export function rejectUnknownKeys(raw: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) {
      throw new CellError('config_invalid', `unknown key "${key}"; expected one of: ${known.join(', ')}`, { key });
    }
  }
}
