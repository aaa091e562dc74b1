import { isIP } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { Config } from '../config/config.ts';
import type { LogVariables } from './request-log.ts';
import { apiError } from './errors.ts';

export type Env = { Bindings: Partial<HttpBindings>; Variables: LogVariables };

/** Host names that only ever mean this machine. */
export const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const LOOPBACK_PEERS = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** The names a server on this machine answers to in a browser, at one scheme and port (as URL.port writes it). */
const localOrigins = (protocol: string, port: string) => [...LOCAL_HOSTS].map((host) => `${protocol}//${host}${port ? `:${port}` : ''}`);

/**
 * What the origin rules read of a request: its URL, its headers and the socket it came on. A Hono
 * Context is one; so is the page-load check's view of Node's own message (server/http/page-load.ts).
 */
export interface RequestView {
  req: { url: string; header(name: string): string | undefined };
  env?: { incoming?: { socket?: { localPort?: number | undefined } | undefined } | undefined } | undefined;
}

/** The port this server listens on, as URL.port writes it: the socket's (a mounted app's server may use any), else PORT. */
function listeningPort(c: RequestView, config: Pick<Config, 'port'>): string {
  const port: number = c.env?.incoming?.socket?.localPort ?? config.port;
  return port === 80 ? '' : String(port);
}

/**
 * This server's own origin, from the configuration and the socket, never from the Host header (which
 * any client writes, and a proxy may rewrite): PUBLIC_URL's origin; in development without it, the
 * localhost form the request used, else http://localhost at the listening port. Undefined in
 * production without PUBLIC_URL: then nothing tells it.
 */
export function ownOrigin(config: Pick<Config, 'publicUrl' | 'production' | 'port'>, c: RequestView): string | undefined {
  if (config.publicUrl) return config.publicUrl.origin;
  if (config.production) return undefined;
  const forms = localOrigins('http:', listeningPort(c, config));
  const requested = new URL(c.req.url).origin;
  return forms.includes(requested) ? requested : forms[0];
}

/**
 * The page origins that may call the API with credentials, and whose host may end an SMS
 * (SECURITY-PLAN 29, 39): PUBLIC_URL's origin and ALLOWED_ORIGINS; in development also the
 * localhost forms of this server (PUBLIC_URL's, or without it http://localhost, 127.0.0.1 and
 * [::1] at the listening port). Never the request's own URL: its host is the Host header, so
 * `Host: evil.example` would make a page on evil.example "this server".
 */
/** Whether a page at `origin` may use this server. */
export type AllowedOrigin = (origin: string, c: RequestView) => boolean;

export function originPolicy(config: Config): AllowedOrigin {
  const fixed = new Set(config.allowedOrigins);
  if (config.publicUrl) {
    const local = !config.production && config.publicUrl.protocol === 'http:' && LOCAL_HOSTS.has(config.publicUrl.hostname);
    for (const origin of local ? localOrigins('http:', config.publicUrl.port) : [config.publicUrl.origin]) fixed.add(origin);
  }
  return (origin: string, c: RequestView) =>
    fixed.has(origin) || (!config.publicUrl && !config.production && localOrigins('http:', listeningPort(c, config)).includes(origin));
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
export function refuseForeignOrigins(isAllowed: AllowedOrigin): MiddlewareHandler<Env> {
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
 * The key the per-IP limits count a client under: an IPv4 address as it is (also when written
 * IPv4-mapped, ::ffff:192.0.2.1, as a dual-stack socket reports it), an IPv6 address by its /64,
 * fully expanded. A /64 is one subscriber's network, inside which a client may take any of 2^64
 * addresses, so counting whole IPv6 addresses would limit nobody.
 * @example perIpKey('2001:db8:0:1::5') // '2001:0db8:0000:0001::/64'
 */
export function perIpKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const groups = hextets(address);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16).padStart(4, '0')).join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address, with :: expanded and an IPv4 tail as two groups. */
function hextets(address: string): number[] {
  let text = address.split('%')[0]!; // a zone id (fe80::1%eth0) names an interface, not an address
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((g) => parseInt(g, 16));
}

/**
 * Only for a person on this machine: a loopback peer asking for a localhost URL. A reverse proxy
 * on the same machine is a loopback peer too, but forwards the public host name, so it is refused.
 */
export function onlyThisMachine(): MiddlewareHandler<Env> {
  return async (c, next) =>
    LOOPBACK_PEERS.has(peerAddress(c)) && LOCAL_HOSTS.has(new URL(c.req.url).hostname) ? next() : apiError(c, 'not_found');
}
