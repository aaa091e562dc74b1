import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createHarness } from '../harness.ts';
import { parseEmail, parsePhone } from '../../../server/identifiers.ts';

/** Sends `body`, expects `status` and `code`, and checks that nothing was stored or sent. */
async function refused(body: unknown, status: number, code: string, path = '/api/codes') {
  // One request per IP allowed: had the refused one been counted, the next would be limited.
  const h = createHarness({ tune: (c) => void (c.limits.sendsPerIpPerHour = 1) });
  const res = await h.post(path, body);
  assert.equal(res.status, status, `status for ${JSON.stringify(body)?.slice(0, 80)}`);
  const { error } = await res.json();
  assert.equal(error.code, code);
  assert.match(error.message, /^[A-Z"].{20,}[.!]$/, 'a whole sentence');
  await h.queue.idle();
  assert.equal(h.outbox.list().length, 0, 'nothing sent');
  assert.equal((await h.storage.admin.search('', { limit: 1, offset: 0 })).total, 0, 'nothing stored');
  // Nothing was counted either: a well-formed request right after is answered normally.
  assert.equal((await h.post('/api/codes', { email: 'jo@example.com' })).status, 202);
  return error;
}

describe('bad input gets a clear error and changes nothing (R8)', () => {
  test('malformed JSON answers invalid_request', () => refused('{"email":', 400, 'invalid_request'));
  test('a JSON array answers invalid_request', () => refused('[1,2]', 400, 'invalid_request'));
  test('no identifier answers missing_identifier', () => refused({}, 400, 'missing_identifier'));
  test('an empty email answers missing_identifier', () => refused({ email: '  ' }, 400, 'missing_identifier'));
  test('a null phone next to an email is read as no phone', async () => {
    const h = createHarness();
    assert.equal((await h.post('/api/codes', { email: 'jo@example.com', phone: null })).status, 202);
  });
  test('both email and phone answer invalid_request', () => refused({ email: 'a@b.co', phone: '+14155550123' }, 400, 'invalid_request'));
  test('an email that is not text answers invalid_email', () => refused({ email: 42 }, 400, 'invalid_email'));
  test('an email with a line break answers invalid_email', () => refused({ email: 'jo@example.com\r\nBcc: x@evil.test' }, 400, 'invalid_email'));
  test('an email over 254 characters answers invalid_email', () =>
    refused({ email: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com` }, 400, 'invalid_email'));
  test('a phone number without a country code answers invalid_phone, saying to add it', async () => {
    const error = await refused({ phone: '415 555 0123' }, 400, 'invalid_phone');
    assert.match(error.message, /country code/);
    assert.equal(error.reason, undefined, 'no reason: the widget says to add the country code');
  });
  test('a phone number with a country code but wrong digits answers invalid_phone with reason "digits"', async () => {
    const error = await refused({ phone: '+44 7911 12' }, 400, 'invalid_phone');
    assert.equal(error.reason, 'digits');
    assert.match(error.message, /digits after the country code/);
  });
  test('letters in a phone number answer invalid_phone', () => refused({ phone: 'call +1 415 555 0123' }, 400, 'invalid_phone'));
  test('an unknown channel answers invalid_channel', () => refused({ email: 'jo@example.com', channel: 'fax' }, 400, 'invalid_channel'));
  test('a body over 8 KB answers 413 payload_too_large', () =>
    refused({ email: 'jo@example.com', padding: 'x'.repeat(9000) }, 413, 'payload_too_large'));
  test('a code that is not six digits answers invalid_code_format', () =>
    refused({ email: 'jo@example.com', code: '12345' }, 400, 'invalid_code_format', '/api/codes/verify'));
  test('a code sent as a number answers invalid_code_format', () =>
    refused({ email: 'jo@example.com', code: 123456 }, 400, 'invalid_code_format', '/api/codes/verify'));
  test('a verify without identifier answers missing_identifier', () => refused({ code: '123456' }, 400, 'missing_identifier', '/api/codes/verify'));

  test('a pasted code with a space or dash is read as its six digits', async () => {
    const h = createHarness();
    await h.post('/api/codes', { email: 'jo@example.com' });
    const code = await h.latestCode('jo@example.com');
    const res = await h.post('/api/codes/verify', { email: 'jo@example.com', code: `${code.slice(0, 3)} ${code.slice(3)}` });
    assert.equal(res.status, 200);
  });
});

describe('identifiers', () => {
  test('emails are trimmed and lower-cased', () => {
    assert.equal(parseEmail('  Jo.Smith+news@Example.COM '), 'jo.smith+news@example.com');
  });
  test('refuses addresses without a proper domain, with spaces, or with look-alike letters', () => {
    for (const bad of ['jo', 'jo@', '@example.com', 'jo@example', 'jo @example.com', 'jo@exa_mple.com', 'jo@exаmple.com', 'jo..x@example.com', 'jo@example.c0m']) {
      assert.equal(parseEmail(bad), null, bad);
    }
  });
  test('phones are normalised to E.164, with DEFAULT_COUNTRY for numbers without +', () => {
    assert.equal(parsePhone('+44 7911 123456'), '+447911123456');
    assert.equal(parsePhone('(415) 555-0123', 'US'), '+14155550123');
    assert.equal(parsePhone('(415) 555-0123'), null);
    assert.equal(parsePhone('+1 415 555 01'), null);
    assert.equal(parsePhone('0044 7911 123456'), '+447911123456');
  });
  test('DEFAULT_COUNTRY lets people type a national number', async () => {
    const h = createHarness({ env: { DEFAULT_COUNTRY: 'us' } });
    const res = await h.post('/api/codes', { phone: '(415) 555-0123' });
    assert.equal(res.status, 202);
    await h.queue.idle();
    assert.equal(h.outbox.list('+14155550123').length, 1);
  });
});
