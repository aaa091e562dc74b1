import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import twilio from 'twilio';
import { ConfigError } from '../../server/config/config.ts';
import { createOtpLogin, type OtpLogin } from '../../server/index.ts';
import { silentLogger } from '../../server/log.ts';
import { openDataDir } from '../store/data-dir.ts';

// A site's own Hono app with otp-login mounted under /auth, served on a real port as the site would.
let dataDir: string;
let otp: OtpLogin;
let server: ServerType;
let site: string;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'otp-mount-'));
  otp = createOtpLogin({ env: { DATA_DIR: dataDir }, log: silentLogger });
  const app = new Hono();
  app.route('/auth', otp);
  app.get('/', (c) => c.text('the shop’s home'));
  app.get('/account', otp.contact({ required: true }), (c) => c.json({ hello: c.var.contact }));
  app.get('/greeting', otp.contact(), (c) => c.text(c.var.contact ? `Hello ${c.var.contact.email}` : 'Hello, guest'));
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0 }, (info) => {
      site = `http://localhost:${info.port}`;
      resolve();
    });
  });
});
after(async () => {
  server?.close();
  await otp?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${site}${path}`, { method: 'POST', headers: { origin: site, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** The newest message in the mounted development outbox; the queue sends it just after the answer. */
async function newestMessage(to: string): Promise<string> {
  for (let tries = 0; tries < 100; tries++) {
    const outbox = (await (await fetch(`${site}/auth/dev/outbox.json?to=${encodeURIComponent(to)}`)).json()) as { messages: Array<{ text: string }> };
    if (outbox.messages[0]) return outbox.messages[0].text;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`No message to ${to} reached the outbox.`);
}

/** Asks for a code, reads it from the mounted development outbox, and verifies it: the sign-in cookie. */
async function signIn(email: string): Promise<{ cookie: string; body: { contact: { id: string }; token?: string } }> {
  assert.equal((await post('/auth/api/codes', { email })).status, 202);
  const code = /\b(\d{6})\b/.exec(await newestMessage(email))![1]!;
  const verified = await post('/auth/api/codes/verify', { email, code, token: true });
  assert.equal(verified.status, 200);
  return { cookie: verified.headers.get('set-cookie')!.split(';')[0]!, body: (await verified.json()) as never };
}

describe('createOtpLogin() mounted in a site’s Hono app under /auth', () => {
  test('a contact signs in through /auth/api/…, and the site’s own route reads them with the contact middleware', async () => {
    const { cookie, body } = await signIn('mia@example.com');
    const account = await fetch(`${site}/account`, { headers: { cookie } });
    assert.equal(account.status, 200);
    assert.deepEqual(await account.json(), {
      hello: { id: body.contact.id, email: 'mia@example.com', phone: null, name: null, emailVerified: true, phoneVerified: false },
    });
    assert.equal(await (await fetch(`${site}/greeting`, { headers: { cookie } })).text(), 'Hello mia@example.com');

    // The session answer under the mount knows the cookie too.
    const session = (await (await fetch(`${site}/auth/api/session`, { headers: { cookie } })).json()) as { signedIn: boolean };
    assert.equal(session.signedIn, true);
  });

  test('a visit to the site’s own route keeps a browser remembered: its expiry slides forward and the cookie is set again', async () => {
    const { cookie, body } = await signIn('noor@example.com');
    assert.equal((await fetch(`${site}/account`, { headers: { cookie } })).headers.get('set-cookie'), null, 'seen a moment ago: nothing to slide');
    // Last seen two hours ago, with 100 days left.
    const storage = openDataDir(dataDir);
    const day = 24 * 60 * 60 * 1000;
    const [device] = await storage.admin.devicesOf(body.contact.id);
    await storage.devices.touch(device!.id, Date.now() - 2 * 60 * 60 * 1000, Date.now() + 100 * day);
    const account = await fetch(`${site}/account`, { headers: { cookie } });
    assert.equal(account.status, 200);
    const maxAge = Number(/Max-Age=(\d+)/.exec(account.headers.get('set-cookie') ?? '')?.[1]);
    assert.ok(maxAge > 399 * 24 * 60 * 60, `the cookie lasts 400 days again, not ${maxAge} s`);
    const { expiresAt } = (await storage.admin.devicesOf(body.contact.id))[0]!;
    await storage.close();
    assert.ok(expiresAt > Date.now() + 399 * day, 'and so does the remembered browser');
  });

  test('without a sign-in, a required contact is a 401 with a sentence, and an optional one is null', async () => {
    const account = await fetch(`${site}/account`);
    assert.equal(account.status, 401);
    assert.deepEqual(await account.json(), { error: { code: 'unauthorized', message: 'Sign in first, then try again.' } });
    assert.equal(await (await fetch(`${site}/greeting`)).text(), 'Hello, guest');
    // A signed-out cookie is nobody.
    const { cookie } = await signIn('leo@example.com');
    assert.equal((await post('/auth/api/session/sign-out', {}, { cookie })).status, 200);
    assert.equal((await fetch(`${site}/account`, { headers: { cookie } })).status, 401);
  });

  test('the identity token’s issuer is the mount’s address, and its keys are published under it', async () => {
    const { body } = await signIn('ines@example.com');
    const issuer = `${site}/auth`;
    const { payload } = await jwtVerify(body.token!, createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`)), { issuer, audience: site });
    assert.equal(payload.email, 'ines@example.com');
  });

  test('the API’s rules hold under the mount: no-store, no page CSP on JSON, the 8 KB body limit, the Origin check', async () => {
    const session = await fetch(`${site}/auth/api/session`);
    assert.equal(session.headers.get('cache-control'), 'no-store');
    assert.equal(session.headers.get('content-security-policy'), null);
    assert.ok(session.headers.get('x-request-id'));

    const big = await post('/auth/api/codes', { email: 'a@example.com', pad: 'x'.repeat(20_000) });
    assert.equal(big.status, 413);
    // The admin's CSV import keeps its larger limit: refused for being signed out, not for its size.
    const csv = await fetch(`${site}/auth/api/admin/contacts/import`, {
      method: 'POST',
      headers: { origin: site, 'content-type': 'text/csv' },
      body: `email\n${'someone@example.com\n'.repeat(1000)}`,
    });
    assert.equal(csv.status, 401);

    const foreign = await post('/auth/api/codes', { email: 'a@example.com' }, { origin: 'https://evil.example' });
    assert.equal(foreign.status, 403);
    assert.equal(((await foreign.json()) as { error: { code: string } }).error.code, 'forbidden_origin');
  });

  test('the admin page is served under the mount with a CSP, and loads its files from there', async () => {
    const admin = await fetch(`${site}/auth/admin`);
    assert.equal(admin.status, 200);
    assert.match(admin.headers.get('content-security-policy') ?? '', /script-src 'self' 'nonce-/);
    const html = await admin.text();
    for (const file of ['otp-admin.js', 'admin.css', 'demo.css']) {
      assert.match(html, new RegExp(`(src|href)="${file.replace('.', '\\.')}"`), `${file} is relative, so it resolves under /auth`);
    }
    assert.equal((await fetch(`${site}/auth/admin.css`)).status, 200);
    assert.equal((await fetch(`${site}/auth/demo.css`)).status, 200);
  });

  test('the demo site is not served under the mount, and the site’s own routes get none of its headers', async () => {
    assert.equal((await fetch(`${site}/auth/index.html`)).status, 404);
    assert.equal((await fetch(`${site}/auth/demo.js`)).status, 404);
    const home = await fetch(`${site}/`);
    assert.equal(await home.text(), 'the shop’s home');
    assert.equal(home.headers.get('x-request-id'), null);
    assert.equal(home.headers.get('content-security-policy'), null);
  });
});

