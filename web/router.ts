// A tiny client router: the server answers index.html for every page path, and the app
// picks the page from location.pathname. Links are plain <a href>; clicks on same-origin
// links are turned into history.pushState (see installLinkInterception).

export type Route =
  | { page: 'login'; next: string }
  | { page: 'home' }
  | { page: 'settings' }
  | { page: 'notebook'; id: string }
  | { page: 'present'; id: string }
  | { page: 'runs'; id: string }
  | { page: 'run'; id: string; runId: string }
  | { page: 'compare'; id: string; a: string; b: string }
  /** `present`: the link opens the presentation view (`/s/<token>?present`), not the notebook. */
  | { page: 'share'; token: string; present: boolean }
  | { page: 'not-found'; path: string };

export const NAVIGATE_EVENT = 'assay:navigate';

export function parseRoute(pathname: string, search: string): Route {
  if (pathname === '/login') return { page: 'login', next: safeNext(new URLSearchParams(search).get('next')) };
  if (pathname === '/' || pathname === '') return { page: 'home' };
  if (pathname === '/settings') return { page: 'settings' };
  const w = /^\/w\/([^/]+)\/?$/.exec(pathname);
  if (w) return { page: 'notebook', id: decodeURIComponent(w[1]!) };
  const present = /^\/w\/([^/]+)\/present\/?$/.exec(pathname);
  if (present) return { page: 'present', id: decodeURIComponent(present[1]!) };
  const runs = /^\/w\/([^/]+)\/(runs|compare)(?:\/([^/]+))?\/?$/.exec(pathname);
  if (runs) {
    const id = decodeURIComponent(runs[1]!);
    if (runs[2] === 'compare' && !runs[3]) {
      const q = new URLSearchParams(search);
      return { page: 'compare', id, a: q.get('a') ?? '', b: q.get('b') ?? '' };
    }
    if (runs[2] === 'runs') return runs[3] ? { page: 'run', id, runId: decodeURIComponent(runs[3]) } : { page: 'runs', id };
  }
  const s = /^\/s\/([^/]+)\/?$/.exec(pathname);
  if (s) return { page: 'share', token: decodeURIComponent(s[1]!), present: new URLSearchParams(search).has('present') };
  return { page: 'not-found', path: pathname };
}

/** Only same-site paths may be a post-login destination (no `//evil.example`, no `javascript:`). */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === location.pathname + location.search) {
    if (!options.replace) window.dispatchEvent(new CustomEvent(NAVIGATE_EVENT));
    return;
  }
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  window.dispatchEvent(new CustomEvent(NAVIGATE_EVENT));
}

/** Same-origin link clicks, even inside shadow roots, navigate without a page load. */
export function installLinkInterception(): void {
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const anchor = e.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
    if (!anchor || !anchor.href || anchor.target || anchor.hasAttribute('download')) return;
    const url = new URL(anchor.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
    e.preventDefault();
    navigate(url.pathname + url.search);
  });
}
