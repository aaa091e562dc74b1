import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { apiCors } from '../../../server/http/cors.ts';

// apiCors answers as Hono's cors() with the API's options did (server/http/cors.ts says why it is
// our own): the same status and CORS headers for every kind of request.
const allowed = (origin: string) => origin === 'https://shop.example';
const appWith = (middleware: ReturnType<typeof apiCors>) => {
  const app = new Hono();
  app.use('/api/*', middleware);
  app.get('/api/session', (c) => c.json({ signedIn: false }));
  app.post('/api/codes', (c) => c.json({ error: { code: 'rate_limited' } }, 429, { 'Retry-After': '30' }));
  return app;
};
const ours = appWith(apiCors(allowed));
const honoCors = cors({ origin: (o) => (allowed(o) ? o : null), credentials: true, allowMethods: ['GET', 'POST'], allowHeaders: ['Content-Type'], exposeHeaders: ['Retry-After'], maxAge: 600 });
// As the app used it: a request without an Origin is not CORS, and skipped it.
const hono = appWith((c, next) => (c.req.header('origin') ? honoCors(c, next) : next()));
const CORS_HEADERS = /^(access-control-|vary$|content-type$|content-length$|retry-after$)/;
const answer = async (app: Hono, method: string, path: string, headers: Record<string, string>) => {
  const res = await app.request(`http://login.example${path}`, { method, headers });
  return { status: res.status, headers: [...res.headers].filter(([name]) => CORS_HEADERS.test(name)).sort(), body: await res.text() };
};

for (const [what, method, path, headers] of [
  ['a page on an allowed site, GET', 'GET', '/api/session', { origin: 'https://shop.example' }],
  ['a page on an allowed site, POST', 'POST', '/api/codes', { origin: 'https://shop.example', 'content-type': 'application/json' }],
  ['a page on another site, POST', 'POST', '/api/codes', { origin: 'https://evil.example', 'content-type': 'application/json' }],
  ['no Origin', 'GET', '/api/session', {}],
  ['a preflight from an allowed site', 'OPTIONS', '/api/codes', { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' }],
  ['a preflight from another site', 'OPTIONS', '/api/codes', { origin: 'https://evil.example', 'access-control-request-method': 'POST' }],
] as const) {
  test(`CORS: ${what} is answered as Hono's cors() answers it`, async () => {
    assert.deepEqual(await answer(ours, method, path, headers), await answer(hono, method, path, headers));
  });
}
