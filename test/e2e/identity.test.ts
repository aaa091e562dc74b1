import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import { createRemoteJWKSet, importJWK, jwtVerify, SignJWT } from 'jose';
import type { Browser } from 'playwright-core';
import { createBackend } from '../../examples/hono-backend/backend.ts';
import { freePort, launchChromium, signInWithCode, startServer, type RunningServer } from './server.ts';

let server: RunningServer;
let browser: Browser;
let backend: ServerType;
let site: string;

before(async () => {
  const port = await freePort();
  site = `http://localhost:${port}`;
  // otp-login as a new user starts it, with the shop's origin allowed to embed the sign-in.
  server = await startServer({ env: { ALLOWED_ORIGINS: site } });
  backend = serve({ fetch: createBackend({ otpLoginUrl: server.url, siteOrigin: site }).fetch, port });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  backend?.close();
  await server?.stop();
});

const me = (token?: string) => fetch(`${site}/api/me`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

describe('the site’s own backend trusts the sign-in through the identity token (examples/hono-backend)', () => {
  test('the browser hands the token from otp-signed-in to the backend, which verifies it against /.well-known/jwks.json', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(site);
    await signInWithCode(page, server.url, 'shopper@example.com');
    await page.getByText('The backend says: you are shopper@example.com').waitFor();
    // A reload: the remembered browser's otp-signed-in carries a token too.
    await page.reload();
    await page.getByText('The backend says: you are shopper@example.com').waitFor();

    const token = await page.locator('otp-login').evaluate((el) => (el as unknown as { getToken(): Promise<string> }).getToken());
    const ok = await me(token);
    assert.equal(ok.status, 200);
    assert.deepEqual({ ...(await ok.json()), contactId: undefined }, { contactId: undefined, email: 'shopper@example.com', emailVerified: true, phone: null });

    // The README's plain-jose check, against the running server's published keys.
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`)), {
      issuer: server.url,
      audience: site,
      algorithms: ['ES256'],
    });
    assert.equal(payload.email, 'shopper@example.com');

    // Tampered: the payload names someone else, the signature is the original's.
    const [head, body, sig] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${head}.${Buffer.from(JSON.stringify({ ...claims, email: 'boss@example.com' })).toString('base64url')}.${sig}`;
    assert.equal((await me(forged)).status, 401);
    assert.equal((await me()).status, 401, 'no token');

    // Expired: signed with otp-login's own key, but five minutes ago.
    const { keys } = JSON.parse(readFileSync(join(server.dataDir, 'identity-keys.json'), 'utf8')) as { keys: Array<Record<string, string>> };
    const key = await importJWK(keys[0]!, 'ES256');
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ ...claims, iat: now - 600, exp: now - 300 }).setProtectedHeader({ alg: 'ES256', kid: keys[0]!.kid! }).sign(key);
    assert.equal((await me(expired)).status, 401);
    const fresh = await new SignJWT({ ...claims, iat: now, exp: now + 300 }).setProtectedHeader({ alg: 'ES256', kid: keys[0]!.kid! }).sign(key);
    assert.equal((await me(fresh)).status, 200, 'the same claims, unexpired, pass: the expiry is what failed');

    // Made for another site: the audience does not match this one.
    const elsewhere = await new SignJWT({ ...claims, aud: 'https://other.example', iat: now, exp: now + 300 }).setProtectedHeader({ alg: 'ES256', kid: keys[0]!.kid! }).sign(key);
    assert.equal((await me(elsewhere)).status, 401);
  });
});
