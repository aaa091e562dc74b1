/**
 * Receiving otp-login's events (WEBHOOK_URL) in the site's backend: check the signature over the
 * raw body with WEBHOOK_SECRET, refuse an old timestamp (a replay), and drop an event id seen
 * before (a retry of one already handled). Then keep the CRM in step: opt-outs, sign-ins.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Whether `header` (Otp-Login-Signature) signs `rawBody` with `secret`, made within `toleranceSeconds`. */
export function isSignedByOtpLogin(header: string | undefined, rawBody: string, secret: string, { now = Date.now(), toleranceSeconds = 300 } = {}): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match) return false;
  const [, t, v1] = match as unknown as [string, string, string];
  if (Math.abs(now / 1000 - Number(t)) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}

/** One event from otp-login, as its JSON body says. */
export interface OtpLoginEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
}

/**
 * What a backend's webhook route does with each request: checks the signature over the raw body,
 * then hands each event to `onEvent` once (a retry repeats its id). Answers whether it was signed.
 * @example
 * const receive = eventReceiver(process.env.WEBHOOK_SECRET, (event) => crm.update(event));
 * receive(signatureHeader, rawBody); // true: answer 204; false: 401
 */
export function eventReceiver(secret: string | undefined, onEvent: (event: OtpLoginEvent) => void) {
  const seen = new Set<string>();
  return (signatureHeader: string | undefined, rawBody: string): boolean => {
    if (!secret || !isSignedByOtpLogin(signatureHeader, rawBody, secret)) return false;
    const event = JSON.parse(rawBody) as OtpLoginEvent;
    if (!seen.has(event.id)) {
      seen.add(event.id);
      onEvent(event);
    }
    return true;
  };
}
