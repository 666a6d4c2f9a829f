// What delivered reports reach in the tests: a real SMTP server (smtp-server) that keeps each
// message, parsed as a mail client would (mailparser), and refuses chosen mailboxes; and a
// local HTTP server that keeps each webhook POST.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Mailbox {
  url: string;
  /** Every message accepted, in order. */
  messages: { to: string[]; mail: ParsedMail }[];
  /** How often each address was offered (RCPT TO), accepted or not. */
  offered: Map<string, number>;
  close(): Promise<void>;
}

/** An SMTP server on a free local port; a recipient whose address starts with "bounce" is refused with 550. */
export async function startMailbox(): Promise<Mailbox> {
  const messages: Mailbox['messages'] = [];
  const offered = new Map<string, number>();
  const server = new SMTPServer({
    // Plain SMTP on localhost: no TLS to negotiate, no login.
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const to = address.address.toLowerCase();
      offered.set(to, (offered.get(to) ?? 0) + 1);
      if (to.startsWith('bounce')) return callback(Object.assign(new Error(`mailbox ${to} unavailable`), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream).then((mail) => {
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), mail });
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = (server as unknown as { server: http.Server }).server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, messages, offered, close: () => new Promise((r) => server.close(() => r())) };
}

export interface Receiver {
  url: string;
  /** Every POST received: its path, content type and JSON body. Paths starting /fail answer 500. */
  posts: { path: string; type: string; body: any }[];
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const posts: Receiver['posts'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      posts.push({ path, type: req.headers['content-type'] ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') });
      if (path.startsWith('/fail')) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('receiver is down for maintenance');
      } else {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, posts, close: () => new Promise((r) => server.close(() => r())) };
}
