// `assay run <workspace.yaml> --input <uploadCell>=<file.csv> ... [--param <inputCell>=<value> ...] [--json out.json] [--report out.html]`:
// runs an exported workspace on files, in this process, prints a summary and exits 0 when no
// rule fails, 1 when one does, 2 on an error. How a notebook joins CI or cron.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkCounts } from '../cells/face.ts';
import { kindOf } from '../cells/registry.ts';
import { DocumentError, fromYaml } from './notebook/workspace-yaml.ts';
import { runDocument, UsageError, type HeadlessCell, type HeadlessRun } from './notebook/headless.ts';
import { renderReport } from './notebook/report.ts';

const USAGE = `Usage: assay run <workspace.yaml> --input <uploadCell>=<file.csv> [--input ...] [--param <inputCell>=<value> ...] [--json out.json] [--report out.html]

Runs an exported Assay workspace (GET /api/workspaces/:id/export) on the given files, in this
process (no server, no database), and prints a summary. --param gives an input cell a value
for this run (min_cases=10), checked against its type, range and options.
Exit status: 0 no rule failed, 1 a rule failed, 2 an error (a cell failed, a rule could not run, bad usage).`;

interface Args { document: string; inputs: Record<string, string>; params: Record<string, string>; json?: string; report?: string }

function parseArgs(argv: string[]): Args | 'help' {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) return 'help';
  const [command, document, ...rest] = argv;
  if (command !== 'run') throw new UsageError(`unknown command "${command}"; the command is "run"`);
  if (!document || document.startsWith('--')) throw new UsageError('name the workspace document: assay run <workspace.yaml> …');
  const args: Args = { document, inputs: {}, params: {} };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i]!;
    const [name, inline] = flag.includes('=') && flag.startsWith('--') ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)] : [flag, undefined];
    const value = () => {
      const v = inline ?? rest[++i];
      if (v === undefined || v === '') throw new UsageError(`${name} needs a value`);
      return v;
    };
    if (name === '--input' || name === '-i') {
      const pair = value();
      const eq = pair.indexOf('=');
      if (eq <= 0 || eq === pair.length - 1) throw new UsageError(`--input takes <uploadCell>=<file.csv>, not "${pair}"`);
      const cell = pair.slice(0, eq);
      if (cell in args.inputs) throw new UsageError(`--input ${cell}=… is given twice`);
      args.inputs[cell] = pair.slice(eq + 1);
    } else if (name === '--param' || name === '-p') {
      const pair = value();
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`--param takes <inputCell>=<value>, not "${pair}"`);
      const cell = pair.slice(0, eq);
      if (cell in args.params) throw new UsageError(`--param ${cell}=… is given twice`);
      args.params[cell] = pair.slice(eq + 1);
    } else if (name === '--json') args.json = value();
    else if (name === '--report') args.report = value();
    else throw new UsageError(`unknown option "${flag}"`);
  }
  return args;
}

/** A finished cell whose checks fail or err is marked as failing, not done: that is what the run says of it. */
function mark(c: HeadlessCell): string {
  if (c.status === 'stale') return '·';
  if (c.status !== 'done') return '✗';
  const counts = checkCounts(kindOf(c.kind), c.result);
  if (counts && (Number(counts.fail ?? 0) > 0 || Number(counts.error ?? 0) > 0)) return '✗';
  if (counts && Number(counts.warn ?? 0) > 0) return '!';
  return '✓';
}

function describe(c: HeadlessCell): string {
  if (c.status !== 'done') return `${c.status}: ${c.error?.message ?? ''}`;
  return kindOf(c.kind)?.summarize?.(c.result) ?? 'done';
}

function summaryText(run: HeadlessRun): string {
  const lines = [`${run.title}`];
  for (const c of run.cells) {
    lines.push(`  ${mark(c)} ${c.name} (${c.kind}): ${describe(c)}`);
    if (c.status === 'done') for (const p of kindOf(c.kind)?.problems?.(c.result) ?? []) lines.push(`      ${p.status.toUpperCase()} ${p.item}: ${p.message}`);
  }
  const s = run.summary;
  lines.push(`Rules: ${s.pass} pass, ${s.warn} warn, ${s.fail} fail, ${s.error} error${run.cellErrors ? `; ${run.cellErrors} cell(s) did not finish` : ''}`);
  return lines.join('\n');
}

export async function main(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
  let workDir: string | undefined;
  try {
    const args = parseArgs(argv);
    if (args === 'help') {
      out.write(`${USAGE}\n`);
      return argv.length === 0 ? 2 : 0;
    }
    let text: string;
    try {
      text = fs.readFileSync(args.document, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${args.document}: ${(e as Error).message}`);
    }
    const doc = fromYaml(text);
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-run-'));
    const run = await runDocument(doc, args.inputs, { workDir, params: args.params });
    out.write(`${summaryText(run)}\n`);
    if (args.json) fs.writeFileSync(args.json, `${JSON.stringify(run, null, 2)}\n`);
    if (args.report) {
      fs.writeFileSync(args.report, renderReport({
        title: run.title,
        run: { createdAt: run.startedAt, trigger: 'command line', files: run.files, summary: run.summary },
        cells: run.cells,
      }));
    }
    return run.exitCode;
  } catch (e) {
    if (e instanceof UsageError) err.write(`assay: ${e.message}\n`);
    else if (e instanceof DocumentError) err.write(`assay: the workspace document: ${e.message}${e.line ? ` (line ${e.line})` : ''}\n`);
    else err.write(`assay: ${(e as Error)?.stack ?? String(e)}\n`);
    return 2;
  } finally {
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  }
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
