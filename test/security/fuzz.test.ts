import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { errors, type ErrorCode } from '../../server/http/errors.ts';
import { createHarness } from '../server/harness.ts';
import { countingCodeStore, recordingSender, rowCounts } from './state.ts';

// SECURITY-PLAN 50 and R8, by generated bodies: whatever arrives at the two public endpoints, the
// answer is never a 5xx, is JSON of the documented shape, and a refusal stores and sends nothing.
// Deterministic by default; FUZZ_SEED=<n> replays or varies a run, FUZZ_RUNS=<n> (per endpoint)
// scales it up towards the plan's 10^6 in a nightly job.

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_501);
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
assert.ok(Number.isInteger(SEED) && Number.isInteger(RUNS) && RUNS > 0, 'FUZZ_SEED and FUZZ_RUNS are whole numbers');

const SEND = '/api/codes';
const VERIFY = '/api/codes/verify';

/** The error codes each endpoint may answer (SPEC's table, R8's two, and the channel's own). */
const allowed: Record<typeof SEND | typeof VERIFY, ReadonlySet<ErrorCode>> = {
  [SEND]: new Set(['invalid_request', 'payload_too_large', 'missing_identifier', 'invalid_email', 'invalid_phone', 'invalid_channel', 'rate_limited']),
  [VERIFY]: new Set([
    'invalid_request', 'payload_too_large', 'missing_identifier', 'invalid_email', 'invalid_phone', 'invalid_code_format',
    'wrong_code', 'superseded_code', 'expired_code', 'too_many_attempts', 'no_active_code', 'rate_limited',
  ]),
};

// ---- Generated bodies ----------------------------------------------------------------------

/** Characters that have broken identifier parsing elsewhere: line breaks, NUL, look-alikes, overrides. */
const nasty = fc.constantFrom(
  '\r\n', '\n', '\r', '%0d%0a', '%0a', '\r\nBcc: x@evil.test', '\u0000', '\t', '\u001b', '\u007f',
  '\u202e', '\u2066', '\u200b', '\u00ad', '\ufeff', '\u00a0', '\u2028', '\u3000',
  '\u043e', '\u0430', '\u0456', '\u212a', '\u0130', '\uff11', '\u0661', '\u06f1', '\uff20', '\u3002',
  '\ud800', '\udfff', '"', '\\', '@', '@@', '.', '..', '+', '-', ' ', '<', '>', ',', ';', ':', '(', ')',
  '__proto__', 'constructor', '\u{1f600}',
);

/** `text` with one nasty piece put in at some place. */
const tainted = (text: fc.Arbitrary<string>) =>
  fc.tuple(text, fc.nat(), nasty).map(([t, at, bad]) => {
    const i = at % (t.length + 1);
    return `${t.slice(0, i)}${bad}${t.slice(i)}`;
  });

const digits = (minLength: number, maxLength: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });

/** The identifiers the verify run sends codes to first, so that wrong, burned and limited codes are reached. */
const seeded = {
  emails: Array.from({ length: 100 }, (_, n) => `jo${n}@example.com`),
  phones: Array.from({ length: 100 }, (_, n) => `+1415555${String(100 + n).padStart(4, '0')}`),
};

/** Emails the server takes, more or less: real-looking ones, RFC-shaped ones, and over-long ones. */
const goodEmail = fc.oneof(
  fc.constantFrom(...seeded.emails),
  fc
    .tuple(fc.constantFrom('jo', 'a', 'x.y', 'first+tag', 'o_k'), fc.nat(9_999), fc.constantFrom('example.com', 'example.org', 'mail.example.co.uk'))
    .map(([local, n, domain]) => `${local}${n}@${domain}`),
  fc.emailAddress(),
);
const emailish = fc.oneof(
  { weight: 3, arbitrary: goodEmail },
  { weight: 4, arbitrary: tainted(goodEmail) },
  // Around the limits: a local part of 64 and an address of 254 characters.
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 60, max: 70 }), fc.integer({ min: 240, max: 262 }))
      .map(([local, total]) => `${'a'.repeat(local)}@${'b'.repeat(Math.max(1, total - local - 5))}.com`),
  },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'ab.@+-_%'), maxLength: 12 }) },
);

