// Cell kinds for the engine tests, added to a process's registry: the planner, pg-boss and
// the worker are the real ones; only what a cell computes is made up, so a test can hold a
// run open, fail it on purpose, or read several inputs.
import { EventEmitter } from 'node:events';
import { after, before } from 'node:test';
import { CellError, type CellKind } from '../../cells/kind.ts';
import { kinds } from '../../cells/registry.ts';
import { optionalString, optionalStringList, requiredString } from '../../cells/yaml.ts';
import { ApiClient } from './client.ts';
import { startTestServer, type TestServer } from './server.ts';

/** What the kinds did, for tests to look at and steer. */
export const observed = {
  /** Labels of gate runs whose AbortSignal fired. */
  aborted: [] as string[],
  /** Open gates by label: calling one lets its run finish. */
  gates: new Map<string, () => void>(),
  /** The same gates' other way out: calling one fails its run with the message given. */
  failures: new Map<string, (message: string) => void>(),
  /** While true, `flaky` cells fail. */
  flakyFails: true,
};

// Told each time a gate is set or a run sees its signal, so a test waits on that, not on a timer.
const changes = new EventEmitter();

/**
 * Resolves once `what()` holds: looked at now and after each change to `observed` (a gate set,
 * an abort seen), never on a timer. `what` may act (open gates) on the way.
 */
export function until(what: () => boolean, timeoutMs = 30_000): Promise<void> {
  if (what()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const look = () => {
      if (!what()) return;
      done();
      resolve();
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`the awaited state did not come within ${timeoutMs} ms (gates: ${[...observed.gates.keys()].join(', ') || 'none'}; aborted: ${observed.aborted.join(', ') || 'none'})`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      changes.off('change', look);
    };
    changes.on('change', look);
  });
}

interface GateConfig { input?: string; inputs?: string[]; label: string }

const parseGate = (raw: Record<string, unknown>): GateConfig => ({
  input: optionalString(raw, 'input'), inputs: optionalStringList(raw, 'inputs'), label: requiredString(raw, 'label'),
});
const gateInputs = (c: GateConfig) => [...(c.input ? [c.input] : []), ...(c.inputs ?? [])];
const trailOf = (c: GateConfig, inputs: Record<string, { result: unknown }>) =>
  gateInputs(c).flatMap((name) => (inputs[name]!.result as { trail?: string[] }).trail ?? []);

/**
 * A gate: its result is its label after its inputs' trails. A label starting with `wait`
 * holds the run open until the test opens its gate, or until the run is aborted (then it
 * fails, as a polars step does when it sees the signal).
 */
function gateKind(kind: string, heavy: boolean, listens: boolean): CellKind<GateConfig> {
  return {
    kind, version: 1, heavy, acceptsFile: false,
    starterConfig: () => 'label: x\n',
    parseConfig: parseGate,
    inputs: gateInputs,
    run: ({ config, inputs, ctx }) => new Promise((resolve, reject) => {
      const finish = () => resolve({ result: { label: config.label, trail: [...trailOf(config, inputs), config.label] } });
      if (!config.label.startsWith('wait')) return finish();
      observed.gates.set(config.label, finish);
      observed.failures.set(config.label, (message) => reject(new CellError('failed_on_purpose', message)));
      changes.emit('change');
      if (!listens) return;
      ctx.signal.addEventListener('abort', () => {
        observed.aborted.push(config.label);
        reject(new CellError('cancelled', 'superseded'));
        changes.emit('change');
      });
    }),
  };
}

export const gate = gateKind('gate', false, true);
/** A gate on the heavy queue. */
export const heavyGate = gateKind('heavygate', true, true);
/** A gate that ignores its AbortSignal: a superseded run of it finishes late, and its result must be discarded. */
export const stubborn = gateKind('stubborn', false, false);

export const flaky: CellKind<Record<string, never>> = {
  kind: 'flaky', version: 1, heavy: false, acceptsFile: false,
  starterConfig: () => '',
  parseConfig: () => ({}),
  inputs: () => [],
  async run() {
    if (observed.flakyFails) throw new CellError('flaky', 'failed on purpose');
    return { result: { ok: true } };
  },
};

/**
 * Reports which process ran it. In a process started with ASSAY_TEST_HANG=1 it never
 * finishes, like a worker that died mid-job: only another worker can finish its job.
 */
export const pid: CellKind<{ label: string }> = {
  kind: 'pid', version: 1, heavy: true, acceptsFile: false,
  starterConfig: () => 'label: x\n',
  parseConfig: (raw) => ({ label: requiredString(raw, 'label') }),
  inputs: () => [],
  run: () => (process.env.ASSAY_TEST_HANG === '1' ? new Promise(() => {}) : Promise.resolve({ result: { pid: process.pid } })),
};

const ALL = { gate, heavygate: heavyGate, stubborn, flaky, pid };

/** Adds the test kinds to this process's registry; returns what takes them out again. */
export function registerTestKinds(): () => void {
  Object.assign(kinds, ALL);
  return () => {
    for (const name of Object.keys(ALL)) delete (kinds as Record<string, unknown>)[name];
  };
}

/**
 * For a test file of the engine: before its tests, the test kinds registered, a server
 * started and `email` signed up on a client, handed to `use`; after them, all undone.
 */
export function serveTestKinds(email: string, use: (server: TestServer, api: ApiClient) => void): void {
  let unregister = () => {};
  let server: TestServer | undefined;
  before(async () => {
    unregister = registerTestKinds();
    server = await startTestServer();
    const api = new ApiClient(server.url);
    await api.signup(email);
    use(server, api);
  });
  after(async () => {
    unregister();
    await server?.stop();
  });
}
