import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createHarness } from '../harness.ts';

const twilioEnv = { TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef', TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+14155550100' };
const stop = { channel: 'sms' as const, optedOut: true, source: 'stop_reply' as const, detail: 'Replied STOP', at: 0 };

describe('opt-outs are honoured before sending (R4)', () => {
  test('open signup: a number that replied STOP is told so, with the number to text START to', async () => {
    const h = createHarness({ env: twilioEnv });
    await h.optOuts.set({ ...stop, address: '+14155550123' });
    const res = await h.post('/api/codes', { phone: '+14155550123' });
    assert.equal(res.status, 202);
    assert.deepEqual((await res.json()).notSent, { reason: 'stop_reply', replyTo: '+14155550100' });
    await h.queue.idle();
    assert.equal(h.outbox.list('+14155550123').length, 0);
  });

  test('closed signup: an opted-out contact is answered exactly like an unknown number (R3)', async () => {
    const h = createHarness({ env: { ...twilioEnv, SIGNUP: 'closed' } });
    await h.contacts.create({ phone: '+14155550123' });
    await h.optOuts.set({ ...stop, address: '+14155550123' });
    const known = await (await h.post('/api/codes', { phone: '+14155550123' })).json();
    const unknown = await (await h.post('/api/codes', { phone: '+14155550199' })).json();
    assert.equal(known.notSent, undefined);
    assert.deepEqual(Object.keys(known).sort(), Object.keys(unknown).sort());
    await h.queue.idle();
    assert.equal(h.outbox.list().length, 0);
  });

  test('an opt-out of one channel leaves the other: email still goes out', async () => {
    const h = createHarness({ env: { SIGNUP: 'closed' } });
    await h.contacts.create({ email: 'jo@example.com', phone: '+14155550123' });
    await h.optOuts.set({ ...stop, address: '+14155550123' });
    await h.post('/api/codes', { phone: '+14155550123', channel: 'email' });
    await h.queue.idle();
    assert.equal(h.outbox.list('jo@example.com').length, 1);
  });
});

describe('NOTIFY_UNKNOWN_EMAIL under closed signup', () => {
  test('emails an unknown address once a day that someone tried it, with no code, and answers as usual', async () => {
    const h = createHarness({ env: { SIGNUP: 'closed', NOTIFY_UNKNOWN_EMAIL: 'true', SITE_NAME: 'Acme' } });
    await h.contacts.create({ email: 'jo@example.com' });
    const known = await (await h.post('/api/codes', { email: 'jo@example.com' })).json();
    const unknown = await (await h.post('/api/codes', { email: 'ann@example.com' })).json();
    assert.deepEqual(Object.keys(unknown).sort(), Object.keys(known).sort());
    await h.queue.idle();
    const [notice] = h.outbox.list('ann@example.com');
    assert.equal(notice?.subject, 'Sign-in attempt at Acme');
    assert.match(notice!.text, /there is no account for it there/);
    assert.doesNotMatch(notice!.text, /\d{6}/);
    assert.equal(h.outbox.list('jo@example.com').length, 1, 'the contact gets a code, not a notice');

    h.clock.advance(31_000);
    await h.post('/api/codes', { email: 'ann@example.com' });
    await h.queue.idle();
    assert.equal(h.outbox.list('ann@example.com').length, 1, 'at most one a day');
    h.clock.advance(24 * 3_600_000);
    await h.post('/api/codes', { email: 'ann@example.com' });
    await h.queue.idle();
    assert.equal(h.outbox.list('ann@example.com').length, 2);
  });

  test('is off by default, and never sent to an address that opted out', async () => {
    const off = createHarness({ env: { SIGNUP: 'closed' } });
    await off.post('/api/codes', { email: 'ann@example.com' });
    await off.queue.idle();
    assert.equal(off.outbox.list().length, 0);
    const on = createHarness({ env: { SIGNUP: 'closed', NOTIFY_UNKNOWN_EMAIL: 'true' } });
    await on.optOuts.set({ address: 'ann@example.com', channel: 'email', optedOut: true, source: 'spam_complaint', detail: null, at: 0 });
    await on.post('/api/codes', { email: 'ann@example.com' });
    await on.queue.idle();
    assert.equal(on.outbox.list().length, 0);
  });
});
