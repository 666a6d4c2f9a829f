// The presentation view's layout: a centred reading column with generous spacing, the app's
// theme tokens (light and dark), and a print style for "Save as PDF": no chrome, a white page,
// no block (a chart, a rule summary) split across two pages.
import { css } from 'lit';

export const presentStyles = css`
  :host { display: block; max-width: 820px; margin: 0 auto; padding: 40px 28px 96px; font-size: 15px; line-height: 1.6; }
  header.doc { margin-bottom: 36px; }
  h1 { font-size: 30px; line-height: 1.2; margin: 0 0 8px; letter-spacing: -.01em; overflow-wrap: anywhere; }
  .byline { color: var(--muted); font-size: 14px; margin: 0; }
  .actions { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-top: 14px; }
  .actions a.button { text-decoration: none; }
  .sources { margin: 0 0 32px; padding: 0; list-style: none; color: var(--muted); font-size: 13px; border-left: 3px solid var(--border); padding-left: 12px; }
  .sources li + li { margin-top: 2px; }
  .sources b { color: var(--fg); font-weight: 600; }
  .values { margin: 0 0 32px; padding: 12px 16px; border-radius: 10px; border: 1px solid var(--border); background: var(--surface); font-size: 14px; }
  .values p { margin: 0; }
  .values button { margin-top: 10px; }
  .yours-values { border-color: var(--accent); background: var(--accent-soft); }
  section.block { margin: 0 0 44px; }
  h2 { font-size: 20px; line-height: 1.3; margin: 0 0 12px; overflow-wrap: anywhere; }
  .pending { color: var(--muted); font-style: italic; }
  .failed { color: var(--error-fg); }
  .yours { font-size: 11px; font-weight: 600; border-radius: 999px; padding: 1px 8px; margin-left: 8px; vertical-align: middle; background: var(--accent-soft); color: var(--accent); }
  .empty { color: var(--muted); padding: 24px 0; }

  @media print {
    :host { max-width: none; padding: 0; font-size: 12pt; color: #000; }
    .actions, .no-print { display: none !important; }
    h2 { break-after: avoid; page-break-after: avoid; }
    /* A chart or a rule summary on one page, never cut across two. */
    section.block { break-inside: avoid; page-break-inside: avoid; margin-bottom: 28px; }
  }
`;
