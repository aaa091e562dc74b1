import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, mock, test } from 'node:test';
import { serve } from '@hono/node-server';
import { createRemoteJWKSet, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT } from 'jose';
import type { Page } from 'playwright-core';
import { createBackend as expressBackend } from '../../examples/express-backend/backend.ts';
import { createBackend as honoBackend } from '../../examples/hono-backend/backend.ts';
import type { OtpLoginEvent } from '../../examples/hono-backend/webhooks.ts';
import { systemClock } from '../../server/clock.ts';
import { storedIdentityKeys } from '../../server/identity/identity-keys.ts';
import { cryptoRandom } from '../../server/random.ts';
import { signature } from '../../server/site-events/outgoing-webhooks.ts';
import { createSqliteStorage, openDatabase } from '../../server/store/sqlite/index.ts';
import { json, listen } from '../fakes/http.ts';
import { checkPageA11y } from './axe.ts';
import { freePort, serverAndBrowser, signInWithCode } from './server.ts';

const examples = new URL('../../examples/', import.meta.url);

// Three sites on their own ports, all allowed to embed the sign-in; otp-login's events go to the Express one.
const origin = { hono: '', express: '', plain: '' };
const webhookSecret = randomBytes(32).toString('base64url');
const secret = randomBytes(48).toString('base64url');
const e2e = serverAndBrowser(async () => {
  for (const site of ['hono', 'express', 'plain'] as const) origin[site] = `http://localhost:${await freePort()}`;
  const { hono, express, plain } = origin;
  return { env: { ALLOWED_ORIGINS: [hono, express, plain].join(','), WEBHOOK_URL: `${express}/hooks/otp-login`, WEBHOOK_SECRET: webhookSecret, SECRET: secret } };
});
const port = (site: keyof typeof origin) => Number(new URL(origin[site]).port);

const widget = (page: Page) => page.locator('otp-login');
const tokenOf = (page: Page) => widget(page).evaluate((el) => (el as unknown as { getToken(): Promise<string> }).getToken());
const me = (site: string, token?: string) => fetch(`${site}/api/me`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

/** otp-login's own signing key, read from its database as another instance would (it knows SECRET). */
async function signingKey() {
  const storage = createSqliteStorage(openDatabase(join(e2e.server.dataDir, 'otp-login.sqlite')), systemClock, cryptoRandom);
  try {
    return await storedIdentityKeys({ store: storage.identityKeys, secret: Buffer.from(secret), clock: systemClock }).signing();
  } finally {
    await storage.close();
  }
}

/** `token`'s claims with `changes`, signed with otp-login's own key: one claim changed at a time. */
async function resigned(token: string, changes: Record<string, unknown>): Promise<string> {
  const key = await signingKey();
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
  return new SignJWT({ ...claims, ...changes }).setProtectedHeader({ alg: 'ES256', kid: key.kid }).sign(await importJWK(key, 'ES256'));
}

const events: OtpLoginEvent[] = [];
const sites: Server[] = [];
/** Starts the three sites, once otp-login runs: from the suite's hook, since Node 20 runs a file's root hooks side by side. */
async function startSites() {
  const otpLoginUrl = e2e.server.url;
  // The plain page as a static server sends it (pointed at this otp-login), with the Express backend behind /api/.
  const page = readFileSync(new URL('plain-html/index.html', examples), 'utf8');
  assert.ok(page.includes('http://localhost:3000/otp-login.js'), 'the page loads the widget from a local npm start');
  const pageHere = page.replaceAll('http://localhost:3000', otpLoginUrl);
  const api = expressBackend({ otpLoginUrl, siteOrigin: origin.plain });
  sites.push(
    serve({ fetch: honoBackend({ otpLoginUrl, siteOrigin: origin.hono }).fetch, port: port('hono') }) as Server,
    expressBackend({ otpLoginUrl, siteOrigin: origin.express, webhookSecret, onEvent: (event) => events.push(event) }).listen(port('express')),
    createServer((req, res) => (req.url?.startsWith('/api/') ? api(req, res) : res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pageHere))).listen(port('plain')),
  );
  await Promise.all(sites.map((site) => (site.listening ? undefined : once(site, 'listening'))));
}

