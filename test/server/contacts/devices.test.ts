import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cookieHeader, createHarness } from '../harness.ts';

const jo = { email: 'jo@example.com' };
const DAY = 86_400_000;

async function reason(res: Response) {
  const body = await res.json();
  assert.equal(body.signedIn, false);
  return body.reason;
}

describe('remembered devices (R5) and GET /api/session', () => {
  test('sets an HttpOnly, SameSite=Lax device cookie for 400 days, not Secure on plain-http localhost', async () => {
    const h = createHarness();
    const { res } = await h.signIn(jo);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('otp-device='))!;
    assert.match(cookie, /^otp-device=[A-Za-z0-9_-]{43}; Max-Age=34560000; Path=\/; HttpOnly; SameSite=Lax$/);
  });

  test('behind an https PUBLIC_URL the cookie is __Host- prefixed and Secure', async () => {
    const h = createHarness({ env: { PUBLIC_URL: 'https://login.acme.test' } });
    const { res, cookie } = await h.signIn(jo);
    const set = res.headers.getSetCookie().find((c) => c.startsWith('__Host-otp-device='))!;
    assert.match(set, /; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    assert.doesNotMatch(set, /Domain/);
    assert.equal((await (await h.get('/api/session', { cookie })).json()).signedIn, true);
  });

  test('stores only a keyed digest of the token', async () => {
    const h = createHarness();
    const { cookie } = await h.signIn(jo);
    const token = cookie.split('=')[1]!;
    const rows = JSON.stringify((await h.storage.dump()).devices);
    assert.ok(!rows.includes(token));
    assert.ok(rows.includes(h.hashes.digest(token)));
  });

  test('a remembered browser is signed in without a code', async () => {
    const h = createHarness();
    const { res, cookie } = await h.signIn(jo);
    const signedIn = await res.json();
    const session = await (await h.get('/api/session', { cookie })).json();
    assert.deepEqual(session, signedIn);
  });

  test('no cookie answers no_cookie', async () => {
    const h = createHarness();
    assert.equal(await reason(await h.get('/api/session')), 'no_cookie');
  });

  test('a cookie the server does not know answers unknown_device', async () => {
    const h = createHarness();
    assert.equal(await reason(await h.get('/api/session', { cookie: 'otp-device=forged' })), 'unknown_device');
  });

  test('sign-out clears the cookie, and the browser is then told it signed out', async () => {
    const h = createHarness();
    const { cookie } = await h.signIn(jo);
    const out = await h.post('/api/session/sign-out', undefined, { cookie });
    assert.deepEqual(await out.json(), { signedIn: false, reason: 'signed_out' });
    assert.ok(out.headers.getSetCookie().some((c) => /^otp-device=; Max-Age=0/.test(c)));
    assert.equal(await reason(await h.get('/api/session', { cookie: cookieHeader(out) })), 'signed_out');
    // A copy of the old cookie no longer works either.
    assert.equal(await reason(await h.get('/api/session', { cookie })), 'signed_out');
  });

  test('signing in again after signing out forgets the sign-out', async () => {
    const h = createHarness();
    const { cookie } = await h.signIn(jo);
    const out = await h.post('/api/session/sign-out', undefined, { cookie });
    h.clock.advance(31_000);
    await h.post('/api/codes', jo);
    const res = await h.post('/api/codes/verify', { ...jo, code: await h.latestCode('jo@example.com') }, { cookie: cookieHeader(out) });
    assert.ok(res.headers.getSetCookie().some((c) => /^otp-signed-out=; Max-Age=0/.test(c)));
  });

  test('a device revoked by an admin answers revoked', async () => {
    const h = createHarness();
    const { res, cookie } = await h.signIn(jo);
    await h.deviceStore.revoke((await res.json()).device.id, h.clock.now());
    assert.equal(await reason(await h.get('/api/session', { cookie })), 'revoked');
  });

  test('a device unused for 400 days answers expired', async () => {
    const h = createHarness();
    const { cookie } = await h.signIn(jo);
    h.clock.advance(400 * DAY);
    assert.equal(await reason(await h.get('/api/session', { cookie })), 'expired');
  });

  test('a deactivated contact is signed out at once (R9)', async () => {
    const h = createHarness();
    const { res, cookie } = await h.signIn(jo);
    await h.contacts.setStatus((await res.json()).contact.id, 'deactivated');
    assert.equal(await reason(await h.get('/api/session', { cookie })), 'deactivated');
  });

  test('each visit slides the expiry forward, sending the cookie again at most hourly', async () => {
    const h = createHarness();
    const { cookie } = await h.signIn(jo);
    h.clock.advance(30 * 60_000);
    assert.deepEqual((await h.get('/api/session', { cookie })).headers.getSetCookie(), []);
    h.clock.advance(300 * DAY);
    const res = await h.get('/api/session', { cookie });
    assert.match(res.headers.getSetCookie()[0]!, /^otp-device=[^;]+; Max-Age=34560000;/);
    assert.equal((await res.json()).device.expiresAt, new Date(h.clock.now() + 400 * DAY).toISOString());
    h.clock.advance(399 * DAY);
    assert.equal((await (await h.get('/api/session', { cookie })).json()).signedIn, true);
  });

  test('a new sign-in on the same browser replaces its old device', async () => {
    const h = createHarness();
    const first = await h.signIn(jo);
    h.clock.advance(31_000);
    await h.post('/api/codes', jo);
    const again = await h.post('/api/codes/verify', { ...jo, code: await h.latestCode('jo@example.com') }, { cookie: first.cookie });
    assert.notEqual(cookieHeader(again), first.cookie);
    assert.equal(await reason(await h.get('/api/session', { cookie: first.cookie })), 'signed_out');
  });

  test('devices survive a server restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otp-login-'));
    try {
      const before = createHarness({ dbFile: join(dir, 'db.sqlite') });
      const { cookie } = await before.signIn(jo);
      await before.storage.close();
      const after = createHarness({ dbFile: join(dir, 'db.sqlite') });
      assert.equal((await (await after.get('/api/session', { cookie })).json()).signedIn, true);
      await after.storage.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
