import { Hono, type Context } from 'hono';
import { publicAddress, type Config } from '../config/config.ts';
import { serverUrl } from '../http/mount.ts';
import type { Contact } from '../contacts/contacts.ts';
import type { DeviceService } from '../contacts/devices.ts';
import { apiError } from '../http/errors.ts';
import type { IdentityKeys } from './identity-keys.ts';
import type { IdentityTokens } from './identity-tokens.ts';
import type { AllowedOrigin, Env } from '../http/origins.ts';
import type { CookieJars } from '../http/session-cookies.ts';

/**
 * Identity tokens for the site's backend: who is signed in, as a JWT the backend verifies with
 * the public keys at /.well-known/jwks.json. `tokenFor` makes one for the page that asked: its
 * audience is the page's origin when that origin may use this server, else this server's own.
 */
export function createIdentityRoutes({ config, keys, tokens, devices, isAllowedOrigin, jarOf }: {
  config: Config;
  keys: IdentityKeys;
  tokens: IdentityTokens;
  devices: DeviceService;
  isAllowedOrigin: AllowedOrigin;
  jarOf: CookieJars;
}) {
  const app = new Hono<Env>();

  const tokenFor = (c: Context, contact: Contact) => {
    const server = serverUrl(c, config);
    const origin = c.req.header('origin');
    const audience = origin && isAllowedOrigin(origin, c) ? origin : server.origin;
    return tokens.mint(contact, { issuer: publicAddress(server, ''), audience });
  };

  // Public keys: any backend may fetch them, from anywhere, and cache them for five minutes.
  app.get('/.well-known/jwks.json', async (c) => {
    const published = await keys.published();
    c.header('Cache-Control', 'public, max-age=300');
    c.header('Access-Control-Allow-Origin', '*');
    return c.json({ keys: published });
  });

  // A fresh token for a signed-in browser (tokens last five minutes; a page asks again when it needs one).
  app.get('/api/session/token', async (c) => {
    const session = await devices.check(jarOf(c).deviceToken(), { touch: false });
    if (!session.signedIn) return apiError(c, 'unauthorized', { reason: session.reason }, 'This browser is not signed in. Sign in first, then ask for a token.');
    return c.json(await tokenFor(c, session.contact));
  });

  return { app, tokenFor };
}
