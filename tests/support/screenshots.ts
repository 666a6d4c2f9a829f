// Where a browser test puts its screenshots. The README's are refreshed on request
// (ASSAY_SCREENSHOTS=1, into docs/screenshots/), so a test run leaves the working tree as it
// was; otherwise they go to a temporary folder, removed after. Call `open` in `before`, so a run
// that skips the browser tests leaves no folder behind.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const README_SHOTS = path.resolve(import.meta.dirname, '../../docs/screenshots');

export function screenshotFolder() {
  const refresh = process.env.ASSAY_SCREENSHOTS === '1';
  let dir = '';
  return {
    /** Makes the folder; answers its path. */
    open(): string {
      dir = refresh ? README_SHOTS : fs.mkdtempSync(path.join(os.tmpdir(), 'assay-screenshots-'));
      fs.mkdirSync(dir, { recursive: true });
      return dir;
    },
    /** Removes a temporary folder (never the README's). */
    close(): void {
      if (dir && !refresh) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
