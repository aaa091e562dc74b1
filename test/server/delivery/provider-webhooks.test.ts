import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import twilio from 'twilio';
import type { Sender } from '../../../server/delivery/messages.ts';
import { recordOptOut } from '../../../server/delivery/opt-out-rules.ts';
import { createHarness, type Harness } from '../harness.ts';

const PUBLIC = 'https://login.acme.test';
const TOKEN = 'twilio-auth-token';
const env = { PUBLIC_URL: PUBLIC, POSTMARK_WEBHOOK_USER: 'pm', POSTMARK_WEBHOOK_PASSWORD: 'pm-secret', TWILIO_AUTH_TOKEN: TOKEN };
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Stands in for a provider: takes every message and names it `${prefix}<n>`. */
function provider(name: string, prefix: string): Sender {
  let n = 0;
  return { provider: name, send: async () => ({ provider: name, providerMessageId: `${prefix}${++n}` }) };
}

async function harnessWithDelivery() {
  const h = createHarness({ env, senders: { email: provider('postmark', 'pm-'), sms: provider('twilio', 'SM') } });
  await h.post('/api/codes', { email: 'jo@example.com' });
  await h.post('/api/codes', { phone: '+14155550123' });
  await h.queue.idle();
  /** The delivery the provider named `id` (pm-… is Postmark's, SM… Twilio's). */
  const row = async (id: string) => (await h.deliveries.findByProviderId(id.startsWith('pm-') ? 'postmark' : 'twilio', id))!;
  return { h, email: await row('pm-1'), sms: await row('SM1'), row };
}

const postmark = (h: Harness, event: unknown, auth = basic('pm', 'pm-secret')) =>
  h.post('/webhooks/postmark', event, { headers: { authorization: auth } });

/** Posts form fields to a Twilio webhook, signed as Twilio signs them (or as `sign` says). */
function twilioHook(h: Harness, path: string, params: Record<string, string>, sign: { url?: string; token?: string; fields?: Record<string, string> } | false = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (sign) headers['x-twilio-signature'] = twilio.getExpectedTwilioSignature(sign.token ?? TOKEN, sign.url ?? `${PUBLIC}${path}`, sign.fields ?? params);
  return h.post(path, new URLSearchParams(params).toString(), { headers });
}

describe('Postmark webhooks', () => {
  test('refuse wrong, missing or unconfigured credentials with 403', async () => {
    const { h } = await harnessWithDelivery();
    const event = { RecordType: 'Delivery', MessageID: 'pm-1' };
    assert.equal((await postmark(h, event, basic('pm', 'wrong'))).status, 403);
    assert.equal((await postmark(h, event, basic('other', 'pm-secret'))).status, 403);
    assert.equal((await h.post('/webhooks/postmark', event)).status, 403);
    const bare = createHarness({ env: { PUBLIC_URL: PUBLIC } });
    assert.equal((await postmark(bare, event)).status, 403);
  });

  test('Delivery marks the message delivered', async () => {
    const { h, email, row } = await harnessWithDelivery();
    const res = await postmark(h, { RecordType: 'Delivery', MessageID: 'pm-1', Metadata: { deliveryId: email.id }, DeliveredAt: '2026-11-22T14:00:05Z' });
    assert.equal(res.status, 200);
    assert.equal((await row('pm-1')).status, 'delivered');
  });

  test('a hard bounce suppresses the address with its description and time; ten replays change nothing more', async () => {
    const { h, row } = await harnessWithDelivery();
    const bounce = {
      RecordType: 'Bounce', MessageID: 'pm-1', Type: 'HardBounce', Inactive: true, Email: 'jo@example.com',
      Description: 'The server was unable to deliver your message (ex: unknown user, mailbox not found).', BouncedAt: '2026-11-22T14:01:00Z',
    };
    for (let i = 0; i < 10; i++) {
      assert.equal((await postmark(h, bounce)).status, 200);
      h.clock.advance(1000);
    }
    assert.deepEqual([(await row('pm-1')).status, (await row('pm-1')).errorCode], ['bounced', 'HardBounce']);
    const optOut = await h.optOuts.get('jo@example.com');
    assert.deepEqual(
      [optOut?.optedOut, optOut?.source, optOut?.at, optOut?.detail],
      [true, 'bounce', Date.parse(bounce.BouncedAt), bounce.Description],
    );
    assert.equal((await row('pm-1')).updatedAt, Date.parse(bounce.BouncedAt), 'the row changed once, for the bounce');
    // Lifted later (a newer reactivation), then a replay of the old bounce: it stays lifted.
    await postmark(h, { RecordType: 'SubscriptionChange', Recipient: 'jo@example.com', SuppressSending: false, ChangedAt: '2026-11-22T15:00:00Z' });
    await postmark(h, bounce);
    assert.equal((await h.optOuts.get('jo@example.com'))?.optedOut, false);
    await postmark(h, { ...bounce, BouncedAt: '2026-11-22T16:00:00Z' });
    assert.equal((await h.optOuts.get('jo@example.com'))?.optedOut, true, 'a newer bounce counts again');
    // And no code goes to it any more (the answer stays the same, R3).
    h.clock.advance(31_000);
    const before = (await h.deliveriesTo('jo@example.com')).length;
    assert.equal((await h.post('/api/codes', { email: 'jo@example.com' })).status, 202);
    await h.queue.idle();
    assert.equal((await h.deliveriesTo('jo@example.com')).length, before);
  });

  test('a spam complaint opts the address out of email', async () => {
    const { h } = await harnessWithDelivery();
    await postmark(h, { RecordType: 'SpamComplaint', MessageID: 'pm-1', Email: 'jo@example.com', BouncedAt: '2026-11-22T14:02:00Z' });
    const optOut = await h.optOuts.get('jo@example.com');
    assert.deepEqual([optOut?.optedOut, optOut?.source], [true, 'spam_complaint']);
  });

  test('SubscriptionChange mirrors SuppressSending, and an older change never overrides a newer one', async () => {
    const { h } = await harnessWithDelivery();
    const change = (SuppressSending: boolean, ChangedAt: string, SuppressionReason: string | null) =>
      postmark(h, { RecordType: 'SubscriptionChange', MessageID: 'pm-1', Recipient: 'jo@example.com', SuppressSending, SuppressionReason, ChangedAt });
    await change(true, '2026-11-22T14:00:00Z', 'ManualSuppression');
    assert.deepEqual([(await h.optOuts.get('jo@example.com'))?.optedOut, (await h.optOuts.get('jo@example.com'))?.source], [true, 'unsubscribe']);
    await change(false, '2026-11-22T14:05:00Z', null);
    assert.equal((await h.optOuts.get('jo@example.com'))?.optedOut, false);
    await change(true, '2026-11-22T14:03:00Z', 'ManualSuppression');
    assert.equal((await h.optOuts.get('jo@example.com'))?.optedOut, false, 'the late, older event is ignored');
  });
});

