import type { Context, MiddlewareHandler } from 'hono';
import type { AllowedOrigin, RequestView } from './origins.ts';
import { answerHeaders } from './security-headers.ts';

/**
 * CORS for the API, as Hono's cors() answers it with our options (credentials, GET and POST, a
 * JSON Content-Type, Retry-After readable), for the pages `isAllowed` names. Hono's sets its headers
 * on `c.res` before the handler runs, and every JSON answer then copies that placeholder's body:
 * @hono/node-server builds a whole WHATWG Response for it, twice on every code request and verify
 * a page makes (npm run bench:http). Here they go onto the handler's answer after it, in place.
 * A request without an Origin is not CORS: nothing is added.
 */
export function apiCors(isAllowed: AllowedOrigin, { maxAgeSeconds = 600 } = {}): MiddlewareHandler {
  const allow = (c: Context, headers: Headers, origin: string) => {
    for (const [name, value] of corsHeaders(isAllowed, c, origin)) headers.set(name, value);
  };
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (!origin) return next();
    if (c.req.method === 'OPTIONS') {
      // A preflight: answered here, whatever route it names.
      const headers = new Headers();
      allow(c, headers, origin);
      headers.set('Access-Control-Max-Age', String(maxAgeSeconds));
      headers.set('Access-Control-Allow-Methods', 'GET,POST');
      headers.set('Access-Control-Allow-Headers', 'Content-Type');
      headers.append('Vary', 'Origin');
      headers.append('Vary', 'Access-Control-Request-Headers');
      return new Response(null, { status: 204, statusText: 'No Content', headers });
    }
    await next();
    const headers = answerHeaders(c);
    allow(c, headers, origin);
    headers.append('Vary', 'Origin');
  };
}

/** The CORS headers of an answer to a page at `origin` (a request with an Origin), preflights aside. */
export const corsHeaders = (isAllowed: AllowedOrigin, c: RequestView, origin: string): [string, string][] => [
  ...(isAllowed(origin, c) ? [['Access-Control-Allow-Origin', origin] as [string, string]] : []),
  ['Access-Control-Allow-Credentials', 'true'],
  ['Access-Control-Expose-Headers', 'Retry-After'],
];
