// Delivered reports on the Runs page in Chromium (issue 22): a person picks how the reports come
// to them, the owner sets the webhook, and a scheduled run whose webhook fails shows why on the
// schedule.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after } from 'node:test';
import type { Browser } from 'playwright-core';
// test skips when there is no Chromium to drive (tests/support/browser.ts).
import { serverAndBrowser, test } from '../support/browser.ts';
import { signUp, watchErrors } from '../support/notebook-page.ts';
import { startMailbox, startReceiver } from '../support/receivers.ts';
import { weatherOf } from '../support/runs.ts';
import { onceSoon } from '../support/cron.ts';
import { eventually } from '../support/wait.ts';
import type { TestServer } from '../support/server.ts';

let server: TestServer;
let browser: Browser;
// The receivers first: the server's settings name their addresses.
const [mailbox, receiver] = await Promise.all([startMailbox(), startReceiver()]);
after(async () => { await Promise.all([mailbox.close(), receiver.close()]); });
serverAndBrowser((s, b) => { server = s; browser = b; }, {
  scheduleCheckSeconds: 1,
  scheduleMinMinutes: 0,
  // No retries: the failing webhook is given up on at its first attempt.
  delivery: { smtp: mailbox.url, mailFrom: 'assay@example.org', webhookAllowPrivate: true, retries: 0, retrySeconds: 1 },
});

test('the Runs page sets my email choice and the webhook, and shows a scheduled run\'s failed delivery', async () => {
  const page = await browser.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  watchErrors(page, errors);
  await signUp(page, server.url, 'deliveries@example.com');
  const headers = { 'x-assay-client': 'tests' };
  const send = async (method: 'post' | 'put' | 'get', p: string, data?: unknown) => (await page.request[method](`${server.url}${p}`, { data, headers })).json();
  const ws = await send('post', '/api/workspaces', { title: 'Delivered weather' });
  await send('post', `/api/workspaces/${ws.id}/cells`, { kind: 'upload', name: 'weather', config: '' });
  await send('post', `/api/workspaces/${ws.id}/cells`, { kind: 'rule', name: 'checks', config: 'input: weather\nrules:\n  - check: row_count\n    min: 1\n' });

  await page.goto(`${server.url}/w/${ws.id}/runs`);
  const choice = page.getByTestId('delivery-email');
  assert.equal(await choice.inputValue(), 'never');
  await choice.selectOption('on_fail');
  await page.getByText('Saved.').waitFor();
  assert.equal((await send('get', `/api/workspaces/${ws.id}/delivery`)).email.choice, 'on_fail');

  const hook = `${receiver.url}/fail/weather`;
  await page.getByTestId('delivery-webhook-url').fill(hook);
  await page.getByTestId('delivery-webhook-when').selectOption('always');
  await page.getByRole('button', { name: 'Save webhook' }).click();
  await page.getByText('Webhook saved.').waitFor();
  assert.deepEqual((await send('get', `/api/workspaces/${ws.id}/delivery`)).webhook.url, hook);

  // A scheduled run: its report's webhook answers 500, and the schedule says so.
  const me = await send('get', '/api/me');
  const inbox = path.join(server.dataDir, 'inbox', me.id, 'weather');
  fs.mkdirSync(inbox, { recursive: true });
  fs.writeFileSync(path.join(inbox, 'weather.csv'), weatherOf('2013'));
  await send('put', `/api/workspaces/${ws.id}/schedule`, { cron: onceSoon(), folder: 'weather' });
  let schedule: any;
  await eventually(async () => {
    schedule = await send('get', `/api/workspaces/${ws.id}/schedule`);
    return schedule?.lastDeliveryError;
  }, () => `no delivery error on the schedule: ${JSON.stringify(schedule)}`, { timeoutMs: 30_000, everyMs: 200 });
  // Once is enough: the schedule moves to 06:00 and keeps its last run.
  await send('put', `/api/workspaces/${ws.id}/schedule`, { cron: '0 6 * * *', folder: 'weather' });
  await page.reload();
  const shown = page.getByTestId('schedule-delivery-error');
  await shown.waitFor();
  assert.match(await shown.innerText(), /to the webhook \(http:\/\/127\.0\.0\.1:\d+\/fail\/weather\) could not be delivered after 1 attempt: 127\.0\.0\.1:\d+ answered HTTP 500/);
  assert.deepEqual(errors, []);
});
