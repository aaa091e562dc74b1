import type { RunningServer } from './server.ts';

/**
 * Requests to several instances as a load balancer at `publicUrl` passes them on: the page's
 * Origin, the client's address in X-Forwarded-For (the servers run with TRUST_PROXY=x-forwarded-for).
 * Each request comes from another address unless `from` is given, so per-IP limits stay out of the way.
 */
export function balancedClient(publicUrl: string) {
  let ip = 0;
  const send = (to: RunningServer, path: string, body?: object, { cookie, from = `203.0.113.${++ip % 250}` }: { cookie?: string; from?: string } = {}) =>
    fetch(`${to.url}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { origin: publicUrl, 'x-forwarded-for': from, ...(body && { 'content-type': 'application/json' }), ...(cookie && { cookie }) },
      ...(body && { body: JSON.stringify(body) }),
    });
  /** The messages in `to`'s development outbox (each instance has its own, in memory), newest first. */
  const outbox = async (to: RunningServer, address: string) =>
    ((await (await fetch(`${to.url}/dev/outbox.json?to=${encodeURIComponent(address)}`)).json()) as { messages: Array<{ text: string; channel: string }> }).messages;
  /**
   * The newest code in `to`'s development outbox for `address`, waiting up to 2 s for it. `after`:
   * the number of messages there before the request, so that an earlier code is not taken for the
   * new one still on its way (the message goes out after the 202).
   */
  const codeIn = async (to: RunningServer, address: string, after = 0) => {
    for (let i = 0; i < 40; i++) {
      const messages = await outbox(to, address);
      const code = messages.length > after && /\b(\d{6})\b/.exec(messages[0]!.text)?.[1];
      if (code) return code;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no code for ${address} in ${to.url}'s outbox`);
  };
  const cookieOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { send, outbox, codeIn, cookieOf };
}
