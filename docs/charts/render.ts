// Renders the chart specs of README.md's "Charts" section into the PNGs beside this file,
// with the app itself: a test server, the specs as chart cells, Chromium, and each chart's
// own "PNG" download. A spec is a ```yaml block followed by its picture's line,
// ![…](docs/charts/<name>.png), so the README and its pictures cannot drift apart.
//
//   npm exec -- node docs/charts/render.ts
import fs from 'node:fs';
import path from 'node:path';
import { launchChromium } from '../../tests/support/browser.ts';
import { ApiClient } from '../../tests/support/client.ts';
import { startTestServer } from '../../tests/support/server.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The tables the README's specs read, by the input name they use. */
const INPUTS: Record<string, string> = {
  weather: path.join(ROOT, 'server/demo/seattle-weather.csv'),
  funding: path.resolve(ROOT, '../shared/data/swiss-energy-research-funding.csv'),
};

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const specs = [...readme.matchAll(/```yaml\n((?:(?!```)[\s\S])*)```\n+!\[[^\]]*\]\(docs\/charts\/([\w-]+)\.png\)/g)].map((m) => ({ yaml: m[1]!, name: m[2]! }));
if (!specs.length) throw new Error('README.md has no chart spec followed by a docs/charts picture');

const server = await startTestServer();
const browser = await launchChromium();
try {
  const api = new ApiClient(server.url);
  await api.signup('pictures@example.com');
  const ws = (await api.post('/api/workspaces', { title: 'README charts' })).body;
  const events = api.events(ws.id);
  await events.ready;
  const needed = new Set(specs.map((s) => /^input:\s*(\S+)/m.exec(s.yaml)?.[1] ?? ''));
  for (const input of needed) {
    if (!INPUTS[input]) throw new Error(`no table for input "${input}"; known: ${Object.keys(INPUTS).join(', ')}`);
    const cell = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'upload', name: input, config: '' })).body;
    await api.upload(`/api/workspaces/${ws.id}/cells/${cell.id}/upload`, fs.readFileSync(INPUTS[input]!), path.basename(INPUTS[input]!));
    await events.waitFor((e) => e.event === 'cell.result' && e.data.cellId === cell.id);
  }
  // One at a time, each run finished before the next cell: adding cells while others settle
  // can deadlock the server's event writes.
  for (const spec of specs) {
    const res = await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'chart', name: spec.name.replace(/-/g, '_'), config: spec.yaml });
    if (res.status !== 201) throw new Error(`${spec.name}: ${res.status} ${JSON.stringify(res.body)}`);
    await events.waitFor((e) => (e.event === 'cell.result' || e.event === 'cell.error') && e.data.cellId === res.body.id);
  }
  events.close();

  const context = await browser.newContext({ acceptDownloads: true, colorScheme: 'light', viewport: { width: 860, height: 1000 } });
  const [cookieName, cookieValue] = api.cookie.split('=') as [string, string];
  await context.addCookies([{ name: cookieName, value: cookieValue, url: server.url }]);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await page.goto(`${server.url}/w/${ws.id}`);
  for (const spec of specs) {
    const cell = page.locator(`[data-testid="cell"][data-cell-name="${spec.name.replace(/-/g, '_')}"]`);
    const drawn = cell.locator('[data-testid="chart-plot"] > svg');
    await Promise.race([
      drawn.waitFor({ timeout: 60_000 }),
      cell.getByTestId('cell-error').waitFor({ timeout: 60_000 }).then(async () => { throw new Error(`${spec.name}: ${await cell.getByTestId('cell-error').innerText()}`); }),
    ]);
    const [download] = await Promise.all([page.waitForEvent('download'), cell.getByTestId('chart-download-png').click()]);
    const target = path.join(import.meta.dirname, `${spec.name}.png`);
    await download.saveAs(target);
    console.log(`${path.relative(ROOT, target)} (${fs.statSync(target).size} bytes)`);
  }
  if (problems.length) throw new Error(`the page reported errors:\n${problems.join('\n')}`);
} finally {
  await browser.close();
  await server.stop();
}
