import type { Context } from 'hono';
import type { AppEnv } from './env.ts';

/**
 * What the browser used to reach us. Behind a TLS-terminating proxy the request arrives as
 * plain http to the proxy's address, and only the proxy's X-Forwarded-Proto/-Host say what
 * the browser used. Those headers are anyone's to send, so they count only with
 * ASSAY_TRUST_PROXY=1: otherwise a client could make share URLs point at its own host
 * (`https://evil.example/s/…`) and steer the same-origin check.
 */
export function browserOrigin(c: Context<AppEnv>): { protocol: 'http:' | 'https:'; host: string } {
  const url = new URL(c.req.url);
  const trusted = c.var.services.config.trustProxy;
  const forwardedProto = trusted ? c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() : undefined;
  const forwardedHost = trusted ? c.req.header('x-forwarded-host')?.split(',')[0]?.trim() : undefined;
  const protocol = forwardedProto === 'https' ? 'https:' : forwardedProto === 'http' ? 'http:' : url.protocol === 'https:' ? 'https:' : 'http:';
  return { protocol, host: forwardedHost || c.req.header('host') || url.host };
}

/** `https://host` or `http://host`, as the browser sees this server. */
export function originOf(c: Context<AppEnv>): string {
  const { protocol, host } = browserOrigin(c);
  return `${protocol}//${host}`;
}
