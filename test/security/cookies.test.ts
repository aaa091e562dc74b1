import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cookieHeader, createHarness } from '../server/harness.ts';

const jo = { email: 'jo@example.com' };
const deviceCookie = (res: Response) => res.headers.getSetCookie().find((c) => /^(__Host-)?otp-device=/.test(c))!;

describe('the remembered-browser cookie (SECURITY-PLAN 30–36)', () => {
  test('31: same-site: __Host-, Secure, HttpOnly, Path=/, SameSite=Lax, no Domain; 30: 256 random bits; 33, 34: at most 400 days and 4 KB', async () => {
    const h = createHarness({ env: { PUBLIC_URL: 'https://login.acme.test' } });
    const { res } = await h.signIn(jo);
    const set = deviceCookie(res);
    assert.match(set, /^__Host-otp-device=[A-Za-z0-9_-]{43}; Max-Age=(\d+); Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    assert.ok(Number(set.match(/Max-Age=(\d+)/)![1]) <= 34_560_000);
    assert.ok(set.split(';')[0]!.length <= 4096);
  });

  test('32: embedded on an allowed site: __Host-, Secure, HttpOnly, Path=/, SameSite=None, Partitioned', async () => {
    const h = createHarness({ env: { PUBLIC_URL: 'https://login.acme.test', ALLOWED_ORIGINS: 'https://shop.example' } });
    const page = { origin: 'https://shop.example', 'sec-fetch-site': 'cross-site' };
    await h.post('/api/codes', jo, { headers: page });
    const res = await h.post('/api/codes/verify', { ...jo, code: await h.latestCode('jo@example.com') }, { headers: page });
    assert.match(deviceCookie(res), /^__Host-otp-device=[A-Za-z0-9_-]{43}; Max-Age=34560000; Path=\/; HttpOnly; Secure; SameSite=None; Partitioned$/);
  });

  test('35: every sign-in gives a new token, and the browser’s earlier token stops working (no fixation)', async () => {
    const h = createHarness();
    const first = await h.signIn(jo);
    h.clock.advance(31_000);
    await h.post('/api/codes', jo, { cookie: first.cookie });
    const again = await h.post('/api/codes/verify', { ...jo, code: await h.latestCode('jo@example.com') }, { cookie: first.cookie });
    const second = cookieHeader(again);
    assert.notEqual(second, first.cookie);
    assert.equal((await (await h.get('/api/session', { cookie: first.cookie })).json()).signedIn, false);
    assert.equal((await (await h.get('/api/session', { cookie: second })).json()).signedIn, true);
  });

  test('36: sign-out ends the device on the server and clears the cookie with Max-Age=0 and the same attributes', async () => {
    const h = createHarness({ env: { PUBLIC_URL: 'https://login.acme.test' } });
    const { cookie } = await h.signIn(jo);
    const out = await h.post('/api/session/sign-out', {}, { cookie });
    assert.ok(out.headers.getSetCookie().some((c) => /^__Host-otp-device=; Max-Age=0; Path=\/; HttpOnly; Secure; SameSite=Lax$/.test(c)));
    // The old cookie, replayed, is refused: the server forgot it, not just the browser.
    assert.deepEqual(await (await h.get('/api/session', { cookie })).json(), { signedIn: false, reason: 'signed_out' });
  });

  test('30: a device an admin revoked is refused on its very next request', async () => {
    const h = createHarness({ env: { ADMIN_EMAILS: 'boss@example.com' } });
    const admin = await h.signIn({ email: 'boss@example.com' });
    const { cookie, res } = await h.signIn(jo);
    const { contact, device } = await res.json();
    assert.equal((await h.post(`/api/admin/contacts/${contact.id}/devices/${device.id}/revoke`, {}, { cookie: admin.cookie })).status, 200);
    assert.deepEqual(await (await h.get('/api/session', { cookie })).json(), { signedIn: false, reason: 'revoked' });
  });

  test('31: with an https PUBLIC_URL only __Host- cookies count: an unprefixed one a sibling subdomain planted signs nobody in (login fixation)', async () => {
    const h = createHarness({ env: { PUBLIC_URL: 'https://login.acme.test' } });
    // The attacker signs in as themselves and plants their token, unprefixed, from evil.acme.test.
    const attacker = (await h.signIn({ email: 'mallory@example.com' })).cookie.replace('__Host-otp-device=', 'otp-device=');
    assert.match(attacker, /^otp-device=[\w-]{43}$/);
    assert.deepEqual(await (await h.get('/api/session', { cookie: attacker })).json(), { signedIn: false, reason: 'no_cookie' });
    // The signed-out hint counts only as __Host- too, so it cannot be planted to blame a sign-out.
    assert.deepEqual(await (await h.get('/api/session', { cookie: 'otp-signed-out=1' })).json(), { signedIn: false, reason: 'no_cookie' });
    assert.deepEqual(await (await h.get('/api/session', { cookie: '__Host-otp-signed-out=1' })).json(), { signedIn: false, reason: 'signed_out' });
    // The victim's own sign-in is unaffected by the planted cookie, and does not end the attacker's device.
    await h.post('/api/codes', jo, { cookie: attacker });
    const res = await h.post('/api/codes/verify', { ...jo, code: await h.latestCode('jo@example.com') }, { cookie: attacker });
    assert.equal((await res.json()).contact.email, 'jo@example.com');
    assert.match(deviceCookie(res), /^__Host-otp-device=/);
    assert.equal((await (await h.get('/api/session', { cookie: `__Host-${attacker}` })).json()).signedIn, true, 'the planted cookie was not even read');
  });

  test('on plain-http localhost (development) the unprefixed cookie it sets is the one read', async () => {
    const h = createHarness();
    const { cookie } = await h.signIn(jo);
    assert.match(cookie, /^otp-device=/);
    assert.equal((await (await h.get('/api/session', { cookie })).json()).signedIn, true);
  });
});
