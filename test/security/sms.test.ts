import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Logger } from '../../server/log.ts';
import { createHarness } from '../server/harness.ts';
import { rowCounts } from './state.ts';

const US = { SMS_COUNTRIES: 'US,CA' };

async function refused(h: ReturnType<typeof createHarness>, phone: string, sentence: RegExp) {
  const before = rowCounts(h);
  const res = await h.post('/api/codes', { phone });
  const { error } = await res.json();
  assert.deepEqual([res.status, error.code], [400, 'invalid_phone'], phone);
  assert.match(error.message, sentence);
  await h.queue.idle();
  assert.equal(h.outbox.list().length, 0, 'nothing sent');
  assert.deepEqual(rowCounts(h), before, 'nothing stored');
  return error;
}

describe('SMS pumping (SECURITY-PLAN 23, 24, 26)', () => {
  test('23: a number outside SMS_COUNTRIES is refused before anything is sent, with a sentence naming the country', async () => {
    const h = createHarness({ env: US });
    await refused(h, '+33612345678', /^We can’t send text messages to numbers in France\. Use your email address instead\.$/);
    await refused(h, '+447911123456', /numbers in Guernsey/);
    assert.equal((await h.post('/api/codes', { phone: '+14155550123' })).status, 202, 'and the limit for this IP counted nothing');
  });

  test('23: SMS_COUNTRIES defaults to DEFAULT_COUNTRY, and a production server texting through Twilio must set one', async () => {
    const h = createHarness({ env: { DEFAULT_COUNTRY: 'GB' } });
    await refused(h, '+14155550123', /numbers in the United States|numbers in United States/);
    assert.equal((await h.post('/api/codes', { phone: '07400 123456' })).status, 202);
    assert.throws(
      () => createHarness({ env: { NODE_ENV: 'production', PUBLIC_URL: 'https://login.example.com', TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef', TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+14155550100' } }),
      /SMS_COUNTRIES is missing: name the countries you text/,
    );
  });

  test('23: premium-rate, toll-free and landline numbers are refused, each with its own sentence', async () => {
    const h = createHarness({ env: { SMS_COUNTRIES: 'US,GB,FR' } });
    await refused(h, '+19005550123', /premium-rate numbers\. Enter a mobile number, or use your email address\./);
    await refused(h, '+18005550199', /toll-free numbers/);
    await refused(h, '+442071234567', /looks like a landline/);
    await refused(h, '+33144556677', /looks like a landline/);
    assert.equal((await h.post('/api/codes', { phone: '+33612345678' })).status, 202, 'a French mobile number is fine');
  });

  test('23: each refused number says why in a machine-readable reason (and country), so the widget can say it in the page’s language', async () => {
    const h = createHarness({ env: { SMS_COUNTRIES: 'US,GB' } });
    const reasonOf = async (phone: string, sentence: RegExp) => {
      const { reason, country } = await refused(h, phone, sentence);
      return country === undefined ? reason : `${reason} ${country}`;
    };
    assert.equal(await reasonOf('+19005550123', /premium-rate/), 'premium_rate');
    assert.equal(await reasonOf('+18005550199', /toll-free/), 'toll_free');
    assert.equal(await reasonOf('+442071234567', /landline/), 'landline');
    assert.equal(await reasonOf('+33612345678', /numbers in France/), 'country FR');
  });

  test('23: a contact’s phone on file outside SMS_COUNTRIES gets no text when they ask by email for SMS, and the answer does not show it (R3)', async () => {
    const h = createHarness({ env: { ...US, SIGNUP: 'closed' } });
    await h.contacts.create({ email: 'jo@example.com', phone: '+33612345678' });
    await h.contacts.create({ email: 'ann@example.com', phone: '+14155550123' });
    const abroad = await h.post('/api/codes', { email: 'jo@example.com', channel: 'sms' });
    const home = await h.post('/api/codes', { email: 'ann@example.com', channel: 'sms' });
    assert.deepEqual([abroad.status, home.status], [202, 202]);
    await h.queue.idle();
    assert.equal(h.outbox.list('+33612345678').length, 0);
    assert.equal(h.outbox.list('+14155550123').length, 1);
  });

  test('24: more than 10 texts an hour to numbers sharing all but their last 3 digits are refused; other blocks and email still work', async () => {
    const h = createHarness({ env: US });
    for (let i = 0; i < 10; i++) assert.equal((await h.post('/api/codes', { phone: `+1415555010${i}` }, { ip: `198.51.100.${i}` })).status, 202);
    const res = await h.post('/api/codes', { phone: '+14155550199' }, { ip: '198.51.100.77' });
    const { error } = await res.json();
    assert.deepEqual([res.status, error.code], [429, 'rate_limited']);
    assert.equal(res.headers.get('retry-after'), String(error.retryAfter));
    assert.equal((await h.post('/api/codes', { phone: '+14155551299' }, { ip: '198.51.100.78' })).status, 202, 'the next block of 1,000');
    assert.equal((await h.post('/api/codes', { email: 'jo@example.com' }, { ip: '198.51.100.79' })).status, 202, 'email');
    h.clock.advance(3_600_000);
    assert.equal((await h.post('/api/codes', { phone: '+14155550199' }, { ip: '198.51.100.80' })).status, 202, 'an hour later');
  });

  test('26: past SMS_HOURLY_LIMIT texts are refused for everyone with delivery_unavailable, the owner is told once in the log, and email still works', async () => {
    const warnings: string[] = [];
    const log: Logger = { info() {}, error() {}, warn: (m) => warnings.push(m) };
    const h = createHarness({ env: { ...US, SMS_HOURLY_LIMIT: '3', SMS_PREFIX_PER_HOUR: '100' }, log });
    for (let i = 0; i < 3; i++) assert.equal((await h.post('/api/codes', { phone: `+1415555012${i}` })).status, 202);
    for (const phone of ['+14155550130', '+14155550131']) {
      const res = await h.post('/api/codes', { phone });
      const { error } = await res.json();
      assert.deepEqual([res.status, error.code], [503, 'delivery_unavailable']);
      assert.match(error.message, /Ask for the code by email instead/);
    }
    assert.equal(warnings.length, 1, 'one log line, not one per request');
    assert.match(warnings[0]!, /SMS budget reached: no more codes by SMS for 60 minutes \(email still works\)\. If this is real traffic, raise SMS_HOURLY_LIMIT/);
    assert.equal((await h.post('/api/codes', { email: 'jo@example.com' })).status, 202);
    await h.queue.idle();
    assert.equal(h.outbox.list().filter((m) => m.channel === 'sms').length, 3, 'exactly the budget went out');
    h.clock.advance(3_600_000);
    assert.equal((await h.post('/api/codes', { phone: '+14155550130' })).status, 202, 'the next hour');
  });

  test('26: SMS_DAILY_LIMIT holds across hours', async () => {
    const h = createHarness({ env: { ...US, SMS_DAILY_LIMIT: '4', SMS_PREFIX_PER_HOUR: '100' } });
    for (let i = 0; i < 4; i++) {
      assert.equal((await h.post('/api/codes', { phone: `+1415555014${i}` })).status, 202);
      h.clock.advance(2 * 3_600_000);
    }
    assert.equal((await h.post('/api/codes', { phone: '+14155550150' })).status, 503);
    h.clock.advance(18 * 3_600_000);
    assert.equal((await h.post('/api/codes', { phone: '+14155550150' })).status, 202, 'a day after the first');
  });

  test('26: the budget counts only texts that go out: codes for unknown numbers under closed signup cost nothing', async () => {
    const h = createHarness({ env: { ...US, SIGNUP: 'closed', SMS_HOURLY_LIMIT: '2', SMS_PREFIX_PER_HOUR: '100' } });
    for (let i = 0; i < 5; i++) assert.equal((await h.post('/api/codes', { phone: `+1415555016${i}` })).status, 202);
    await h.contacts.create({ phone: '+14155550170' });
    assert.equal((await h.post('/api/codes', { phone: '+14155550170' })).status, 202);
  });

  test('25: once 50 texts went to a country in a day and under 20% were used, texts there pause; used codes keep it open; the owner is told once', async () => {
    const warnings: string[] = [];
    const log: Logger = { info() {}, error() {}, warn: (m) => warnings.push(m) };
    const roomy = { ...US, SMS_PREFIX_PER_HOUR: '1000', SMS_HOURLY_LIMIT: '1000', SMS_DAILY_LIMIT: '1000', IP_CODES_PER_HOUR: '1000', IP_VERIFIES_PER_HOUR: '1000' };
    const h = createHarness({ env: roomy, log });
    // Ten honest people in Canada sign in with their codes; forty texts to Canada are never used.
    for (let i = 0; i < 10; i++) {
      const { res } = await h.signIn({ phone: `+1416555${String(1000 + i)}` });
      assert.equal(res.status, 200);
    }
    for (let i = 0; i < 40; i++) assert.equal((await h.post('/api/codes', { phone: `+1416555${String(2000 + i)}` })).status, 202);
    // 50 sent, 10 used: 20%, not below it.
    assert.equal((await h.post('/api/codes', { phone: '+14165553000' })).status, 202);
    // 51 sent, 10 used: below 20%. Canada pauses; the United States does not.
    const paused = await h.post('/api/codes', { phone: '+14165553001' });
    const { error } = await paused.json();
    assert.deepEqual([paused.status, error.code], [503, 'delivery_unavailable']);
    assert.equal(error.message, 'We can’t send text messages to numbers in Canada right now. Use your email address instead.');
    assert.equal((await h.post('/api/codes', { phone: '+14155550123' })).status, 202);
    assert.equal((await h.post('/api/codes', { phone: '+14165553002' })).status, 503);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /^SMS to numbers in Canada paused: 51 texts in the last 24 hours, only 10 used to sign in \(below SMS_MIN_CONVERSION=20%\)/);
    h.clock.advance(24 * 3_600_000);
    assert.equal((await h.post('/api/codes', { phone: '+14165553003' })).status, 202, 'a day later');
  });

  test('25: SMS_MIN_CONVERSION=0 turns the check off', async () => {
    const h = createHarness({ env: { ...US, SMS_MIN_CONVERSION: '0', SMS_PREFIX_PER_HOUR: '1000', SMS_HOURLY_LIMIT: '1000', IP_CODES_PER_HOUR: '1000' } });
    for (let i = 0; i < 60; i++) assert.equal((await h.post('/api/codes', { phone: `+1416555${String(2000 + i)}` })).status, 202);
  });
});