describe('malformed Postmark bodies (issue 12)', () => {
  /** Everything a Postmark webhook may change: deliveries, opt-outs and the replay record among them. */
  const state = async (h: Harness) => JSON.stringify(await h.storage.dump());

  test('each answers 400 invalid_request with a sentence, never a 5xx Postmark would retry, and changes nothing', async () => {
    const { h, email } = await harnessWithDelivery();
    const before = await state(h);
    const bodies = [
      'null', '[]', '[{"RecordType":"Bounce","Type":"HardBounce","Email":"jo@example.com"}]', '"Bounce"', '12', 'true', '{}',
      '{"Type":"HardBounce","Inactive":true,"Email":"jo@example.com"}',
      '{"RecordType":12,"Email":"jo@example.com"}',
      '{"RecordType":"Bounce","Type":"HardBounce","Inactive":true,"Email":12}',
      '{"RecordType":"SpamComplaint","Email":["jo@example.com"]}',
      `{"RecordType":"Bounce","Type":"HardBounce","Inactive":true,"Metadata":{"deliveryId":{"id":"${email.id}"}}}`,
      '{"RecordType":"Delivery","Metadata":["x"],"MessageID":"pm-1"}',
      '{"RecordType":"Delivery","Metadata":"pm-1"}',
      '{"RecordType":"Delivery","MessageID":{"$gt":""}}',
      '{"RecordType":"Bounce","Type":"HardBounce","Inactive":"yes","Email":"jo@example.com"}',
      '{"RecordType":"SubscriptionChange","Recipient":"jo@example.com","SuppressSending":"true"}',
      '{"RecordType":"Bounce","Type":"HardBounce","Email":"jo@example.com","BouncedAt":5}',
      '{"RecordType":"Bounce","Type":["HardBounce"],"Email":"jo@example.com"}',
    ];
    for (const body of bodies) {
      const res = await postmark(h, body);
      const answer = await res.json();
      assert.deepEqual([body, res.status, answer.error.code], [body, 400, 'invalid_request']);
      assert.match(answer.error.message, /^This is not a Postmark webhook event: .+\.$/);
    }
    for (const body of ['', '{', '{"RecordType":"Bounce",}']) assert.equal((await postmark(h, body)).status, 400, body);
    assert.equal(await state(h), before, 'nothing stored');
  });

  test('a well-formed event with nulls, or of a kind we do not use, answers 200 so Postmark stops, and changes nothing', async () => {
    const { h } = await harnessWithDelivery();
    const before = await state(h);
    for (const event of [
      { RecordType: 'Open', MessageID: 'pm-1', Recipient: 'jo@example.com' },
      { RecordType: 'Delivery', MessageID: 'pm-unknown', Metadata: null, Description: null },
      { RecordType: 'Bounce', Type: 'SoftBounce', Email: null, MessageID: 'pm-unknown', Inactive: null },
    ]) {
      assert.equal((await postmark(h, event)).status, 200, JSON.stringify(event));
    }
    assert.equal(await state(h), before);
  });

  test('generated JSON bodies never answer a 5xx', async () => {
    const { h } = await harnessWithDelivery();
    const field = fc.constantFrom('RecordType', 'Type', 'Email', 'Recipient', 'MessageID', 'Metadata', 'Inactive', 'SuppressSending', 'BouncedAt', 'Description');
    const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('Bounce', 'SpamComplaint', 'SubscriptionChange', 'Delivery', 'HardBounce', 'jo@example.com', 'pm-1'));
    const event = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(field, value, { maxKeys: 6 }));
    await fc.assert(
      fc.asyncProperty(event, async (body) => {
        const res = await postmark(h, JSON.stringify(body));
        assert.ok(res.status < 500, `${res.status} for ${JSON.stringify(body)}`);
      }),
      { numRuns: 300, seed: 20_261_200 },
    );
  });
});

