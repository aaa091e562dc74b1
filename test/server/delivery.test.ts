import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createPostmarkSender } from '../../server/delivery/postmark.ts';
import { createTwilioSender } from '../../server/delivery/twilio.ts';
import { postmarkErrors, startFakePostmark, type FakePostmark } from '../fakes/postmark.ts';
import { startFakeTwilio, twilioErrors, type FakeTwilio } from '../fakes/twilio.ts';
import { createHarness, scriptedRandom } from './harness.ts';

let postmark: FakePostmark;
let twilio: FakeTwilio;
const ACCOUNT = 'AC0123456789abcdef0123456789abcdef';

before(async () => {
  [postmark, twilio] = await Promise.all([startFakePostmark(), startFakeTwilio()]);
});
after(async () => {
  await Promise.all([postmark.close(), twilio.close()]);
});
beforeEach(() => {
  postmark.emails.length = 0;
  postmark.next.length = 0;
  twilio.messages.length = 0;
  twilio.next.length = 0;
});

/** The app with the real Postmark and Twilio clients, pointed at the local fakes. */
async function withProviders(options: Parameters<typeof createHarness>[0] = {}) {
  const senders = {
    email: await createPostmarkSender({
      serverToken: 'pm-token',
      from: 'Acme <login@acme.test>',
      messageStream: 'outbound',
      apiUrl: postmark.url,
      timeoutSeconds: 1,
    }),
    sms: await createTwilioSender({
      accountSid: ACCOUNT,
      authToken: 'tw-token',
      from: '+14155550100',
      statusCallback: 'https://login.acme.test/webhooks/twilio/status',
      apiUrl: twilio.url,
      timeoutMs: 1000,
    }),
  };
  return createHarness({ ...options, env: { SITE_NAME: 'Acme', PUBLIC_URL: 'https://login.acme.test', ...options.env }, senders });
}

const codeIn = (text: string) => text.match(/\b\d{6}\b/)![0];

