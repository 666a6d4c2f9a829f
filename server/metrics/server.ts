import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { log } from '../log.ts';
import type { Services } from '../services.ts';
import { exposition } from './exposition.ts';

/**
 * `/metrics` on a listen address of its own (METRICS_HOST:METRICS_PORT), in every role, a
 * worker's too: the figures are operational detail for the scraper on a private network, not
 * for the users the app's port serves, so the app's port never answers them.
 */
export async function serveMetrics(services: Services, host: string, port: number): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics here\n');
      return;
    }
    exposition(services).then(
      (text) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(text),
      (err) => {
        log.error('metrics failed', { err: String(err) });
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}/metrics`,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