describe('Twilio status callbacks', () => {
  test('the delivery id in the callback URL finds the row, even before the send\'s own answer stored its SID', async () => {
    const { h, sms } = await harnessWithDelivery();
    // A text handed to Twilio whose answer (with the SID) has not come back yet.
    const waiting = { ...sms, id: 'd-waiting', provider: null, providerMessageId: null, status: 'queued' as const };
    await h.deliveries.create(waiting);
    const path = `/webhooks/twilio/status?d=${waiting.id}`;
    assert.equal((await twilioHook(h, path, { MessageSid: 'SM9', MessageStatus: 'delivered' })).status, 204);
    const updated = await h.deliveries.findById(waiting.id);
    assert.deepEqual([updated?.status, updated?.providerMessageId], ['delivered', 'SM9']);
  });

  test('an email event naming an SMS delivery never opts that phone out of email', async () => {
    const { h, sms } = await harnessWithDelivery();
    await postmark(h, { RecordType: 'SpamComplaint', Metadata: { deliveryId: sms.id } });
    assert.equal(await h.optOuts.get('+14155550123'), undefined);
  });

  test('a signed callback updates the delivery; a late "sent" never undoes "delivered"', async () => {
    const { h, row } = await harnessWithDelivery();
    assert.equal((await twilioHook(h, '/webhooks/twilio/status', { MessageSid: 'SM1', MessageStatus: 'delivered' })).status, 204);
    assert.equal((await row('SM1')).status, 'delivered');
    await twilioHook(h, '/webhooks/twilio/status', { MessageSid: 'SM1', MessageStatus: 'sent' });
    assert.equal((await row('SM1')).status, 'delivered');
  });

  test('undelivered keeps Twilio\'s ErrorCode; ten replays give the same row', async () => {
    const { h, row } = await harnessWithDelivery();
    const params = { MessageSid: 'SM1', MessageStatus: 'undelivered', ErrorCode: '30005', ErrorMessage: 'Unknown destination handset' };
    await twilioHook(h, '/webhooks/twilio/status', params);
    const first = await row('SM1');
    for (let i = 0; i < 10; i++) {
      h.clock.advance(1000);
      await twilioHook(h, '/webhooks/twilio/status', params);
    }
    assert.deepEqual([first.status, first.errorCode], ['undelivered', '30005']);
    assert.deepEqual(await row('SM1'), first);
  });

  test('refuses a tampered field, a wrong URL, a wrong token or no signature with 403', async () => {
    const { h, row } = await harnessWithDelivery();
    const params = { MessageSid: 'SM1', MessageStatus: 'delivered' };
    const path = '/webhooks/twilio/status';
    const tries = [
      twilioHook(h, path, params, { fields: { ...params, MessageStatus: 'sent' } }),
      twilioHook(h, path, params, { url: `https://evil.test${path}` }),
      twilioHook(h, path, params, { token: 'not-the-token' }),
      twilioHook(h, path, params, false),
    ];
    assert.deepEqual((await Promise.all(tries)).map((r) => r.status), [403, 403, 403, 403]);
    assert.equal((await row('SM1')).status, 'sent');
  });
});