describe('email through the postmark client', () => {
  test('a code request reaches Postmark with the sender, stream, tag and delivery id, and the code verifies', async () => {
    const h = await withProviders();
    const asked = await (await h.post('/api/codes', { email: 'jo@example.com' })).json();
    await h.queue.idle();
    assert.equal(postmark.emails.length, 1);
    const email = postmark.emails[0]!;
    assert.equal(email.token, 'pm-token');
    assert.deepEqual([email.From, email.To, email.MessageStream, email.Tag], ['Acme <login@acme.test>', 'jo@example.com', 'outbound', 'otp-code']);
    const code = codeIn(email.TextBody);
    assert.equal(email.Subject, `Your code ${code} for Acme — code ${asked.codeNumber}`);
    assert.match(email.TextBody, /works for 10 minutes \(until \d\d:\d\d UTC\)/);
    assert.match(email.TextBody, /If you didn't ask to sign in/);
    assert.ok(email.HtmlBody.includes(code));
    const delivery = await h.deliveries.findById(email.Metadata.deliveryId!);
    assert.deepEqual([delivery?.status, delivery?.provider, delivery?.providerMessageId], ['sent', 'postmark', email.MessageID]);
    assert.equal((await h.post('/api/codes/verify', { email: 'jo@example.com', code })).status, 200);
  });

  test('a 406 (inactive recipient) suppresses the address at once, without a retry, and nothing more is sent to it', async () => {
    const h = await withProviders();
    postmark.next.push(postmarkErrors.inactive('jo@example.com'));
    const before = postmark.requests();
    await h.post('/api/codes', { email: 'jo@example.com' });
    await h.queue.idle();
    assert.equal(postmark.requests() - before, 1, 'no retry');
    const optOut = await h.optOuts.get('jo@example.com');
    assert.deepEqual([optOut?.optedOut, optOut?.source, optOut?.channel], [true, 'provider', 'email']);
    assert.match(optOut!.detail!, /postmark 406/);
    h.clock.advance(31_000);
    const again = await h.post('/api/codes', { email: 'jo@example.com' });
    assert.equal(again.status, 202, 'answered as for anyone (R3)');
    await h.queue.idle();
    assert.equal(postmark.requests() - before, 1, 'nothing sent to a suppressed address');
  });

  test('429 and 500 are retried, at most three tries, with one code', async () => {
    const h = await withProviders();
    postmark.next.push(postmarkErrors.rateLimited, postmarkErrors.serverError);
    await h.post('/api/codes', { email: 'jo@example.com' });
    await h.queue.idle();
    assert.equal(postmark.emails.length, 1, 'the third try went through');
    const delivery = await h.deliveries.findById(postmark.emails[0]!.Metadata.deliveryId!);
    assert.equal(delivery?.status, 'sent');
  });

  test('a provider that never answers is given up after three timed-out tries', { timeout: 10_000 }, async () => {
    const h = await withProviders();
    postmark.next.push('hang', 'hang', 'hang');
    const before = postmark.requests();
    await h.post('/api/codes', { email: 'jo@example.com' });
    await h.queue.idle();
    assert.equal(postmark.requests() - before, 3);
    assert.equal(postmark.emails.length, 0);
  });
});

describe('SMS through the twilio client', () => {
  test('a code request reaches Twilio with the number, status callback and origin-bound line, and the code verifies', async () => {
    const h = await withProviders();
    await h.post('/api/codes', { phone: '+14155550123' });
    await h.queue.idle();
    assert.equal(twilio.messages.length, 1);
    const sms = twilio.messages[0]!;
    assert.equal(sms.auth, `${ACCOUNT}:tw-token`);
    assert.deepEqual([sms.To, sms.From, sms.StatusCallback], ['+14155550123', '+14155550100', 'https://login.acme.test/webhooks/twilio/status']);
    const code = codeIn(sms.Body);
    assert.match(sms.Body, new RegExp(`^${code} is your Acme sign-in code \\(code 1\\)[^]*\\n@login\\.acme\\.test #${code}$`));
    const delivery = await h.deliveries.findByProviderId('twilio', sms.sid);
    assert.equal(delivery?.status, 'sent');
    assert.equal((await h.post('/api/codes/verify', { phone: '+14155550123', code })).status, 200);
  });

  test('21610 (replied STOP) opts the number out of SMS, without a retry', async () => {
    const h = await withProviders();
    twilio.next.push(twilioErrors.unsubscribed);
    const before = twilio.requests();
    await h.post('/api/codes', { phone: '+14155550123' });
    await h.queue.idle();
    assert.equal(twilio.requests() - before, 1);
    const optOut = await h.optOuts.get('+14155550123');
    assert.deepEqual([optOut?.optedOut, optOut?.source], [true, 'stop_reply']);
  });

  test('21614 (not a mobile) fails that message with its reason, and the earlier code works again', async () => {
    const h = await withProviders({ random: scriptedRandom(111111, 222222) });
    await h.post('/api/codes', { phone: '+14155550123' });
    await h.queue.idle();
    h.clock.advance(31_000);
    twilio.next.push(twilioErrors.notMobile);
    await h.post('/api/codes', { phone: '+14155550123' });
    await h.queue.idle();
    const failed = h.db.prepare("SELECT status, error_code, error_text FROM deliveries WHERE code_number = 2").get() as Record<string, string>;
    assert.deepEqual([failed.status, failed.error_code], ['failed', '21614']);
    assert.match(failed.error_text!, /not a valid mobile number/);
    assert.equal((await h.post('/api/codes/verify', { phone: '+14155550123', code: '111111' })).status, 200, 'code 1 still works');
  });

  test('when sends fail for everyone, code requests for that channel answer 503 until one succeeds', async () => {
    const h = await withProviders();
    for (let i = 0; i < 3; i++) {
      twilio.next.push(twilioErrors.serverError, twilioErrors.serverError, twilioErrors.serverError);
      assert.equal((await h.post('/api/codes', { phone: `+1415555012${i}` })).status, 202);
      await h.queue.idle();
    }
    const down = await h.post('/api/codes', { phone: '+14155550129' });
    assert.equal(down.status, 503);
    const { error } = await down.json();
    assert.equal(error.code, 'delivery_unavailable');
    assert.match(error.message, /by email instead/);
    assert.equal((await h.post('/api/codes', { email: 'jo@example.com' })).status, 202, 'email still works');
    h.clock.advance(60_000);
    assert.equal((await h.post('/api/codes', { phone: '+14155550129' })).status, 202, 'one try after a minute');
    await h.queue.idle();
    assert.equal((await h.post('/api/codes', { phone: '+14155550128' })).status, 202, 'and it worked, so SMS is back');
  });

  test('a message that was not sent for one person never changes the answer (R3)', async () => {
    const h = await withProviders();
    twilio.next.push(twilioErrors.invalidNumber);
    const first = await h.post('/api/codes', { phone: '+14155550123' });
    await h.queue.idle();
    h.clock.advance(31_000);
    const second = await h.post('/api/codes', { phone: '+14155550123' });
    assert.deepEqual([first.status, second.status], [202, 202]);
  });
});
