// Layers that point one way: the notebook core (server/notebook/: the graph, the analysis,
// fingerprints, the workspace document, the headless run, the report, the comparison) works
// without a database, HTTP or jobs, so the CLI runs it alone; the kinds (cells/) and the
// rule engine (rules/) never reach into the server.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '../..');

function sourcesUnder(folder: string): string[] {
  return fs.readdirSync(path.join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts') && !d.name.endsWith('.test.ts'))
    .map((d) => path.relative(ROOT, path.join(d.parentPath, d.name)));
}

/** Every module a file imports, as a path from the repository's root (packages by name). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gm), ...text.matchAll(/^\s*import\s+'([^']+)'/gm)]
    .map((m) => m[1]!)
    .map((spec) => (spec.startsWith('.') ? path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), spec)) : spec));
}

test('the notebook core imports nothing of the database, HTTP, jobs or the rest of the server', () => {
  const forbidden = /^(server\/(?!notebook\/)|drizzle-orm|postgres$|pg-boss|hono|@hono\/)/;
  const offending = sourcesUnder('server/notebook').flatMap((f) => importsOf(f).filter((i) => forbidden.test(i)).map((i) => `${f} → ${i}`));
  assert.deepEqual(offending, []);
});

test('the page\'s view kit (cells/kit/) imports no kind, and kinds\' views reach the page only through it', () => {
  const kit = sourcesUnder('cells/kit').flatMap((f) => importsOf(f).filter((i) => /^(cells\/(?!kit\/|wire\.ts)|web\/|server\/)/.test(i)).map((i) => `${f} → ${i}`));
  assert.deepEqual(kit, []);
  const views = sourcesUnder('cells').filter((f) => /\/view[\w-]*\.ts$/.test(f))
    .flatMap((f) => importsOf(f).filter((i) => /^web\//.test(i)).map((i) => `${f} → ${i}`));
  assert.deepEqual(views, []);
});

test('cell kinds and the rule engine never import the server', () => {
  const offending = [...sourcesUnder('cells'), ...sourcesUnder('rules')]
    .flatMap((f) => importsOf(f).filter((i) => /^server\//.test(i)).map((i) => `${f} → ${i}`));
  assert.deepEqual(offending, []);
});

test('the shared table layer (cells/shared/) imports no kind (only the contract: kind.ts, yaml.ts), no rule engine, no page and no server; rules/ reaches cells/ only through it', () => {
  const shared = sourcesUnder('cells/shared').flatMap((f) => importsOf(f).filter((i) => /^(cells\/(?!shared\/|kind\.ts|yaml\.ts)|rules\/|web\/|server\/)/.test(i)).map((i) => `${f} → ${i}`));
  assert.deepEqual(shared, []);
  const rules = sourcesUnder('rules').flatMap((f) => importsOf(f).filter((i) => /^cells\/(?!shared\/)/.test(i)).map((i) => `${f} → ${i}`));
  assert.deepEqual(rules, []);
});

test('no file of the server or the page names a cell kind: they ask the registries (the demo notebook is a workspace document)', async () => {
  const { kinds } = await import('../../cells/registry.ts');
  const names = Object.keys(kinds).join('|');
  // `kind === 'rule'`, `eq(cells.kind, 'profile')`, `cellOf(c, 'rule')`-style checks of a cell's kind.
  const naming = new RegExp(`(kind\\W{1,12}|cellOf\\([^)]*)'(${names})'`);
  const offending = [...sourcesUnder('server'), ...sourcesUnder('web')]
    .filter((f) => !f.startsWith('web/dist/'))
    .flatMap((f) => fs.readFileSync(path.join(ROOT, f), 'utf8').split('\n').map((line, i) => [f, i + 1, line] as const))
    .filter(([, , line]) => naming.test(line))
    .map(([f, n, line]) => `${f}:${n}: ${line.trim()}`);
  assert.deepEqual(offending, []);
});

test('the page bundles no config schema (zod) and no polars: it reaches a kind only through its face and view', () => {
  // Value imports only: `import type` is erased before the page is bundled.
  const valueImports = (file: string) => {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    return [...text.matchAll(/^\s*(?:import|export)\s(?!type\s)[^;]*?from\s+'([^']+)'/gm), ...text.matchAll(/^\s*import\s+'([^']+)'/gm)]
      .map((m) => m[1]!)
      .map((spec) => (spec.startsWith('.') ? path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), spec)) : spec));
  };
  const seen = new Map<string, string>();
  const queue = sourcesUnder('web').filter((f) => !f.startsWith('web/dist/'));
  queue.forEach((f) => seen.set(f, f));
  const offending: string[] = [];
  while (queue.length) {
    const file = queue.pop()!;
    for (const spec of valueImports(file)) {
      if (/^(zod|nodejs-polars)(\/|$)|^cells\/shared\/config-schema\.ts$/.test(spec)) offending.push(`${seen.get(file)} … ${file} → ${spec}`);
      if (spec.endsWith('.ts') && !seen.has(spec)) {
        seen.set(spec, seen.get(file)!);
        queue.push(spec);
      }
    }
  }
  assert.deepEqual(offending, []);
});
