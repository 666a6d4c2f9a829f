// Run before `npm start`: builds the UI with Vite when web/dist is missing or older
// than its sources, so `npm install && npm start` is all a new user types.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'web/dist/index.html');

/** Newest change among the files the bundle is built from. */
function newestSource(dir: string, bundled: (name: string) => boolean): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'dist' && entry.name !== 'node_modules') newest = Math.max(newest, newestSource(full, bundled));
    } else if (bundled(entry.name) && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  }
  return newest;
}

const built = fs.existsSync(dist) ? fs.statSync(dist).mtimeMs : 0;
// The files the last build read (dist/sources.json, written by vite.config.ts), wherever they
// live: the page imports from cells/ and rules/ as well as web/, and a server-side change there
// must not rebuild the UI. Every file under web/ counts too, for a new file the build never saw.
function newestListed(): number {
  const listed = path.join(root, 'web/dist/sources.json');
  if (!fs.existsSync(listed)) return Infinity;
  let newest = 0;
  for (const file of JSON.parse(fs.readFileSync(listed, 'utf8')) as string[]) {
    const full = path.join(root, file);
    // A file the build read is gone (moved or deleted): the bundle is out of date.
    if (!fs.existsSync(full)) return Infinity;
    newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}
const sources = Math.max(newestSource(path.join(root, 'web'), (name) => /\.(ts|js|css|html)$/.test(name)), newestListed());
if (built >= sources) process.exit(0);

const vite = path.join(root, 'node_modules/.bin/vite');
if (!fs.existsSync(vite)) {
  console.error(built ? 'web/dist is older than its sources, and Vite is not installed; serving the old build.' : 'The web UI is not built and Vite is not installed: run `npm install` (with dev dependencies) first.');
  process.exit(built ? 0 : 1);
}
console.log('Building the web UI…');
const result = spawnSync(vite, ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
