import { isIP } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { Config } from './config.ts';
import type { LogVariables } from './request-log.ts';
import { apiError } from './errors.ts';

export type Env = { Bindings: Partial<HttpBindings>; Variables: LogVariables };

/** Host names that only ever mean this machine. */
export const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const LOOPBACK_PEERS = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** The page origins that may call the API with credentials: the server itself and ALLOWED_ORIGINS. */
export function originPolicy(config: Config) {
  return (origin: string, c: Context) =>
    origin === new URL(c.req.url).origin || origin === config.publicUrl?.origin || config.allowedOrigins.includes(origin);
}

/** Bodies a page on another site can post without asking first (no CORS preflight). */
const SIMPLE_CONTENT_TYPE = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\b/i;

/**
 * CSRF (SECURITY-PLAN 40), stricter than Hono's csrf(), which checks only form-like bodies and lets
 * a request without an Origin through: every state-changing request must name an Origin that is
 * ours or in ALLOWED_ORIGINS (a backend calling the API sends its site's origin), and its body must
 * be one a browser preflights (JSON; CSV for the admin's import), never a form or plain text.
 * Sec-Fetch-Site: cross-site is fine only with an allowed Origin: an embedding site is cross-site.
 */
export function refuseForeignOrigins(isAllowed: ReturnType<typeof originPolicy>): MiddlewareHandler<Env> {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next();
    const origin = c.req.header('origin');
    if (!origin) return apiError(c, 'forbidden_origin', {}, 'This request names no Origin. Browsers send it on their own; a backend must send its site’s origin, such as Origin: https://www.example.com.');
    if (!isAllowed(origin, c)) return apiError(c, 'forbidden_origin');
    const type = c.req.header('content-type') ?? '';
    if (SIMPLE_CONTENT_TYPE.test(type) || type === '') return apiError(c, 'unsupported_media_type');
    return next();
  };
}

/** The socket's peer: the client itself, or the reverse proxy in front of this server. */
export const peerAddress = (c: Context<Env>) => c.env?.incoming?.socket?.remoteAddress ?? 'unknown';

/**
 * The client's address, the key of the per-IP limits. Without TRUST_PROXY it is the socket's peer
 * and every forwarding header is ignored: anyone can send one. With TRUST_PROXY naming a header,
 * the last address in it is the one our proxy wrote (a client can only add entries before it);
 * a header that is missing or holds no address falls back to the peer.
 */
export function clientIp(c: Context<Env>, trustProxy: string | undefined): string {
  const forwarded = trustProxy ? c.req.header(trustProxy)?.split(',').at(-1)?.trim() : undefined;
  return forwarded && isIP(forwarded) ? forwarded : peerAddress(c);
}

/**
 * Only for a person on this machine: a loopback peer asking for a localhost URL. A reverse proxy
 * on the same machine is a loopback peer too, but forwards the public host name, so it is refused.
 */
export function onlyThisMachine(): MiddlewareHandler<Env> {
  return async (c, next) =>
    LOOPBACK_PEERS.has(peerAddress(c)) && LOCAL_HOSTS.has(new URL(c.req.url).hostname) ? next() : apiError(c, 'not_found');
}