/** Phone numbers: valid US and UK mobiles, digit soup with separators, and tainted ones. */
const goodPhone = fc.oneof(
  fc.constantFrom(...seeded.phones),
  digits(4, 4).map((d) => `+1415555${d}`),
  digits(6, 6).map((d) => `+447911${d}`),
  digits(4, 4).map((d) => `(415) 555-${d}`),
  digits(6, 6).map((d) => `0044 7911 ${d}`),
);
const phoneish = fc.oneof(
  { weight: 3, arbitrary: goodPhone },
  { weight: 3, arbitrary: tainted(goodPhone) },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...'0123456789 +-().'), maxLength: 40 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('+', '+1', '00', ''), digits(0, 40)).map(([a, b]) => a + b) },
);

/** Codes: six digits, pasted forms, wrong lengths, other scripts' digits. */
const codeish = fc.oneof(
  { weight: 3, arbitrary: digits(6, 6) },
  { weight: 1, arbitrary: digits(6, 6).map((d) => `${d.slice(0, 3)} ${d.slice(3)}`) },
  { weight: 2, arbitrary: digits(0, 9) },
  { weight: 2, arbitrary: tainted(digits(6, 6)) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'0123456789\u0660\u0661\u06f1\uff11- '), maxLength: 8 }) },
);

/** Any text at all: every code point, Latin-1 controls, graphemes. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'binary-ascii' }),
  fc.string({ unit: 'grapheme', size: 'medium' }),
  tainted(fc.string()),
);

/** A value for any field: usually text of the field's kind, sometimes JSON of another type. */
const valueOf = (kind: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 6, arbitrary: kind },
    { weight: 2, arbitrary: anyText },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1e21, '', [], {}, '__proto__') },
  );

const fields = {
  email: valueOf(emailish),
  phone: valueOf(phoneish),
  channel: valueOf(fc.constantFrom('email', 'sms', 'SMS', 'fax', 'email ', '')),
  reason: valueOf(fc.constantFrom('cookies_cleared', 'first_sign_in', 'private_window', 'because', 'toString')),
  code: valueOf(codeish),
  remember: valueOf(fc.boolean()),
};

/** Mostly absent: an optional field is left out more often than it is sent. */
const sometimes = <T>(value: fc.Arbitrary<T>, absent = 2) =>
  fc.oneof({ weight: absent, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: value });

/** One identifier (usually), none, or both. */
const identifierPart = fc.oneof(
  { weight: 4, arbitrary: fields.email.map((email) => ({ email })) },
  { weight: 4, arbitrary: fields.phone.map((phone) => ({ phone })) },
  { weight: 1, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: fc.record({ email: fields.email, phone: fields.phone }) },
);

/** Strangers next to the real keys: ignored, but they must not change anything. */
const extraKeys = sometimes(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }), 4);

