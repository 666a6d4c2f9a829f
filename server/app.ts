import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { identify } from './auth/middleware.ts';
import { authRoutes } from './auth/routes.ts';
import { eventRoutes } from './events/routes.ts';
import type { AppEnv } from './http/env.ts';
import { ApiError, errorBody, handleError } from './http/errors.ts';
import { healthRoutes } from './metrics/health.ts';
import { openApiDocument } from './http/openapi.ts';
import { sameOriginWrites } from './http/same-origin.ts';
import { browserOrigin } from './http/origin.ts';
import type { Services } from './services.ts';
import { sharingRoutes } from './sharing/routes.ts';
import { presentationRoutes } from './presentation/routes.ts';
import { runRoutes } from './runs/routes.ts';
import { deliveryRoutes } from './delivery/routes.ts';
import { tableRoutes } from './tables/routes.ts';
import { downloadRoutes } from './tables/downloads.ts';
import { cellRoutes } from './workspaces/cells.ts';
import { restoreRoutes } from './workspaces/restore.ts';
import { workspaceRoutes } from './workspaces/routes.ts';

export const WEB_DIST = path.join(path.dirname(fileURLToPath(import.meta.url)), '../web/dist');
const JSON_LIMIT = 1024 * 1024;

export function createApp(services: Services): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError(handleError);
  app.use('*', secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
    },
    // A share link's token is in its page's URL: never send it on, not even to this origin.
    referrerPolicy: 'no-referrer',
    crossOriginEmbedderPolicy: false,
    // Set below, only over HTTPS: browsers ignore it over plain HTTP, and it only misleads there.
    strictTransportSecurity: false,
    // A route's own header stands: the HTML report sends a stricter CSP of its own.
    overwrite: false,
  }));
  app.use('*', async (c, next) => {
    c.set('services', services);
    await next();
  });
  app.use('*', async (c, next) => {
    await next();
    if (browserOrigin(c).protocol === 'https:') c.header('Strict-Transport-Security', 'max-age=15552000; includeSubDomains');
  });

  const api = new Hono<AppEnv>();
  api.use('*', sameOriginWrites());
  // Uploads stream to disk with their own limit; every other body is small JSON.
  api.use('*', async (c, next) => {
    if (c.req.path.endsWith('/upload') || (c.req.method === 'POST' && c.req.path.endsWith('/runs'))) return next();
    return bodyLimit({
      maxSize: JSON_LIMIT,
      onError: () => { throw new ApiError(413, 'too_large', `request bodies are limited to ${JSON_LIMIT} bytes`); },
    })(c, next);
  });
  api.route('/', healthRoutes);
  // Public: a script generates its client before it has a token.
  api.get('/openapi.json', (c) => c.json(openApiDocument()));
  api.use('*', identify());
  api.route('/', authRoutes);
  api.route('/', workspaceRoutes);
  api.route('/', cellRoutes);
  api.route('/', restoreRoutes);
  api.route('/', tableRoutes);
  api.route('/', downloadRoutes);
  api.route('/', eventRoutes);
  api.route('/', sharingRoutes);
  api.route('/', runRoutes);
  api.route('/', deliveryRoutes);
  api.route('/', presentationRoutes);
  api.all('*', (c) => c.json(errorBody('not_found', `no API route ${c.req.method} ${c.req.path}`), 404));
  app.route('/api', api);

  // The built notebook UI: hashed assets are immutable; pages always revalidate.
  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable');
  });
  // Made on first use: the UI may be built after the app object exists (tests, dev).
  let assets: MiddlewareHandler | undefined;
  app.use('/assets/*', (c, next) => (assets ??= serveStatic({ root: WEB_DIST }) as unknown as MiddlewareHandler)(c, next));
  const page = (c: Context<AppEnv>) => {
    const index = path.join(WEB_DIST, 'index.html');
    if (!fs.existsSync(index)) return c.text('The web UI is not built: run `npm run build:web`.', 503);
    c.header('Cache-Control', 'no-cache');
    return c.html(fs.readFileSync(index, 'utf8'));
  };
  for (const route of ['/', '/login', '/settings', '/w/:id', '/w/:id/runs', '/w/:id/runs/:runId', '/w/:id/compare', '/w/:id/present', '/s/:token']) app.get(route, page);
  app.get('/favicon.ico', (c) => c.body(null, 204));
  app.notFound((c) => c.json(errorBody('not_found', `nothing at ${c.req.path}`), 404));
  return app;
}
