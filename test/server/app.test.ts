import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createHarness } from './harness.ts';

describe('cross-origin requests', () => {
  test('a form posted from another site is refused with forbidden_origin, and nothing is sent', async () => {
    const h = createHarness();
    const res = await h.post('/api/codes', 'email=jo%40example.com', {
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.test', 'sec-fetch-site': 'cross-site' },
    });
    assert.equal(res.status, 403);
    assert.equal((await res.json()).error.code, 'forbidden_origin');
    await h.queue.idle();
    assert.equal(h.outbox.list().length, 0);
  });

  test('a cross-site text/plain sign-out is refused; the same from the page itself works', async () => {
    const h = createHarness();
    const { cookie } = await h.signIn({ email: 'jo@example.com' });
    const forged = await h.post('/api/session/sign-out', '', { cookie, headers: { 'content-type': 'text/plain', origin: 'https://evil.test' } });
    assert.equal(forged.status, 403);
    assert.equal((await (await h.get('/api/session', { cookie })).json()).signedIn, true);
    const own = await h.post('/api/session/sign-out', '', { cookie, headers: { 'content-type': 'text/plain', origin: 'http://localhost:3000' } });
    assert.equal(own.status, 200);
  });

  test('a JSON request from a foreign Origin is refused too, not left to the CORS preflight', async () => {
    const h = createHarness();
    const res = await h.post('/api/codes', { email: 'jo@example.com' }, { headers: { origin: 'https://evil.test' } });
    assert.equal(res.status, 403);
    assert.equal((await res.json()).error.code, 'forbidden_origin');
    await h.queue.idle();
    assert.equal(h.outbox.list().length, 0);
  });

  test('a cross-site request without Origin is refused; one with neither header (curl, a backend) is not', async () => {
    const h = createHarness();
    const crossSite = await h.post('/api/codes', { email: 'jo@example.com' }, { headers: { 'sec-fetch-site': 'cross-site' } });
    assert.equal(crossSite.status, 403);
    assert.equal((await h.post('/api/codes', { email: 'jo@example.com' })).status, 202);
  });

  test('CORS allows credentials only for ALLOWED_ORIGINS, and never with *', async () => {
    const h = createHarness({ env: { ALLOWED_ORIGINS: 'https://www.acme.test' } });
    const allowed = await h.get('/api/session', { headers: { origin: 'https://www.acme.test' } });
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://www.acme.test');
    assert.equal(allowed.headers.get('access-control-allow-credentials'), 'true');
    assert.match(allowed.headers.get('vary') ?? '', /Origin/);
    const other = await h.get('/api/session', { headers: { origin: 'https://evil.test' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });

  test('a form from an allowed origin is accepted', async () => {
    const h = createHarness({ env: { ALLOWED_ORIGINS: 'https://www.acme.test' } });
    const res = await h.post('/api/session/sign-out', '', { headers: { 'content-type': 'text/plain', origin: 'https://www.acme.test' } });
    assert.equal(res.status, 200);
  });
});

describe('headers', () => {
  test('API answers are never cached and carry HSTS and nosniff', async () => {
    const h = createHarness();
    const res = await h.post('/api/codes', { email: 'jo@example.com' });
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.match(res.headers.get('strict-transport-security')!, /max-age=31536000/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  });

  test('refusals are never cached either (403, 413)', async () => {
    const h = createHarness();
    const forged = await h.post('/api/codes', { email: 'jo@example.com' }, { headers: { origin: 'https://evil.test' } });
    const big = await h.post('/api/codes', { email: 'jo@example.com', pad: 'x'.repeat(9000) });
    assert.deepEqual([forged.status, big.status], [403, 413]);
    assert.equal(forged.headers.get('cache-control'), 'no-store');
    assert.equal(big.headers.get('cache-control'), 'no-store');
  });

  test('an unknown path answers not_found in the error shape', async () => {
    const h = createHarness();
    const res = await h.get('/api/nothing-here');
    assert.equal(res.status, 404);
    assert.equal((await res.json()).error.code, 'not_found');
  });
});

/** Requests from this machine, where the development outbox answers. */
const local = { ip: '127.0.0.1' };

describe('development outbox', () => {
  test('lists messages newest first with SPEC fields, filtered by address', async () => {
    const h = createHarness();
    await h.post('/api/codes', { email: 'jo@example.com' });
    await h.post('/api/codes', { phone: '+14155550123' });
    await h.queue.idle();
    h.clock.advance(31_000);
    await h.post('/api/codes', { email: 'jo@example.com' });
    await h.queue.idle();
    const { messages } = await (await h.get('/dev/outbox.json?to=Jo@Example.com', local)).json();
    assert.equal(messages.length, 2);
    assert.deepEqual(Object.keys(messages[0]).sort(), ['channel', 'sentAt', 'text', 'to']);
    assert.match(messages[0].text, /code 2\./);
    assert.ok(messages[0].sentAt > messages[1].sentAt);
    const all = await (await h.get('/dev/outbox.json', local)).json();
    assert.equal(all.messages.length, 3);
  });

  test('a phone number with an unencoded + in the query still finds its messages', async () => {
    const h = createHarness();
    await h.post('/api/codes', { phone: '+14155550123' });
    await h.queue.idle();
    assert.equal((await (await h.get('/dev/outbox.json?to=+14155550123', local)).json()).messages.length, 1);
    assert.equal((await (await h.get('/dev/outbox.json?to=%2B14155550123', local)).json()).messages.length, 1);
  });

  test('the outbox page shows the messages as readable HTML', async () => {
    const h = createHarness();
    await h.post('/api/codes', { email: 'jo@example.com' });
    await h.queue.idle();
    const page = await (await h.get('/dev/outbox', local)).text();
    assert.match(page, /<h1>Development outbox<\/h1>/);
    assert.match(page, /jo@example\.com/);
    assert.match(page, /code 1\./);
  });

  test('answers only a person on this machine, not another host or a proxy forwarding a public name', async () => {
    const h = createHarness();
    assert.equal((await h.get('/dev/outbox.json', local)).status, 200);
    assert.equal((await h.get('/dev/outbox.json', { ip: '192.0.2.10' })).status, 404);
    const proxied = createHarness({ env: { PUBLIC_URL: 'https://login.acme.test' } });
    assert.equal((await proxied.get('/dev/outbox.json', local)).status, 404);
    assert.equal((await proxied.get('/dev/outbox', local)).status, 404);
  });

  test('is not there in production', async () => {
    const h = createHarness({ env: { NODE_ENV: 'production' } });
    assert.equal((await h.get('/dev/outbox.json', local)).status, 404);
    assert.equal((await h.get('/dev/outbox', local)).status, 404);
  });
});
