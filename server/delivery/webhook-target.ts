// Where a webhook may go. A webhook makes this server send a request to an address someone
// typed: without care that reaches what only the server can reach (a cloud's metadata
// service at 169.254.169.254, a database on the private network, the server itself). So a
// webhook is https to a public address, judged by the address actually connected to (the
// lookup below), not by the name: a name that resolves to a private address, now or after
// it was saved (DNS rebinding), is refused on every connection.
// ASSAY_WEBHOOK_ALLOW_PRIVATE=1 lifts both rules (tests, closed networks).
import dns from 'node:dns';
import net from 'node:net';

const PRIVATE = new net.BlockList();
for (const [address, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) PRIVATE.addSubnet(address, prefix, 'ipv4');
for (const [address, prefix] of [
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8],
] as const) PRIVATE.addSubnet(address, prefix, 'ipv6');

/** Whether an IP address is one a public webhook may not reach (private, loopback, link-local, reserved). */
export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return PRIVATE.check(address, 'ipv4');
  if (family !== 6) return true;
  // ::ffff:10.0.0.1 is 10.0.0.1.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? PRIVATE.check(mapped[1]!, 'ipv4') : PRIVATE.check(address, 'ipv6');
}

export class WebhookUrlError extends Error {}

/** A webhook URL as typed, checked: its parsed form, or a WebhookUrlError saying what is wrong. */
export function webhookUrl(text: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new WebhookUrlError(`"url" must be an address like https://hooks.slack.com/services/…, got "${text.slice(0, 100)}"`);
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) {
    throw new WebhookUrlError(`"url" must start with https:// (got ${url.protocol}//)${allowPrivate ? '' : '; plain http is allowed only with ASSAY_WEBHOOK_ALLOW_PRIVATE=1'}`);
  }
  if (url.username || url.password) throw new WebhookUrlError('"url" must not carry a user name or password; put the secret in its path, as Slack does');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && (net.isIP(host) ? isPrivateAddress(host) : /(^|\.)(localhost|local|internal)$/i.test(host))) {
    throw new WebhookUrlError(`"url" points at a private or local address (${host}); webhooks go to public addresses (ASSAY_WEBHOOK_ALLOW_PRIVATE=1 allows others)`);
  }
  return url;
}

/**
 * A dns.lookup for http(s).request that refuses private addresses: the check applies to the
 * address the socket connects to, whatever the name resolved to when the URL was saved.
 */
export function publicOnlyLookup(allowPrivate: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as dns.LookupAddress[];
      const usable = allowPrivate ? list : list.filter((a) => !isPrivateAddress(a.address));
      if (!usable.length) {
        const refused = Object.assign(new Error(`${hostname} resolves to a private or local address (${list.map((a) => a.address).join(', ')}); webhooks go to public addresses`), { code: 'EPRIVATE' });
        return callback(refused, '', 0);
      }
      if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, usable);
      callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
}
