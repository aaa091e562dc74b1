import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import { LOCAL_HOSTS } from './origins.ts';

const DEVICE = 'otp-device';
// Says only "this browser signed out here", so a later visit can explain why a code is needed
// even though the device cookie itself is gone (SPEC: sign-out clears the cookie).
const SIGNED_OUT = 'otp-signed-out';


/**
 * Cookies are Secure (with the `__Host-` prefix: no Domain, Path=/) everywhere except plain-http
 * localhost, where browsers would drop a Secure cookie and development must still work.
 */
export function cookieJar(c: Context, publicUrl: URL | undefined) {
  const url = publicUrl ?? new URL(c.req.url);
  const secure = !(url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname));
  const options = (maxAgeSeconds: number): CookieOptions => ({
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    maxAge: Math.max(0, Math.floor(maxAgeSeconds)),
    ...(secure ? { secure: true, prefix: 'host' as const } : {}),
  });
  const prefix = secure ? ('host' as const) : undefined;

  return {
    deviceToken: () => getCookie(c, DEVICE, prefix),
    signedOutBefore: () => getCookie(c, SIGNED_OUT, prefix) === '1',
    /** Remembers the device until `expiresAt` and forgets any earlier sign-out. */
    remember(token: string, expiresAt: number, now: number) {
      setCookie(c, DEVICE, token, options((expiresAt - now) / 1000));
      if (getCookie(c, SIGNED_OUT, prefix) !== undefined) deleteCookie(c, SIGNED_OUT, options(0));
    },
    signOut(hintSeconds: number) {
      deleteCookie(c, DEVICE, options(0));
      setCookie(c, SIGNED_OUT, '1', options(hintSeconds));
    },
  };
}
