import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createServer, request as httpRequest, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { createPageLoads } from '../../../server/http/page-load.ts';
import type { Logger } from '../../../server/log.ts';
import { manualClock } from '../../../server/clock.ts';
import { cryptoRandom } from '../../../server/random.ts';
import { StorageUnavailable } from '../../../server/store/index.ts';
import { createSqliteStorage, openDatabase } from '../../../server/store/sqlite/index.ts';
import { createHarness } from '../harness.ts';

// The session check a page load makes is answered before Hono on a server serving the app at its
// root (server/http/page-load.ts). It must answer exactly as the Hono route does: the same status,
// headers, cookies, body and log line, for every kind of browser. Two servers share one harness
// (one storage, one clock): one with the page-load path, one with Hono alone.

interface Answer { status: number; headers: string[]; body: string }
type Side = { port: number; lines: string[]; fellBack: number };

/** The same request over a real socket; `headers` may name this server's port. A list is sent as that many lines. */
function ask(side: Side, path: string, headers: (port: number) => Record<string, string | string[]>, method = 'GET'): Promise<Answer> {
  const lines = Object.entries(headers(side.port)).flatMap(([name, value]) => [value].flat().flatMap((v) => [name, v]));
  return new Promise((done, fail) => {
    const req = httpRequest({ host: '127.0.0.1', port: side.port, path, method, headers: ['Host', `127.0.0.1:${side.port}`, ...lines] }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (part: string) => (body += part)).on('end', () => {
        const headers: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) headers.push(`${res.rawHeaders[i]!.toLowerCase()}: ${res.rawHeaders[i + 1]}`);
        done({ status: res.statusCode!, headers, body });
      });
    });
    req.on('error', fail).end();
  });
}

/** What may differ between two answers: the date, the request id, and the values named in `vary` (a device's id and token). */
function comparable({ status, headers, body }: Answer, vary: Record<string, string> = {}) {
  const plain = (text: string) => Object.entries(vary).reduce((t, [value, name]) => t.replaceAll(value, name), text);
  return {
    status,
    headers: headers
      .filter((h) => !/^(date|connection|keep-alive): /.test(h))
      .map((h) => plain(h.replace(/^x-request-id: [0-9a-f-]{36}$/, 'x-request-id: (id)')))
      .sort(),
    body: plain(body),
  };
}

