// What a delivered report says: the verdict, the rule counts, the failing rules and the link
// to the run, as an email's subject and text and as a Slack-compatible webhook body.
import { plural } from '../../cells/kit/format.ts';
import { kindOf } from '../../cells/registry.ts';
import type { RuleCounts } from '../../cells/shared/rule-counts.ts';
import type { RunDetail } from '../runs/history.ts';

export interface RunOutcome {
  title: string;
  runId: string;
  trigger: string;
  createdAt: Date;
  summary: RuleCounts;
  cellErrors: number;
  /** "cell › item: message" of each failing or erroring item its kind names (KindFace.problems), at most FAILING_SHOWN. */
  failing: string[];
  /** The run's page. */
  link: string;
}

const FAILING_SHOWN = 10;

export function outcomeOf(title: string, run: RunDetail, link: string): RunOutcome {
  const failing: string[] = [];
  for (const cell of run.cells) {
    if (cell.status !== 'done') continue;
    for (const p of kindOf(cell.kind)?.problems?.(cell.result) ?? []) {
      if (p.status === 'fail' || p.status === 'error') failing.push(`${cell.name} › ${p.item}: ${p.message}`);
    }
  }
  return {
    title: title.replace(/[\u0000-\u001f\u007f]+/g, ' '), runId: run.id, trigger: run.trigger, createdAt: run.createdAt,
    summary: run.summary, cellErrors: run.cellErrors, failing: failing.slice(0, FAILING_SHOWN), link,
  };
}

/** What `on_fail` waits for: a rule that fails (or cannot be checked), or a cell that errors. */
export const hasFailure = (o: Pick<RunOutcome, 'summary' | 'cellErrors'>) => o.summary.fail > 0 || o.summary.error > 0 || o.cellErrors > 0;

/** "2 rules failed, 1 cell error" / "passed with 1 warning" / "passed". */
export function verdictOf(o: RunOutcome): string {
  const bad = [
    o.summary.fail ? `${plural(o.summary.fail, 'rule')} failed` : '',
    o.summary.error ? `${plural(o.summary.error, 'rule')} could not be checked` : '',
    o.cellErrors ? plural(o.cellErrors, 'cell error') : '',
  ].filter(Boolean);
  if (bad.length) return bad.join(', ');
  return o.summary.warn ? `passed with ${plural(o.summary.warn, 'warning')}` : 'passed';
}

const counts = (s: RuleCounts) => `rules: ${s.pass} pass, ${s.warn} warn, ${s.fail} fail, ${s.error} error`;
const when = (d: Date) => `${d.toISOString().replace('T', ' ').slice(0, 16)} UTC`;

export function emailSubject(o: RunOutcome): string {
  return `${o.title}: ${verdictOf(o)} (Assay)`;
}

export function emailText(o: RunOutcome): string {
  return [
    `${o.title}: ${verdictOf(o)}`,
    '',
    `Run of ${when(o.createdAt)} (${o.trigger}); ${counts(o.summary)}${o.cellErrors ? `; ${plural(o.cellErrors, 'cell')} with errors` : ''}.`,
    ...(o.failing.length ? ['', 'Failing:', ...o.failing.map((f) => `- ${f}`)] : []),
    '',
    `The run: ${o.link}`,
    'The full report is attached (report.html).',
    '',
    'You get this because you asked for this workspace\'s reports; change that on its Runs page.',
  ].join('\n');
}

/** Slack's mrkdwn treats &, < and > as markup (<!channel>, <url|text>): a title is text. */
const slackText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A body Slack's incoming webhooks take (`text` is the notification, `blocks` the message); others read `text`. */
export function webhookBody(o: RunOutcome) {
  const mark = hasFailure(o) ? ':red_circle:' : o.summary.warn ? ':large_yellow_circle:' : ':large_green_circle:';
  const text = `${o.title}: ${verdictOf(o)}`;
  return {
    text: `${slackText(text)} (${counts(o.summary)}) ${o.link}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${mark} *${slackText(o.title)}*: ${slackText(verdictOf(o))}\n${counts(o.summary)}${o.cellErrors ? `; ${plural(o.cellErrors, 'cell')} with errors` : ''}` } },
      ...(o.failing.length ? [{ type: 'section', text: { type: 'mrkdwn', text: o.failing.map((f) => `• ${slackText(f)}`).join('\n') } }] : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Run of ${when(o.createdAt)} (${slackText(o.trigger)}) · <${o.link}|open the run>` }] },
    ],
  };
}
