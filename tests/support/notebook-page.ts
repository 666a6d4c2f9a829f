// Steps the Chromium tests take on the notebook's pages, as a user would.
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';

/** Collects every console error and page error of a page, to assert there were none. */
export function watchErrors(page: Page, into: string[]): void {
  page.on('console', (m) => { if (m.type() === 'error') into.push(`console: ${m.text()} (${m.location().url})`); });
  page.on('pageerror', (e) => into.push(`page error: ${e.message}`));
}

export async function signUp(page: Page, base: string, email: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.waitForURL(/\/login/);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill('a long password');
  await page.getByTestId('signup-submit').click();
  await page.waitForURL((url) => url.pathname === '/');
}

export async function newWorkspace(page: Page, title: string): Promise<void> {
  await page.getByTestId('new-workspace-title').fill(title);
  await page.getByTestId('new-workspace-submit').click();
  await page.waitForURL(/\/w\//);
}

export const cellOf = (page: Page, name: string) => page.locator(`[data-testid="cell"][data-cell-name="${name}"]`);

/** Adds a cell through the page's "add a cell" form and waits for it to appear. */
export async function addCell(page: Page, kind: string, name: string): Promise<Locator> {
  await page.getByTestId('add-cell-kind').selectOption(kind);
  await page.getByTestId('add-cell-name').fill(name);
  await page.getByTestId('add-cell-submit').click();
  const cell = cellOf(page, name);
  await cell.waitFor();
  return cell;
}

/** Waits until the cell `name` shows a finished result. */
export async function cellDone(page: Page, name: string, timeout = 60_000): Promise<void> {
  await page.locator(`[data-testid="cell"][data-cell-name="${name}"][data-status="done"]`).waitFor({ timeout });
}

/** Adds an upload cell, gives it `file` and waits for its table. */
export async function uploadCell(page: Page, name: string, file: string): Promise<Locator> {
  const cell = await addCell(page, 'upload', name);
  await cell.getByTestId('upload-input').setInputFiles(file);
  await cellDone(page, name);
  return cell;
}

/**
 * Types lines into the focused CodeMirror editor, each at column 0 (it would keep the previous indent).
 *
 * An open completion list takes Enter as "accept" (CodeMirror's completion keymap): the typed word
 * stays and no new line comes. Whether the list is open by then depends on the typing's pace (it
 * opens when typing pauses for 100 ms, and accepts once it has been open 75 ms), so on a loaded
 * machine `- check: range` and the line after it ran together and the rule was never the one typed.
 * A person sees the list and presses Enter again; so does this, when no new line came.
 */
export async function typeLines(page: Page, lines: string[]): Promise<void> {
  const editorLines = page.locator('.cm-editor.cm-focused .cm-line');
  for (const line of lines) {
    await page.keyboard.type(line);
    const before = await editorLines.count();
    await page.keyboard.press('Enter');
    if (await editorLines.count() === before) await page.keyboard.press('Enter');
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Delete');
  }
}

/** Replaces a cell's YAML by typing it, then Shift+Enter saves and runs it. */
export async function typeYaml(page: Page, cell: Locator, lines: string[]): Promise<void> {
  await cell.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await typeLines(page, lines);
  // A completion list may be open: Escape closes it (a second would leave the editor).
  await page.keyboard.press('Escape');
  // What a test then waits for is the result of this text: if it came out otherwise, say so here.
  const typed = (await cell.locator('.cm-content').innerText()).replace(/\n+$/, '');
  if (typed !== lines.join('\n')) throw new Error(`the editor holds ${JSON.stringify(typed)}, not the typed ${JSON.stringify(lines.join('\n'))}`);
  await cell.locator('.cm-content').click();
  await page.keyboard.press('Shift+Enter');
}

const WEATHER = path.resolve(import.meta.dirname, '../../../shared/data/seattle-weather.csv');

/**
 * A new account's notebook holding the Seattle weather file as upload cell `weather`, run: the
 * opening of the tests of kinds that read a table. `errors` collects the page's errors.
 */
export async function weatherNotebook(browser: Browser, base: string, email: string, title: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  watchErrors(page, errors);
  await signUp(page, base, email);
  await newWorkspace(page, title);
  const upload = await addCell(page, 'upload', 'weather');
  await upload.getByTestId('upload-input').setInputFiles(WEATHER);
  await page.locator('[data-testid="cell"][data-cell-name="weather"][data-status="done"]').waitFor({ timeout: 60_000 });
  return { page, errors };
}

/**
 * Every control of the notebook's header that is shown (buttons, links as buttons, fields,
 * through the shadow roots of the parts that hold them), and what does not fit a screen
 * `width` px wide: two controls that overlap, or one past an edge.
 */
export async function headerFit(page: Page, width: number): Promise<{ names: string[]; misfits: string[] }> {
  const boxes = await page.locator('.top').first().evaluate((top) => {
    const found: { name: string; x: number; y: number; w: number; h: number }[] = [];
    const visit = (root: Element | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.shadowRoot) visit(el.shadowRoot);
        if (!el.matches('button, a.button, input, select, textarea, label.button')) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
        found.push({ name: (el.getAttribute('aria-label') || el.textContent || el.tagName).trim().slice(0, 30), x: r.x, y: r.y, w: r.width, h: r.height });
      }
    };
    visit(top);
    return found;
  });
  const misfits: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i]!;
    if (a.x < 0 || a.x + a.w > width + 0.5) misfits.push(`"${a.name}" is outside the screen (${a.x}–${a.x + a.w})`);
    for (const b of boxes.slice(i + 1)) {
      const apart = a.x + a.w <= b.x + 0.5 || b.x + b.w <= a.x + 0.5 || a.y + a.h <= b.y + 0.5 || b.y + b.h <= a.y + 0.5;
      if (!apart) misfits.push(`"${a.name}" × "${b.name}" overlap`);
    }
  }
  return { names: boxes.map((b) => b.name), misfits };
}
