import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { createHarness, mapCodeStore, scriptedRandom, SECRET } from '../harness.ts';
import { createCodeService } from '../../../server/sign-in/codes.ts';
import { manualClock } from '../../../server/clock.ts';
import { cryptoRandom } from '../../../server/random.ts';

const jo = { email: 'jo@example.com' };
const MINUTE = 60_000;

describe('codes', () => {
  test('a code request answers 202 with SPEC\'s fields plus sentAt, and the message carries the code and its number', async () => {
    const h = createHarness();
    const res = await h.post('/api/codes', jo);
    assert.equal(res.status, 202);
    const body = await res.json();
    assert.deepEqual(Object.keys(body).sort(), ['channel', 'destination', 'expiresIn', 'resendAfter', 'sentAt', 'status']);
    assert.deepEqual(
      { ...body, sentAt: undefined },
      { status: 'sent_if_registered', channel: 'email', destination: 'j•••@example.com', resendAfter: 30, expiresIn: 600, sentAt: undefined },
    );
    assert.equal(body.sentAt, new Date(h.clock.now()).toISOString());
    await h.queue.idle();
    const [message] = h.outbox.list('jo@example.com');
    assert.match(message!.text, /\b\d{6}\b/);
    assert.match(message!.text, /code 1\b/);
    assert.match(message!.subject, /^Your code \d{6} for otp-login — code 1$/);
  });

  test('the right code signs in once; the same code a second time is refused as any wrong code is', async () => {
    const h = createHarness();
    await h.post('/api/codes', jo);
    const code = await h.latestCode('jo@example.com');
    const first = await h.post('/api/codes/verify', { ...jo, code });
    assert.equal(first.status, 200);
    const body = await first.json();
    assert.equal(body.signedIn, true);
    assert.deepEqual(Object.keys(body.contact).sort(), ['email', 'id', 'phone']);
    assert.equal(body.contact.email, 'jo@example.com');
    assert.deepEqual(Object.keys(body.device).sort(), ['expiresAt', 'id']);
    const again = await h.post('/api/codes/verify', { ...jo, code });
    assert.equal(again.status, 401);
    assert.equal((await again.json()).error.code, 'wrong_code');
  });

  test('wrong codes count down the tries; after 5 the right code no longer works', async () => {
    const h = createHarness({ random: scriptedRandom(123456) });
    await h.post('/api/codes', jo);
    const answers = [];
    for (let i = 0; i < 5; i++) {
      const res = await h.post('/api/codes/verify', { ...jo, code: '000000' });
      assert.equal(res.status, 401);
      answers.push((await res.json()).error);
    }
    assert.deepEqual(answers.map((e) => [e.code, e.attemptsLeft]), [
      ['wrong_code', 4], ['wrong_code', 3], ['wrong_code', 2], ['wrong_code', 1], ['wrong_code', 0],
    ]);
    const right = await h.post('/api/codes/verify', { ...jo, code: '123456' });
    assert.equal(right.status, 401);
    assert.equal((await right.json()).error.code, 'too_many_attempts');
  });

  test('a code works until 10 minutes have passed and is refused as expired after', async () => {
    const h = createHarness({ random: scriptedRandom(111111, 222222) });
    await h.post('/api/codes', jo);
    h.clock.advance(10 * MINUTE - 1000);
    assert.equal((await h.post('/api/codes/verify', { ...jo, code: '111111' })).status, 200);

    h.clock.advance(MINUTE);
    await h.post('/api/codes', jo);
    h.clock.advance(10 * MINUTE + 1000);
    const late = await h.post('/api/codes/verify', { ...jo, code: '222222' });
    assert.equal(late.status, 401);
    assert.equal((await late.json()).error.code, 'expired_code');
  });

  test('refuses an older code once a newer one was sent, saying when the newest was sent', async () => {
    const h = createHarness({ random: scriptedRandom(111111, 222222) });
    await h.post('/api/codes', jo);
    h.clock.advance(31_000);
    const second = await (await h.post('/api/codes', jo)).json();
    const old = await h.post('/api/codes/verify', { ...jo, code: '111111' });
    assert.equal(old.status, 401);
    const { error } = await old.json();
    assert.equal(error.code, 'superseded_code');
    assert.equal(error.newestSentAt, second.sentAt);
    assert.equal(error.newestCodeNumber, 2);
    assert.match(error.message, /code 2\) was sent/);
    assert.equal(error.attemptsLeft, 4);
    assert.equal((await h.post('/api/codes/verify', { ...jo, code: '222222' })).status, 200);
    // And after the newest was used, the old one is still refused.
    assert.equal((await h.post('/api/codes/verify', { ...jo, code: '111111' })).status, 401);
  });

  test('a new code by SMS supersedes the email code of the same contact', async () => {
    const h = createHarness({ random: scriptedRandom(111111, 222222), env: { SIGNUP: 'closed' } });
    await h.contacts.create({ email: 'jo@example.com', phone: '+447911123456' });
    const first = await (await h.post('/api/codes', jo)).json();
    const tooSoon = await h.post('/api/codes', { ...jo, channel: 'sms', previousSentAt: first.sentAt });
    assert.equal(tooSoon.status, 429, 'the 30 s cooldown applies to the same email, whatever the channel');
    const unheld = await h.post('/api/codes', { ...jo, channel: 'sms' });
    assert.equal(unheld.status, 202, 'asked without the code in hand, the answer is a send\'s (R3)');
    await h.queue.idle();
    assert.equal(h.outbox.list('+447911123456').length, 0, 'but nothing went out within the cooldown');
    h.clock.advance(31_000);
    const sms = await (await h.post('/api/codes', { ...jo, channel: 'sms' })).json();
    assert.equal(sms.channel, 'sms');
    await h.queue.idle();
    assert.equal(h.outbox.list('+447911123456').length, 1);
    const old = await h.post('/api/codes/verify', { ...jo, code: '111111' });
    assert.equal((await old.json()).error.code, 'superseded_code');
    assert.equal((await h.post('/api/codes/verify', { ...jo, code: '222222' })).status, 200);
  });

  test('a code asked for by phone supersedes the code asked for by email of the same contact', async () => {
    const h = createHarness({ random: scriptedRandom(111111, 222222), env: { SIGNUP: 'closed' } });
    await h.contacts.create({ email: 'jo@example.com', phone: '+447911123456' });
    await h.post('/api/codes', jo);
    const byPhone = await (await h.post('/api/codes', { phone: '+447911123456' })).json();
    const old = await h.post('/api/codes/verify', { ...jo, code: '111111' });
    const { error } = await old.json();
    assert.deepEqual([error.code, error.newestSentAt, error.attemptsLeft], ['superseded_code', byPhone.sentAt, 4]);
    assert.equal((await h.post('/api/codes/verify', { phone: '+447911123456', code: '222222' })).status, 200);
  });

  test('each message names its code number: the third code says "code 3"', async () => {
    const h = createHarness();
    for (let i = 0; i < 3; i++) {
      await h.post('/api/codes', jo);
      h.clock.advance(31_000);
    }
    await h.queue.idle();
    assert.deepEqual(h.outbox.list('jo@example.com').map((m) => m.text.match(/code (\d)\./)?.[1]), ['3', '2', '1']);
  });

  test('codes span the whole range, leading zeros included', async () => {
    const h = createHarness({ random: scriptedRandom(0, 999999) });
    await h.post('/api/codes', jo);
    assert.equal(await h.latestCode('jo@example.com'), '000000');
    assert.equal((await h.post('/api/codes/verify', { ...jo, code: '000000' })).status, 200);
    h.clock.advance(31_000);
    await h.post('/api/codes', jo);
    assert.equal(await h.latestCode('jo@example.com'), '999999');
  });

  test('50 parallel verifies of the right code sign in exactly once', async () => {
    const h = createHarness({ random: scriptedRandom(424242) });
    await h.post('/api/codes', jo);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => h.post('/api/codes/verify', { ...jo, code: '424242' }, { ip: `198.51.100.${i}` })),
    );
    assert.deepEqual(answers.map((r) => r.status).sort(), [200, ...Array(49).fill(401)]);
  });
});

