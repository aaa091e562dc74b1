import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Clock } from '../clock.ts';
import { publicAddress, type Config } from '../config/config.ts';
import { localPath } from '../http/mount.ts';
import type { DeliveryLog, DeliveryStatus, OptOutSource, OptOutStore } from '../store/deliveries.ts';
import { apiError } from '../http/errors.ts';
import { parseEmail, parsePhone } from '../identifiers.ts';
import { forLog, type Logger } from '../log.ts';
import { recordOptOut } from './opt-out-rules.ts';

const sha256 = (s: string) => createHash('sha256').update(s).digest();
const sameSecret = (a: string, b: string) => timingSafeEqual(sha256(a), sha256(b));

const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']);
const START_WORDS = new Set(['START', 'YES', 'UNSTOP']);

// Twilio's MessageStatus, in our delivery log's words.
const twilioStatus: Record<string, DeliveryStatus> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'sent',
  sent: 'sent',
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
};

// Twilio sends the STOP/START confirmation itself (Advanced Opt-Out): answer with nothing.
const twiml = (c: Context) =>
  c.body('<?xml version="1.0" encoding="UTF-8"?><Response></Response>', 200, { 'content-type': 'text/xml' });

const suppressionSource: Record<string, OptOutSource> = {
  HardBounce: 'bounce',
  SpamComplaint: 'spam_complaint',
  ManualSuppression: 'unsubscribe',
};

type PostmarkEvent = {
  RecordType: string;
  MessageID?: string;
  Metadata?: Record<string, string>;
  Type?: string;
  Inactive?: boolean;
  Description?: string;
  Email?: string;
  Recipient?: string;
  BouncedAt?: string;
  DeliveredAt?: string;
  ChangedAt?: string;
  SuppressSending?: boolean;
  SuppressionReason?: string | null;
};

const TEXT_FIELDS = ['MessageID', 'Type', 'Description', 'Email', 'Recipient', 'BouncedAt', 'DeliveredAt', 'ChangedAt', 'SuppressionReason'] as const;
const FLAG_FIELDS = ['Inactive', 'SuppressSending'] as const;

/**
 * A Postmark event, or what is wrong with the body. Only the fields read here are checked; a null
 * one counts as absent, as Postmark sends some fields as null.
 */
function postmarkEvent(value: unknown): { ok: true; event: PostmarkEvent } | { ok: false; message: string } {
  const wrong = (message: string) => ({ ok: false as const, message: `This is not a Postmark webhook event: ${message}` });
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(value)) return wrong('the body must be one JSON object.');
  if (typeof value.RecordType !== 'string') return wrong('"RecordType" must be text, such as "Bounce".');
  for (const field of TEXT_FIELDS) {
    if (value[field] != null && typeof value[field] !== 'string') return wrong(`"${field}" must be text.`);
  }
  for (const field of FLAG_FIELDS) {
    if (value[field] != null && typeof value[field] !== 'boolean') return wrong(`"${field}" must be true or false.`);
  }
  const { Metadata } = value;
  if (Metadata != null && (!isObject(Metadata) || (Metadata.deliveryId != null && typeof Metadata.deliveryId !== 'string'))) {
    return wrong('"Metadata" must be an object whose "deliveryId" is text.');
  }
  // Nulls dropped, so `?? fallback` below reads them as absent.
  return { ok: true, event: Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null)) as PostmarkEvent };
}

/**
 * Provider webhooks (SPEC's exact paths): what Postmark and Twilio tell us after a message left.
 * Every one is authenticated, idempotent, and never moves a delivery's status backwards.
 */
