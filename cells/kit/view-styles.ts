import { css } from 'lit';

/** Base styles for every per-kind result view (they live in their own shadow roots). */
export const viewStyles = css`
  :host { display: block; color: var(--fg); font-size: 13px; }
  h4 { margin: 12px 0 6px; font-size: 13px; font-weight: 600; }
  summary { cursor: pointer; color: var(--muted); font-size: 12px; margin: 4px 0; }
  .muted { color: var(--muted); font-weight: 400; }
  .mono { font-family: var(--mono); font-size: 12px; }
  button {
    font: inherit; font-size: 12px; padding: 4px 10px; border-radius: 6px; cursor: pointer;
    border: 1px solid var(--border); background: var(--surface); color: var(--fg);
  }
  button:hover { border-color: var(--accent); }
  input[type='search'], input[type='text'] {
    font: inherit; font-size: 12px; padding: 4px 8px; border-radius: 6px;
    border: 1px solid var(--border); background: var(--surface); color: var(--fg);
  }
  /* On paper (the presentation view saved as PDF) a button does nothing: leave them off. */
  @media print { button { display: none !important; } }
`;
