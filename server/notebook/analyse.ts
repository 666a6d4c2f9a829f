// Turns a workspace's cells into what the planner needs: for each cell, whether it
// can run and, if so, its fingerprint. Pure apart from reading the registry.

import { CellError, type CellErrorData, type CellKind } from '../../cells/kind.ts';
import { kindOf } from '../../cells/registry.ts';
import { parseCellYaml } from '../../cells/yaml.ts';
import { unknownParam } from '../../cells/shared/params.ts';
import { cellFingerprint, sha256 } from './fingerprint.ts';
import { buildGraph, type Graph } from './graph.ts';

export interface CellRow {
  id: string;
  name: string;
  kind: string;
  config: string;
  fileId: string | null;
  fileSha256: string | null;
}

export type CellPlan =
  | { state: 'ready'; fingerprint: string; inputs: InputRef[] }
  | { state: 'error' | 'stale'; fingerprint: string; error: CellErrorData; inputs: InputRef[] }
  /** An upload cell before its first file: nothing to run, nothing to show yet. */
  | { state: 'waiting'; fingerprint: string; inputs: InputRef[] };

export interface InputRef {
  name: string;
  cellId: string;
  fingerprint: string;
}

export interface Analysis {
  graph: Graph;
  plans: Map<string, CellPlan>;
}

interface Parsed {
  kind?: CellKind;
  inputs: string[];
  config?: unknown;
  /** The `$names` among inputs: a missing one is "no input cell", not "no cell". */
  params?: string[];
  error?: CellErrorData;
}

export function parseCell(cell: Pick<CellRow, 'kind' | 'config'>): Parsed {
  const kind = kindOf(cell.kind);
  if (!kind) return { inputs: [], error: { code: 'unknown_kind', message: `unknown cell kind "${cell.kind}"` } };
  try {
    const config = kind.parseConfig(parseCellYaml(cell.config));
    const inputs = kind.inputs(config);
    const params = kind.params?.(config) ?? [];
    return { kind, config, inputs: [...inputs, ...params.filter((p) => !inputs.includes(p))], params };
  } catch (err) {
    if (err instanceof CellError) return { kind, inputs: [], error: err.toJSON() };
    throw err;
  }
}

/**
 * `previousInputs` are the inputs each cell's latest run read, by cell id: a reference that no
 * longer resolves but once named a cell that is still here, under another name, was left
 * behind by a rename, and its error says so. `deleted` names cells deleted lately: a reference
 * to one says the cell was deleted (an undo brings it back), not that the name is unknown.
 */
export function analyse(cells: CellRow[], previousInputs: Map<string, InputRef[]> = new Map(), deleted: ReadonlySet<string> = new Set()): Analysis {
  const parsed = new Map(cells.map((c) => [c.id, parseCell(c)]));
  const graph = buildGraph(cells.map((c) => ({ id: c.id, name: c.name, inputs: parsed.get(c.id)!.inputs })));
  const byId = new Map(cells.map((c) => [c.id, c]));
  const plans = new Map<string, CellPlan>();

  for (const id of graph.order) {
    const cell = byId.get(id)!;
    const p = parsed.get(id)!;
    const inputs: InputRef[] = graph.upstream.get(id)!.map((upId) => ({
      name: byId.get(upId)!.name,
      cellId: upId,
      fingerprint: plans.get(upId)?.fingerprint ?? 'cycle',
    }));
    // A new cell whose config is still the kind's starter waits for it to be written: not an error.
    if (awaiting(cell, p) === 'config') {
      plans.set(id, { state: 'waiting', inputs, fingerprint: `waiting:${id}` });
      continue;
    }
    let ownError = p.error ?? graph.errors.get(id);
    if (ownError?.code === 'missing_input' && p.params?.includes(String(ownError.input))) {
      ownError = unknownParam(String(ownError.input), cells.filter((c) => kindOf(c.kind)?.parameter).map((c) => c.name)).toJSON();
    }
    if (ownError?.code === 'missing_input') {
      const renamed = renamedInput(String(ownError.input), previousInputs.get(id) ?? [], byId);
      if (renamed) {
        ownError = { ...ownError, ...renamed.error };
        // Kept on the run, so the next plan still knows which cell the name meant.
        inputs.push(renamed.ref);
      } else if (deleted.has(String(ownError.input))) {
        const name = String(ownError.input);
        // The list of cells there and any "did you mean" stay: they say what it could read instead.
        const rest = ownError.message.replace(/^input "[^"]*" names no cell in this workspace/, '');
        ownError = { ...ownError, deleted: true, message: `cell "${name}" was deleted: undo the delete, or name another input${rest}` };
      }
    }
    if (ownError) {
      plans.set(id, { state: 'error', error: ownError, inputs, fingerprint: `error:${sha256(JSON.stringify(ownError) + cell.config)}` });
      continue;
    }
    const blocked = inputs.find((i) => plans.get(i.cellId)?.state !== 'ready');
    if (blocked) {
      const up = plans.get(blocked.cellId);
      const why = up?.state === 'waiting' ? 'has no file yet' : up && 'error' in up ? `cannot run: ${up.error.message}` : 'cannot run';
      plans.set(id, {
        state: 'stale',
        inputs,
        error: { code: 'upstream_failed', message: `input "${blocked.name}" ${why}`, input: blocked.name },
        fingerprint: `stale:${sha256(JSON.stringify(inputs) + cell.config)}`,
      });
      continue;
    }
    if (p.kind!.acceptsFile && !cell.fileSha256) {
      plans.set(id, { state: 'waiting', inputs, fingerprint: `waiting:${id}` });
      continue;
    }
    const inputFps = Object.fromEntries(inputs.map((i) => [i.name, i.fingerprint]));
    plans.set(id, { state: 'ready', inputs, fingerprint: cellFingerprint(p.kind!, p.config, inputFps, cell.fileSha256 ?? undefined) });
  }
  return { graph, plans };
}

/**
 * What a cell waits for before it can run at all: a file (a kind that takes one, before its
 * first), or its config (still the kind's starter, which does not parse yet: a new chart's
 * empty `x:`). Neither is an error: the page says what the cell waits for.
 */
export function awaiting(cell: Pick<CellRow, 'config' | 'fileSha256'>, parsed: Parsed): 'file' | 'config' | null {
  if (!parsed.kind) return null;
  if (parsed.error) {
    const input = /^input:[ \t]*(\S*)/m.exec(cell.config)?.[1] || undefined;
    return cell.config.trim() === parsed.kind.starterConfig(input).trim() ? 'config' : null;
  }
  if (parsed.kind.awaitsConfig?.(parsed.config)) return 'config';
  return parsed.kind.acceptsFile && !cell.fileSha256 ? 'file' : null;
}

/** The cell a dangling reference meant, when a rename left it behind; its error names the cell. */
function renamedInput(name: string, previous: InputRef[], byId: Map<string, CellRow>) {
  const before = previous.find((i) => i.name === name);
  const now = before && byId.get(before.cellId);
  if (!before || !now || now.name === name) return undefined;
  return {
    ref: { name, cellId: now.id, fingerprint: 'renamed' },
    error: {
      message: `input "${name}" names no cell in this workspace: cell "${now.name}" was called "${name}"; update this reference to "${now.name}", or rename it back`,
      renamedTo: now.name,
      cells: [now.name],
    },
  };
}