for (const [setting, env] of [
  ['PUBLIC_URL on localhost, another site allowed', { PUBLIC_URL: 'http://localhost:3000', ALLOWED_ORIGINS: 'https://shop.example' }],
  ['PUBLIC_URL over https (HSTS, __Host- cookies)', { PUBLIC_URL: 'https://login.example.com', ALLOWED_ORIGINS: 'https://shop.example' }],
  ['no PUBLIC_URL (its own origin from the socket)', {}],
] as const) {
  describe(`the page-load session check answers as the Hono route, ${setting}`, () => {
    const logged: string[] = [];
    const log: Logger = { info: (m) => logged.push(m), warn: (m) => logged.push(m), error: (m) => logged.push(m) };
    const h = createHarness({ env, log });
    const hono = getRequestListener(h.app.fetch);
    const fast: Side = { port: 0, lines: [], fellBack: 0 };
    const plain: Side = { port: 0, lines: [], fellBack: 0 };
    const servers: Server[] = [];
    // Without PUBLIC_URL the server is the localhost form the request named: 127.0.0.1 here.
    const own = (port: number) => env.PUBLIC_URL ?? `http://127.0.0.1:${port}`;
    const hostCookies = env.PUBLIC_URL !== 'http://localhost:3000' && env.PUBLIC_URL !== undefined;
    const device = (token: string, crossSite = false) => `${crossSite || hostCookies ? '__Host-' : ''}otp-device=${token}`;

    before(async () => {
      const pageLoads = createPageLoads({ config: h.config, devices: h.devices, jarOf: h.jarOf, isAllowed: h.isAllowedOrigin, log });
      const listen = async (side: Side, listener: RequestListener) => {
        const server = createServer(listener);
        servers.push(server);
        await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
        side.port = (server.address() as AddressInfo).port;
      };
      await listen(fast, pageLoads((req, res) => (fast.fellBack++, hono(req, res))));
      await listen(plain, hono);
      // secureHeaders() says its headers a moment after start.
      await new Promise((r) => setTimeout(r, 10));
    });
    after(() => servers.forEach((s) => s.close()));

    /** Asks both servers; the answers and their log lines must be the same. */
    async function same(path: string, headers: (port: number) => Record<string, string | string[]>, { expectFallback = false, vary = [{}, {}] as Record<string, string>[] } = {}) {
      const before = fast.fellBack;
      logged.length = 0;
      const a = await ask(fast, path, headers);
      await new Promise((r) => setTimeout(r, 5));
      const aLines = logged.splice(0);
      const b = await ask(plain, path, headers);
      await new Promise((r) => setTimeout(r, 5));
      const bLines = logged.splice(0);
      assert.deepEqual(comparable(a, { [fast.port]: '(port)', ...vary[0] }), comparable(b, { [plain.port]: '(port)', ...vary[1] }));
      // An error's line without its stack, which says where each path met it.
      const line = (l: string) => l.split('\n')[0]!.replace(/^[0-9a-f-]{36} /, '(id) ').replace(/ \d+\.\dms$/, ' (ms)');
      assert.deepEqual(aLines.map(line), bLines.map(line));
      assert.equal(fast.fellBack - before, expectFallback ? 1 : 0, expectFallback ? 'Hono answers this one' : 'the page-load path answers this one');
      return a;
    }

    /** Signs in at the server's own page; the device token from its cookie. */
    async function signedIn(email: string) {
      const { res } = await h.signIn({ email });
      const token = /otp-device=([^;]+)/.exec(res.headers.getSetCookie().join('\n'))![1]!;
      const { device, contact } = (await res.json()) as { device: { id: string }; contact: { id: string } };
      return { token, id: device.id, contactId: contact.id };
    }

    test('no cookie, and no Origin (a same-origin page)', async () => {
      const a = await same('/api/session', () => ({}));
      assert.equal(JSON.parse(a.body).reason, 'no_cookie');
    });

    test('no cookie, but this browser signed out here before', async () => {
      const a = await same('/api/session', (port) => ({ origin: own(port), cookie: `${hostCookies ? '__Host-' : ''}otp-signed-out=1` }));
      assert.equal(JSON.parse(a.body).reason, 'signed_out');
    });

    test('a cookie no device has', async () => {
      await same('/api/session', (port) => ({ origin: own(port), cookie: device('no-such-token') }));
    });

    test('signed in, from its own page and from an allowed other site (crossSite)', async () => {
      const { token } = await signedIn('same@example.com');
      const a = await same('/api/session', (port) => ({ origin: own(port), cookie: `theme=dark; ${device(token)}` }));
      assert.equal(JSON.parse(a.body).signedIn, true);
      const b = await same('/api/session', () => ({ origin: 'https://shop.example', cookie: device(token, true) }));
      if (env.ALLOWED_ORIGINS) assert.equal(JSON.parse(b.body).crossSite, true);
    });

    test('a page the server does not serve, Origin: null, and two Cookie lines', async () => {
      const { token } = await signedIn('odd@example.com');
      await same('/api/session', () => ({ origin: 'https://evil.example', cookie: device(token) }));
      await same('/api/session', () => ({ origin: 'null', cookie: device(token) }));
      await same('/api/session', (port) => ({ origin: own(port), cookie: ['theme=dark', device(token)] }));
    });

    test('a remembered browser due a refresh gets its cookie again, with the new expiry', async () => {
      // Two browsers in the same state, one for each server: the first check slides its expiry.
      const one = await signedIn('slide1@example.com');
      const two = await signedIn('slide2@example.com');
      h.clock.advance(2 * 60 * 60 * 1000);
      const a = await same('/api/session', (port) => ({ origin: own(port), cookie: device(port === fast.port ? one.token : two.token) }), {
        vary: [one, two].map(({ token, id, contactId }, i) => ({ [token]: '(token)', [id]: '(device)', [contactId]: '(contact)', [`slide${i + 1}`]: 'slide' })),
      });
      assert.ok(a.headers.some((h) => h.startsWith('set-cookie: ') && h.includes('otp-device=')), 'the cookie is set again');
    });

    test('a browser that signed out', async () => {
      const { token } = await signedIn('out@example.com');
      const out = await h.post('/api/session/sign-out', undefined, { cookie: device(token), headers: { origin: h.config.publicUrl?.origin ?? 'http://localhost:3000' } });
      assert.equal(out.status, 200);
      const a = await same('/api/session', (port) => ({ origin: own(port), cookie: device(token) }));
      assert.equal(JSON.parse(a.body).reason, 'signed_out');
    });

    test('what it does not answer goes to Hono: an identity token asked for, a HEAD, a query', async () => {
      const { token } = await signedIn('token@example.com');
      await same('/api/session?x=1', (port) => ({ origin: own(port), cookie: device(token) }), { expectFallback: true });
      const before = fast.fellBack;
      const a = await ask(fast, '/api/session?token=1', (port) => ({ origin: own(port), cookie: device(token) }));
      assert.equal(typeof JSON.parse(a.body).token, 'string');
      await ask(fast, '/api/session', () => ({}), 'HEAD');
      assert.equal(fast.fellBack - before, 2);
    });

    test('the storage failing: Hono answers, as it would have', async () => {
      const { token } = await signedIn('down@example.com');
      h.storage.close();
      await same('/api/session', (port) => ({ origin: own(port), cookie: `otp-device=x${token}; __Host-otp-device=x${token}` }), { expectFallback: true });
    });
  });
}

