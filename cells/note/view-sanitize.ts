// The note's HTML as DOM, held to what markdown-it makes with raw HTML off: a second lock behind
// the run's renderer (cells/note/markdown.ts), so HTML in a result that did not come from it
// (an old result, a bug) still cannot run script.
import { safeUrl } from './safe-url.ts';

const TAGS = new Set([
  'P', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'EM', 'STRONG', 'S', 'DEL', 'CODE', 'PRE', 'BLOCKQUOTE', 'UL', 'OL', 'LI',
  'A', 'IMG', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD', 'HR', 'BR', 'SPAN', 'INPUT',
]);
const ATTRIBUTES: Record<string, Set<string>> = {
  A: new Set(['href', 'title', 'rel']), IMG: new Set(['src', 'alt', 'title']), SPAN: new Set(['class', 'title']),
  LI: new Set(['class']), OL: new Set(['start']), CODE: new Set(['class']), INPUT: new Set(['type', 'checked', 'disabled']),
  TH: new Set(['style']), TD: new Set(['style']),
};

/** Copies `html` into a fragment keeping only the tags and attributes a note makes; anything else is dropped (its text kept). */
export function noteFragment(html: string): DocumentFragment {
  // A parsed document of its own has no window: nothing in it loads or runs while it is checked
  // (Chromium still checks an on* attribute against the page's CSP as it parses, and refuses it).
  const parsed = new DOMParser().parseFromString(`<!doctype html><body>${html}`, 'text/html');
  clean(parsed.body);
  const fragment = document.createDocumentFragment();
  fragment.append(...[...parsed.body.childNodes].map((n) => document.importNode(n, true)));
  return fragment;
}

function clean(parent: ParentNode): void {
  for (const node of [...parent.childNodes]) {
    if (node.nodeType === Node.COMMENT_NODE) { node.remove(); continue; }
    if (node.nodeType !== Node.ELEMENT_NODE) continue;
    const el = node as Element;
    if (!TAGS.has(el.tagName)) {
      // script, style, iframe…: gone with their content; any other element gives way to its text.
      if (/^(SCRIPT|STYLE|IFRAME|OBJECT|EMBED|TEMPLATE|SVG|MATH|NOSCRIPT)$/i.test(el.tagName)) el.remove();
      else el.replaceWith(...cleaned(el));
      continue;
    }
    for (const attr of [...el.attributes]) {
      const allowed = ATTRIBUTES[el.tagName]?.has(attr.name)
        && !((attr.name === 'href' || attr.name === 'src') && !safeUrl(attr.value))
        && !(attr.name === 'style' && !/^text-align:\s*(left|right|center)$/.test(attr.value))
        && !(el.tagName === 'INPUT' && attr.name === 'type' && attr.value !== 'checkbox');
      if (!allowed) el.removeAttribute(attr.name);
    }
    if (el.tagName === 'INPUT') el.setAttribute('disabled', '');
    clean(el);
  }
}

function cleaned(el: Element): Node[] {
  clean(el);
  return [...el.childNodes];
}
