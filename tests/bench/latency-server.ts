// The Assay server the latency benchmark talks to, in its own process: the real server
// (server/main.ts, configured by the environment) with one bench-only kind added, `relay`,
// which hands its input's table on unchanged. A chain of relays between an upload and a
// rule cell is a five-cell chain whose time is the engine's (planning, pick-up, events),
// not polars', since no kind in the registry yet produces a table from another's.
import { kinds } from '../../cells/registry.ts';
import type { CellKind } from '../../cells/kind.ts';
import { requiredString } from '../../cells/yaml.ts';

const relay: CellKind<{ input: string }> = {
  kind: 'relay',
  version: 1,
  heavy: false,
  acceptsFile: false,
  starterConfig: (inputName?: string) => `input: ${inputName ?? ''}\n`,
  parseConfig: (raw) => ({ input: requiredString(raw, 'input') }),
  inputs: (config) => [config.input],
  run: async ({ config, inputs }) => ({ result: { from: config.input }, table: inputs[config.input]?.table }),
};

Object.assign(kinds, { relay });
await import('../../server/main.ts');