describe('the page-load session check while the storage is down', () => {
  // A storage whose device lookup fails as a database that went away does: after a wait, with
  // StorageUnavailable. The route answers 503 service_unavailable; the page-load path must give the
  // same answer without asking the storage a second time (R11: that answer within 2 s).
  const clock = manualClock();
  const storage = createSqliteStorage(openDatabase(':memory:'), clock, cryptoRandom);
  let lookups = 0;
  storage.devices = {
    ...storage.devices,
    findByTokenHash: async () => {
      lookups++;
      await new Promise((r) => setTimeout(r, 20));
      throw new StorageUnavailable('The database', 'connection lost');
    },
  };
  const h = createHarness({ engine: { storage, clock } });
  const hono = getRequestListener(h.app.fetch);
  const fast: Side = { port: 0, lines: [], fellBack: 0 };
  const plain: Side = { port: 0, lines: [], fellBack: 0 };
  const servers: Server[] = [];
  before(async () => {
    const pageLoads = createPageLoads({ config: h.config, devices: h.devices, jarOf: h.jarOf, isAllowed: h.isAllowedOrigin, log: h.log });
    for (const [side, listener] of [[fast, pageLoads((req, res) => (fast.fellBack++, hono(req, res)))], [plain, hono]] as const) {
      const server = createServer(listener);
      servers.push(server);
      await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
      side.port = (server.address() as AddressInfo).port;
    }
    await new Promise((r) => setTimeout(r, 10));
  });
  after(() => servers.forEach((s) => s.close()));

  test('503 service_unavailable, as the route answers it, after one lookup', async () => {
    const headers = () => ({ cookie: 'otp-device=some-token' });
    lookups = 0;
    const a = await ask(fast, '/api/session', headers);
    assert.equal(lookups, 1, 'the storage is asked once');
    assert.equal(fast.fellBack, 1);
    lookups = 0;
    const b = await ask(plain, '/api/session', headers);
    assert.equal(lookups, 1);
    assert.equal(a.status, 503);
    assert.equal(JSON.parse(a.body).error.code, 'service_unavailable');
    assert.deepEqual(comparable(a, { [fast.port]: '(port)' }), comparable(b, { [plain.port]: '(port)' }));
  });
});
