// Delivered reports (issue 22): when a rerun or a scheduled run finishes, its report goes by
// email (a real SMTP server started here) to the members who asked for it, always or only
// when a rule fails, and as a Slack-compatible JSON POST to the workspace's webhook (a local
// HTTP receiver). A refused mailbox and a failing webhook are retried by pg-boss, their errors
// shown on the run's deliveries and on the schedule, and the run itself is untouched.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { publicOnlyLookup, webhookUrl } from '../../server/delivery/webhook-target.ts';
import { ApiClient } from '../support/client.ts';
import { startMailbox, startReceiver, type Mailbox, type Receiver } from '../support/receivers.ts';
import { cellOf, finishedRun, rerun, weatherOf } from '../support/runs.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { eventually } from '../support/wait.ts';
import { onceSoon } from '../support/cron.ts';

const PUBLIC = 'https://assay.example.org';
const RETRIES = 2;
let server: TestServer;
let mailbox: Mailbox;
let receiver: Receiver;
const people = new Map<string, ApiClient>();

before(async () => {
  [mailbox, receiver] = await Promise.all([startMailbox(), startReceiver()]);
  server = await startTestServer({
    scheduleCheckSeconds: 1,
    scheduleMinMinutes: 0,
    delivery: { smtp: mailbox.url, mailFrom: 'Assay <reports@assay.example.org>', publicUrl: PUBLIC, webhookAllowPrivate: true, retries: RETRIES, retrySeconds: 1 },
  });
  for (const name of ['owner', 'always', 'never', 'onfail', 'bounce']) {
    const c = new ApiClient(server.url);
    await c.signup(`${name}@example.com`);
    people.set(name, c);
  }
});
after(async () => {
  await server?.stop();
  await Promise.all([mailbox?.close(), receiver?.close()]);
});

const as = (name: string) => people.get(name)!;

// A check every year of the weather file passes (its hottest day is 35.6); a file with one day
// at 45 fails it.
const RULES = ['input: weather', 'rules:', '  - check: range', '    name: hot days', '    column: temp_max', '    max: 40', ''].join('\n');
const PASSING = weatherOf('2012');
const FAILING = weatherOf('2012', (line, i) => (i === 3 ? line.replace(/^([^,]*,[^,]*,)[^,]*/, '$145') : line));

/** A workspace of the owner's with an upload and a rule cell, shared by email with `members`. */
async function workspace(title: string, members: Record<string, 'view' | 'edit'>) {
  const owner = as('owner');
  const ws = (await owner.post('/api/workspaces', { title })).body;
  for (const [name, kind, config] of [['weather', 'upload', ''], ['checks', 'rule', RULES]]) {
    assert.equal((await owner.post(`/api/workspaces/${ws.id}/cells`, { kind, name, config })).status, 201);
  }
  for (const [name, role] of Object.entries(members)) {
    assert.equal((await owner.post(`/api/workspaces/${ws.id}/members`, { email: `${name}@example.com`, role })).status, 201);
  }
  return ws.id as string;
}

async function choose(name: string, wsId: string, email: string) {
  const res = await as(name).put(`/api/workspaces/${wsId}/delivery/email`, { email });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.email.choice, email);
}

/** The run's deliveries once none is queued, sending or retrying (each is a pg-boss job of its own). */
async function settledDeliveries(runId: string, { atLeast = 1, timeoutMs = 30_000 } = {}) {
  let list: any[] = [];
  return eventually(async () => {
    const res = await as('owner').get(`/api/runs/${runId}/deliveries`);
    assert.equal(res.status, 200);
    list = res.body as any[];
    return list.length >= atLeast && list.every((d) => d.status === 'sent' || d.status === 'failed') && list;
  }, () => `deliveries not settled: ${JSON.stringify(list)}`, { timeoutMs });
}

const mailsOf = (runId: string) => mailbox.messages.filter((m) => m.mail.text?.includes(`/runs/${runId}`));
const postsOf = (runId: string) => receiver.posts.filter((p) => JSON.stringify(p.body).includes(`/runs/${runId}`));
const recipients = (runId: string) => mailsOf(runId).flatMap((m) => m.to).sort();

