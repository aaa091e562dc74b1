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
});