export function createWebhooks({ config, deliveries, optOuts, seen, clock, log }: {
  config: Config;
  deliveries: DeliveryLog;
  optOuts: OptOutStore;
  /** Records an event id; false when it was recorded before (a replay). */
  seen: (provider: string, eventId: string) => Promise<boolean>;
  clock: Clock;
  log: Logger;
}) {
  const app = new Hono();
  app.use(bodyLimit({ maxSize: 256 * 1024, onError: (c) => apiError(c, 'payload_too_large') }));
  const when = (iso: string | undefined) => (iso && !Number.isNaN(Date.parse(iso)) ? Date.parse(iso) : clock.now());

  // Postmark signs nothing: the webhook URL carries basic-auth credentials. A 403 (not 401) also
  // tells Postmark to stop retrying a request that will never be accepted.
  app.post('/postmark', async (c) => {
    const expected = config.webhooks.postmark;
    const [scheme = '', encoded] = (c.req.header('authorization') ?? '').split(' ');
    const [user = '', password = ''] = Buffer.from(encoded ?? '', 'base64').toString().split(/:(.*)/s);
    // Both compared every time, so the answer's timing says nothing about which one was wrong.
    const userOk = expected ? sameSecret(user, expected.user) : false;
    const passwordOk = expected ? sameSecret(password, expected.password) : false;
    if (scheme.toLowerCase() !== 'basic' || !userOk || !passwordOk) {
      return apiError(c, 'forbidden', {}, 'These webhook credentials are not the ones set in POSTMARK_WEBHOOK_USER and POSTMARK_WEBHOOK_PASSWORD.');
    }
    // A body that is not a Postmark event answers 400 and changes nothing. Postmark retries it (only
    // a 403 stops it), but never sends such a body: whoever did learns what is wrong, and should
    // Postmark's format ever change, its webhook log shows the failures for someone to look at.
    // A well-formed event we have no use for (an Open, an unknown message) answers 200 below:
    // there, a retry could never change anything.
    let parsed: ReturnType<typeof postmarkEvent>;
    try {
      parsed = postmarkEvent(await c.req.json());
    } catch {
      return apiError(c, 'invalid_request', {}, 'A Postmark webhook must send JSON.');
    }
    if (!parsed.ok) return apiError(c, 'invalid_request', {}, parsed.message);
    const { event } = parsed;
    const delivery =
      (event.Metadata?.deliveryId && (await deliveries.findById(event.Metadata.deliveryId))) ||
      (event.MessageID && (await deliveries.findByProviderId('postmark', event.MessageID))) ||
      undefined;
    const address = parseEmail(event.Email ?? event.Recipient ?? '') ?? (delivery?.channel === 'email' ? delivery.recipient : undefined);

    switch (event.RecordType) {
      case 'Delivery':
        if (delivery) await deliveries.advance(delivery.id, { status: 'delivered', at: when(event.DeliveredAt) });
        break;
      case 'Bounce': {
        const at = when(event.BouncedAt);
        if (delivery) await deliveries.advance(delivery.id, { status: 'bounced', at, errorCode: event.Type ?? 'Bounce', errorText: event.Description ?? null });
        if (address && (event.Type === 'HardBounce' || event.Inactive)) {
          await recordOptOut(optOuts, { address, channel: 'email', optedOut: true, source: 'bounce', detail: event.Description ?? event.Type ?? null, at });
        }
        break;
      }
      case 'SpamComplaint':
        if (address) {
          await recordOptOut(optOuts, { address, channel: 'email', optedOut: true, source: 'spam_complaint', detail: 'Marked our email as spam', at: when(event.BouncedAt) });
        }
        break;
      case 'SubscriptionChange':
        if (address) {
          const optedOut = event.SuppressSending === true;
          await recordOptOut(optOuts, {
            address,
            channel: 'email',
            optedOut,
            source: optedOut ? (suppressionSource[event.SuppressionReason ?? ''] ?? 'unsubscribe') : 'resubscribe',
            detail: event.SuppressionReason ?? null,
            at: when(event.ChangedAt),
          });
        }
        break;
      default:
        log.info(`Postmark webhook ${forLog(event.RecordType)} ignored.`);
    }
    return c.body(null, 200);
  });

  // Twilio signs each request (X-Twilio-Signature) over the URL it called and the form fields;
  // the URL is the public one (PUBLIC_URL), which is what Twilio saw, not what a proxy forwards.
  async function signedByTwilio(c: Context): Promise<Record<string, string> | null> {
    const token = config.webhooks.twilioAuthToken;
    const signature = c.req.header('x-twilio-signature');
    if (!token || !signature) return null;
    // Loaded here, not at start: a server without Twilio never pays for it.
    const { default: twilio } = await import('twilio');
    const params = Object.fromEntries(new URLSearchParams(await c.req.text()));
    const requested = new URL(c.req.url);
    const url = config.publicUrl ? publicAddress(config.publicUrl, localPath(c) + requested.search) : requested.toString();
    return twilio.validateRequest(token, signature, url, params) ? params : null;
  }
  const refuse = (c: Context) => apiError(c, 'forbidden', {}, 'The X-Twilio-Signature does not match: check TWILIO_AUTH_TOKEN and PUBLIC_URL.');

  app.post('/twilio/status', async (c) => {
    const params = await signedByTwilio(c);
    if (!params) return refuse(c);
    const status = twilioStatus[params.MessageStatus ?? ''];
    const byId = c.req.query('d');
    const delivery =
      (byId && (await deliveries.findById(byId))) ||
      (params.MessageSid && (await deliveries.findByProviderId('twilio', params.MessageSid))) ||
      undefined;
    if (delivery && status) {
      await deliveries.advance(delivery.id, {
        status,
        at: clock.now(),
        provider: 'twilio',
        ...(params.MessageSid && { providerMessageId: params.MessageSid }),
        ...(params.ErrorCode && { errorCode: params.ErrorCode, errorText: params.ErrorMessage ?? `Twilio error ${params.ErrorCode}` }),
      });
      if (params.ErrorCode === '21610') {
        await recordOptOut(optOuts, { address: delivery.recipient, channel: 'sms', optedOut: true, source: 'stop_reply', detail: 'Twilio 21610', at: clock.now() });
      }
    }
    return c.body(null, 204);
  });

  app.post('/twilio/inbound', async (c) => {
    const params = await signedByTwilio(c);
    if (!params) return refuse(c);
    // Twilio retries a reply it got no answer for: one reply, one change (and a replayed old START
    // cannot lift a newer STOP).
    if (params.MessageSid && !(await seen('twilio', params.MessageSid))) return twiml(c);
    const from = parsePhone(params.From ?? '');
    const word = (params.OptOutType || params.Body || '').trim().toUpperCase();
    if (from && (STOP_WORDS.has(word) || START_WORDS.has(word))) {
      const optedOut = STOP_WORDS.has(word);
      await recordOptOut(optOuts, {
        address: from,
        channel: 'sms',
        optedOut,
        source: optedOut ? 'stop_reply' : 'start_reply',
        detail: `Replied ${word}`,
        at: clock.now(),
      });
    }
    return twiml(c);
  });

  return app;
}