test('a rerun\'s report goes by email to those who asked: always every time, on_fail only when a rule fails, never not at all; the webhook gets its JSON', async () => {
  const wsId = await workspace('Weather checks', { always: 'view', never: 'edit', onfail: 'view' });
  // A choice that is not one is refused, naming the field and the nearest choice.
  const bad = await as('always').put(`/api/workspaces/${wsId}/delivery/email`, { email: 'alwayz' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'email');
  assert.match(bad.body.error.message, /never, always, on_fail.*"always"/);
  await choose('owner', wsId, 'always');
  await choose('always', wsId, 'always');
  await choose('never', wsId, 'never');
  await choose('onfail', wsId, 'on_fail');

  // The webhook is the owner's to set: an editor may not, and a bad address is refused.
  const hook = `${receiver.url}/hooks/weather`;
  assert.equal((await as('never').put(`/api/workspaces/${wsId}/delivery/webhook`, { url: hook, when: 'on_fail' })).status, 403);
  const ftp = await as('owner').put(`/api/workspaces/${wsId}/delivery/webhook`, { url: 'ftp://example.com/x', when: 'on_fail' });
  assert.equal(ftp.status, 400);
  assert.equal(ftp.body.error.field, 'url');
  const set = await as('owner').put(`/api/workspaces/${wsId}/delivery/webhook`, { url: hook, when: 'on_fail' });
  assert.equal(set.status, 200);
  assert.equal(set.body.webhook.url, hook);
  // Others see that there is one and where it goes, not its address (a Slack URL is its secret).
  const seen = (await as('always').get(`/api/workspaces/${wsId}/delivery`)).body;
  assert.deepEqual([seen.webhook.url, seen.webhook.host, seen.webhook.when, seen.email.choice, seen.canSetWebhook], [undefined, new URL(hook).host, 'on_fail', 'always', false]);

  // A passing run: the two who always want it; not the on_fail one; no webhook (on_fail).
  const passing = (await rerun(as('owner'), wsId, { weather: ['weather-2012.csv', PASSING] })).body.runId;
  const passed = await finishedRun(as('owner'), passing);
  assert.deepEqual(passed.summary, { pass: 1, warn: 0, fail: 0, error: 0 });
  const first = await settledDeliveries(passing, { atLeast: 2 });
  assert.deepEqual(first.map((d) => `${d.channel}:${d.target}:${d.status}:${d.attempts}`).sort(), ['email:always@example.com:sent:1', 'email:owner@example.com:sent:1']);
  assert.deepEqual(recipients(passing), ['always@example.com', 'owner@example.com']);
  const mail = mailsOf(passing)[0]!.mail;
  assert.equal(mail.subject, 'Weather checks: passed (Assay)');
  assert.equal(mail.from?.value[0]?.address, 'reports@assay.example.org');
  assert.match(mail.text!, new RegExp(`The run: ${PUBLIC}/w/${wsId}/runs/${passing}`));
  assert.match(mail.text!, /rules: 1 pass, 0 warn, 0 fail, 0 error/);
  // The HTML report itself, attached: the same document GET /api/runs/:id/report serves.
  const report = mail.attachments.find((a) => a.filename === 'Weather-checks-report.html');
  assert.ok(report, `attachments: ${mail.attachments.map((a) => a.filename)}`);
  assert.equal(report.contentType, 'text/html');
  const served = await as('owner').get(`/api/runs/${passing}/report`);
  assert.equal(report.content.toString('utf8'), served.body);
  assert.equal(postsOf(passing).length, 0, 'an on_fail webhook stays quiet on a passing run');

  // A failing run: the on_fail member too, and the webhook.
  const failing = (await rerun(as('owner'), wsId, { weather: ['weather-2012-hot.csv', FAILING] })).body.runId;
  const failed = await finishedRun(as('owner'), failing);
  assert.equal(failed.summary.fail, 1);
  const second = await settledDeliveries(failing, { atLeast: 4 });
  assert.deepEqual(second.map((d) => `${d.channel}:${d.status}`).sort(), ['email:sent', 'email:sent', 'email:sent', 'webhook:sent']);
  assert.deepEqual(recipients(failing), ['always@example.com', 'onfail@example.com', 'owner@example.com']);
  const failMail = mailsOf(failing)[0]!.mail;
  assert.equal(failMail.subject, 'Weather checks: 1 rule failed (Assay)');
  assert.match(failMail.text!, /checks › hot days: \S/);
  // Whoever said never got nothing, ever.
  assert.equal(mailbox.messages.filter((m) => m.to.includes('never@example.com')).length, 0);

  const [post] = postsOf(failing);
  assert.ok(post, 'the webhook got the failing run');
  assert.equal(post.path, '/hooks/weather');
  assert.equal(post.type, 'application/json');
  assert.match(post.body.text, /^Weather checks: 1 rule failed \(rules: 0 pass, 0 warn, 1 fail, 0 error\)/);
  assert.ok(Array.isArray(post.body.blocks) && post.body.blocks.length >= 2);
  assert.match(JSON.stringify(post.body.blocks), new RegExp(`<${PUBLIC}/w/${wsId}/runs/${failing}\\|open the run>`));
  assert.match(post.body.blocks[1].text.text, /hot days/);

  // A viewer reading the deliveries sees their own address, not the other members', and the webhook's host only.
  const asViewer = (await as('onfail').get(`/api/runs/${failing}/deliveries`)).body.map((d: any) => d.target).sort();
  assert.deepEqual(asViewer, ['127.0.0.1:' + new URL(hook).port, 'a member', 'a member', 'onfail@example.com'].sort());
});

test('an edit\'s run is not mailed by itself; "send now" mails any finished run once', async () => {
  const wsId = await workspace('Edits only', { always: 'view' });
  await choose('always', wsId, 'always');
  const first = (await rerun(as('owner'), wsId, { weather: ['w.csv', PASSING] })).body.runId;
  await finishedRun(as('owner'), first);
  await settledDeliveries(first);
  const cells = (await as('owner').get(`/api/workspaces/${wsId}`)).body.cells;
  const edit = await as('owner').patch(`/api/workspaces/${wsId}/cells/${cellOf({ cells }, 'checks').id}`, { config: RULES.replace('max: 40', 'max: 30') });
  assert.equal(edit.status, 200);
  const runs = (await as('owner').get(`/api/workspaces/${wsId}/runs`)).body;
  const edited = runs.find((r: any) => r.trigger === 'edit');
  const run = await finishedRun(as('owner'), edited.id);
  assert.equal(run.summary.fail, 1);
  assert.deepEqual((await as('owner').get(`/api/runs/${edited.id}/deliveries`)).body, []);
  // A viewer may not send; an editor or the owner may.
  assert.equal((await as('always').post(`/api/runs/${edited.id}/deliveries`)).status, 403);
  const sent = await as('owner').post(`/api/runs/${edited.id}/deliveries`);
  assert.equal(sent.status, 202);
  assert.deepEqual(sent.body.map((d: any) => d.target), ['always@example.com']);
  const settled = await settledDeliveries(edited.id);
  assert.equal(settled[0].status, 'sent');
  assert.equal(mailsOf(edited.id)[0]!.mail.subject, 'Edits only: 1 rule failed (Assay)');
  // Once per target and run: sending again makes nothing new.
  const again = await as('owner').post(`/api/runs/${edited.id}/deliveries`);
  assert.equal(again.body.length, 1);
  assert.equal(mailsOf(edited.id).length, 1);

  // A rerun with values (JSON {params}, no new files) is a rerun: mailed by itself.
  const withValues = await as('owner').post(`/api/workspaces/${wsId}/runs`, { params: {} });
  assert.equal(withValues.status, 202, JSON.stringify(withValues.body));
  await finishedRun(as('owner'), withValues.body.runId);
  const mailed = await settledDeliveries(withValues.body.runId);
  assert.deepEqual(mailed.map((d) => `${d.target}:${d.status}`), ['always@example.com:sent']);

  // Someone the workspace is no longer shared with gets no more reports, whatever they chose.
  const members = (await as('owner').get(`/api/workspaces/${wsId}/members`)).body;
  const member = members.find((m: any) => m.email === 'always@example.com');
  assert.equal((await as('owner').delete(`/api/workspaces/${wsId}/members/${member.id}`)).status, 200);
  await choose('owner', wsId, 'always');
  const later = (await as('owner').post(`/api/workspaces/${wsId}/runs`, { params: {} })).body.runId;
  await finishedRun(as('owner'), later);
  assert.deepEqual((await settledDeliveries(later)).map((d) => d.target), ['owner@example.com']);
});

/** Sets a schedule on the owner's inbox folder holding `csv` to fire once, waits for that firing, and moves it to 06:00 (it keeps its last run). */
async function firedOnce(wsId: string, folder: string, csv: string) {
  const me = (await as('owner').get('/api/me')).body;
  const inbox = path.join(server.dataDir, 'inbox', me.id, folder);
  fs.mkdirSync(inbox, { recursive: true });
  fs.writeFileSync(path.join(inbox, 'weather.csv'), csv);
  assert.equal((await as('owner').put(`/api/workspaces/${wsId}/schedule`, { cron: onceSoon(), folder })).status, 200);
  const schedule = await eventually(async () => {
    const s = (await as('owner').get(`/api/workspaces/${wsId}/schedule`)).body;
    return (s?.lastRunId || s?.lastError) && s;
  }, 'the schedule did not fire');
  assert.equal(schedule.lastError, null);
  assert.equal((await as('owner').put(`/api/workspaces/${wsId}/schedule`, { cron: '0 6 * * *', folder })).status, 200);
  return schedule.lastRunId as string;
}

test('a scheduled run whose mailbox refuses and whose webhook fails: retried, then failed with the error on the run and the schedule; the run is fine', async () => {
  const wsId = await workspace('Nightly weather', { bounce: 'view' });
  await choose('owner', wsId, 'always');
  await choose('bounce', wsId, 'always');
  const hookUrl = `${receiver.url}/fail/nightly`;
  assert.equal((await as('owner').put(`/api/workspaces/${wsId}/delivery/webhook`, { url: hookUrl, when: 'always' })).status, 200);
  const runId = await firedOnce(wsId, 'nightly', PASSING);

  const run = await finishedRun(as('owner'), runId);
  assert.equal(run.trigger, 'schedule');
  assert.equal(run.cellErrors, 0);
  assert.deepEqual(run.summary, { pass: 1, warn: 0, fail: 0, error: 0 });

  const list = await settledDeliveries(runId, { atLeast: 3, timeoutMs: 60_000 });
  const byTarget = new Map(list.map((d) => [d.channel === 'webhook' ? 'webhook' : d.target, d]));
  assert.equal(byTarget.get('owner@example.com').status, 'sent', 'the refused mailbox does not hold up the others');
  const bounced = byTarget.get('bounce@example.com');
  assert.deepEqual([bounced.status, bounced.attempts], ['failed', RETRIES + 1]);
  assert.match(bounced.lastError, /550/);
  assert.match(bounced.lastError, /bounce@example\.com unavailable/);
  assert.equal(mailbox.offered.get('bounce@example.com'), RETRIES + 1, 'the SMTP server was asked once per attempt');
  const hook = byTarget.get('webhook');
  assert.deepEqual([hook.status, hook.attempts], ['failed', RETRIES + 1]);
  assert.match(hook.lastError, /answered HTTP 500: receiver is down for maintenance/);
  assert.equal(postsOf(runId).length, RETRIES + 1);

  // The schedule shows its last run's delivery error; to a viewer, without the webhook's address.
  const schedule = (await as('owner').get(`/api/workspaces/${wsId}/schedule`)).body;
  assert.equal(schedule.lastDeliveryError.runId, runId);
  assert.equal(schedule.lastDeliveryError.status, 'failed');
  assert.match(schedule.lastDeliveryError.lastError, /550|HTTP 500/);
  const viewed = (await as('bounce').get(`/api/workspaces/${wsId}/schedule`)).body;
  assert.ok(viewed.lastDeliveryError);
  assert.ok(!JSON.stringify(viewed).includes('/fail/nightly'), JSON.stringify(viewed.lastDeliveryError));
  // The run is as it was: its results and status untouched by its deliveries.
  const again = (await as('owner').get(`/api/runs/${runId}`)).body;
  assert.equal(again.status, 'done');
  assert.deepEqual(again.summary, run.summary);
  assert.equal(cellOf(again, 'weather').result.rows, 366);
  await as('owner').delete(`/api/workspaces/${wsId}/schedule`);
});

test('without ASSAY_WEBHOOK_ALLOW_PRIVATE a webhook is https to a public address, checked on each connection', async () => {
  const refused = (url: string) => assert.throws(() => webhookUrl(url, false), /https|private or local/, url);
  refused('http://hooks.example.com/x');
  refused('https://10.1.2.3/hook');
  refused('https://169.254.169.254/latest/meta-data');
  refused('https://[::1]:8080/');
  refused('https://[::ffff:127.0.0.1]/');
  refused('https://localhost/hook');
  refused('https://metadata.google.internal/');
  assert.throws(() => webhookUrl('https://user:pw@hooks.example.com/', false), /user name or password/);
  assert.equal(webhookUrl('https://hooks.slack.com/services/T0/B0/abc', false).host, 'hooks.slack.com');
  // A name that resolves to a private address is refused when the connection is made (DNS rebinding included).
  const lookup = publicOnlyLookup(false);
  const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => lookup('localhost', {}, (e) => resolve(e)));
  assert.equal(err?.code, 'EPRIVATE');
  assert.match(err!.message, /localhost resolves to a private or local address/);
});
