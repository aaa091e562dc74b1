import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isCrossSite, siteOf } from '../../../server/http/sites.ts';
import { cookieHeader, createHarness } from '../harness.ts';

const jo = { email: 'jo@example.com' };

describe('sites', () => {
  test('a site is the scheme and registrable domain, by the public suffix list', () => {
    assert.equal(siteOf('https://www.acme.co.uk:8443'), 'https://acme.co.uk');
    assert.equal(siteOf('http://127.0.0.1:3001'), 'http://127.0.0.1');
    assert.equal(isCrossSite('https://www.acme.com', 'https://login.acme.com'), false);
    assert.equal(isCrossSite('https://shop.example', 'https://login.acme.com'), true);
    assert.equal(isCrossSite('http://acme.com', 'https://acme.com'), true, 'schemeful');
    assert.equal(isCrossSite('http://127.0.0.1:3001', 'http://localhost:3000'), true);
  });
});

describe('remembered browsers on an embedding site (R5)', () => {
  test('a page on another, allowed site gets a partitioned SameSite=None cookie, and is remembered with it', async () => {
    const h = createHarness({ env: { PUBLIC_URL: 'https://login.acme.test', ALLOWED_ORIGINS: 'https://shop.example' } });
    const page = { origin: 'https://shop.example', 'sec-fetch-site': 'cross-site' };
    await h.post('/api/codes', jo, { headers: page });
    const res = await h.post('/api/codes/verify', { ...jo, code: await h.latestCode('jo@example.com') }, { headers: page });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-otp-device='))!;
    assert.match(cookie, /; Max-Age=34560000; Path=\/; HttpOnly; Secure; SameSite=None; Partitioned$/);
    assert.equal((await res.json()).crossSite, true);
    const session = await (await h.get('/api/session', { cookie: cookieHeader(res), headers: page })).json();
    assert.deepEqual([session.signedIn, session.crossSite], [true, true]);
  });

  test('a same-site page keeps SameSite=Lax, and answers keep SPEC\'s exact shape', async () => {
    const h = createHarness({ env: { PUBLIC_URL: 'https://login.acme.test', ALLOWED_ORIGINS: 'https://www.acme.test' } });
    const page = { origin: 'https://www.acme.test' };
    await h.post('/api/codes', jo, { headers: page });
    const res = await h.post('/api/codes/verify', { ...jo, code: await h.latestCode('jo@example.com') }, { headers: page });
    assert.match(res.headers.getSetCookie().find((c) => c.startsWith('__Host-otp-device='))!, /; SameSite=Lax$/);
    assert.equal('crossSite' in (await res.json()), false);
    assert.deepEqual(Object.keys(await (await h.get('/api/session', { headers: page })).json()).sort(), ['reason', 'signedIn']);
    const session = await (await h.get('/api/session', { cookie: cookieHeader(res), headers: page })).json();
    assert.deepEqual([Object.keys(session).sort(), Object.keys(session.device).sort()], [['contact', 'device', 'signedIn'], ['expiresAt', 'id']]);
  });

  test('sign-out from the embedding site clears the partitioned cookie with the same attributes', async () => {
    const h = createHarness({ env: { PUBLIC_URL: 'https://login.acme.test', ALLOWED_ORIGINS: 'https://shop.example' } });
    const page = { origin: 'https://shop.example' };
    await h.post('/api/codes', jo, { headers: page });
    const res = await h.post('/api/codes/verify', { ...jo, code: await h.latestCode('jo@example.com') }, { headers: page });
    const out = await h.post('/api/session/sign-out', {}, { cookie: cookieHeader(res), headers: page });
    assert.ok(out.headers.getSetCookie().some((c) => /^__Host-otp-device=; Max-Age=0; Path=\/; HttpOnly; Secure; SameSite=None; Partitioned$/.test(c)));
  });
});

describe('a page on an origin the server does not serve', () => {
  test('gets no cookie, and a device it presents does not slide', async () => {
    const h = createHarness({ env: { PUBLIC_URL: 'https://login.acme.test' } });
    const { cookie } = await h.signIn(jo);
    h.clock.advance(2 * 3_600_000);
    const res = await h.get('/api/session', { cookie, headers: { origin: 'https://evil.test' } });
    assert.deepEqual(res.headers.getSetCookie(), []);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });
});

describe("Don't remember this browser", () => {
  test('gives a browser-session cookie (no Max-Age) and a device that ends within a day and never slides', async () => {
    const h = createHarness();
    await h.post('/api/codes', jo);
    const res = await h.post('/api/codes/verify', { ...jo, code: await h.latestCode('jo@example.com'), remember: false });
    const set = res.headers.getSetCookie().find((c) => c.startsWith('otp-device='))!;
    assert.doesNotMatch(set, /Max-Age|Expires/);
    const body = await res.json();
    assert.equal(body.device.expiresAt, new Date(h.clock.now() + 24 * 3_600_000).toISOString());
    assert.equal(body.device.sessionOnly, true);
    const cookie = cookieHeader(res);
    h.clock.advance(2 * 3_600_000);
    const later = await h.get('/api/session', { cookie });
    assert.deepEqual(later.headers.getSetCookie(), [], 'no sliding');
    h.clock.advance(23 * 3_600_000);
    assert.equal((await (await h.get('/api/session', { cookie })).json()).reason, 'expired');
  });

  test('"remember" must be true or false', async () => {
    const h = createHarness();
    const res = await h.post('/api/codes/verify', { ...jo, code: '123456', remember: 'no' });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error.code, 'invalid_request');
  });
});

describe('the reason a code was needed (R6)', () => {
  test('is kept with the code and its delivery for the admin card', async () => {
    const h = createHarness();
    assert.equal((await h.post('/api/codes', { ...jo, reason: 'cookies_cleared' })).status, 202);
    await h.queue.idle();
    const [delivery] = await h.deliveriesTo('jo@example.com');
    assert.equal(delivery?.reason, 'cookies_cleared');
  });

  test('must be one of the widget\'s explanations; anything else is refused and nothing is sent', async () => {
    const h = createHarness();
    const res = await h.post('/api/codes', { ...jo, reason: 'anything_a_client_likes' });
    assert.equal(res.status, 400);
    await h.queue.idle();
    assert.equal(h.outbox.list().length, 0);
  });
});
