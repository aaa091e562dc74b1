import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Logger } from '../../server/log.ts';
import { createHarness } from '../server/harness.ts';
import { rowCounts } from './state.ts';

const US = { SMS_COUNTRIES: 'US,CA' };

async function refused(h: ReturnType<typeof createHarness>, phone: string, sentence: RegExp) {
  const before = await rowCounts(h);
  const res = await h.post('/api/codes', { phone });
  const { error } = await res.json();
  assert.deepEqual([res.status, error.code], [400, 'invalid_phone'], phone);
  assert.match(error.message, sentence);
  await h.queue.idle();
  assert.equal(h.outbox.list().length, 0, 'nothing sent');
  assert.deepEqual(await rowCounts(h), before, 'nothing stored');
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

  test('25: SMS_MIN_CONVERSION=0 turns the check off', async () => {
    const h = createHarness({ env: { ...US, SMS_MIN_CONVERSION: '0', SMS_PREFIX_PER_HOUR: '1000', SMS_HOURLY_LIMIT: '1000', IP_CODES_PER_HOUR: '1000' } });
    for (let i = 0; i < 60; i++) assert.equal((await h.post('/api/codes', { phone: `+1416555${String(2000 + i)}` })).status, 202);
  });
});

const HOUR = 3_600_000;
const SETTLED = 11 * 60_000; // past a code's 10 minutes: an unused code is now a failed one
const ROOMY = { ...US, SMS_PREFIX_PER_HOUR: '1000', SMS_HOURLY_LIMIT: '1000', SMS_DAILY_LIMIT: '1000', IP_CODES_PER_HOUR: '1000', IP_VERIFIES_PER_HOUR: '1000' };
/** A Canadian number in block `block` (all but the last 3 digits shared): +1 416 555 0xxx, +1 416 555 1xxx… */
const ca = (block: number, n: number) => `+1416${5550 + block}${String(n).padStart(3, '0')}`;

function logged() {
  const lines: string[] = [];
  // Only the owner's lines about SMS, not each request's.
  const keep = (m: string) => m.startsWith('SMS ') && lines.push(m);
  const log: Logger = { info: keep, error() {}, warn: keep };
  return { lines, log };
}

/** Asks for a code for `phone` and answers the body and how many texts went to it in all. */
async function ask(h: ReturnType<typeof createHarness>, phone: string, ip = '203.0.113.7') {
  const res = await h.post('/api/codes', { phone }, { ip });
  assert.equal(res.status, 202, phone);
  const body = await res.json();
  await h.queue.idle();
  return { body, texts: h.outbox.list(phone).length };
}