describe('Twilio behind a reverse proxy under a path', () => {
  test('signatures are checked against PUBLIC_URL with its path, the address Twilio called', async () => {
    const h = createHarness({ env: { ...env, PUBLIC_URL: 'https://www.acme.test/auth' } });
    const params = { From: '+14155550123', Body: 'STOP', MessageSid: 'SMp' };
    const res = await twilioHook(h, '/webhooks/twilio/inbound', params, { url: 'https://www.acme.test/auth/webhooks/twilio/inbound' });
    assert.equal(res.status, 200);
    assert.equal((await h.optOuts.get('+14155550123'))?.optedOut, true);
  });
});

describe('Twilio inbound replies', () => {
  test('STOP opts the number out, no code is texted to it, and START opts it back in', async () => {
    const { h } = await harnessWithDelivery();
    const reply = (Body: string) => twilioHook(h, '/webhooks/twilio/inbound', { From: '+14155550123', To: '+14155550100', Body });
    const res = await reply('Stop');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /text\/xml/);
    assert.equal(await res.text(), '<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    assert.deepEqual([(await h.optOuts.get('+14155550123'))?.optedOut, (await h.optOuts.get('+14155550123'))?.source], [true, 'stop_reply']);

    h.clock.advance(31_000);
    const texts = async () => (await h.deliveriesTo('+14155550123')).filter((d) => d.channel === 'sms').length;
    const before = await texts();
    assert.equal((await h.post('/api/codes', { phone: '+14155550123' })).status, 202);
    await h.queue.idle();
    assert.equal(await texts(), before, 'nothing texted after STOP');

    await reply('START');
    assert.deepEqual([(await h.optOuts.get('+14155550123'))?.optedOut, (await h.optOuts.get('+14155550123'))?.source], [false, 'start_reply']);
  });

  test('a replayed START (same MessageSid) cannot lift a later STOP', async () => {
    const { h } = await harnessWithDelivery();
    const start = { From: '+14155550123', Body: 'START', MessageSid: 'SMstart' };
    await twilioHook(h, '/webhooks/twilio/inbound', { From: '+14155550123', Body: 'STOP', MessageSid: 'SMstop1' });
    await twilioHook(h, '/webhooks/twilio/inbound', start);
    h.clock.advance(1000);
    await twilioHook(h, '/webhooks/twilio/inbound', { From: '+14155550123', Body: 'STOP', MessageSid: 'SMstop2' });
    h.clock.advance(1000);
    await twilioHook(h, '/webhooks/twilio/inbound', start);
    assert.equal((await h.optOuts.get('+14155550123'))?.optedOut, true);
  });

  test('an unsigned reply is refused and changes nothing', async () => {
    const { h } = await harnessWithDelivery();
    const res = await twilioHook(h, '/webhooks/twilio/inbound', { From: '+14155550123', Body: 'STOP' }, false);
    assert.equal(res.status, 403);
    assert.equal(await h.optOuts.get('+14155550123'), undefined);
  });

  test('every STOP word counts, and OptOutType from Advanced Opt-Out too', async () => {
    const { h } = await harnessWithDelivery();
    for (const [i, word] of ['STOPALL', 'unsubscribe', 'CANCEL', 'end', 'QUIT'].entries()) {
      await twilioHook(h, '/webhooks/twilio/inbound', { From: `+1415555020${i}`, Body: ` ${word} ` });
      assert.equal((await h.optOuts.get(`+1415555020${i}`))?.optedOut, true, word);
    }
    await twilioHook(h, '/webhooks/twilio/inbound', { From: '+14155550209', Body: 'arrêter', OptOutType: 'STOP' });
    assert.equal((await h.optOuts.get('+14155550209'))?.optedOut, true);
  });

  test('an opt-out made by STOP is lifted only by START from the number', async () => {
    const { h } = await harnessWithDelivery();
    const t = h.clock.now();
    await recordOptOut(h.optOuts, { address: '+14155550123', channel: 'sms', optedOut: true, source: 'stop_reply', detail: null, at: t });
    assert.equal(await recordOptOut(h.optOuts, { address: '+14155550123', channel: 'sms', optedOut: false, source: 'admin', detail: null, at: t + 1 }), false);
    assert.equal((await h.optOuts.get('+14155550123'))?.optedOut, true);
    // Nor is a STOP replaced by another opt-out, which an admin could then lift.
    assert.equal(await recordOptOut(h.optOuts, { address: '+14155550123', channel: 'sms', optedOut: true, source: 'admin', detail: null, at: t + 2 }), false);
    assert.equal((await h.optOuts.get('+14155550123'))?.source, 'stop_reply');
  });
});
