import type { Context, MiddlewareHandler } from 'hono';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import type { Config } from '../config/config.ts';
import { localPath } from './mount.ts';

/**
 * The headers on every answer (SECURITY-PLAN 41), through Hono's secureHeaders(): nosniff, no
 * referrer, no framing, and a Content-Security-Policy for the pages we serve (the demo, /admin,
 * the sign-in link page, the development outbox) that runs only our own scripts and styles, plus
 * the inline ones carrying this answer's nonce. Lit's styles are constructed stylesheets, which
 * CSP does not block. The widget script keeps no Cross-Origin-Resource-Policy: other sites load it.
 * HSTS only when the server is reached over https (PUBLIC_URL or the request itself): over plain
 * http on localhost a browser ignores it anyway, and it would pin a developer's localhost to https.
 */
export function securityHeaders(config: Config): MiddlewareHandler {
  const api = secureHeaders(API_OPTIONS);
  const pages = secureHeaders({
      strictTransportSecurity: false,
      crossOriginResourcePolicy: false,
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", NONCE],
        styleSrc: ["'self'", NONCE],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    });
  return async (c, next) => {
    // JSON answers run no script, so the CSP and its nonce (a random draw each) are for pages only.
    await (localPath(c).startsWith('/api/') ? api : pages)(c, next);
    const hsts = strictTransport(config, c.req.url);
    if (hsts) answerHeaders(c).set(...hsts);
  };
}

const API_OPTIONS = { strictTransportSecurity: false, crossOriginResourcePolicy: false } as const;

/**
 * The headers secureHeaders() gives every API answer, read once from the middleware itself, for an
 * answer made outside Hono (server/http/page-load.ts): the same names and values, whatever Hono's
 * version adds.
 */
export async function apiSecurityHeaders(): Promise<[string, string][]> {
  const headers = new Headers();
  await secureHeaders(API_OPTIONS)({ res: { headers } } as never, async () => {});
  return [...headers];
}

/** HSTS, when the server is reached over https (PUBLIC_URL, or the request's own URL). */
export const strictTransport = (config: Pick<Config, 'publicUrl'>, url: string): [string, string] | undefined =>
  config.publicUrl?.protocol === 'https:' || url.startsWith('https:') ? ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'] : undefined;

/**
 * The headers of the answer a handler already gave, for a middleware to add to after `next()`.
 * Not `c.header()`: once the answer is final it asks for the answer's body to copy it into a new
 * one, and @hono/node-server then builds a whole WHATWG Response and streams the JSON through it
 * (npm run bench:http). The answer's own headers are changed in place instead.
 */
export const answerHeaders = (c: Context): Headers => c.res.headers;

/** The nonce an inline `<script>` or `<style>` of this answer must carry. */
export const nonceOf = (c: Context): string => (c.get('secureHeadersNonce' as never) as string | undefined) ?? '';

/** On every answer under /api/: never cached (it is about one browser), and it differs by the page asking. */
export const API_ANSWER_HEADERS: readonly [string, string][] = [
  ['Cache-Control', 'no-store'],
  ['Vary', 'Origin'],
];
