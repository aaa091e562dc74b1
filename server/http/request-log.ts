import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { forLog, type Logger } from '../log.ts';

/** What a request's log line may carry besides the request: its id and the masked identifier it was about. */
export type LogVariables = { requestId: string; who?: string };

/**
 * One line per answered request: its id (also in the X-Request-Id header, so a person's report
 * can be found), method, path without the query string (a sign-in link's token is there),
 * status, time, and — for code requests and verifies — the masked identifier (j•••@example.com).
 * Never a body, a cookie, a code or a token (SECURITY-PLAN 16); what comes from the request is
 * escaped (forLog), so a path cannot write a line of its own. One middleware rather than Hono's
 * requestId() plus a logger: the hot path (GET /api/session) pays for one layer, not two.
 */
export function requestLog(log: Logger): MiddlewareHandler<{ Variables: LogVariables }> {
  return async (c, next) => {
    const started = performance.now();
    const id = randomUUID();
    c.set('requestId', id);
    await next();
    c.res.headers.set('X-Request-Id', id);
    log.info(requestLine(id, c.req.method, c.req.path, c.res.status, started, c.get('who')));
  };
}

/** A request's line: id, method, path, status, time since `started` (performance.now()), and who it was about. */
export const requestLine = (id: string, method: string, path: string, status: number, started: number, who?: string) =>
  `${id} ${forLog(method)} ${forLog(path)} ${status} ${(performance.now() - started).toFixed(1)}ms${who ? ` ${forLog(who)}` : ''}`;
