import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createPostmarkSender } from '../../../server/delivery/postmark.ts';
import { createTwilioSender } from '../../../server/delivery/twilio.ts';
import { postmarkErrors, startFakePostmark, type FakePostmark } from '../../fakes/postmark.ts';
import { startFakeTwilio, twilioErrors, type FakeTwilio } from '../../fakes/twilio.ts';
import { createHarness, scriptedRandom } from '../harness.ts';

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

/** The app with the real Postmark and Twilio clients (or only those named), pointed at the local fakes. */
async function withProviders(options: Parameters<typeof createHarness>[0] = {}, only?: 'email' | 'sms') {
  const both = {
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
  const senders = only ? { [only]: both[only] } : both;
  return createHarness({ ...options, env: { SITE_NAME: 'Acme', PUBLIC_URL: 'https://login.acme.test', ...options.env }, senders });
}

const codeIn = (text: string) => text.match(/\b\d{6}\b/)![0];

describe('email through the postmark client', () => {
  test('a code request reaches Postmark with the sender, stream, tag and delivery id, and the code verifies', async () => {
    const h = await withProviders();
    await h.post('/api/codes', { email: 'jo@example.com' });
    await h.queue.idle();
    assert.equal(postmark.emails.length, 1);
    const email = postmark.emails[0]!;
    assert.equal(email.token, 'pm-token');
    assert.deepEqual([email.From, email.To, email.MessageStream, email.Tag], ['Acme <login@acme.test>', 'jo@example.com', 'outbound', 'otp-code']);
    const code = codeIn(email.TextBody);
    assert.equal(email.Subject, `Your code ${code} for Acme — code 1`);
    assert.match(email.TextBody, /works for 10 minutes \(until \d{1,2}:\d\d [AP]M UTC\)/);
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
    assert.deepEqual([optOut?.optedOut, optOut?.source, optOut?.channel], [true, 'provider_suppressed', 'email']);
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
    assert.deepEqual([sms.To, sms.From], ['+14155550123', '+14155550100']);
    assert.match(sms.StatusCallback!, /^https:\/\/login\.acme\.test\/webhooks\/twilio\/status\?d=[\w-]+$/);
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
    const failed = (await h.deliveriesTo('+14155550123')).find((d) => d.codeNumber === 2)!;
    assert.deepEqual([failed.status, failed.errorCode], ['failed', '21614']);
    assert.match(failed.errorText!, /not a valid mobile number/);
    assert.equal((await h.post('/api/codes/verify', { phone: '+14155550123', code: '111111' })).status, 200, 'code 1 still works');
  });

  test('the earlier code that comes back after a failed send keeps its own wrong tries: five in all still burn it', async () => {
    const h = await withProviders({ random: scriptedRandom(111111, 222222) });
    await h.post('/api/codes', { phone: '+14155550123' });
    await h.queue.idle();
    for (let i = 0; i < 4; i++) assert.equal((await h.post('/api/codes/verify', { phone: '+14155550123', code: '999999' })).status, 401);
    h.clock.advance(31_000);
    twilio.next.push(twilioErrors.notMobile);
    await h.post('/api/codes', { phone: '+14155550123' });
    await h.queue.idle();
    // Code 1 is back, with one try left: a guesser does not get five more for each failed send.
    assert.equal((await h.post('/api/codes/verify', { phone: '+14155550123', code: '999999' })).status, 401);
    const res = await h.post('/api/codes/verify', { phone: '+14155550123', code: '111111' });
    assert.deepEqual([res.status, (await res.json()).error.code], [401, 'too_many_attempts']);
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

describe('with one provider set up', () => {
  // From this machine, asking for localhost: what the outbox answered before, also behind a proxy
  // that forwards Host: 127.0.0.1 (nginx's default).
  const fromThisMachine = { ip: '127.0.0.1' };
  // Addresses no other test uses: a message another test left in the queue cannot count here.
  const [email, phone] = ['solo@example.com', '+14155550177'];
  const reached = () => [...postmark.emails.map((e) => e.To), ...twilio.messages.map((m) => m.To)].filter((to) => to === email || to === phone);

  for (const [provider, other] of [['email', 'sms'], ['sms', 'email']] as const) {
    test(`${provider} only: ${other} answers 503 delivery_unavailable, nothing is sent, and there is no development outbox`, async () => {
      const h = await withProviders({ env: { PUBLIC_URL: '' } }, provider);
      const typed = other === 'sms' ? { phone } : { email };
      for (const body of [typed, { ...typed, channel: other }]) {
        const res = await h.post('/api/codes', body);
        const { error } = await res.json();
        assert.deepEqual([res.status, error.code], [503, 'delivery_unavailable'], JSON.stringify(body));
      }
      await h.queue.idle();
      assert.deepEqual(reached(), []);
      for (const path of ['/dev/outbox.json', '/dev/outbox']) assert.equal((await h.get(path, fromThisMachine)).status, 404, path);
      // The provider's own channel works.
      const own = provider === 'email' ? { email } : { phone };
      assert.equal((await h.post('/api/codes', own)).status, 202);
      await h.queue.idle();
      assert.deepEqual(reached(), [Object.values(own)[0]]);
    });
  }
});

describe('when a message cannot go out', () => {
  test('a registered number whose text failed answers guesses exactly like an unknown number (R3)', async () => {
    const h = await withProviders({ env: { SIGNUP: 'closed' } });
    await h.contacts.create({ phone: '+14155550123' });
    twilio.next.push(twilioErrors.notMobile);
    await h.post('/api/codes', { phone: '+14155550123' });
    await h.post('/api/codes', { phone: '+14155550199' });
    await h.queue.idle();
    const guesses = async (phone: string) => {
      const out = [];
      for (let i = 0; i < 6; i++) out.push(await (await h.post('/api/codes/verify', { phone, code: '000000' })).json());
      return out;
    };
    assert.deepEqual(await guesses('+14155550123'), await guesses('+14155550199'));
  });

  test('a retried email carries the same code every time', async () => {
    const h = await withProviders();
    postmark.next.push(postmarkErrors.serverError, postmarkErrors.rateLimited);
    const before = postmark.received.length;
    await h.post('/api/codes', { email: 'jo@example.com' });
    await h.queue.idle();
    const tries = postmark.received.slice(before);
    assert.equal(tries.length, 3);
    assert.equal(new Set(tries.map((t) => t.TextBody)).size, 1);
  });

  test('after three timeouts the code is not taken back: it may have arrived', { timeout: 10_000 }, async () => {
    const h = await withProviders();
    postmark.next.push('hang', 'hang', 'hang');
    const before = postmark.received.length;
    await h.post('/api/codes', { email: 'jo@example.com' });
    await h.queue.idle();
    const sent = postmark.received.slice(before);
    const [row] = await h.deliveriesTo('jo@example.com');
    assert.deepEqual([row?.status, row?.errorCode], ['failed', 'network']);
    assert.equal((await h.post('/api/codes/verify', { email: 'jo@example.com', code: codeIn(sent[0]!.TextBody!) })).status, 200);
  });

  test('a bad token is an outage: after three, email answers 503, and the log names the settings to check', async () => {
    const lines: string[] = [];
    const log = { info() {}, warn() {}, error: (m: string) => lines.push(m) };
    const h = await withProviders({ log });
    for (let i = 0; i < 3; i++) {
      postmark.next.push(postmarkErrors.badToken);
      await h.post('/api/codes', { email: `p${i}@example.com` });
      await h.queue.idle();
    }
    assert.equal((await h.post('/api/codes', { email: 'p9@example.com' })).status, 503);
    assert.match(lines[0]!, /postmark refused to send \(10\).*Check the POSTMARK_\* settings/);
  });

  test('a text that is not sent (opted out) leaves the contact\'s email code working (R1 only for codes that go out)', async () => {
    const h = await withProviders({ env: { SIGNUP: 'closed' }, random: scriptedRandom(111111, 222222) });
    await h.contacts.create({ email: 'jo@example.com', phone: '+14155550123' });
    await h.optOuts.set({ address: '+14155550123', channel: 'sms', optedOut: true, source: 'stop_reply', detail: null, at: 0 });
    await h.post('/api/codes', { email: 'jo@example.com' });
    await h.post('/api/codes', { phone: '+14155550123' });
    await h.queue.idle();
    assert.equal((await h.post('/api/codes/verify', { email: 'jo@example.com', code: '111111' })).status, 200);
  });

  test('the SMS names the embedding page\'s host when that page is an allowed origin', async () => {
    const h = await withProviders({ env: { ALLOWED_ORIGINS: 'https://www.acme.test' } });
    await h.post('/api/codes', { phone: '+14155550123' }, { headers: { origin: 'https://www.acme.test' } });
    await h.queue.idle();
    assert.match(twilio.messages.at(-1)!.Body, /\n@www\.acme\.test #\d{6}$/);
  });
});
