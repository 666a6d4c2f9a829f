// The contract every cell kind implements. A kind is a plain module: the server,
// the worker and the headless CLI all call the same functions, so nothing here
// may touch the database, HTTP or pg-boss.
import type { CodeExport, KindFace } from './face.ts';
import type { CellErrorData } from './wire.ts';

/** An expected failure of a cell: stored and streamed as data, shown on the cell. */
export class CellError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'CellError';
    this.code = code;
    this.details = details;
  }
  toJSON(): CellErrorData {
    return { code: this.code, message: this.message, ...this.details };
  }
}

export type { CellErrorData } from './wire.ts';

/** A file handed to an upload cell: already on disk, hashed while it streamed in. */
export interface StoredFile {
  path: string;
  name: string;
  size: number;
  sha256: string;
}

/** What a finished upstream cell hands to its dependents. */
export interface CellOutput {
  /** Absolute path of the Parquet file holding the cell's table, when it has one. */
  table?: string;
  result: unknown;
}

export interface RunContext {
  /** Where the run may write artefacts (Parquet files); content-addressed by the caller. */
  workDir: string;
  signal: AbortSignal;
  /** 0..1; throttled by the caller. */
  progress(fraction: number): void;
  /** A piece of the result computed so far (profile: a group of columns). */
  partial(data: Record<string, unknown>): void;
}

export interface RunArgs<Config> {
  config: Config;
  /** Keyed by the input cell's name, as the config refers to it. */
  inputs: Record<string, CellOutput>;
  /** Only for kinds with `acceptsFile`; undefined until a file is uploaded. */
  file?: StoredFile;
  ctx: RunContext;
}

export interface RunOutput<Result> {
  result: Result;
  /** Path of a Parquet file this cell produced for its dependents. */
  table?: string;
}

export interface CellKind<Config = any, Result = any> extends KindFace<Config, Result> {
  kind: string;
  /**
   * Raised whenever the kind's result for the same config and inputs changes (a new field,
   * a fixed figure). It is part of every fingerprint, so results of older code are computed
   * afresh rather than reused.
   */
  version: number;
  /** Heavy kinds go to a separate queue so a big profile cannot starve light edits. */
  heavy: boolean;
  acceptsFile: boolean;
  /** Writes a table other cells read (RunOutput.table): a new cell's `input:` starts at the last such cell. */
  producesTable?: boolean;
  /** The YAML a new cell of this kind starts with. */
  starterConfig(inputName?: string): string;
  /** Validates the parsed YAML mapping; throws CellError('config_invalid', ...) naming the key. */
  parseConfig(raw: Record<string, unknown>): Config;
  /**
   * The config's schema (schema.ts) that parseConfig reads with: /api/kinds serves it as the
   * kind's reference (JSON Schema, a line of help per key) and the editor explains keys from it.
   */
  configSchema?: import('zod').ZodType;
  /** Names of the cells this config reads. */
  inputs(config: Config): string[];
  /**
   * Where the config names cells inside a text value (a sql cell's query under `sql`): a
   * renamed cell is renamed in that text too (cells/references.ts), by `rename`, which is
   * handed the value's YAML source and changes only the names.
   */
  namesCellsIn?: { key: string; rename(text: string, from: string, to: string): string };
  /**
   * Names of the input cells whose values the config reads as `$name` (cells/shared/params.ts):
   * edges of the graph as inputs() are, so changing an input re-runs exactly its users. Each
   * arrives in RunArgs.inputs under its name; paramValues() reads their values.
   */
  params?(config: Config): string[];
  /**
   * True while a config that parses still says too little to run (a new chart with neither x
   * nor y): the cell waits for its config, as an upload waits for its file; it has not failed.
   */
  awaitsConfig?(config: Config): boolean;
  run(args: RunArgs<Config>): Promise<RunOutput<Result>>;
  /**
   * For kinds with `acceptsFile`: looks at an uploaded file before it becomes the cell's, and
   * throws CellError saying why it can never be read (empty, binary). The cell then keeps its
   * file, its result and its dependents as they were. `config` is the cell's, when it parses.
   */
  refuseFile?(path: string, config: Config | undefined): void;
  /**
   * Set by kinds whose result's `.value` others read as `$name` (the input cell): how a run
   * given values (a rerun's `params`, the CLI's `--param`, a schedule's) sets one. `withValue`
   * answers the cell's YAML with its value set, or throws CellError('config_invalid') saying
   * why the value does not fit (its type, its range, its options).
   */
  parameter?: { withValue(config: string, value: unknown): string };
  /**
   * A result reused from another cell run with the same fingerprint, made this cell's own:
   * what the fingerprint leaves out (a file's name) must be this cell's, never the other's.
   */
  ownResult?(result: Result, own: OwnFacts): Result;
  /** Files of a result to download, by file name (`profile.json`); server only. */
  downloads?: Record<string, KindDownload<Config, Result>>;
  /**
   * "Show the code" (GET …/cells/:cellId/code; the face says `showsCode`): the cell's work as
   * SQL (a preamble reading each input table's Parquet, `<cell>.parquet`, then the query) and as
   * Python polars; undefined when the config cannot be written out (it does not parse).
   * `result`: the cell's latest result, if any (a transform's holds its columns at each step,
   * which its SQL lists). Server only: a transform's needs its config parsed, and the config
   * schema (zod) stays out of the page.
   */
  code?(config: Record<string, unknown>, result?: Result): CodeExport | undefined;
}

/**
 * A file a kind offers of a cell's latest finished result (GET …/cells/:cellId/<name>): the
 * profile as JSON or HTML, a rule's failing rows as CSV. The server finds the run and checks
 * access; the kind makes the file. A CellError with code `bad_request` (and `field`) is a 400,
 * `no_table` a 409.
 */
export interface KindDownload<Config = any, Result = any> {
  /** What the file is, for the API's description (GET /api/openapi.json). */
  about: { summary: string; holds: string; type: string; query?: Record<string, string> };
  make(args: DownloadArgs<Config, Result>): Promise<DownloadFile>;
}

export interface DownloadArgs<Config, Result> {
  workspaceTitle: string;
  cellName: string;
  /** The config and result of the run the file is made from (the notebook's latest, not a viewer's own). */
  config: Config;
  result: Result;
  /** The tables and results that run read, by input name. */
  inputs(): Promise<Record<string, CellOutput>>;
  /** The workspace's cells whose results count rule outcomes (KindFace.checks): their raw config and latest result. */
  checks(): Promise<{ name: string; config: Record<string, unknown>; result: unknown }[]>;
  query(key: string): string | undefined;
}

/** `text` is sent as it is; `path` is streamed and then `done()` is called (when given). */
export type DownloadFile = { type: string; fileName: string; selfContained?: boolean } & (
  | { text: string }
  | { path: string; done?(): void }
);

/** Facts of a cell that are not part of its fingerprint. */
export interface OwnFacts {
  file?: Omit<StoredFile, 'path'>;
}
