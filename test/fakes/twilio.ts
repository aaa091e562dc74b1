import { randomBytes } from 'node:crypto';
import { json, listen, type Behaviour } from './http.ts';

/** An SMS as Twilio's Messages API received it (form fields, plus who authenticated). */
export interface TwilioMessage {
  accountSid: string;
  auth: string;
  To: string;
  From?: string;
  MessagingServiceSid?: string;
  Body: string;
  StatusCallback?: string;
  sid: string;
}

const error = (status: number, code: number, message: string): Behaviour => ({
  status,
  body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
});

/** Twilio's answers for the errors tests ask for. */
export const twilioErrors = {
  unsubscribed: error(400, 21610, 'Attempt to send to unsubscribed recipient'),
  notMobile: error(400, 21614, "'To' number is not a valid mobile number"),
  invalidNumber: error(400, 21211, "Invalid 'To' Phone Number"),
  rateLimited: error(429, 20429, 'Too Many Requests'),
  serverError: error(500, 20500, 'Internal Server Error'),
};

/**
 * A local stand-in for Twilio's Messages API
 * (`POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded, basic auth), for the real
 * `twilio` client to talk to. `next` lists how to answer the coming requests; then it answers 'ok'.
 */
export async function startFakeTwilio() {
  const messages: TwilioMessage[] = [];
  const next: Behaviour[] = [];
  let requests = 0;
  const server = await listen((req, body, res) => {
    const match = req.url?.match(/^\/2010-04-01\/Accounts\/(AC\w+)\/Messages\.json$/);
    if (req.method !== 'POST' || !match) return json(res, 404, { code: 20404, message: 'Not found', status: 404 });
    requests++;
    const behaviour = next.shift() ?? 'ok';
    if (behaviour === 'hang') return;
    if (behaviour !== 'ok') return json(res, behaviour.status, behaviour.body);
    const form = Object.fromEntries(new URLSearchParams(body)) as Record<string, string>;
    const auth = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
    const sid = `SM${randomBytes(16).toString('hex')}`;
    messages.push({ ...(form as unknown as Omit<TwilioMessage, 'accountSid' | 'auth' | 'sid'>), accountSid: match[1]!, auth, sid });
    json(res, 201, {
      sid,
      account_sid: match[1],
      to: form.To,
      from: form.From ?? null,
      messaging_service_sid: form.MessagingServiceSid ?? null,
      body: form.Body,
      status: 'queued',
      num_segments: '1',
      direction: 'outbound-api',
      date_created: new Date().toUTCString(),
      uri: `/2010-04-01/Accounts/${match[1]}/Messages/${sid}.json`,
    });
  });
  return { ...server, messages, next, requests: () => requests };
}

export type FakeTwilio = Awaited<ReturnType<typeof startFakeTwilio>>;
