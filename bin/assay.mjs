#!/usr/bin/env node
// The `assay` command (`npx assay run …`). Plain JavaScript so any Node can start it: the CLI
// itself is TypeScript, which Node runs directly only from 22.18 / 23.6 on (type stripping).
// An older Node (the machine's Node 20, say) re-executes this with the project's pinned Node 24
// (the `node` devDependency, node_modules/.bin/node), passing the arguments and exit status on.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const main = path.join(root, 'server', 'cli.ts');

if (process.features?.typescript) {
  await import(pathToFileURL(path.join(root, 'server', 'load-hooks.ts')).href);
  const { main: run } = await import(pathToFileURL(main).href);
  process.exitCode = await run(process.argv.slice(2));
} else {
  const pinned = path.join(root, 'node_modules', '.bin', 'node');
  if (!fs.existsSync(pinned) || process.env.ASSAY_REEXEC === '1') {
    process.stderr.write(`assay: this Node (${process.version}) cannot run TypeScript; run \`npm install\` in ${root} for the pinned Node 24, or use Node ≥ 22.18\n`);
    process.exit(2);
  }
  const child = spawnSync(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit', env: { ...process.env, ASSAY_REEXEC: '1' },
  });
  if (child.error) {
    process.stderr.write(`assay: could not start ${pinned}: ${child.error.message}\n`);
    process.exit(2);
  }
  process.exit(child.status ?? 2);
}
