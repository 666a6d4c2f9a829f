// Small pieces the run pages share: rule count badges, a run's one-line label, the poll
// that keeps a page current while a run computes.
import { css, html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { RuleCounts } from '../../cells/shared/rule-counts.ts';
import type { RunHeader } from './api.ts';
import { TRIGGERS } from './api.ts';

export const runStyles = css`
  :host { display: block; max-width: 1100px; margin: 0 auto; padding: 24px 20px 60px; }
  h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 24px 0 8px; }
  .crumbs { font-size: 13px; margin-bottom: 10px; }
  table { border-collapse: collapse; width: 100%; font-size: 13px; background: var(--surface); }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--border); vertical-align: top; }
  th { color: var(--muted); font-weight: 500; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  .badge { display: inline-block; min-width: 22px; text-align: center; border-radius: 10px; padding: 0 7px; font-size: 11px; font-weight: 600; margin-right: 3px; }
  .pass { background: #dcfce7; color: #166534; } .warn { background: var(--warn-bg); color: var(--warn-fg); }
  .fail, .error, .stale { background: var(--error-bg, #fde4e1); color: var(--error-fg); } .running, .queued { background: var(--surface-2); color: var(--muted); }
  .panel { border: 1px solid var(--border); border-radius: 10px; padding: 12px 14px; background: var(--surface); margin: 10px 0; }
  .row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
  .empty { color: var(--muted); }
`;

export function counts(s: RuleCounts) {
  return html`${(['pass', 'warn', 'fail', 'error'] as const).map((k) => (s[k] ? html`<span class="badge ${k}" title="${s[k]} ${k}">${s[k]} ${k}</span>` : nothing))}`;
}

export function when(at: string): string {
  return new Date(at).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

export function runLabel(r: RunHeader): string {
  return `${when(r.createdAt)} · ${TRIGGERS[r.trigger] ?? r.trigger}${r.files.length ? ` · ${r.files.map((f) => f.name).join(', ')}` : ''}`;
}

/**
 * Loads when the page is shown, and again every `everyMs` while the last load found a run
 * still computing. Stops when the page goes, even with a load in flight (its answer would
 * otherwise start a poll on a page nobody sees), and never runs two polls at once.
 */
export class PollWhileRunning implements ReactiveController {
  private readonly load: (full: boolean) => Promise<boolean>;
  private readonly everyMs: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private connected = false;

  /** `load(full)`: `full` on the first load and after a change made on the page; true while a run computes. */
  constructor(host: ReactiveControllerHost, load: (full: boolean) => Promise<boolean>, everyMs: number) {
    this.load = load;
    this.everyMs = everyMs;
    host.addController(this);
  }

  hostConnected(): void {
    this.connected = true;
    void this.now();
  }

  hostDisconnected(): void {
    this.connected = false;
    clearTimeout(this.timer);
  }

  /** Loads now; a poll already waiting is replaced by this one. */
  async now(full = true): Promise<void> {
    clearTimeout(this.timer);
    const running = await this.load(full);
    clearTimeout(this.timer);
    if (running && this.connected) this.timer = setTimeout(() => void this.now(false), this.everyMs);
  }
}
