import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createPostmarkSender } from '../../../server/delivery/postmark.ts';
import { createTwilioSender } from '../../../server/delivery/twilio.ts';
import { recordOptOut } from '../../../server/delivery/opt-out-rules.ts';
import { postmarkErrors, startFakePostmark, type FakePostmark } from '../../fakes/postmark.ts';
import { startFakeTwilio, type FakeTwilio } from '../../fakes/twilio.ts';
import { cookieHeader, createHarness } from '../harness.ts';

let postmark: FakePostmark;
let twilio: FakeTwilio;
before(async () => {
  [postmark, twilio] = await Promise.all([startFakePostmark(), startFakeTwilio()]);
});
after(() => Promise.all([postmark.close(), twilio.close()]));
beforeEach(() => {
  twilio.messages.length = 0;
  postmark.emails.length = 0;
  postmark.next.length = 0;
  postmark.deletes.length = 0;
  postmark.suppressions.clear();
});

const ORIGIN = { origin: 'https://login.acme.test' };
const ANN = 'ann@example.com';
const PHONE = '+14155550123';

/**
 * Email and SMS through the real Postmark and Twilio clients, pointed at the local fakes.
 * boss@example.com is signed in as admin, and Ann is a contact with an email and a phone.
 */
async function setUp() {
  const h = createHarness({
    env: { ADMIN_EMAILS: 'boss@example.com', PUBLIC_URL: 'https://login.acme.test', TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef', TWILIO_AUTH_TOKEN: 'tw-token', TWILIO_FROM: '+14155550100' },
    senders: {
      email: await createPostmarkSender({ serverToken: 'pm-token', from: 'login@acme.test', messageStream: 'outbound', apiUrl: postmark.url, timeoutSeconds: 1 }),
      sms: await createTwilioSender({ accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: 'tw-token', from: '+14155550100', apiUrl: twilio.url, timeoutMs: 1000 }),
    },
  });
  await h.post('/api/codes', { email: 'boss@example.com' });
  await h.queue.idle();
  const code = postmark.emails.at(-1)!.TextBody.match(/\b\d{6}\b/)![0];
  const cookie = cookieHeader(await h.post('/api/codes/verify', { email: 'boss@example.com', code }));
  const post = (path: string, body: unknown = {}, headers: Record<string, string> = ORIGIN) => h.post(`/api/admin${path}`, body, { cookie, headers });
  const { contact } = await (await post('/contacts', { email: ANN, phone: PHONE, name: 'Ann' })).json();
  const card = async () => (await h.get(`/api/admin/contacts/${contact.id}`, { cookie })).json();
  /** Whether a code request for `to` reaches the provider now (Postmark for email, Twilio for SMS). */
  const codeReaches = async (identifier: { email: string } | { phone: string }) => {
    const before = postmark.emails.length + twilio.messages.length;
    h.clock.advance(60_000);
    await h.post('/api/codes', identifier);
    await h.queue.idle();
    return postmark.emails.length + twilio.messages.length > before;
  };
  return { h, post, card, id: contact.id as string, codeReaches };
}

const errorOf = async (res: Response) => [res.status, (await res.json()).error.code];

describe('an admin opt-out', () => {
  test('stops codes on that channel, shows on the card as liftable by an admin, and is audited', async () => {
    const { post, card, id, codeReaches } = await setUp();
    const res = await post(`/contacts/${id}/opt-out`, { channel: 'email' });
    assert.equal(res.status, 200);
    const answer = await res.json();
    assert.deepEqual([answer.changed, answer.optOut.optedOut, answer.optOut.source, answer.optOut.lift], [true, true, 'admin', 'admin']);
    assert.equal(await codeReaches({ email: ANN }), false, 'no code goes to an opted-out address');
    assert.equal(await codeReaches({ phone: PHONE }), true, 'the other channel still works');
    const c = await card();
    assert.equal(c.optOut.email.lift, 'admin');
    assert.ok(c.diagnosis.some((d: { cause: string }) => d.cause === 'opted_out'));
    assert.deepEqual(c.audit.map((a: { action: string }) => a.action).slice(0, 1), ['opt_out']);
  });

  test('is lifted by an admin without a confirmation, and codes go out again', async () => {
    const { post, card, id, codeReaches } = await setUp();
    await post(`/contacts/${id}/opt-out`, { channel: 'email' });
    const res = await post(`/contacts/${id}/opt-out/lift`, { channel: 'email' });
    assert.equal(res.status, 200);
    assert.deepEqual((await res.json()).optOut.optedOut, false);
    assert.equal(postmark.deletes.length, 0, 'our own opt-out is not on Postmark’s list');
    assert.equal(await codeReaches({ email: ANN }), true);
    assert.deepEqual((await card()).audit.map((a: { action: string }) => a.action).slice(0, 2), ['lift_opt_out', 'opt_out']);
  });

  test('on top of a STOP changes nothing, so an admin can never lift a STOP that way', async () => {
    const { h, post, card, id } = await setUp();
    await recordOptOut(h.optOuts, { address: PHONE, channel: 'sms', optedOut: true, source: 'stop_reply', detail: 'STOP', at: h.clock.now() });
    const res = await post(`/contacts/${id}/opt-out`, { channel: 'sms' });
    assert.deepEqual([res.status, (await res.json()).changed], [200, false]);
    assert.equal((await card()).optOut.sms.source, 'stop_reply');
  });
});

describe('lifting an opt-out', () => {
  test('after a STOP is refused with the number to text START to, and nothing changes', async () => {
    const { h, post, card, id, codeReaches } = await setUp();
    await recordOptOut(h.optOuts, { address: PHONE, channel: 'sms', optedOut: true, source: 'stop_reply', detail: 'STOP', at: h.clock.now() });
    const res = await post(`/contacts/${id}/opt-out/lift`, { channel: 'sms', confirmed: true });
    const { error } = await res.json();
    assert.deepEqual([res.status, error.code], [409, 'cannot_lift']);
    assert.match(error.message, /^Only the contact can undo a STOP, by texting START to \+14155550100\. Meanwhile they can sign in by email\.$/);
    const c = await card();
    assert.deepEqual([c.optOut.sms.optedOut, c.optOut.sms.lift, c.optOut.sms.replyTo], [true, 'contact_only', '+14155550100']);
    assert.equal(await codeReaches({ phone: PHONE }), false);
    assert.equal(c.audit[0].action, 'create', 'a refused lift is not an action');
  });

  test('after a STOP, for a contact with no email address, says to add one', async () => {
    const { h, post } = await setUp();
    const { contact } = await (await post('/contacts', { phone: '+14155550124' })).json();
    await recordOptOut(h.optOuts, { address: '+14155550124', channel: 'sms', optedOut: true, source: 'stop_reply', detail: 'STOP', at: h.clock.now() });
    const { error } = await (await post(`/contacts/${contact.id}/opt-out/lift`, { channel: 'sms', confirmed: true })).json();
    assert.match(error.message, /Meanwhile add their email address under Edit details, so they can sign in by email\.$/);
  });

  test('after a hard bounce needs the admin’s confirmation, then takes the address off Postmark’s list and codes reach it again', async () => {
    const { h, post, card, id, codeReaches } = await setUp();
    // The address bounced: Postmark suppressed it and refuses the next code with 406.
    postmark.suppressions.set(ANN, 'HardBounce');
    assert.equal(await codeReaches({ email: ANN }), false);
    assert.deepEqual([(await card()).optOut.email.source, (await card()).optOut.email.lift], ['provider_suppressed', 'after_confirming']);

    const unconfirmed = await post(`/contacts/${id}/opt-out/lift`, { channel: 'email' });
    assert.deepEqual(await errorOf(unconfirmed), [400, 'confirmation_required']);
    assert.equal(postmark.deletes.length, 0, 'Postmark is not asked before the admin confirms');

    const res = await post(`/contacts/${id}/opt-out/lift`, { channel: 'email', confirmed: true });
    assert.equal(res.status, 200);
    assert.deepEqual(postmark.deletes, [{ stream: 'outbound', token: 'pm-token', addresses: [ANN] }]);
    assert.equal((await card()).optOut.email.optedOut, false);
    assert.equal(await codeReaches({ email: ANN }), true);
    assert.equal(postmark.emails.at(-1)!.To, ANN);
    void h;
  });

  test('after a spam complaint Postmark refuses, and the card keeps the opt-out with Postmark’s reason', async () => {
    const { h, post, card, id } = await setUp();
    postmark.suppressions.set(ANN, 'SpamComplaint');
    await recordOptOut(h.optOuts, { address: ANN, channel: 'email', optedOut: true, source: 'spam_complaint', detail: 'Marked our email as spam', at: h.clock.now() });
    const res = await post(`/contacts/${id}/opt-out/lift`, { channel: 'email', confirmed: true });
    const { error } = await res.json();
    assert.deepEqual([res.status, error.code], [409, 'cannot_lift']);
    assert.match(error.message, /Postmark would not reactivate this address: You do not have the required authority/);
    assert.deepEqual([(await card()).optOut.email.optedOut, (await card()).optOut.email.source], [true, 'spam_complaint']);
  });

  test('when Postmark cannot be reached answers 503 and changes nothing', async () => {
    const { h, post, card, id } = await setUp();
    await recordOptOut(h.optOuts, { address: ANN, channel: 'email', optedOut: true, source: 'bounce', detail: 'HardBounce', at: h.clock.now() });
    postmark.next.push(postmarkErrors.serverError);
    const res = await post(`/contacts/${id}/opt-out/lift`, { channel: 'email', confirmed: true });
    assert.deepEqual(await errorOf(res), [503, 'delivery_unavailable']);
    assert.equal((await card()).optOut.email.optedOut, true);
  });

  test('after a bounce on SMS (no provider list) is lifted locally once confirmed', async () => {
    const { h, post, id, codeReaches } = await setUp();
    await recordOptOut(h.optOuts, { address: PHONE, channel: 'sms', optedOut: true, source: 'provider_suppressed', detail: 'carrier', at: h.clock.now() });
    assert.equal((await post(`/contacts/${id}/opt-out/lift`, { channel: 'sms', confirmed: true })).status, 200);
    assert.equal(postmark.deletes.length, 0);
    assert.equal(await codeReaches({ phone: PHONE }), true);
    void h;
  });
});

describe('opt-out requests that are wrong', () => {
  test('answer a sentence and change nothing: no channel, no address on file, not opted out, no Origin, no such contact', async () => {
    const { h, post, id } = await setUp();
    const { contact: emailOnly } = await (await post('/contacts', { email: 'eve@example.com' })).json();
    assert.deepEqual(await errorOf(await post(`/contacts/${id}/opt-out`, { channel: 'fax' })), [400, 'invalid_channel']);
    assert.deepEqual(await errorOf(await post(`/contacts/${emailOnly.id}/opt-out`, { channel: 'sms' })), [409, 'not_reachable']);
    assert.deepEqual(await errorOf(await post(`/contacts/${id}/opt-out/lift`, { channel: 'email' })), [409, 'cannot_lift']);
    assert.deepEqual(await errorOf(await post(`/contacts/${id}/opt-out`, { channel: 'email' }, { origin: '' })), [403, 'forbidden_origin']);
    assert.deepEqual(await errorOf(await post('/contacts/nope/opt-out', { channel: 'email' })), [404, 'not_found']);
    assert.equal(await h.optOuts.get(ANN), undefined);
  });
});
