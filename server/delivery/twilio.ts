import type RequestClient from 'twilio/lib/base/RequestClient.js';
import { DeliveryError, type DeliveryFailure, type OutgoingMessage, type Sender } from './messages.ts';

export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  /** A sending number (E.164) or a Messaging Service: exactly one. */
  from?: string | undefined;
  messagingServiceSid?: string | undefined;
  /** Where Twilio reports delivery: PUBLIC_URL + /webhooks/twilio/status; none without a public URL. */
  statusCallback?: string | undefined;
  /** Another API address (a local fake in tests, a proxy); default https://api.twilio.com. */
  apiUrl?: URL | undefined;
  timeoutMs?: number;
}

// Twilio's codes for "this number will not get our message": replied STOP (21610), not a valid
// or not an SMS-capable mobile number (21211, 21614, 21612, 21408).
const OPTED_OUT = new Set([21610]);
const NOT_A_MOBILE = new Set([21211, 21214, 21408, 21612, 21614]);
// Wrong credentials or sender: no message will go out until the settings are fixed.
const SYSTEMIC = new Set([20003, 20404, 21212, 21606, 21659, 21701, 21702, 21703, 21704]);

/** What Twilio's client throws: a RestException with `status` (HTTP) and `code` (Twilio's). */
function classify(error: unknown): DeliveryFailure {
  const { status, code, message } = error as { status?: number; code?: number; message?: string };
  const text = message ?? String(error);
  if (code !== undefined && OPTED_OUT.has(code)) return { kind: 'suppressed', code: String(code), text };
  if (code !== undefined && NOT_A_MOBILE.has(code)) return { kind: 'rejected', code: String(code), text };
  if (status === 401 || (code !== undefined && SYSTEMIC.has(code))) return { kind: 'systemic', code: String(code ?? status), text };
  if (status === 429 || (status !== undefined && status >= 500)) return { kind: 'transient', code: String(code ?? status), text };
  if (status === undefined) return { kind: 'transient', code: 'network', text };
  return { kind: 'rejected', code: String(code ?? status), text };
}

/** SMS through Twilio's official client (`messages.create`), loaded only when configured. */
export async function createTwilioSender(options: TwilioOptions): Promise<Sender> {
  const { default: twilio } = await import('twilio');
  const timeout = options.timeoutMs ?? 15_000;
  let httpClient: RequestClient | undefined;
  if (options.apiUrl) {
    // The client always builds https://api.twilio.com/... addresses; send them to apiUrl instead.
    const base = options.apiUrl;
    httpClient = new (class extends twilio.RequestClient {
      override request<T>(opts: RequestClient.RequestOptions<T>) {
        const uri = new URL(opts.uri);
        return super.request<T>({ ...opts, uri: new URL(uri.pathname + uri.search, base).toString() });
      }
    })({ timeout });
  }
  const client = twilio(options.accountSid, options.authToken, { ...(httpClient ? { httpClient } : { timeout }) });
  return {
    provider: 'twilio',
    async send(message: OutgoingMessage) {
      try {
        const sent = await client.messages.create({
          to: message.to,
          body: message.text,
          ...(options.messagingServiceSid ? { messagingServiceSid: options.messagingServiceSid } : { from: options.from! }),
          // The delivery id rides in the callback URL (which Twilio signs), so a callback finds its
          // row even if it arrives before the answer to this request.
          ...(options.statusCallback && { statusCallback: `${options.statusCallback}?d=${encodeURIComponent(message.deliveryId)}` }),
        });
        return { provider: 'twilio', providerMessageId: sent.sid };
      } catch (error) {
        throw new DeliveryError(classify(error));
      }
    },
  };
}