describe('the code service', () => {
  test('stores only an HMAC of the code, keyed by the secret and bound to the subject and number', async () => {
    const store = mapCodeStore();
    const { records } = store;
    const codes = createCodeService({ store, secret: SECRET, clock: manualClock(), random: cryptoRandom, ttlMs: 600_000, maxAttempts: 5 });
    const { code } = await codes.issue('email:jo@example.com', 'email');
    const stored = JSON.stringify([...records]);
    assert.ok(!stored.includes(code), 'the code digits are not stored');
    const expected = createHmac('sha256', SECRET).update(`email:jo@example.com\n1\n${code}`).digest('hex');
    assert.equal(records.get('email:jo@example.com')!.active!.digest, expected);
    assert.deepEqual(await codes.verify('email:ann@example.com', code), { ok: false, reason: 'wrong', burnedNow: false });
  });

  test('a verify for an address that was never sent a code stores nothing', async () => {
    const store = mapCodeStore();
    const codes = createCodeService({ store, secret: SECRET, clock: manualClock(), random: cryptoRandom, ttlMs: 600_000, maxAttempts: 5 });
    assert.deepEqual(await codes.verify('email:nobody@example.com', '123456'), { ok: false, reason: 'wrong', burnedNow: false });
    assert.equal(store.records.size, 0);
  });

  test('a failed send never brings back a code once another identifier\'s newer code replaced it', async () => {
    const codes = createCodeService({ store: mapCodeStore(), secret: SECRET, clock: manualClock(), random: cryptoRandom, ttlMs: 600_000, maxAttempts: 5 });
    const first = await codes.issue('email:jo@example.com', 'email');
    const second = await codes.issue('email:jo@example.com', 'email');
    const onThePhone = await codes.issue('phone:+14155550123', 'sms');
    await codes.supersedeQuietly('email:jo@example.com', onThePhone);
    await codes.revert('email:jo@example.com', second.number);
    assert.equal((await codes.verify('email:jo@example.com', first.code)).ok, false);
    assert.equal((await codes.verify('email:jo@example.com', second.code)).ok, false);
  });

  test('of two codes issued at once to a contact\'s email and phone, the later one stays: neither request cancels the newer code', async () => {
    const codes = createCodeService({ store: mapCodeStore(), secret: SECRET, clock: manualClock(), random: cryptoRandom, ttlMs: 600_000, maxAttempts: 5 });
    // Both requests issue before either replaces the other's code, in the same millisecond.
    const byEmail = await codes.issue('email:jo@example.com', 'email');
    const byPhone = await codes.issue('phone:+14155550123', 'sms');
    await Promise.all([codes.supersedeQuietly('phone:+14155550123', byEmail), codes.supersedeQuietly('email:jo@example.com', byPhone)]);
    assert.equal((await codes.verify('phone:+14155550123', byPhone.code)).ok, true, 'the newest code works');
    assert.equal((await codes.verify('email:jo@example.com', byEmail.code)).ok, false, 'the older one does not');
  });

  test('a superseded code keeps only the newer code\'s number and time, never its digits', async () => {
    const store = mapCodeStore();
    const codes = createCodeService({ store, secret: SECRET, clock: manualClock(), random: cryptoRandom, ttlMs: 600_000, maxAttempts: 5 });
    await codes.issue('email:jo@example.com', 'email');
    const newer = await codes.issue('phone:+14155550123', 'sms');
    await codes.supersedeQuietly('email:jo@example.com', newer);
    assert.deepEqual(store.records.get('email:jo@example.com')?.active?.supersededBy, { number: newer.number, sentAt: newer.sentAt });
    assert.ok(!JSON.stringify([...store.records]).includes(newer.code));
  });

  test('a decoy code can never be verified, even with the code that was drawn for it', async () => {
    const codes = createCodeService({ store: mapCodeStore(), secret: SECRET, clock: manualClock(), random: cryptoRandom, ttlMs: 600_000, maxAttempts: 5 });
    const { code } = await codes.issue('email:nobody@example.com', 'email', { decoy: true });
    assert.deepEqual(await codes.verify('email:nobody@example.com', code), { ok: false, reason: 'wrong', burnedNow: false });
  });
});
