import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Env } from './origins.ts';

const utf8 = new TextDecoder();

/**
 * A request's body, read once and refused past `maxBytes` (SPEC R8: 413, nothing stored).
 * On Node (@hono/node-server) it is read straight from the socket's message and handed to Hono's
 * body cache, so `c.req.text()`, `.json()` and `.arrayBuffer()` answer from memory: reading it
 * through `c.req` instead makes @hono/node-server build a whole WHATWG Request, its Headers and a
 * web stream for every code request and verify (npm run bench:http). Elsewhere (a site mounting
 * the app on another runtime) Hono's own bodyLimit does the same job.
 * @example app.post('/api/codes', bodyWithin(8 * 1024, tooLarge), handler)
 */
export function bodyWithin(maxBytes: number, tooLarge: (c: Context) => Response | Promise<Response>): MiddlewareHandler<Env> {
  const elsewhere = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async (c, next) => {
    // A GET or HEAD has no body, and asking Hono for one builds a whole WHATWG Request on every
    // page load's session check (npm run bench:http: 2,900 → 4,200 a second).
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const incoming = c.env?.incoming;
    // Node's own message, untouched by anything before us; or else Hono's reader takes it from here.
    if (typeof incoming?.[Symbol.asyncIterator] !== 'function' || incoming.readableDidRead || Object.keys(c.req.bodyCache).length > 0) return elsewhere(c, next);
    if (Number(incoming.headers['content-length']) > maxBytes) return tooLarge(c);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of incoming as AsyncIterable<Buffer>) {
      size += chunk.length;
      // Not read further: Node drops the rest with the connection once the 413 is answered.
      if (size > maxBytes) return tooLarge(c);
      chunks.push(chunk);
    }
    const bytes = Buffer.concat(chunks, size);
    // Hono keeps promises there (its type says otherwise).
    const cache = c.req.bodyCache as Record<string, Promise<unknown>>;
    cache.arrayBuffer = Promise.resolve(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + size));
    // As Request.text() decodes: UTF-8, a byte-order mark dropped, bad bytes as U+FFFD.
    cache.text = Promise.resolve(utf8.decode(bytes));
    await next();
  };
}
