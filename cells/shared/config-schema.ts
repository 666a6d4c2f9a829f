// A kind's config is declared once, as a zod schema: the same declaration validates the
// YAML (errors naming the key path, its line and the closest known word), and becomes the
// kind's reference (JSON Schema with a line of help per key) that /api/kinds serves and the
// editor completes and explains from. The browser never imports this file: it reads the
// JSON Schema, so zod stays out of the page's bundle.
import { z } from 'zod';
import { CellError } from '../kind.ts';
import { configLine } from '../yaml.ts';
import { closest } from './closest.ts';

export { z };

/** Validates a parsed YAML mapping against a kind's schema; the first problem is a CellError('config_invalid'). */
export function parseConfigWith<S extends z.ZodType>(schema: S, raw: Record<string, unknown>, options: ParseOptions = {}): z.output<S> {
  const result = schema.safeParse(nullsAsAbsent(raw), { reportInput: true, error: describeIssue });
  if (result.success) return dropUndefined(result.data);
  const { message, path } = firstProblem(result.error.issues[0]!, options);
  const key = path.join('.');
  const line = configLine(raw, path);
  throw new CellError('config_invalid', message, { ...(key ? { key } : {}), ...(line !== undefined ? { line } : {}) });
}

// Messages are written while zod parses, when an issue inside a union does not yet know its
// full path: they hold these marks, filled in once the path is known (firstProblem).
const PATH = '\u0001';
const WHERE = '\u0002';

/**
 * The problem to report of a zod issue, worded and with its full key path (`y.aggregate`;
 * the unknown key itself for an unknown key). A union that refused a value of the right type
 * (a mapping with a bad key) reports that branch's own problem, not "none of the forms".
 */
export function firstProblem(top: z.core.$ZodIssue, options: ParseOptions = {}): { message: string; path: (string | number)[] } {
  let issue = top;
  let prefix: PropertyKey[] = [];
  while (issue.code === 'invalid_union') {
    // A branch refused the value itself (another type, another word) when its first issue is at its root.
    const branch = issue.errors.find((errs) => errs.length > 0 && !(errs[0]!.path.length === 0 && (errs[0]!.code === 'invalid_type' || errs[0]!.code === 'invalid_value')));
    if (!branch) break;
    prefix = [...prefix, ...issue.path];
    issue = branch[0]!;
  }
  const at = [...prefix, ...issue.path].filter((p): p is string | number => typeof p !== 'symbol');
  const path = issue.code === 'unrecognized_keys' ? [...at, issue.keys[0]!] : at;
  const where = at.length ? ` in "${at.join('.')}"` : options.what ? ` in ${options.what}` : options.where ?? '';
  const message = issue.message.replaceAll(PATH, `"${at.join('.')}"`).replaceAll(WHERE, where);
  return { message, path };
}

export interface ParseOptions {
  /** Where the config's top-level keys live, for messages: "a chart spec". */
  what?: string;
  /** Where a rule's options are (" for range"). */
  where?: string;
}

type Issue = z.core.$ZodRawIssue & { path?: PropertyKey[] };
type MapIssue = Parameters<z.core.$ZodErrorMap>[0];

/** The house's wording for zod's issues (a schema's own `error` wins over these). `noun`: what an unknown key is called. */
export function describeIssue(raw: MapIssue, noun = 'key'): string | undefined {
  const iss = raw as Issue;
  switch (iss.code) {
    case 'unrecognized_keys': {
      const word = String(iss.keys[0]);
      const known = objectKeys(iss.inst);
      return `unknown ${noun} "${word}"${WHERE}${closest(word, known) || `; expected one of: ${known.join(', ')}`}`;
    }
    case 'invalid_type':
      if (iss.input === undefined) return `${PATH} is required`;
      return `${PATH} must be ${expected(iss.inst)}`;
    case 'invalid_value': {
      const values = iss.values.map(String);
      return `${PATH} must be one of ${values.join(', ')}, not ${JSON.stringify(iss.input)}${typeof iss.input === 'string' ? closest(iss.input, values) : ''}`;
    }
    case 'too_small':
      if (iss.origin === 'string' && iss.minimum === 1) return `${PATH} is required`;
      if (iss.origin === 'array') return `${PATH} must list at least ${iss.minimum}`;
      return `${PATH} must be at least ${iss.minimum}`;
    case 'too_big':
      return `${PATH} must be at most ${iss.maximum}`;
    case 'invalid_union': {
      // Several forms are accepted and the value is none of them: the schema's help says which.
      const help = z.globalRegistry.get(iss.inst as z.ZodType)?.description;
      return `${PATH} does not fit${help ? `: ${help}` : ''}`;
    }
    default:
      return undefined;
  }
}

/** Help-free words for a schema's type: what a wrong value should have been. */
function expected(inst: unknown): string {
  const def = (inst as z.ZodType | undefined)?._zod.def as { type?: string; element?: z.ZodType } | undefined;
  switch (def?.type) {
    case 'string': return 'text';
    case 'boolean': return 'true or false';
    case 'number': return 'a number';
    case 'int': return 'a whole number';
    case 'array': return def.element ? `a list of ${plural(def.element)}` : 'a list';
    case 'object': case 'record': return 'a mapping (key: value lines)';
    default: return 'of another type';
  }
}

function plural(element: z.ZodType): string {
  switch ((element._zod.def as { type: string }).type) {
    case 'string': return 'text values';
    case 'number': return 'numbers';
    default: return 'values';
  }
}

function objectKeys(inst: unknown): string[] {
  const shape = (inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
  return shape ? Object.keys(shape) : [];
}

/** YAML's `key:` with nothing after it is null: read as absent, as it always was. The key stays, so a typo'd one is still refused. */
function nullsAsAbsent(value: unknown): unknown {
  if (value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value) || value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, nullsAsAbsent(v)]));
}

/** `{}` stays `{}`: an absent key does not come back as `key: undefined`. */
function dropUndefined<T>(value: T): T {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** A kind's reference: its config's JSON Schema (input side), each key with its help as `description`. */
export function configReference(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
}