describe('the examples in examples/, against a running otp-login', () => {
  before(startSites);
  after(() => sites.forEach((site) => site.close()));

  for (const backend of ['hono', 'express'] as const) {
    describe(`the site’s own backend trusts the sign-in through the identity token (examples/${backend}-backend)`, () => {
      test('the browser hands the token from otp-signed-in to the backend, which verifies it against /.well-known/jwks.json', async () => {
        const site = origin[backend];
        const email = `shopper-${backend}@example.com`;
        const page = await (await e2e.browser.newContext()).newPage();
        await page.goto(site);
        await signInWithCode(page, e2e.server.url, email);
        await page.getByText(`The backend says: you are ${email}`).waitFor();
        // A reload: the remembered browser's otp-signed-in carries a token too.
        await page.reload();
        await page.getByText(`The backend says: you are ${email}`).waitFor();

        const token = await tokenOf(page);
        const ok = await me(site, token);
        assert.equal(ok.status, 200);
        assert.deepEqual({ ...(await ok.json()), contactId: undefined }, { contactId: undefined, email, emailVerified: true, phone: null });

        // The README's plain-jose check, against the running server's published keys.
        const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${e2e.server.url}/.well-known/jwks.json`)), {
          issuer: e2e.server.url,
          audience: site,
          algorithms: ['ES256'],
        });
        assert.equal(payload.email, email);

        // Tampered: the payload names someone else, the signature is the original's.
        const [head, body, sig] = token.split('.') as [string, string, string];
        const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
        const forged = `${head}.${Buffer.from(JSON.stringify({ ...claims, email: 'boss@example.com' })).toString('base64url')}.${sig}`;
        assert.equal((await me(site, forged)).status, 401, 'tampered');
        assert.equal((await me(site)).status, 401, 'no token');
        assert.equal((await me(site, 'not.a.token')).status, 401, 'garbage');

        // Signed with otp-login's own key, one claim changed at a time.
        const now = Math.floor(Date.now() / 1000);
        assert.equal((await me(site, await resigned(token, { iat: now - 600, exp: now - 300 }))).status, 401, 'expired five minutes ago');
        assert.equal((await me(site, await resigned(token, { iat: now, exp: now + 300 }))).status, 200, 'the same claims, unexpired, pass: the expiry is what failed');
        assert.equal((await me(site, await resigned(token, { aud: 'https://other.example', iat: now, exp: now + 300 }))).status, 401, 'made for another site');
        assert.equal((await me(site, await resigned(token, { iss: 'https://login.other.example', iat: now, exp: now + 300 }))).status, 401, 'from another issuer');
        await page.context().close();
      });
    });
  }

  test('examples/hono-backend fetches the keys again for a token from a key it has not seen (after npm run rotate-keys), at most every 30 s', async () => {
    const [first, second] = await Promise.all([generateKeyPair('ES256'), generateKeyPair('ES256')]);
    const published = [{ ...(await exportJWK(first.publicKey)), kid: 'first', alg: 'ES256' }];
    let fetches = 0;
    const jwks = await listen((_req, _body, res) => {
      fetches++;
      json(res, 200, { keys: published });
    });
    const issuer = jwks.url.origin;
    const app = honoBackend({ otpLoginUrl: issuer, siteOrigin: 'https://shop.example' });
    const tokenBy = (key: CryptoKey, kid: string) =>
      new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid }).setSubject('c1').setIssuer(issuer).setAudience('https://shop.example').setIssuedAt().setExpirationTime('5m').sign(key);
    const status = async (token: string) => (await app.request('/api/me', { headers: { authorization: `Bearer ${token}` } })).status;
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    try {
      assert.equal(await status(await tokenBy(first.privateKey, 'first')), 200);
      published.unshift({ ...(await exportJWK(second.publicKey)), kid: 'second', alg: 'ES256' });
      assert.equal(await status(await tokenBy(second.privateKey, 'second')), 401, 'within 30 s of the last fetch, an unseen key waits');
      assert.equal(fetches, 1);
      mock.timers.tick(31_000);
      assert.equal(await status(await tokenBy(second.privateKey, 'second')), 200, 'the new key is fetched, long before five minutes');
      assert.equal(await status(await tokenBy(second.privateKey, 'other')), 401);
      assert.equal(fetches, 2, 'a made-up kid right after does not fetch again');
    } finally {
      mock.timers.reset();
      await jwks.close();
    }
  });

  describe('examples/express-backend receives otp-login’s events', () => {
    test('a sign-in reaches its /hooks/otp-login signed, and is handed on once; an unsigned event is refused', async () => {
      const page = await (await e2e.browser.newContext()).newPage();
      await page.goto(origin.express);
      await signInWithCode(page, e2e.server.url, 'hooked@example.com');
      await page.getByText('The backend says: you are hooked@example.com').waitFor();
      const signedIn = () => events.find((e) => e.type === 'contact.signed_in' && (e.data.contact as { email?: string }).email === 'hooked@example.com');
      for (let i = 0; i < 100 && !signedIn(); i++) await new Promise((r) => setTimeout(r, 100));
      assert.ok(signedIn(), `contact.signed_in arrived within 10 s (got ${events.map((e) => e.type).join(', ') || 'none'})`);
      // otp-login tries again when an answer is lost: the same event, signed anew, is answered but not handed on twice.
      const again = JSON.stringify(signedIn());
      const retry = await fetch(`${origin.express}/hooks/otp-login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'otp-login-signature': signature(webhookSecret, again, Math.floor(Date.now() / 1000)) },
        body: again,
      });
      assert.equal(retry.status, 204);
      assert.equal(events.filter((e) => e.id === signedIn()!.id).length, 1, 'a repeated event id is handed on once');

      const unsigned = await fetch(`${origin.express}/hooks/otp-login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'otp-login-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` },
        body: JSON.stringify({ id: 'evt_forged', type: 'contact.deactivated', data: {} }),
      });
      assert.equal(unsigned.status, 401);
      assert.ok(!events.some((e) => e.id === 'evt_forged'), 'the forged event was not handed on');
      await page.context().close();
    });
  });

  describe('a plain HTML page with the one script tag (examples/plain-html)', () => {
    test('a static page on another origin signs in, says who, has the token checked by its backend, signs out, and is axe-clean', async () => {
      const page = await (await e2e.browser.newContext()).newPage();
      await page.goto(origin.plain);
      await widget(page).locator('#identifier').waitFor();
      await checkPageA11y(page);

      await signInWithCode(page, e2e.server.url, 'member@example.com');
      await page.getByText('Welcome, member@example.com.').waitFor();
      const checked = page.getByText(/^Your backend checked the token: contact .+\.$/);
      await checked.waitFor();
      const token = await tokenOf(page);
      const { contactId } = (await (await me(origin.plain, token)).json()) as { contactId: string };
      assert.equal(await checked.textContent(), `Your backend checked the token: contact ${contactId}.`);
      assert.equal((await me(origin.express, token)).status, 401, 'a token made for this page is refused by another site’s backend');
      await checkPageA11y(page);

      await widget(page).locator('#sign-out').click();
      await page.getByText('You’re not signed in.').waitFor();
      assert.equal(await page.locator('#backend').textContent(), '');
      await checkPageA11y(page);
      await page.context().close();
    });
  });

  test('the README’s Express snippet is the tested example’s code, but for the two addresses', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const snippet = /\*\*Express\*\*[^\n]*\n+```js\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(snippet, 'the README has an Express snippet');
    const lines = (text: string) => text.split('\n').map((line) => line.trim()).filter(Boolean);
    const example = lines(readFileSync(new URL('express-backend/backend.ts', examples), 'utf8')).join('\n');
    const [imports, addresses, code] = [lines(snippet).slice(0, 2), lines(snippet).slice(2, 4), lines(snippet).slice(4)];
    for (const line of imports) assert.ok(example.includes(line), `the example imports as the README does: ${line}`);
    assert.deepEqual(addresses.map((line) => line.split(' = ')[0]), ['const issuer', 'const audience']);
    assert.ok(example.includes(code.join('\n')), `the README's lines stand in examples/express-backend/backend.ts in one piece:\n${code.join('\n')}`);
  });
});
