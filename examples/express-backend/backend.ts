/**
 * The shop of examples/hono-backend on Express 5: the page hands the identity token from
 * `otp-signed-in` (or `await el.getToken()`) to this backend as `Authorization: Bearer …`, and
 * jose checks it against otp-login's public keys — signature (ES256), issuer, audience (this
 * site's origin) and expiry. Nothing here knows a secret but the webhooks'. The README's Express
 * snippet is the middle of this function, line for line.
 */
import express from 'express';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { readFileSync } from 'node:fs';
import type { BackendOptions } from '../hono-backend/backend.ts';
import { eventReceiver } from '../hono-backend/webhooks.ts';

export function createBackend({ otpLoginUrl, siteOrigin, webhookSecret, onEvent = () => {} }: BackendOptions) {
  const issuer = otpLoginUrl.replace(/\/$/, ''); // otp-login's PUBLIC_URL
  const audience = siteOrigin; // this site, listed in otp-login's ALLOWED_ORIGINS
  // jose caches the keys, and fetches them again for a key it has not seen (after npm run rotate-keys).
  const keys = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));

  const app = express();
  app.use('/api', async (req, res, next) => {
    const token = (req.get('authorization') ?? '').replace(/^Bearer /, '');
    try {
      const { payload } = await jwtVerify(token, keys, { issuer, audience, algorithms: ['ES256'] });
      res.locals.contact = payload; // sub, email, email_verified, phone_number, phone_number_verified
    } catch {
      res.status(401).json({ error: 'Sign in again.' });
      return;
    }
    next();
  });
  app.get('/api/me', (req, res) => {
    const { sub, email, email_verified, phone_number } = res.locals.contact;
    res.json({ contactId: sub, email: email ?? null, emailVerified: email_verified ?? false, phone: phone_number ?? null });
  });

  // The same page as the Hono example: the sign-in from otp-login, then a call to /api/me.
  const page = readFileSync(new URL('../hono-backend/page.html', import.meta.url), 'utf8').replaceAll('{{OTP_LOGIN_URL}}', issuer);
  app.get('/', (req, res) => {
    res.send(page);
  });

  // Events from otp-login: the signature covers the raw body, so it is read as text, not parsed.
  const receive = eventReceiver(webhookSecret, onEvent);
  app.post('/hooks/otp-login', express.text({ type: 'application/json' }), (req, res) => {
    if (receive(req.get('otp-login-signature'), String(req.body ?? ''))) res.sendStatus(204);
    else res.status(401).send('Bad signature');
  });

  return app;
}