describe('SMS conversion check (SECURITY-PLAN 25)', () => {
  test('about 50 requests from three IPs pause nothing under the default limits, not even the block they hit hardest', async () => {
    const { lines, log } = logged();
    const h = createHarness({ env: US, log });
    let i = 0;
    // 50 unused texts to five blocks of Canadian numbers, as fast as IP_CODES_PER_HOUR (20) lets three IPs.
    for (let block = 0; block < 5; block++) {
      for (let n = 0; n < 10; n++) assert.equal((await h.post('/api/codes', { phone: ca(block, n) }, { ip: `198.51.100.${Math.floor(i++ / 20)}` })).status, 202);
    }
    h.clock.advance(SETTLED);
    const next = await ask(h, ca(6, 0), '198.51.100.9');
    assert.deepEqual([next.body.smsPaused, next.texts], [undefined, 1], 'a new number in Canada is texted');
    h.clock.advance(HOUR);
    const same = await ask(h, ca(0, 500), '198.51.100.9');
    assert.deepEqual([same.body.smsPaused, same.texts], [undefined, 1], 'and so is one in the block that took ten');
    assert.deepEqual(lines, []);
  });

  test('a block of 1,000 numbers whose recent texts went unused pauses for new numbers for an hour; numbers that signed in before still get codes', async () => {
    const { lines, log } = logged();
    const h = createHarness({ env: { ...ROOMY, SIGNUP: 'open' }, log });
    // Someone signed in with a number in the block before, and a contact an admin added has one in it.
    assert.equal((await h.signIn({ phone: ca(2, 999) })).res.status, 200);
    await h.contacts.create({ email: 'new@example.com', phone: ca(2, 998) });
    await h.signIn({ email: 'new@example.com' });
    // And one signed in by email with a code texted to the phone on file: that proves the phone too.
    await h.contacts.create({ email: 'texted@example.com', phone: ca(2, 997) });
    assert.equal((await h.post('/api/codes', { email: 'texted@example.com', channel: 'sms' })).status, 202);
    assert.equal((await h.post('/api/codes/verify', { email: 'texted@example.com', code: await h.latestCode(ca(2, 997)) })).status, 200);
    for (let n = 0; n < 49; n++) assert.equal((await h.post('/api/codes', { phone: ca(2, n) })).status, 202);
    // 51 texts, 2 used, but 49 may still be used: codes in their lifetime are no failures. One more goes.
    const early = await ask(h, ca(2, 100));
    assert.deepEqual([early.body.smsPaused, early.texts], [undefined, 1]);

    h.clock.advance(SETTLED);
    const fresh = await ask(h, ca(2, 101));
    const known = await ask(h, ca(2, 999));
    assert.equal(fresh.texts, 0, 'a number new here gets no text');
    assert.equal(known.texts, 2, 'a number that signed in before gets its code');
    // R3: both are answered alike, and told why a new number gets nothing.
    assert.deepEqual(Object.keys(fresh.body), Object.keys(known.body));
    assert.deepEqual(fresh.body.smsPaused, known.body.smsPaused);
    assert.equal(fresh.body.smsPaused.until, new Date(h.clock.now() + HOUR).toISOString());
    assert.match(fresh.body.smsPaused.message, /^Texts to numbers new to us in \+1 416 555 2xxx are paused until \d\d:\d\d UTC\. If you’ve signed in with this number before, your code is on its way; if not, use your email address instead\.$/);
    // Asked by email for a text: the phone on file gets it only if it signed in before.
    assert.equal((await h.post('/api/codes', { email: 'new@example.com', channel: 'sms' })).status, 202);
    await h.queue.idle();
    assert.equal(h.outbox.list(ca(2, 998)).length, 0, 'a phone an admin typed in, never used');
    assert.equal((await h.post('/api/codes', { email: 'texted@example.com', channel: 'sms' })).status, 202);
    await h.queue.idle();
    assert.equal(h.outbox.list(ca(2, 997)).length, 2, 'a phone that got a code and used it before');
    const other = await ask(h, ca(3, 0));
    assert.deepEqual([other.body.smsPaused, other.texts], [undefined, 1], 'the next block is not paused');

    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^SMS to new numbers in \+1 416 555 2xxx paused until \d\d:\d\d UTC: of the 52 codes texted there in the last 24 hours, only 2 were used \(below SMS_MIN_CONVERSION=20%\)\. Numbers that signed in before still get texts\./);

    h.clock.advance(HOUR);
    const later = await ask(h, ca(2, 102));
    assert.deepEqual([later.body.smsPaused, later.texts], [undefined, 1], 'an hour later');
    assert.equal(lines.length, 2);
    assert.match(lines[1]!, /^SMS to new numbers in \+1 416 555 2xxx resumed at \d\d:\d\d UTC after an hour's pause \(SMS_MIN_CONVERSION=20%\)\. Texts there count afresh: it pauses again only if 50 more go out and too few are used\.$/);
  });

  test('closed signup: a number nobody here has is told of the pause exactly like a contact’s (R3)', async () => {
    const h = createHarness({ env: { ...ROOMY, SIGNUP: 'closed' } });
    for (let n = 0; n < 50; n++) await h.contacts.create({ phone: ca(5, n) });
    for (let n = 0; n < 50; n++) assert.equal((await h.post('/api/codes', { phone: ca(5, n) })).status, 202);
    h.clock.advance(SETTLED);
    const contact = await ask(h, ca(5, 0));
    const stranger = await ask(h, ca(5, 700));
    assert.deepEqual([contact.texts, stranger.texts], [1, 0], 'the contact’s number got its earlier text only');
    assert.match(stranger.body.smsPaused.message, /new to us in \+1 416 555 5xxx are paused/);
    assert.deepEqual({ ...stranger.body, destination: '' }, { ...contact.body, destination: '' });
  });

  test('a whole country pauses only when its unused texts are spread over many blocks, and the United States does not', async () => {
    const { lines, log } = logged();
    const h = createHarness({ env: ROOMY, log });
    for (let block = 0; block < 10; block++) for (let n = 0; n < 10; n++) assert.equal((await h.post('/api/codes', { phone: ca(block, n) })).status, 202);
    h.clock.advance(SETTLED);
    const elsewhere = await ask(h, ca(11, 0));
    assert.equal(elsewhere.texts, 0);
    assert.match(elsewhere.body.smsPaused.message, /new to us in Canada are paused/);
    assert.equal((await ask(h, '+14155550123')).texts, 1, 'the United States share +1 but not the pause');
    assert.match(lines[0]!, /^SMS to new numbers in Canada paused until .*: of the 100 codes texted there in the last 24 hours, only 0 were used/);
  });

  test('numbers of no country (Inmarsat’s +870) pause together, and the sentences name them as an unknown country', async () => {
    const { lines, log } = logged();
    const h = createHarness({ env: { ...ROOMY, SMS_COUNTRIES: 'all' }, log });
    const inmarsat = (block: number, n: number) => `+870772${String(block).padStart(3, '0')}${String(n).padStart(3, '0')}`;
    for (let block = 0; block < 10; block++) for (let n = 0; n < 10; n++) assert.equal((await h.post('/api/codes', { phone: inmarsat(block, n) })).status, 202);
    h.clock.advance(SETTLED);
    const next = await ask(h, inmarsat(10, 0));
    assert.equal(next.texts, 0);
    assert.match(next.body.smsPaused.message, /^Texts to numbers new to us in an unknown country are paused until \d\d:\d\d UTC\. /);
    assert.match(lines[0]!, /^SMS to new numbers in an unknown country paused until \d\d:\d\d UTC: of the 100 codes texted there in the last 24 hours, only 0 were used/);
  });

  test('R10: the texts that lead to a pause, and the pause itself, survive restarts of the server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otp-sms-'));
    const { lines, log } = logged();
    /** The server started (again) on the same database file, at the time the last one stopped. */
    const start = (at?: number) => {
      const h = createHarness({ env: ROOMY, dbFile: join(dir, 'otp.sqlite'), log });
      if (at !== undefined) h.clock.advance(at - h.clock.now());
      return h;
    };
    try {
      const first = start();
      for (let n = 0; n < 49; n++) assert.equal((await first.post('/api/codes', { phone: ca(4, n) })).status, 202);
      await first.queue.idle();
      await first.storage.close();
      // The 50th text goes out after a restart: the 49 before it still count.
      const second = start(first.clock.now());
      assert.equal((await second.post('/api/codes', { phone: ca(4, 49) })).status, 202);
      second.clock.advance(SETTLED);
      const refused = await ask(second, ca(4, 100));
      assert.equal(refused.texts, 0, 'paused on evidence from before the restart');
      await second.storage.close();
      const third = start(second.clock.now());
      const still = await ask(third, ca(4, 101));
      assert.deepEqual([still.texts, still.body.smsPaused], [0, refused.body.smsPaused], 'the same pause after another restart');
      assert.equal(lines.filter((l) => l.includes(' paused until ')).length, 1, 'kept, not judged again');
      third.clock.advance(HOUR);
      assert.equal((await ask(third, ca(4, 102))).texts, 1, 'and it ends on time');
      assert.match(lines.at(-1)!, / resumed at /);
      await third.storage.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('used codes keep texts going: a fifth used is enough, counting known numbers’ sign-ins', async () => {
    const { lines, log } = logged();
    const h = createHarness({ env: ROOMY, log });
    for (let block = 0; block < 10; block++) {
      assert.equal((await h.signIn({ phone: ca(block, 900) })).res.status, 200);
      h.clock.advance(60_000);
      assert.equal((await h.signIn({ phone: ca(block, 900) })).res.status, 200, 'a known number signing in again');
      for (let n = 0; n < 8; n++) assert.equal((await h.post('/api/codes', { phone: ca(block, n) })).status, 202);
    }
    h.clock.advance(SETTLED);
    // 100 texts to Canada, 20 used: 20%, not below it.
    const next = await ask(h, ca(11, 0));
    assert.deepEqual([next.body.smsPaused, next.texts], [undefined, 1]);
    assert.deepEqual(lines, []);
  });

  test('after a pause only texts sent since count, so it ends and a used code or two keep it ended', async () => {
    const { lines, log } = logged();
    const h = createHarness({ env: ROOMY, log });
    for (let n = 0; n < 50; n++) assert.equal((await h.post('/api/codes', { phone: ca(4, n) })).status, 202);
    h.clock.advance(SETTLED);
    assert.equal((await ask(h, ca(4, 100))).texts, 0, 'paused');
    h.clock.advance(HOUR);
    // Ten sign-ins and forty unused: 20% of the texts since the pause ended.
    for (let n = 0; n < 10; n++) assert.equal((await h.signIn({ phone: ca(4, 200 + n) })).res.status, 200);
    for (let n = 0; n < 40; n++) assert.equal((await h.post('/api/codes', { phone: ca(4, 300 + n) })).status, 202);
    h.clock.advance(SETTLED);
    assert.equal((await ask(h, ca(4, 400))).texts, 1, 'still going');
    assert.equal(lines.filter((l) => l.includes(' paused until ')).length, 1, 'one pause in all');
  });
});
