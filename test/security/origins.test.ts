import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createHarness } from '../server/harness.ts';

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
