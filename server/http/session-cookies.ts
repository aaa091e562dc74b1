import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import type { Config } from '../config/config.ts';
import { LOCAL_HOSTS, ownOrigin, type AllowedOrigin } from './origins.ts';
import { isCrossSite } from './sites.ts';
import type { Device, DeviceService, SessionCheck } from '../contacts/devices.ts';

const DEVICE = 'otp-device';
// Says only "this browser signed out here", so a later visit can explain why a code is needed
// even though the device cookie itself is gone (SPEC: sign-out clears the cookie).
const SIGNED_OUT = 'otp-signed-out';

/**
 * Gives this browser its new device: a fresh token at every sign-in, and whatever device the
 * browser had before is signed out (no session fixation, one device per browser on the card).
 */
export async function rememberBrowser(jar: CookieJar, devices: DeviceService, device: Device, token: string) {
  const previous = await devices.check(jar.deviceToken());
  if (previous.signedIn) await devices.signOut(previous.device);
  jar.remember(token, device.sessionOnly ? null : device.expiresAt, device.createdAt);
}

/**
 * Who this browser is signed in as. A remembered browser's expiry slides forward when due (at most
 * hourly), and its cookie is set again to match; a page the server does not serve changes nothing.
 */
export async function currentSession(jar: CookieJar, devices: DeviceService): Promise<SessionCheck> {
  const session = await devices.check(jar.deviceToken(), { touch: jar.allowed });
  if (session.signedIn && session.refreshed) jar.remember(jar.deviceToken()!, session.device.expiresAt, session.device.lastSeenAt);
  return session;
}

/**
 * The cookies of one request, with the attributes R5 asks for:
 * - same-site page (or no Origin): `SameSite=Lax`, `Secure` with the `__Host-` prefix everywhere
 *   except plain-http localhost, where browsers would drop a Secure cookie;
 * - a page on another site (an allowed origin): `SameSite=None; Secure; Partitioned` (CHIPS) with
 *   `__Host-`, kept by the browser for that embedding site only. Browsers treat http://localhost as
 *   secure, so this works in development too.
 * `isAllowed` is the origin policy: a cookie is never shaped for a page the server does not serve.
 */
export function cookieJars(config: Pick<Config, 'publicUrl' | 'publicSite' | 'production' | 'port'>, isAllowed: AllowedOrigin) {
  return (c: Context) => cookieJar(c, config, isAllowed);
}

/** One request's cookies (see cookieJars). */
export type CookieJar = ReturnType<typeof cookieJar>;
/** The cookie jar of each request, with the configuration and the origin policy bound at start. */
export type CookieJars = ReturnType<typeof cookieJars>;

function cookieJar(c: Context, config: Pick<Config, 'publicUrl' | 'publicSite' | 'production' | 'port'>, isAllowed: AllowedOrigin) {
  const own = ownOrigin(config, c);
  // Production without PUBLIC_URL: the Host header is all there is to tell same-site from cross-site
  // (a client writing another only shapes its own cookie), and the cookie is Secure whatever it says.
  // PUBLIC_URL is parsed once, at start: every page load passes here (GET /api/session).
  const server = config.publicUrl ?? new URL(own ?? c.req.url);
  const origin = c.req.header('origin');
  // A page the server does not serve gets no cookie at all (its browser could not read the answer).
  const allowed = origin === undefined || (origin !== 'null' && isAllowed(origin, c));
  const crossSite = origin !== undefined && allowed && isCrossSite(origin, server.origin, config.publicSite);
  const secure = crossSite || own === undefined || !(server.protocol === 'http:' && LOCAL_HOSTS.has(server.hostname));
  const options = (maxAgeSeconds: number | null): CookieOptions => ({
    httpOnly: true,
    path: '/',
    ...(maxAgeSeconds !== null && { maxAge: Math.max(0, Math.floor(maxAgeSeconds)) }),
    ...(crossSite
      ? { secure: true, prefix: 'host' as const, sameSite: 'None' as const, partitioned: true }
      : secure
        ? { secure: true, prefix: 'host' as const, sameSite: 'Lax' as const }
        : { sameSite: 'Lax' as const }),
  });
  // Where this server sets __Host- cookies, only they count: any host of the site (a sibling
  // subdomain, a plain-http page on it) can plant an unprefixed cookie of the same name and sign
  // this browser in to an account of its choosing (login fixation, SECURITY-PLAN 31). Only on
  // plain-http localhost, where first-party cookies are unprefixed, is the unprefixed one read.
  const read = (name: string) => (secure ? getCookie(c, name, 'host') : (getCookie(c, name) ?? getCookie(c, name, 'host')));

  return {
    crossSite,
    /** False for a page on an origin the server does not serve: nothing about its device changes. */
    allowed,
    deviceToken: () => read(DEVICE),
    signedOutBefore: () => read(SIGNED_OUT) === '1',
    /**
     * Remembers the device until `expiresAt`, or for this browser session only (`expiresAt` null:
     * "Don't remember this browser"), and forgets any earlier sign-out.
     */
    remember(token: string, expiresAt: number | null, now: number) {
      if (!allowed) return;
      setCookie(c, DEVICE, token, options(expiresAt === null ? null : (expiresAt - now) / 1000));
      if (read(SIGNED_OUT) !== undefined) deleteCookie(c, SIGNED_OUT, options(0));
    },
    signOut(hintSeconds: number) {
      if (!allowed) return;
      deleteCookie(c, DEVICE, options(0));
      setCookie(c, SIGNED_OUT, '1', options(hintSeconds));
    },
  };
}