describe('createOtpLogin() settings', () => {
  test('a bad setting throws a ConfigError naming it, before anything is mounted', () => {
    assert.throws(() => createOtpLogin({ env: { SIGNUP: 'maybe' }, log: silentLogger }), (error: unknown) => error instanceof ConfigError && /SIGNUP/.test(error.message));
  });

  test('one app mounted at two paths knows which one each request came through', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otp-mount-twice-'));
    const twice = createOtpLogin({ env: { DATA_DIR: dir }, log: silentLogger });
    try {
      const app = new Hono().route('/auth', twice).route('/members/sign-in', twice);
      for (const mount of ['/auth', '/members/sign-in', '/auth', '/members/sign-in']) {
        const session = await app.request(`http://localhost${mount}/api/session`);
        assert.equal(session.status, 200, mount);
        assert.equal(session.headers.get('content-security-policy'), null, `${mount}: an API answer, not a page`);
        const jwks = await app.request(`http://localhost${mount}/.well-known/jwks.json`);
        assert.equal(jwks.status, 200, `${mount}: its keys`);
      }
    } finally {
      await twice.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an invitation’s page is finished under a mount without the demo: the site’s name, its own styles, and a button that signs in through the mount', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otp-mount-invite-'));
    const club = createOtpLogin({ env: { DATA_DIR: dir, ADMIN_EMAILS: 'boss@example.com', SITE_NAME: 'Harbour Rowing Club' }, log: silentLogger });
    let stop = () => {};
    try {
      const app = new Hono().route('/members', club);
      const { at, server: real } = await new Promise<{ at: string; server: ServerType }>((resolve) => {
        const started = serve({ fetch: app.fetch, port: 0 }, (info) => resolve({ at: `http://localhost:${info.port}`, server: started }));
      });
      stop = () => real.close();
      const request = (url: string) => fetch(url);
      const post = (path: string, body: unknown, cookie = '') =>
        fetch(`${at}${path}`, { method: 'POST', headers: { origin: at, 'content-type': 'application/json', cookie }, body: JSON.stringify(body) });
      const newest = async (to: string) => {
        for (let tries = 0; tries < 100; tries++) {
          const { messages } = (await (await request(`${at}/members/dev/outbox.json?to=${encodeURIComponent(to)}`)).json()) as { messages: Array<{ text: string }> };
          if (messages[0]) return messages[0].text;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        throw new Error(`No message to ${to}.`);
      };
      assert.equal((await post('/members/api/codes', { email: 'boss@example.com' })).status, 202);
      const code = /\b(\d{6})\b/.exec(await newest('boss@example.com'))![1]!;
      const cookie = (await post('/members/api/codes/verify', { email: 'boss@example.com', code })).headers.get('set-cookie')!.split(';')[0]!;
      const jo = (await (await post('/members/api/admin/contacts', { email: 'jo@example.com' }, cookie)).json()) as { contact: { id: string } };
      assert.equal((await post(`/members/api/admin/contacts/${jo.contact.id}/invite`, {}, cookie)).status, 202);
      const link = /http:\/\/localhost:\d+\/members\/signin\/link\?t=[\w-]+/.exec(await newest('jo@example.com'))![0];

      const page = await request(link);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /<p class="site">Harbour Rowing Club<\/p><h1>You’re invited<\/h1>/);
      assert.doesNotMatch(html, /<link /, 'nothing to load from the demo, which is not mounted');
      const nonce = /'nonce-([^']+)'/.exec(page.headers.get('content-security-policy') ?? '')![1]!;
      assert.ok(html.includes(`<style nonce="${nonce}">`), 'the inline styles carry the answer’s nonce, so the CSP lets them apply');
      assert.match(html, /fetch\("\/members\/api\/links\/redeem"/, 'the button posts through the mount');
      const token = new URL(link).searchParams.get('t');
      const used = await post('/members/api/links/redeem', { token });
      assert.equal(used.status, 200);
    } finally {
      stop();
      await club.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('Twilio’s signature is checked against PUBLIC_URL with the mount in it once, not twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otp-mount-twilio-'));
    const mounted = createOtpLogin({
      env: { DATA_DIR: dir, PUBLIC_URL: 'https://shop.example/auth', TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'twilio-auth-token', TWILIO_FROM: '+15005550006' },
      log: silentLogger,
    });
    try {
      const app = new Hono().route('/auth', mounted);
      const params = { MessageSid: `SM${'1'.repeat(32)}`, MessageStatus: 'delivered' };
      const send = (signedUrl: string) =>
        app.request('https://shop.example/auth/webhooks/twilio/status', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature('twilio-auth-token', signedUrl, params) },
          body: new URLSearchParams(params).toString(),
        });
      assert.notEqual((await send('https://shop.example/auth/webhooks/twilio/status')).status, 403);
      assert.equal((await send('https://shop.example/auth/auth/webhooks/twilio/status')).status, 403);
    } finally {
      await mounted.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
