// A workspace as a YAML document: its title and its cells in order (name, kind, config),
// never its data, so a notebook can live in git, be reviewed, be imported as a new
// workspace, and be run headless. Each config stays the text the analyst wrote (a block
// scalar), comments and all.
import { Document, isMap, isSeq, parseDocument, Scalar, type YAMLMap } from 'yaml';
import { kindOf, kinds } from '../../cells/registry.ts';
import { findUnsafeText } from '../../cells/text-safety.ts';
import { yamlNestingProblem } from '../../cells/yaml-shape.ts';

export const DOCUMENT_VERSION = 1;
const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;
const MAX_CELLS = 500;
const MAX_CONFIG_BYTES = 256 * 1024;
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export interface DocumentCell {
  name: string;
  kind: string;
  config: string;
}

export interface WorkspaceDocument {
  title: string;
  cells: DocumentCell[];
}

/** A document that cannot be read; `where` names the key (`cells[2].kind`) and `line` its line. */
export class DocumentError extends Error {
  readonly where?: string;
  readonly line?: number;
  constructor(message: string, where?: string, line?: number) {
    super(message);
    this.name = 'DocumentError';
    this.where = where;
    this.line = line;
  }
}

export function toYaml(doc: WorkspaceDocument): string {
  const out = new Document({
    assay: DOCUMENT_VERSION,
    title: doc.title,
    cells: doc.cells.map((c) => ({ name: c.name, kind: c.kind, config: c.config })),
  });
  // Configs as literal blocks: the text reads (and diffs) as it was written.
  const cells = out.get('cells') as { items: YAMLMap[] };
  for (const item of cells.items) {
    const config = item.get('config', true) as Scalar;
    config.type = Scalar.BLOCK_LITERAL;
  }
  return `# An Assay workspace: import it (POST /api/workspaces/import) or run it (npx assay run).\n${out.toString({ lineWidth: 0 })}`;
}

export function fromYaml(text: string): WorkspaceDocument {
  if (Buffer.byteLength(text) > MAX_DOCUMENT_BYTES) throw new DocumentError(`the document is larger than ${MAX_DOCUMENT_BYTES} bytes`);
  const tooDeep = yamlNestingProblem(text);
  if (tooDeep) throw new DocumentError(`YAML: ${tooDeep.message}`, undefined, tooDeep.line);
  const parsed = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const first = parsed.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line;
    throw new DocumentError(`YAML${line ? ` at line ${line}` : ''}: ${first.message.split('\n')[0]}`, undefined, line);
  }
  const lineOf = (node: unknown) => {
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    return range ? text.slice(0, range[0]).split('\n').length : undefined;
  };
  const root = parsed.contents;
  if (!isMap(root)) throw new DocumentError('the document must be a YAML mapping with "title" and "cells"', undefined, 1);
  let value: Record<string, unknown>;
  try {
    value = parsed.toJS({ maxAliasCount: 50 }) as Record<string, unknown>;
  } catch (err) {
    // yaml throws a ReferenceError for an alias bomb ("Excessive alias count").
    throw new DocumentError(`YAML: ${(err as Error).message}`, undefined, 1);
  }
  const unsafe = findUnsafeText(value);
  if (unsafe) throw new DocumentError(unsafe.message, unsafe.path);
  for (const key of Object.keys(value)) {
    if (!['assay', 'title', 'cells'].includes(key)) throw new DocumentError(`unknown key "${key}"; a workspace document has assay, title and cells`, key, lineOf(root.get(key, true)));
  }
  if (value.assay !== undefined && value.assay !== DOCUMENT_VERSION) {
    throw new DocumentError(`"assay" must be ${DOCUMENT_VERSION} (the document format's version)`, 'assay', lineOf(root.get('assay', true)));
  }
  const title = value.title;
  if (typeof title !== 'string' || !title.trim() || title.length > 200) {
    throw new DocumentError('"title" must be non-empty text of at most 200 characters', 'title', lineOf(root.get('title', true)) ?? 1);
  }
  const cellsNode = root.get('cells', true);
  if (!Array.isArray(value.cells) || !isSeq(cellsNode)) throw new DocumentError('"cells" must be a list of {name, kind, config}', 'cells', lineOf(cellsNode) ?? 1);
  if (value.cells.length > MAX_CELLS) throw new DocumentError(`at most ${MAX_CELLS} cells`, 'cells', lineOf(cellsNode));
  const seen = new Set<string>();
  const cells = value.cells.map((raw: unknown, i: number): DocumentCell => {
    const where = `cells[${i}]`;
    const line = lineOf(cellsNode.items[i]);
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new DocumentError(`${where} must be a mapping with name, kind and config`, where, line);
    const cell = raw as Record<string, unknown>;
    for (const key of Object.keys(cell)) {
      if (!['name', 'kind', 'config'].includes(key)) throw new DocumentError(`${where}: unknown key "${key}"; a cell has name, kind and config`, `${where}.${key}`, line);
    }
    if (typeof cell.name !== 'string' || !NAME.test(cell.name)) {
      throw new DocumentError(`${where}.name must start with a letter or _ and hold only letters, digits and _ (at most 64)`, `${where}.name`, line);
    }
    if (seen.has(cell.name)) throw new DocumentError(`${where}.name: a cell named "${cell.name}" comes earlier in the list`, `${where}.name`, line);
    seen.add(cell.name);
    if (typeof cell.kind !== 'string' || !kindOf(cell.kind)) {
      throw new DocumentError(`${where}.kind: unknown cell kind "${String(cell.kind)}"; known kinds: ${Object.keys(kinds).join(', ')}`, `${where}.kind`, line);
    }
    const config = cell.config ?? '';
    if (typeof config !== 'string') throw new DocumentError(`${where}.config must be the cell's YAML as text (a "|" block)`, `${where}.config`, line);
    if (config.length > MAX_CONFIG_BYTES) throw new DocumentError(`${where}.config is longer than 256 KB`, `${where}.config`, line);
    return { name: cell.name, kind: cell.kind, config };
  });
  return { title: title.trim(), cells };
}
