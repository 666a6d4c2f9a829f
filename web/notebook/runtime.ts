// The notebook's reactive graph in the browser: one Observable Runtime module per open
// workspace, one variable per cell, named after the cell and reading its inputs by name.
// A variable's value is a promise for its cell's current run: pending while the run is
// queued or running, fulfilled with the result when it is done, rejected when it fails.
// The runtime does the propagation, as in an Observable notebook: while an upstream cell
// runs, every cell below it is pending too, before the server has even queued them.
//
// The server stays the authority on each cell's own status; this graph adds what the page
// cannot see from one cell's events alone (an input upstream is still working or failed).
import { Runtime, type Module, type Variable } from '@observablehq/runtime';
import { isActive, type CellRunState, type CellsState } from '../cell-state.ts';

export type GraphState = 'pending' | 'ready' | 'failed';

export interface GraphCell { id: string; name: string; inputs?: string[] }

interface Deferred {
  promise: Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface Entry {
  id: string;
  variable: Variable;
  name: string;
  inputs: string[];
  /** Which run (and whether it has settled) the current definition stands for. */
  runId: string | null;
  settled: 'no' | 'done' | 'failed';
  deferred: Deferred;
}

function deferred(): Deferred {
  let resolve!: (value: unknown) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<unknown>((y, n) => { resolve = y; reject = n; });
  // A rejection nobody awaits yet (no dependent) must not surface as unhandled.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/** Whether a run has settled, from the page's state of it. */
function settledOf(run: CellRunState | undefined): Entry['settled'] {
  if (!run || run.status === null || isActive(run.status)) return 'no';
  return run.status === 'done' ? 'done' : 'failed';
}

export class WorkspaceGraph {
  private readonly runtime: Runtime;
  private readonly module: Module;
  private readonly entries = new Map<string, Entry>();
  private readonly onState: (cellId: string, state: GraphState, failedInput?: string) => void;

  constructor(onState: (cellId: string, state: GraphState, failedInput?: string) => void) {
    this.onState = onState;
    // No builtins, and no global lookup: a name that is not a cell must never resolve to a window property.
    this.runtime = new Runtime(undefined, () => undefined);
    this.module = this.runtime.module();
  }

  /** Brings the graph in line with the workspace's cells and their runs. Cheap when nothing changed. */
  sync(cells: readonly GraphCell[], runs: CellsState): void {
    const names = new Set(cells.map((c) => c.name));
    const seen = new Set<string>();
    for (const cell of cells) {
      seen.add(cell.id);
      // Inputs that name no cell are the server's error to report; the graph leaves them out.
      const inputs = (cell.inputs ?? []).filter((n) => names.has(n) && n !== cell.name);
      const run = runs[cell.id];
      const runId = run?.runId ?? null;
      const settled = settledOf(run);
      let entry = this.entries.get(cell.id);
      if (!entry) {
        entry = this.create(cell.id, cell.name, inputs, runId, settled, run);
        continue;
      }
      const sameShape = entry.name === cell.name && sameList(entry.inputs, inputs);
      if (sameShape && entry.runId === runId) {
        // The same run moving on: settle the promise dependents already wait on, no redefinition.
        if (entry.settled === 'no' && settled !== 'no') this.settle(entry, settled, run);
        else if (entry.settled !== settled) this.redefine(entry, cell.name, inputs, runId, settled, run);
        continue;
      }
      this.redefine(entry, cell.name, inputs, runId, settled, run);
    }
    for (const [id, entry] of this.entries) {
      if (seen.has(id)) continue;
      entry.variable.delete();
      this.entries.delete(id);
    }
  }

  dispose(): void {
    this.runtime.dispose();
    this.entries.clear();
  }

  private create(id: string, name: string, inputs: string[], runId: string | null, settled: Entry['settled'], run: CellRunState | undefined): Entry {
    const variable = this.module.variable({
      pending: () => this.onState(id, 'pending'),
      fulfilled: () => this.onState(id, 'ready'),
      rejected: (error) => {
        // A replaced run's rejection reaches dependents before the runtime recomputes them: not a failure.
        if (!(error instanceof Error && error.message === SUPERSEDED)) this.onState(id, 'failed', failedInputOf(error, name));
      },
    });
    const entry: Entry = { id, variable, name, inputs, runId, settled: 'no', deferred: deferred() };
    this.entries.set(id, entry);
    this.define(entry);
    if (settled !== 'no') this.settle(entry, settled, run);
    return entry;
  }

  private redefine(entry: Entry, name: string, inputs: string[], runId: string | null, settled: Entry['settled'], run: CellRunState | undefined): void {
    // The runtime runs a variable's computations one after another. A promise left pending
    // would hold every later one back, so the one being replaced is settled first.
    if (entry.settled === 'no') entry.deferred.reject(new Superseded());
    if (entry.name !== name || !sameList(entry.inputs, inputs)) {
      // A new variable starts a fresh chain: the old one may still wait on an input it no longer reads.
      entry.variable.delete();
      this.entries.delete(entry.id);
      this.create(entry.id, name, inputs, runId, settled, run);
      return;
    }
    Object.assign(entry, { runId, settled: 'no', deferred: deferred() });
    this.define(entry);
    if (settled !== 'no') this.settle(entry, settled, run);
  }

  private define(entry: Entry): void {
    // The definition reads the entry at call time: after an input settles, it returns this
    // cell's own current promise, whichever run that now is.
    entry.variable.define(entry.name, entry.inputs, () => entry.deferred.promise);
  }

  private settle(entry: Entry, settled: 'done' | 'failed', run: CellRunState | undefined): void {
    entry.settled = settled;
    if (settled === 'done') entry.deferred.resolve(run?.result ?? null);
    else entry.deferred.reject(new CellFailed(entry.name));
  }
}

/** The reason a cell's own promise rejects; the runtime wraps what reaches its dependents. */
/** Rejects a replaced run's promise; the runtime keeps the message when it passes it on. */
const SUPERSEDED = 'superseded run';
class Superseded extends Error {
  constructor() {
    super(SUPERSEDED);
  }
}

class CellFailed extends Error {
  readonly cell: string;
  constructor(cell: string) {
    super(`${cell} did not finish`);
    this.cell = cell;
  }
}

/** The upstream cell whose failure this is (the root of the chain), when it is not the cell itself. */
function failedInputOf(error: unknown, self: string): string | undefined {
  // Each hop wraps the failure in a RuntimeError naming the nearest input, but keeps the
  // message, which names the cell that failed first.
  const message = error instanceof Error ? error.message : '';
  const m = /^(\S+) did not finish$/.exec(message);
  if (m) return m[1] !== self ? m[1] : undefined;
  const input = (error as { input?: unknown } | null)?.input;
  return typeof input === 'string' && input !== self ? input : undefined;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
