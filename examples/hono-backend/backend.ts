/**
 * A site's own backend that trusts otp-login's sign-ins: the page sends the identity token from
 * `otp-signed-in` (or `await el.getToken()`) as `Authorization: Bearer …`, and Hono's `jwk`
 * middleware checks it against otp-login's public keys — signature (ES256), issuer, audience
 * (this site's origin) and expiry. Nothing here knows a secret.
 */
import { Hono, type Context } from 'hono';
import { decode } from 'hono/jwt';
import { jwk } from 'hono/jwk';
import type { HonoJsonWebKey } from 'hono/utils/jwt/jws';
import { readFileSync } from 'node:fs';
import { eventReceiver, type OtpLoginEvent } from './webhooks.ts';

export interface BackendOptions {
  /** Where otp-login runs: its PUBLIC_URL, the `iss` of its tokens. */
  otpLoginUrl: string;
  /** This site's origin, the `aud` its tokens are made for (and listed in otp-login's ALLOWED_ORIGINS). */
  siteOrigin: string;
  /** otp-login's WEBHOOK_SECRET, when its WEBHOOK_URL points at this backend's /hooks/otp-login. */
  webhookSecret?: string;
  /** What to do with each event (a CRM update); default: nothing. */
  onEvent?: (event: OtpLoginEvent) => void;
}

/**
 * otp-login's public keys, fetched again every five minutes, or sooner (at most every 30 seconds)
 * for a token signed by a key not seen yet: after `npm run rotate-keys`, tokens from the new key
 * verify within 30 seconds instead of five minutes.
 */
function publicKeys(jwksUrl: string) {
  let cached: { keys: HonoJsonWebKey[]; at: number } | undefined;
  return async (c: Context) => {
    const age = cached ? Date.now() - cached.at : Infinity;
    const kid = kidOf(c.req.header('authorization'));
    const unseen = kid !== undefined && !cached?.keys.some((key) => key.kid === kid);
    if (age > 300_000 || (unseen && age > 30_000)) {
      const res = await fetch(jwksUrl);
      if (!res.ok) throw new Error(`Could not fetch ${jwksUrl}: ${res.status}`);
      cached = { keys: ((await res.json()) as { keys: HonoJsonWebKey[] }).keys, at: Date.now() };
    }
    return cached!.keys;
  };
}

/** The `kid` in a bearer token's header; undefined when there is none to read. */
function kidOf(authorization: string | undefined): string | undefined {
  try {
    return decode(authorization?.replace(/^Bearer /i, '') ?? '').header.kid;
  } catch {
    return undefined;
  }
}

export function createBackend({ otpLoginUrl, siteOrigin, webhookSecret, onEvent = () => {} }: BackendOptions) {
  const app = new Hono<{ Variables: { jwtPayload: { sub: string; email?: string; email_verified?: boolean; phone_number?: string } } }>();
  const issuer = otpLoginUrl.replace(/\/$/, '');
  const keys = publicKeys(`${issuer}/.well-known/jwks.json`);

  // The page: the sign-in from otp-login, and a call to this backend once signed in.
  const page = readFileSync(new URL('./page.html', import.meta.url), 'utf8').replaceAll('{{OTP_LOGIN_URL}}', issuer);
  app.get('/', (c) => c.html(page));

  // Events from otp-login: signed with WEBHOOK_SECRET over the raw body; a retry repeats the event id.
  const receive = eventReceiver(webhookSecret, onEvent);
  app.post('/hooks/otp-login', async (c) =>
    receive(c.req.header('otp-login-signature'), await c.req.text()) ? c.body(null, 204) : c.text('Bad signature', 401),
  );

  app.use('/api/*', jwk({ keys, alg: ['ES256'], verification: { iss: issuer, aud: siteOrigin } }));

  app.get('/api/me', (c) => {
    const { sub, email, email_verified, phone_number } = c.get('jwtPayload');
    return c.json({ contactId: sub, email: email ?? null, emailVerified: email_verified ?? false, phone: phone_number ?? null });
  });

  return app;
}
