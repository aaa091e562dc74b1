import type { Context } from 'hono';
import { generateCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import { tryDecodeURIComponent } from 'hono/utils/url';
import type { Config } from '../config/config.ts';
import { LOCAL_HOSTS, ownOrigin, type AllowedOrigin, type RequestView } from './origins.ts';
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

// Only said when true, so a same-site deployment's answers keep SPEC's exact shape: the widget
// then knows its cookie is a partitioned, third-party one (R6 explains what that costs).
export const embedded = (jar: { crossSite: boolean }) => (jar.crossSite ? { crossSite: true as const } : {});

/**
 * The cookies of one request, with the attributes R5 asks for:
 * - same-site page (or no Origin): `SameSite=Lax`, `Secure` with the `__Host-` prefix everywhere
 *   except plain-http localhost, where browsers would drop a Secure cookie;
 * - a page on another site (an allowed origin): `SameSite=None; Secure; Partitioned` (CHIPS) with
 *   `__Host-`, kept by the browser for that embedding site only. Browsers treat http://localhost as
 *   secure, so this works in development too.
 * `isAllowed` is the origin policy: a cookie is never shaped for a page the server does not serve.
 */
export function cookieJars(config: CookieConfig, isAllowed: AllowedOrigin) {
  return Object.assign((c: Context) => cookieJar(c, (line) => c.header('Set-Cookie', line, { append: true }), config, isAllowed), {
    /** The jar of a request outside Hono (the page-load check): its Set-Cookie lines go to `setCookie`. */
    of: (request: RequestView, setCookie: (line: string) => void) => cookieJar(request, setCookie, config, isAllowed),
  });
}

type CookieConfig = Pick<Config, 'publicUrl' | 'publicSite' | 'production' | 'port'>;
/** One request's cookies (see cookieJars). */
export type CookieJar = ReturnType<typeof cookieJar>;
/** The cookie jar of each request, with the configuration and the origin policy bound at start. */
export type CookieJars = ReturnType<typeof cookieJars>;

/** A cookie of the request, as Hono's getCookie() reads it: `__Host-` before the name with `prefix` 'host'. */
function cookieOf(c: RequestView, name: string, prefix?: 'host'): string | undefined {
  const header = c.req.header('cookie');
  return header ? cookieValue(header, prefix === 'host' ? `__Host-${name}` : name) : undefined;
}

// What Hono's cookie parser takes as a value, and the whitespace it trims (spaces and tabs).
const COOKIE_VALUE = /^[ !#-:<-[\]-~]*$/;
const trimmed = (text: string, from: number, to: number) => {
  while (from < to && (text.charCodeAt(from) === 32 || text.charCodeAt(from) === 9)) from++;
  while (to > from && (text.charCodeAt(to - 1) === 32 || text.charCodeAt(to - 1) === 9)) to--;
  return text.slice(from, to);
};

/**
 * The value of the cookie `name` in a Cookie header, exactly as Hono's parse(header, name) finds
 * it (the first pair of that name with a valid value, unquoted, percent-decoded), without building
 * the map of every cookie: a seventh of its cost, on every page load's session check.
 * test/server/http/cookie-value.test.ts compares both on many headers.
 */
export function cookieValue(header: string, name: string): string | undefined {
  if (header.indexOf(name) === -1) return undefined;
  for (let at = 0; at <= header.length; ) {
    let end = header.indexOf(';', at);
    if (end === -1) end = header.length;
    const equals = header.indexOf('=', at);
    if (equals !== -1 && equals < end && trimmed(header, at, equals) === name) {
      let value = trimmed(header, equals + 1, end);
      if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      if (COOKIE_VALUE.test(value)) return tryDecodeURIComponent(value);
    }
    at = end + 1;
  }
  return undefined;
}

function cookieJar(c: RequestView, setCookie: (line: string) => void, config: CookieConfig, isAllowed: AllowedOrigin) {
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
  const read = (name: string) => (secure ? cookieOf(c, name, 'host') : (cookieOf(c, name) ?? cookieOf(c, name, 'host')));

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
      setCookie(generateCookie(DEVICE, token, options(expiresAt === null ? null : (expiresAt - now) / 1000)));
      if (read(SIGNED_OUT) !== undefined) setCookie(generateCookie(SIGNED_OUT, '', options(0)));
    },
    signOut(hintSeconds: number) {
      if (!allowed) return;
      setCookie(generateCookie(DEVICE, '', options(0)));
      setCookie(generateCookie(SIGNED_OUT, '1', options(hintSeconds)));
    },
  };
}
