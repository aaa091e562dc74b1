import type { Context, MiddlewareHandler } from 'hono';
import type { Config } from '../config/config.ts';
import { ownOrigin } from './origins.ts';

/**
 * Where this app sits in a site's own Hono app: '' when it is the whole server (npm start), '/auth'
 * after `app.route('/auth', createOtpLogin())`. Hono copies a mounted app's routes with the prefix
 * added, so the first middleware's route path is the prefix plus "/*"; nothing needs configuring.
 * Reading the route path costs a few microseconds, so it is read again only for a request outside
 * the mount found last (an app mounted twice).
 */
export function mountPoint(): MiddlewareHandler {
  let last: string | undefined;
  return async (c, next) => {
    const path = c.req.path;
    if (last === undefined || !(path === last || path.startsWith(`${last}/`))) last = c.req.routePath.replace(/\/?\*$/, '');
    c.set('mount' as never, last as never);
    await next();
  };
}

/** The prefix this app is mounted under, such as '/auth'; '' at the root. */
export const mountOf = (c: Context): string => (c.get('mount' as never) as string | undefined) ?? '';

/** The request's path inside this app: '/api/session' whether or not it is mounted under /auth. */
export const localPath = (c: Context): string => c.req.path.slice(mountOf(c).length) || '/';

/**
 * The server's own public address: PUBLIC_URL, or else its own origin (ownOrigin: in development a
 * localhost form, whatever Host says) and the mount; in production without PUBLIC_URL, where the
 * request reached it. Use it with publicAddress() for links, webhook URLs and the token issuer.
 */
export const serverUrl = (c: Context, config: Pick<Config, 'publicUrl' | 'production' | 'port'>): URL =>
  config.publicUrl ?? new URL(`${ownOrigin(config, c) ?? new URL(c.req.url).origin}${mountOf(c)}/`);
