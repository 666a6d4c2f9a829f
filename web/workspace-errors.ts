// What a workspace's pages (the notebook, the presentation) say when they cannot read it, or
// when its event stream ends: one wording, and a signed-out visitor sent to log in.
import { ApiError } from './api.ts';
import { navigate } from './router.ts';

/** Sends a signed-out visitor to log in, and back to this page after. */
export function toLogin(): void {
  navigate(`/login?next=${encodeURIComponent(location.pathname)}`, { replace: true });
}

/** The words for a failed load of `what` (the workspace); undefined once a signed-out visitor was sent to log in. */
export function loadFailure(err: unknown, what: string): string | undefined {
  if (err instanceof ApiError && err.status === 401) {
    toLogin();
    return undefined;
  }
  return err instanceof ApiError && err.status === 404
    ? 'This workspace does not exist, or you have no access to it.'
    : `Could not load ${what}: ${err instanceof Error ? err.message : String(err)}`;
}

/**
 * A stream that closed for good: signed out, to log in; a revoked or expired link (403, 404),
 * the words that say so, so the page does not show a stale workspace as live.
 */
export function streamEnded(detail: { status?: number } | undefined): string | undefined {
  if (detail?.status === 401) toLogin();
  else if (detail?.status === 403 || detail?.status === 404) return 'Your access to this workspace has ended (the link was revoked or expired, or the workspace was deleted).';
  return undefined;
}
