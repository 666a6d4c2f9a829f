// Where a note's links and images may go: the run's renderer (markdown.ts) and the page's
// second lock (view-sanitize.ts) hold them to the same rule. No markdown-it, no DOM.

const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/**
 * Links and images go to http(s), mailto, or a place without a scheme (a path, `#part`):
 * never `javascript:`, `data:`, `vbscript:` or `file:`. markdown-it has decoded entities and
 * percent-encoded the rest before this sees the URL. Browsers drop tabs and newlines in a
 * scheme, so they are dropped here first; and any colon before the first / ? or # is read as
 * ending a scheme, so `java%09script:` is refused too rather than judged a path.
 */
export function safeUrl(url: string): boolean {
  const bare = url.replace(/[\u0000-\u0020\u007f]/g, '').toLowerCase();
  const colon = bare.indexOf(':');
  const pathStart = bare.search(/[/?#]/);
  if (colon === -1 || (pathStart !== -1 && pathStart < colon)) return true;
  return SAFE_SCHEMES.has(bare.slice(0, colon + 1));
}
