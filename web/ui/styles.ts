import { css } from 'lit';

/** Buttons, inputs and links inside a component's shadow root (the page stylesheet does not reach there). */
export const controlStyles = css`
  :host { color: var(--fg); }
  a { color: var(--link); }
  button, .button {
    font: inherit; font-size: 13px; line-height: 1.2; padding: 6px 12px; border-radius: 6px; cursor: pointer;
    border: 1px solid var(--border-strong); background: var(--surface); color: var(--fg); display: inline-block;
  }
  button:hover:not(:disabled), .button:hover { border-color: var(--accent); }
  button:disabled { opacity: .55; cursor: default; }
  button.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-fg); }
  button.primary:hover:not(:disabled) { filter: brightness(1.08); }
  button.ghost { border-color: transparent; background: transparent; color: var(--muted); }
  button.ghost:hover:not(:disabled) { color: var(--fg); border-color: var(--border); }
  button.danger:hover:not(:disabled) { color: var(--error-fg); border-color: var(--error-border); }
  input, select {
    font: inherit; font-size: 14px; padding: 7px 10px; border-radius: 6px; min-width: 0;
    border: 1px solid var(--border-strong); background: var(--surface); color: var(--fg);
  }
  input:focus-visible, select:focus-visible, button:focus-visible {
    outline: none; border-color: var(--accent); box-shadow: 0 0 0 2px var(--focus-ring);
  }
  .muted { color: var(--muted); }
  .error-text { color: var(--error-fg); }
`;
