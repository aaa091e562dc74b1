import type { MiddlewareHandler } from 'hono';
import { requestId, type RequestIdVariables } from 'hono/request-id';
import type { Logger } from './log.ts';

/** What a request's log line may carry besides the request: the masked identifier it was about. */
export type LogVariables = RequestIdVariables & { who?: string };

/**
 * One line per answered request: its id (also in the X-Request-Id header, so a person's report
 * can be found), method, path without the query string (a sign-in link's token is there),
 * status, time, and — for code requests and verifies — the masked identifier (j•••@example.com).
 * Never a body, a cookie, a code or a token (SECURITY-PLAN 16).
 */
export function requestLog(log: Logger): MiddlewareHandler<{ Variables: LogVariables }>[] {
  return [
    requestId(),
    async (c, next) => {
      const started = performance.now();
      await next();
      const ms = (performance.now() - started).toFixed(1);
      const who = c.get('who');
      log.info(`${c.get('requestId')} ${c.req.method} ${c.req.path} ${c.res.status} ${ms}ms${who ? ` ${who}` : ''}`);
    },
  ];
}
