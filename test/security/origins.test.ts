import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { serve } from '@hono/node-server';
import type { OutgoingMessage, Sender } from '../../server/delivery/messages.ts';
import { createHarness, type Harness } from '../server/harness.ts';

const EVIL = 'https://evil.test';

describe('requests from other sites (SECURITY-PLAN 39, 40)', () => {
  test('40: a form posted from another site is refused with forbidden_origin, and nothing is sent', async () => {
    const h = createHarness();
    const res = await h.post('/api/codes', 'email=jo%40example.com', {
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: EVIL, 'sec-fetch-site': 'cross-site' },
    });
    assert.deepEqual([res.status, (await res.json()).error.code], [403, 'forbidden_origin']);
    await h.queue.idle();
    assert.equal(h.outbox.list().length, 0);
  });

  test('40: a JSON request from a foreign Origin is refused too, not left to the CORS preflight', async () => {
    const h = createHarness();
    const res = await h.post('/api/codes', { email: 'jo@example.com' }, { headers: { origin: EVIL, 'sec-fetch-site': 'cross-site' } });
    assert.deepEqual([res.status, (await res.json()).error.code], [403, 'forbidden_origin']);
    await h.queue.idle();
    assert.equal(h.outbox.list().length, 0);
  });

  test('40: a request with no Origin is refused on every state-changing endpoint, with a sentence for a backend', async () => {
    const h = createHarness({ env: { ADMIN_EMAILS: 'boss@example.com' } });
    const { cookie } = await h.signIn({ email: 'boss@example.com' });
    const noOrigin = { cookie, headers: { origin: '' } };
    for (const [path, body] of [
      ['/api/codes', { email: 'jo@example.com' }],
      ['/api/codes/verify', { email: 'jo@example.com', code: '123456' }],
      ['/api/session/sign-out', {}],
      ['/api/links/redeem', { token: 'x' }],
      ['/api/admin/contacts', { email: 'new@example.com' }],
    ] as const) {
      const res = await h.post(path, body, noOrigin);
      const { error } = await res.json();
      assert.deepEqual([res.status, error.code], [403, 'forbidden_origin'], path);
      assert.match(error.message, /a backend must send its site’s origin, such as Origin: https:\/\/www\.example\.com/);
    }
    assert.equal((await (await h.get('/api/session', { cookie })).json()).signedIn, true, 'still signed in');
    assert.equal(await h.contacts.findByIdentifier({ kind: 'email', value: 'new@example.com' }), undefined);
  });

  test('40: a body a page could post without a preflight (form, text/plain, none) is refused even from the site itself', async () => {
    const h = createHarness();
    const { cookie } = await h.signIn({ email: 'jo@example.com' });
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '']) {
      const res = await h.post('/api/session/sign-out', '', { cookie, headers: { 'content-type': type } });
      assert.deepEqual([res.status, (await res.json()).error.code], [415, 'unsupported_media_type'], type || '(no content type)');
    }
    assert.equal((await (await h.get('/api/session', { cookie })).json()).signedIn, true);
    assert.equal((await h.post('/api/session/sign-out', {}, { cookie })).status, 200, 'JSON from the page itself works');
  });

  test('40: an embedding site in ALLOWED_ORIGINS may post cross-site; another site may not, whatever Sec-Fetch-Site says', async () => {
    const h = createHarness({ env: { ALLOWED_ORIGINS: 'https://www.acme.test' } });
    const allowed = await h.post('/api/codes', { email: 'jo@example.com' }, { headers: { origin: 'https://www.acme.test', 'sec-fetch-site': 'cross-site' } });
    assert.equal(allowed.status, 202);
    const lying = await h.post('/api/codes', { email: 'ann@example.com' }, { headers: { origin: EVIL, 'sec-fetch-site': 'same-origin' } });
    assert.equal(lying.status, 403);
  });

  test('40: GET never changes state: no code is sent, nobody is signed out, no link is used', async () => {
    const h = createHarness({ env: { ADMIN_EMAILS: 'boss@example.com' } });
    const admin = await h.signIn({ email: 'boss@example.com' });
    const ann = await h.contacts.create({ email: 'ann@example.com' });
    await h.post(`/api/admin/contacts/${ann.id}/sign-in-link`, {}, { cookie: admin.cookie });
    await h.queue.idle();
    const token = h.outbox.list('ann@example.com')[0]!.text.match(/t=([\w-]+)/)![1]!;
    for (let i = 0; i < 3; i++) assert.equal((await h.get(`/signin/link?t=${token}`)).status, 200, 'a mail scanner opens the link');
    assert.equal((await h.post('/api/links/redeem', { token })).status, 200, 'and the link still works once');
    const { cookie } = await h.signIn({ email: 'jo@example.com' });
    for (const path of ['/api/codes?email=jo%40example.com', '/api/codes/verify?email=jo%40example.com&code=123456', '/api/session/sign-out', '/api/links/redeem']) {
      const res = await h.get(path, { cookie });
      assert.ok(res.status === 404 || res.status === 405, `${path} answered ${res.status}`);
    }
    await h.queue.idle();
    assert.equal(h.outbox.list('jo@example.com').length, 1, 'only the sign-in code');
    assert.equal((await (await h.get('/api/session', { cookie })).json()).signedIn, true);
  });

  test('39: CORS allows credentials only for ALLOWED_ORIGINS, never with *, and always varies by Origin', async () => {
    const h = createHarness({ env: { ALLOWED_ORIGINS: 'https://www.acme.test' } });
    const allowed = await h.get('/api/session', { headers: { origin: 'https://www.acme.test' } });
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://www.acme.test');
    assert.equal(allowed.headers.get('access-control-allow-credentials'), 'true');
    assert.match(allowed.headers.get('vary') ?? '', /Origin/);
    for (const origin of [EVIL, 'null', '*']) {
      const other = await h.get('/api/session', { headers: { origin } });
      assert.equal(other.headers.get('access-control-allow-origin'), null, origin);
      assert.match(other.headers.get('vary') ?? '', /Origin/);
    }
    // Vary: Origin on answers to requests with no Origin too, so a cache never serves one to a page that sends one.
    assert.match((await h.get('/api/session', { headers: { origin: '' } })).headers.get('vary') ?? '', /Origin/);
    assert.match((await h.post('/api/codes', { email: 'jo@example.com' }, { headers: { origin: '' } })).headers.get('vary') ?? '', /Origin/);
    const preflight = await h.app.request('http://localhost:3000/api/codes', {
      method: 'OPTIONS',
      headers: { origin: EVIL, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(preflight.headers.get('access-control-allow-origin'), null, 'a preflight from another site is not allowed either');
  });
});

/** A request whose URL (what the Host header names) and Origin the test chooses, from a socket at `localPort`. */
const asHost = (h: Harness, url: string, origin: string, localPort?: number) =>
  h.app.request(
    url,
    { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify({ phone: '+14155550123' }) },
    { incoming: { socket: { remoteAddress: '203.0.113.7', ...(localPort !== undefined && { localPort }) } } },
  );

describe('a forged Host never makes an origin allowed (SECURITY-PLAN 29, 39)', () => {
  const refused = async (h: Harness, res: Response, sentBefore = 0) => {
    assert.deepEqual([res.status, (await res.json()).error.code], [403, 'forbidden_origin']);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    await h.queue.idle();
    assert.equal(h.outbox.list().length, sentBefore, 'nothing was sent');
  };

  test('without PUBLIC_URL: Host: evil.example with Origin: http://evil.example is refused, and no text ends with @evil.example', async () => {
    const h = createHarness();
    await refused(h, await asHost(h, 'http://evil.example/api/codes', 'http://evil.example'));
    // Another port of this machine is another site's page, whatever the Host says.
    await refused(h, await asHost(h, 'http://localhost:4000/api/codes', 'http://localhost:4000'));
  });

  test('with PUBLIC_URL: a forged Host is refused too; so is its origin in production with ALLOWED_ORIGINS only', async () => {
    const h = createHarness({ env: { PUBLIC_URL: 'https://login.acme.test' } });
    await refused(h, await asHost(h, 'https://evil.example/api/codes', 'https://evil.example'));
    // Production has no outbox: a provider that keeps what it is handed shows nothing was sent.
    const sent: OutgoingMessage[] = [];
    const provider: Sender = { provider: 'fake', send: async (m) => (sent.push(m), { provider: 'fake', providerMessageId: m.deliveryId }) };
    const prod = createHarness({ env: { NODE_ENV: 'production', ALLOWED_ORIGINS: 'https://www.acme.test' }, sender: provider });
    await refused(prod, await asHost(prod, 'http://localhost:3000/api/codes', 'http://localhost:3000'));
    assert.equal(sent.length, 0);
    assert.equal((await asHost(prod, 'http://127.0.0.1:3000/api/codes', 'https://www.acme.test')).status, 202);
    await prod.queue.idle();
    assert.match(sent[0]?.text ?? '', /@www\.acme\.test #\d{6}$/);
  });

  test('development without PUBLIC_URL: the pages at localhost, 127.0.0.1 and [::1] on the listening port work, and the text names the page’s host', async () => {
    const h = createHarness();
    for (const host of ['localhost', '127.0.0.1', '[::1]']) {
      const origin = `http://${host}:3000`;
      const res = await asHost(h, `${origin}/api/codes`, origin);
      assert.equal(res.status, 202, origin);
      assert.equal(res.headers.get('access-control-allow-origin'), origin);
      h.clock.advance(31_000);
    }
    await h.queue.idle();
    assert.deepEqual(h.outbox.list().map((m) => m.text.split('\n').at(-1)!.replace(/\d{6}/, 'CODE')), ['@[::1] #CODE', '@127.0.0.1 #CODE', '@localhost #CODE']);
    // A server listening on another port than PORT (a mounted app, PORT=0): the socket's port counts.
    h.clock.advance(31_000);
    assert.equal((await asHost(h, 'http://localhost:8080/api/codes', 'http://localhost:8080', 8080)).status, 202);
    await refused(h, await asHost(h, 'http://localhost:3000/api/codes', 'http://localhost:3000', 8080), 4);
  });

  test('development with a localhost PUBLIC_URL: its 127.0.0.1 and [::1] forms work too', async () => {
    const h = createHarness({ env: { PUBLIC_URL: 'http://localhost:3000' } });
    for (const origin of ['http://127.0.0.1:3000', 'http://[::1]:3000']) {
      assert.equal((await asHost(h, `${origin}/api/codes`, origin)).status, 202, origin);
      h.clock.advance(31_000);
    }
  });

  test('over a real socket: Host: evil.example is refused; the page at 127.0.0.1 on the listening port is served', async () => {
    const h = createHarness({ env: { PORT: '0' } });
    const server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' });
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    // fetch() would not send another Host; node:http sends what it is given, as any client can.
    const post = (host: string, origin: string) =>
      new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
        const body = JSON.stringify({ phone: '+14155550123' });
        const req = request({ port, host: '127.0.0.1', path: '/api/codes', method: 'POST', headers: { host, origin, 'content-type': 'application/json' } }, (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk)).on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
        });
        req.on('error', reject).end(body);
      });
    try {
      const forged = await post('evil.example', 'http://evil.example');
      assert.deepEqual([forged.status, JSON.parse(forged.body).error.code, forged.headers['access-control-allow-origin']], [403, 'forbidden_origin', undefined]);
      await h.queue.idle();
      assert.equal(h.outbox.list().length, 0);
      const own = `http://127.0.0.1:${port}`;
      const served = await post(`127.0.0.1:${port}`, own);
      assert.deepEqual([served.status, served.headers['access-control-allow-origin']], [202, own]);
    } finally {
      server.close();
    }
  });
});
