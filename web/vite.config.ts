// Bundles the notebook UI into web/dist. The server serves dist/index.html for every page
// path and dist/assets/* (content-hashed names) with long cache headers.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const repo = path.resolve(root, '..');

/**
 * Writes dist/sources.json, the project's files the bundle was built from: web/ensure-built.ts
 * rebuilds when one of them is newer than the build, whichever folder it lives in (cells/,
 * rules/), and never for a file the page does not import.
 */
function listSources(): Plugin {
  return {
    name: 'assay-list-sources',
    generateBundle() {
      const files = [...this.getModuleIds()]
        .filter((id) => id.startsWith(repo) && !id.includes('/node_modules/') && !id.includes('\0'))
        .map((id) => path.relative(repo, id.split('?')[0]!))
        .sort();
      this.emitFile({ type: 'asset', fileName: 'sources.json', source: `${JSON.stringify([...new Set(files)], null, 1)}\n` });
    },
  };
}

export default defineConfig({
  root,
  plugins: [listSources()],
  base: '/',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    // The page's CSP allows scripts from 'self' only: never inline a module or the preload helper.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: true,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 1024,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
