// Imported for its effect, before anything else loads: two things that make every process
// start faster (the server, each worker, each CLI run, each test file).
//
// 1. Node's on-disk compile cache. V8's compiled code for each module is kept (in the system
// temp folder, or NODE_COMPILE_CACHE), keyed by the file's content, so a process that loads a
// module another process already compiled skips compiling it: importing the server went from
// 1.75 to 1.17 s of CPU. A changed file misses the cache and is compiled again; a cache that
// cannot be written (a read-only temp folder) is skipped by Node, not an error.
//
// 2. A module hook that tells Node the format of drizzle-orm's own files, so Node does not work
// it out for each of them.
//
// Node decides whether a `.js` file is ESM from the nearest package.json's "type"; Node 24
// deserialises that package.json again for every file it loads (`getPackageScopeConfig` and
// `get` in node:internal/modules/package_json_reader). drizzle-orm's package.json is 179 KB
// (447 entry points) and the server loads about 300 of its files: that was 0.7 s of the 2.3 s
// of CPU it took to import the server, paid by every server, worker, CLI run and test file.
// drizzle-orm says "type": "module", so its `.js` files are ESM, and a relative import between
// them is a plain URL: both are answered here without the lookup. Everything else goes on to
// Node's own resolution unchanged.
//
// An import graph is resolved before any of its modules run, so this must be loaded first:
// `--import` (npm test), or a static import in an entry whose other imports are dynamic
// (server/main.ts, bin/assay.mjs, tests/support/test-worker.ts).
import { enableCompileCache, registerHooks } from 'node:module';

enableCompileCache();

const DRIZZLE = '/node_modules/drizzle-orm/';

registerHooks({
  resolve(specifier, context, next) {
    const parent = context.parentURL;
    if (parent?.includes(DRIZZLE) && (specifier.startsWith('./') || specifier.startsWith('../')) && specifier.endsWith('.js')) {
      return { url: new URL(specifier, parent).href, format: 'module', shortCircuit: true };
    }
    return next(specifier, context);
  },
});
