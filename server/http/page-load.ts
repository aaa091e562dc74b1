import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Config } from '../config/config.ts';
import { publicContact, type Contact } from '../contacts/contacts.ts';
import { publicDevice, type DeviceService } from '../contacts/devices.ts';
import type { Logger } from '../log.ts';
import { corsHeaders } from './cors.ts';
import type { AllowedOrigin, RequestView } from './origins.ts';
import { requestLine } from './request-log.ts';
import { API_ANSWER_HEADERS, apiSecurityHeaders, strictTransport } from './security-headers.ts';
import { currentSession, embedded, type CookieJar, type CookieJars } from './session-cookies.ts';

const PATH = '/api/session';

/**
 * What GET /api/session answers (SPEC, exact): who this browser is signed in as, or why not, and
 * the contact when it is (for an identity token the route adds).
 */
export async function sessionAnswer(jar: CookieJar, devices: DeviceService): Promise<{ answer: object; contact?: Contact }> {
  const session = await currentSession(jar, devices);
  if (!session.signedIn) {
    const reason = session.reason === 'no_cookie' && jar.signedOutBefore() ? 'signed_out' : session.reason;
    return { answer: { signedIn: false, reason, ...embedded(jar) } };
  }
  const answer = { signedIn: true, contact: publicContact(session.contact), device: publicDevice(session.device), ...embedded(jar) };
  return { answer, contact: session.contact };
}

// The host names @hono/node-server takes as they are: anything else goes to Hono, which checks it.
const PLAIN_HOST = /^[a-z0-9._-]+(?::(?:[1-5]\d{3,4}|[6-9]\d{3}))?$/;

/**
 * The session check every page load makes, answered from Node's own message before Hono sees it:
 * the same status, headers, body, cookies and log line as the route in server/app.ts, without
 * Hono's request, context, middleware chain and WHATWG Headers (a quarter of the cost of a page
 * load's check; npm run bench:http). Only a plain `GET /api/session` (no query, so no identity
 * token) to a server serving this app at its root comes here; everything else, and any error (the
 * storage down answers 503 there), goes to `fallback`: Hono's listener.
 * test/server/http/page-load.test.ts compares both answers, request by request.
 * @example createServer(pageLoads(getRequestListener(app.fetch))).listen(3000)
 */
export function createPageLoads({ config, devices, jarOf, isAllowed, log }: {
  config: Pick<Config, 'publicUrl'>;
  devices: DeviceService;
  jarOf: CookieJars;
  isAllowed: AllowedOrigin;
  log: Logger;
}) {
  // Until secureHeaders() has said its headers (a moment after start), Hono answers; and for good
  // if it cannot say them (a Hono that reads more of its context than the answer's headers).
  let security: string[] | undefined;
  apiSecurityHeaders().then(
    (pairs) => (security = [...pairs, ...API_ANSWER_HEADERS].flat()),
    (error: Error) => log.warn(`Page loads' session checks are answered through Hono, a little slower; sign-in works as before. Hono's security headers could not be read ahead (${error.message}): report it with your Hono version.`),
  );

  const answer = async (req: IncomingMessage, res: ServerResponse, host: string, fixed: string[]) => {
    const started = performance.now();
    const url = `${(req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http'}://${host}${PATH}`;
    const view: RequestView = { req: { url, header: (name) => headerOf(req, name) }, env: { incoming: req } };
    const cookies: string[] = [];
    const { answer } = await sessionAnswer(jarOf.of(view, (line) => cookies.push(line)), devices);
    const body = JSON.stringify(answer);
    const id = randomUUID();
    const headers = ['Content-Type', 'application/json', 'X-Request-Id', id, ...fixed];
    const hsts = strictTransport(config, url);
    if (hsts) headers.push(...hsts);
    const origin = view.req.header('origin');
    if (origin) for (const pair of corsHeaders(isAllowed, view, origin)) headers.push(...pair);
    for (const cookie of cookies) headers.push('Set-Cookie', cookie);
    headers.push('Content-Length', String(Buffer.byteLength(body)));
    res.writeHead(200, headers);
    res.end(body);
    log.info(requestLine(id, 'GET', PATH, 200, started));
  };

  return (fallback: RequestListener): RequestListener =>
    (req, res) => {
      const host = req.headers.host;
      if (req.method !== 'GET' || req.url !== PATH || security === undefined || host === undefined || !PLAIN_HOST.test(host)) return fallback(req, res);
      answer(req, res, host, security).catch((error: unknown) => {
        if (res.headersSent) return;
        // Hono answers it as the route would have failed (a 503 while the storage is down, its log
        // line), with this error: the check is not run twice, nor waited for twice (R11: within 2 s).
        failures.set(req, error);
        fallback(req, res);
      });
    };
}

const failures = new WeakMap<object, unknown>();

/** Throws what the page-load path met on this request, for the route to fail with the same error. */
export function rethrowPageLoadFailure(incoming: object | undefined) {
  if (incoming && failures.has(incoming)) throw failures.get(incoming);
}

/** A header as @hono/node-server reads it on HTTP/1: Node's own joined value (cookie lines joined with "; "). */
function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return typeof value === 'string' ? value : undefined;
}