/** An object with the real keys of `path` and arbitrary values, or every key of both endpoints. */
const withRealKeys = (path: string) =>
  fc.oneof(
    {
      weight: 4,
      arbitrary:
        path === VERIFY
          ? fc.tuple(extraKeys, identifierPart, sometimes(fields.code, 1), sometimes(fields.remember, 3))
              .map(([extra, id, code, remember]) => JSON.stringify({ ...extra, ...id, code, remember }))
          : fc.tuple(extraKeys, identifierPart, sometimes(fields.channel), sometimes(fields.reason, 3))
              .map(([extra, id, channel, reason]) => JSON.stringify({ ...extra, ...id, channel, reason })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(extraKeys, fc.record(fields, { requiredKeys: [] })).map(([extra, known]) => JSON.stringify({ ...extra, ...known })),
    },
  );

/** One well-formed body per endpoint, then one thing changed about it. */
const validFor = (path: string) =>
  fc
    .tuple(
      fc.oneof(goodEmail.map((email) => ({ email })), goodPhone.map((phone) => ({ phone }))),
      digits(6, 6),
      fc.constantFrom(undefined, 'email', 'sms'),
    )
    .map(([id, code, channel]): Record<string, unknown> => (path === VERIFY ? { ...id, code } : { ...id, ...(channel && { channel }) }));
const fieldNames = Object.keys(fields) as Array<keyof typeof fields>;

const nearlyValid = (path: string) =>
  fc.oneof(
    // As is: the control group, answered 202 (or 401 for a verify).
    validFor(path).map((b) => JSON.stringify(b)),
    // One field replaced by anything.
    fc.tuple(validFor(path), fc.constantFrom(...fieldNames), anyText).map(([b, key, v]) => JSON.stringify({ ...b, [key]: v })),
    fc.tuple(validFor(path), emailish).map(([b, email]) => JSON.stringify({ ...b, phone: undefined, email })),
    fc.tuple(validFor(path), phoneish).map(([b, phone]) => JSON.stringify({ ...b, email: undefined, phone })),
    // The identifier or the code tainted.
    fc.tuple(validFor(path), nasty, fc.nat()).map(([b, bad, at]) => {
      const key = path === VERIFY && at % 2 === 0 ? 'code' : 'email' in b ? 'email' : 'phone';
      const value = String(b[key]);
      const i = at % (value.length + 1);
      return JSON.stringify({ ...b, [key]: `${value.slice(0, i)}${bad}${value.slice(i)}` });
    }),
    // Prototype keys carrying the real fields.
    fc
      .tuple(validFor(path), fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.record(fields, { requiredKeys: [] }))
      .map(([b, key, inner]) => `{"${key}":${JSON.stringify(inner)},${JSON.stringify(b).slice(1)}`),
    fc.tuple(fc.constantFrom('__proto__', 'constructor'), validFor(path)).map(([key, b]) => JSON.stringify({ [key]: b })),
    // Wrapped, cut short, duplicated, or padded to around the 8 KB limit.
    validFor(path).map((b) => JSON.stringify([b])),
    fc.tuple(validFor(path), fc.nat()).map(([b, at]) => JSON.stringify(b).slice(0, at % JSON.stringify(b).length)),
    fc.tuple(validFor(path), emailish).map(([b, e]) => `${JSON.stringify(b).slice(0, -1)},"email":${JSON.stringify(e)}}`),
    fc.tuple(validFor(path), fc.integer({ min: 8_100, max: 8_300 }), fc.constantFrom('x', 'é')).map(([b, bytes, pad]) => {
      const room = bytes - Buffer.byteLength(JSON.stringify({ ...b, pad: '' }));
      return JSON.stringify({ ...b, pad: pad.repeat(Math.max(0, Math.floor(room / Buffer.byteLength(pad)))) });
    }),
  );

/** Bytes that are not JSON at all, or not a JSON object. */
const notJson = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'binary-ascii', size: 'medium' }),
  fc.constantFrom('', ' ', 'null', '[]', '{', '}', '{"email":', "{'email':'jo@example.com'}", 'email=jo%40example.com', '\u0000'),
  fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
);

const bodies = (path: string) =>
  fc.oneof(
    { weight: 1, arbitrary: fc.jsonValue({ depthSize: 'small' }).map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 5, arbitrary: withRealKeys(path) },
    { weight: 1, arbitrary: notJson },
    { weight: 5, arbitrary: nearlyValid(path) },
  );

// ---- The server under test -----------------------------------------------------------------

/** A server with the limits out of the way, so every answer is about the body, not the count. */
function roomyServer() {
  const codes = countingCodeStore();
  const { sender, sent } = recordingSender();
  const h = createHarness({
    codeStore: codes,
    sender,
    tune: (c) => {
      c.limits.sendsPerIpPerHour = 1e9;
      c.limits.verifiesPerIpPerHour = 1e9;
      c.limits.sendsPerIdentifierPerHour = 1e9;
      c.limits.sendsPerIdentifierPerDay = 1e9;
      c.limits.resendCooldownMs = 0;
      c.limits.smsPerPrefixPerHour = 1e9;
      c.limits.smsPerHour = 1e9;
      c.limits.smsPerDay = 1e9;
      c.limits.smsMinConversionPercent = 0;
    },
  });
  /** Records of every kind, messages handed over, code writes: what a request could have changed. */
  const state = async () => {
    await h.queue.idle();
    return { rows: await rowCounts(h), messages: sent.length, codeWrites: codes.writes };
  };
  return { h, state, sent };
}

