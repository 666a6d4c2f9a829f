// A note's Markdown: CommonMark with GFM tables (markdown-it) and task lists, raw HTML off, links
// only to safe places, and live values (`${covid.rows}`, `$min_cases`) as tokens of their own.
// A value is put in after parsing, as escaped text inside its token: a value from a CSV can
// never become markup, Markdown or HTML. Server side only (the run renders; the page shows).
import markdownIt, { type Env, type MarkdownIt, type StateCore, type StateInline, type Token } from 'markdown-it';
import { parseReference, type Reference } from './reference.ts';
import { safeUrl } from './safe-url.ts';

export interface Found {
  reference: Reference;
  /** As written: `${covid.rows}`, `$min_cases`. */
  source: string;
  /** Written `$name`: an input cell's value (KindFace.params), not a path. */
  shorthand: boolean;
  /** The note's own line (1-based) where the value is written. */
  line: number;
}

export interface Problem {
  /** What was written: `${covid.}`. */
  source: string;
  message: string;
  line: number;
}

/** What parsing gathers: the references, and what could not be read as one. */
interface NoteEnv extends Env {
  found: Found[];
  problems: Problem[];
  /** Each reference's display text, by its source; set before rendering. */
  shown?: Map<string, string>;
}

/**
 * `${…}` or `$name` at the state's position: a live_value token; what cannot be read as a
 * reference is a live_problem token (its text kept), reported with its line by collect.
 */
function liveValue(state: StateInline, silent: boolean): boolean {
  const { src, pos } = state;
  if (src.charCodeAt(pos) !== 0x24 /* $ */) return false;
  // `$$` is a literal `$`, as in every other kind's text (cells/shared/params.ts).
  if (src[pos + 1] === '$') {
    if (!silent) state.pending += '$';
    state.pos += 2;
    return true;
  }
  let source: string;
  let parsed: Reference | string;
  if (src[pos + 1] === '{') {
    const close = src.indexOf('}', pos + 2);
    const lineEnd = src.indexOf('\n', pos);
    if (close === -1 || (lineEnd !== -1 && lineEnd < close)) {
      source = src.slice(pos, lineEnd === -1 ? undefined : lineEnd);
      parsed = '"${" is never closed by "}" on its line (write \\${ for a literal "${")';
    } else {
      source = src.slice(pos, close + 1);
      parsed = parseReference(src.slice(pos + 2, close));
    }
  } else {
    // `$name`: not after a letter or digit (US$5, a$b stay text), and a name must follow.
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(pos + 1))?.[0];
    if (!name || (pos > 0 && /[A-Za-z0-9_]/.test(src[pos - 1]!))) return false;
    source = `$${name}`;
    parsed = { cell: name, path: ['value'] };
  }
  if (!silent) {
    const token = state.push(typeof parsed === 'string' ? 'live_problem' : 'live_value', 'span', 0);
    token.content = source;
    token.meta = { reference: parsed, offset: pos };
  }
  state.pos += source.length;
  return true;
}

const countLines = (text: string, upTo: number) => text.slice(0, upTo).split('\n').length - 1;

/** Where each reference (and problem) sits: its block's first line plus the lines before it within the block. */
function collect(state: StateCore): void {
  const env = state.env as NoteEnv;
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    const first = (block.map?.[0] ?? 0) + 1;
    for (const child of block.children) {
      if (child.type !== 'live_value' && child.type !== 'live_problem') continue;
      const meta = child.meta as { reference: Reference | string; offset: number };
      const line = first + countLines(block.content, meta.offset);
      if (typeof meta.reference === 'string') env.problems.push({ source: child.content, message: meta.reference, line });
      else env.found.push({ reference: meta.reference, source: child.content, line, shorthand: !child.content.startsWith('${') });
    }
  }
}

/** `[ ]` / `[x]` opening a list item's text: a disabled checkbox (GFM task lists), in a few lines. */
function taskLists(state: StateCore): void {
  const tokens = state.tokens;
  for (let i = 2; i < tokens.length; i++) {
    const inline = tokens[i]!;
    if (inline.type !== 'inline' || tokens[i - 1]!.type !== 'paragraph_open' || tokens[i - 2]!.type !== 'list_item_open') continue;
    const first = inline.children?.[0];
    const mark = first?.type === 'text' ? /^\[([ xX])\][ \t]/.exec(first.content) : null;
    if (!first || !mark) continue;
    first.content = first.content.slice(mark[0].length);
    const box = new state.Token('task_checkbox', 'input', 0);
    box.meta = { checked: mark[1] !== ' ' };
    inline.children!.unshift(box);
    tokens[i - 2]!.attrJoin('class', 'task-list-item');
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function makeRenderer(): MarkdownIt {
  // html: false: `<script>`, `<img onerror>` and every other tag in the text stay text.
  const md = markdownIt('commonmark', { html: false, linkify: false, typographer: false }).enable(['table', 'strikethrough']);
  md.validateLink = safeUrl;
  md.inline.ruler.before('escape', 'live_value', liveValue);
  md.core.ruler.after('inline', 'task_lists', taskLists);
  md.core.ruler.push('live_value_lines', collect);
  md.renderer.rules.live_value = (tokens, idx, _options, env) => {
    const source = tokens[idx]!.content;
    const shown = (env as NoteEnv).shown?.get(source) ?? source;
    return `<span class="live" title="${escapeHtml(source)}">${escapeHtml(shown)}</span>`;
  };
  md.renderer.rules.live_problem = (tokens, idx) => escapeHtml(tokens[idx]!.content);
  md.renderer.rules.task_checkbox = (tokens, idx) =>
    `<input type="checkbox" disabled${(tokens[idx]!.meta as { checked: boolean }).checked ? ' checked' : ''}> `;
  const link = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    tokens[idx]!.attrSet('rel', 'noopener noreferrer nofollow');
    return link(tokens, idx, options, env, self);
  };
  return md;
}

const md = makeRenderer();

/** The references a note's text makes (outside code), each with its line, and the `${…}` that could not be read. */
export function scan(text: string): { found: Found[]; problems: Problem[] } {
  const env: NoteEnv = { found: [], problems: [] };
  md.parse(text, env);
  return { found: env.found, problems: env.problems };
}

/** The note as HTML, each reference shown as `shown` says (by its source, `${covid.rows}`). */
export function render(text: string, shown: Map<string, string>): string {
  const env: NoteEnv = { found: [], problems: [], shown };
  return md.render(text, env);
}

/** The note's first line of prose (its heading, usually), values shown: the CLI's and the history's summary. */
export function firstLine(text: string, shown: Map<string, string>): string {
  const env: NoteEnv = { found: [], problems: [], shown };
  const inline = md.parse(text, env).find((t: Token) => t.type === 'inline');
  if (!inline?.children) return '';
  const words = inline.children.map((c: Token) => (c.type === 'live_value' ? shown.get(c.content) ?? c.content : c.type === 'softbreak' ? ' ' : c.content));
  return words.join('').trim();
}