/** The answer SPEC documents for this status, or an assertion error naming what is wrong. */
async function assertDocumentedAnswer(path: typeof SEND | typeof VERIFY, res: Response) {
  assert.ok(res.status < 500, `never a 5xx (got ${res.status})`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  const answer = await res.json();
  if (res.status === 202 && path === SEND) {
    assert.equal(answer.status, 'sent_if_registered');
    assert.ok(answer.channel === 'email' || answer.channel === 'sms');
    assert.equal(typeof answer.destination, 'string');
    assert.ok(Number.isInteger(answer.resendAfter) && Number.isInteger(answer.expiresIn));
    return 'sent';
  }
  if (res.status === 200 && path === VERIFY) {
    assert.equal(answer.signedIn, true);
    return 'signed_in';
  }
  assert.ok(res.status >= 400, `a ${res.status} is not an answer ${path} documents`);
  assert.deepEqual(Object.keys(answer), ['error']);
  const { code, message } = answer.error;
  assert.ok(allowed[path].has(code), `${code} is an error ${path} documents`);
  assert.equal(res.status, errors[code as ErrorCode][0], `${code} answers its own status`);
  assert.equal(typeof message, 'string');
  assert.match(message, /^[A-Z"][^\u0000-\u001f]{20,400}[.!]$/, 'a sentence, with no control characters and no echoed input');
  if (code === 'rate_limited' && 'retryAfter' in answer.error) {
    assert.equal(res.headers.get('retry-after'), String(answer.error.retryAfter));
  }
  return code as string;
}

/** Generates `RUNS` bodies for `path`, checks each answer, and reports the split of answers. */
async function fuzz(path: typeof SEND | typeof VERIFY) {
  const { h, state, sent } = roomyServer();
  if (path === VERIFY) {
    for (const id of [...seeded.emails.map((email) => ({ email })), ...seeded.phones.map((phone) => ({ phone }))]) {
      assert.equal((await h.post(SEND, id, { ip: '192.0.2.1' })).status, 202, `a code for ${JSON.stringify(id)}`);
    }
  }
  const split = new Map<string, number>();
  let tried = 0;
  const started = performance.now();
  await fc.assert(
    fc.asyncProperty(bodies(path), async (body) => {
      tried++;
      const ip = `10.${(tried >> 16) & 255}.${(tried >> 8) & 255}.${tried & 255}`;
      const was = await state();
      const res = await h.post(path, body, { ip });
      const outcome = await assertDocumentedAnswer(path, res);
      const key = `${res.status} ${outcome}`;
      split.set(key, (split.get(key) ?? 0) + 1);
      const now = await state();
      // Whatever was accepted, only a clean address reaches a provider: no line break, space or look-alike.
      for (const message of sent.slice(was.messages)) {
        assert.match(message.to, message.channel === 'sms' ? /^\+[1-9][0-9]{6,14}$/ : /^[\x21-\x7e]{3,254}$/, 'a clean address');
        assert.doesNotMatch(message.subject, /[\r\n]/);
      }
      if (res.status >= 400) {
        // A wrong code (401) is a try that counts: its limits and failure counts are kept, as they must be.
        const counted = res.status === 401 ? ['limit_hits', 'failure_counts'] : [];
        const rows = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).filter(([table]) => !counted.includes(table)));
        assert.deepEqual(rows(now.rows), rows(was.rows), 'a refused body stores no row');
        assert.equal(now.messages, was.messages, 'a refused body sends no message');
        // A wrong code (401) counts a try on the code record; every other refusal never reaches it.
        if (res.status !== 401) assert.equal(now.codeWrites, was.codeWrites, 'a refused body writes no code');
      }
    }),
    { numRuns: RUNS, seed: SEED },
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const statuses = [...split].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}: ${n}`).join(', ');
  console.log(`fuzz ${path}: ${tried} bodies in ${seconds} s (seed ${SEED}) — ${statuses}`);
  return { tried, split };
}

describe(`50: generated bodies never crash the public endpoints, and a refusal changes nothing (seed ${SEED})`, () => {
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

  test(`50: ${RUNS} bodies sent to POST /api/codes: never a 5xx, always SPEC's shape, nothing stored for a refusal`, async () => {
    const { tried, split } = await fuzz(SEND);
    assert.ok(tried >= RUNS);
    // The generators reach both sides: bodies that are sent a code and bodies that are refused.
    assert.ok((split.get('202 sent') ?? 0) > RUNS / 20, 'enough valid bodies to show the refusals are not everything');
    assert.ok([...split.keys()].filter((k) => k.startsWith('400')).length >= 5, 'most kinds of refusal are reached');
    assert.ok((split.get('413 payload_too_large') ?? 0) > 0, 'the body limit is reached');
  });

  test(`50: ${RUNS} bodies sent to POST /api/codes/verify: never a 5xx, always SPEC's shape, nothing stored for a refusal`, async () => {
    const { tried, split } = await fuzz(VERIFY);
    assert.ok(tried >= RUNS);
    assert.ok((split.get('401 wrong_code') ?? 0) > RUNS / 20, 'enough well-formed verifies to reach the code store');
    assert.ok((split.get('400 invalid_code_format') ?? 0) > 0);
    assert.ok((split.get('413 payload_too_large') ?? 0) > 0, 'the body limit is reached');
  });

  after(() => {
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeKeys, 'Object.prototype is as it was');
  });
});
