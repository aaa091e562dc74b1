import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { OutgoingMessage } from '../../server/delivery/messages.ts';
import { cryptoRandom, type Random } from '../../server/random.ts';
import { createHarness, scriptedRandom, type Harness } from '../server/harness.ts';
import { countingCodeStore, recordingSender, rowCounts } from './state.ts';

// R8 and SECURITY-PLAN 50 (and the input side of 18/19): every bad body gets a 4xx with a sentence,
// and nothing changes — no row, no message, no code, no limit counted.

const SEND = '/api/codes';
const VERIFY = '/api/codes/verify';
const jo = { email: 'jo@example.com' };
/** The code every send gives (see `knownCodes`); the follow-up guesses a different one. */
const JOS_CODE = '123456';

type Path = typeof SEND | typeof VERIFY;

type Server = { h: Harness; codes: ReturnType<typeof countingCodeStore>; sent: OutgoingMessage[] };

/** Everything a request could have changed that a test can see: rows, messages and code records. */
async function state({ h, codes, sent }: Server) {
  await h.queue.idle();
  return { rows: await rowCounts(h), messages: sent.length, codeWrites: codes.writes };
}

/** Every code is jo's known code, so a follow-up can guess a wrong one. */
const knownCodes: Random = { int: () => Number(JOS_CODE), bytes: cryptoRandom.bytes };

/** Past every window: limits, cooldowns, codes and the month that wrong codes in a row are kept. */
const PAST_EVERY_LIMIT = 31 * 24 * 3_600_000;

// One server for all refusals (building one costs ~0.2 s, mostly its limiters' caches): each case
// first moves its clock past every window, so no case sees another's counts.
let shared: Server | undefined;
function server() {
  if (!shared) {
    const codes = countingCodeStore();
    const { sender, sent } = recordingSender();
    const h = createHarness({
      codeStore: codes,
      sender,
      random: knownCodes,
      tune: (c) => {
        c.limits.sendsPerIpPerHour = 1;
        c.limits.verifiesPerIpPerHour = 1;
      },
    });
    shared = { h, codes, sent };
  }
  return shared;
}

const IP = '203.0.113.9';

/** A body sent in pieces with no Content-Length, as a client streaming it would. */
class Streamed {
  constructor(readonly text: string) {}
}

/** Posts as a browser on the server's own page, from `IP`; a `Streamed` body goes as a stream. */
function post(h: Harness, path: Path, body: unknown) {
  if (!(body instanceof Streamed)) return h.post(path, body, { ip: IP });
  const bytes = new TextEncoder().encode(body.text);
  let at = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, (at += 1000)));
    },
  });
  const init = { method: 'POST', body: stream, duplex: 'half', headers: { 'content-type': 'application/json', origin: 'http://localhost:3000' } };
  return h.app.request(`http://localhost:3000${path}`, init as RequestInit, { incoming: { socket: { remoteAddress: IP } } });
}

/**
 * Sends `body` to `path` and checks the answer is `status` with `code` and a sentence, that nothing
 * was stored or sent, and that no limit counted it: the per-IP limits are 1, so a well-formed request
 * from the same address right after is answered normally, and a verify leaves jo's code its 5 tries.
 */
async function refused(path: Path, body: unknown, status: number, code: string) {
  const bench = server();
  const { h } = bench;
  h.clock.advance(PAST_EVERY_LIMIT);
  // A verify is refused next to a waiting code, to show the refusal did not spend one of its tries.
  if (path === VERIFY) assert.equal((await h.post(SEND, jo, { ip: '198.51.100.1' })).status, 202);
  const was = await state(bench);

  const res = await post(h, path, body);
  const label = JSON.stringify(body)?.slice(0, 100);
  assert.equal(res.status, status, `status for ${label}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  const answer = await res.json();
  assert.deepEqual(Object.keys(answer), ['error']);
  assert.equal(answer.error.code, code, `error code for ${label}`);
  assertSentence(answer.error.message);
  assert.deepEqual(await state(bench), was, `nothing stored or sent for ${label}`);

  if (path === SEND) {
    assert.equal((await post(h, SEND, jo)).status, 202, 'the refused request counted on no limit');
  } else {
    const next = await post(h, VERIFY, { ...jo, code: '000000' });
    assert.equal(next.status, 401, 'the refused verify counted on no per-IP limit');
    assert.deepEqual((await next.json()).error, { code: 'wrong_code', message: "That code isn't right. You have 4 tries left.", attemptsLeft: 4 });
  }
  return answer.error as { code: string; message: string };
}

/** A sentence a person can act on: a capital (or a quoted field name) to a full stop, no internals. */
function assertSentence(message: unknown) {
  assert.equal(typeof message, 'string');
  assert.match(message as string, /^[A-Z"].{20,}[.!]$/s, 'a whole sentence');
  assert.doesNotMatch(message as string, /undefined|null|NaN|\[object|Error|\.ts\b|\bat \w/, 'no internals');
}

/** The same refusal from both public endpoints, one after the other (they share one server). */
async function both(body: unknown, status: number, code: string) {
  const sent = await refused(SEND, body, status, code);
  const verified = await refused(VERIFY, body, status, code);
  assert.equal(verified.message, sent.message, 'the same words from both endpoints');
  return sent;
}

describe('50: header injection in an identifier is refused, and never reaches a message', () => {
  const injections = [
    'jo@example.com\r\nBcc: x@evil.test',
    'jo@example.com\nBcc: x@evil.test',
    'jo@example.com\rBcc: x@evil.test',
    'jo@example.com\r\n\r\nHello',
    'jo\r\n@example.com',
    'jo@example.com%0d%0aBcc:%20x@evil.test',
    'jo@example.com%0aBcc:x@evil.test',
    'jo@example.com%0D%0ABcc: x@evil.test',
    'Bcc: x@evil.test\r\njo@example.com',
  ];
  for (const email of injections) {
    test(`50: ${JSON.stringify(email)} answers invalid_email`, async () => {
      await both({ email, code: JOS_CODE }, 400, 'invalid_email');
    });
  }

  test('50: a line break inside a phone number answers invalid_phone', async () => {
    for (const phone of ['+14155550123\r\nBcc: x@evil.test', '+1415555\n0123', '+14155550123%0d%0a']) {
      await both({ phone, code: JOS_CODE }, 400, 'invalid_phone');
    }
  });

  test('R8: a raw, unescaped line break inside a JSON string is not JSON, and answers invalid_request', async () => {
    await both('{"email":"jo@example.com\r\nBcc: x@evil.test"}', 400, 'invalid_request');
  });

  test('50: a trailing line break is trimmed like a space, so the code goes to the clean address and no header gets it', async () => {
    const h = createHarness();
    assert.equal((await h.post(SEND, { email: ' jo@example.com\r\n' })).status, 202);
    await h.queue.idle();
    assert.deepEqual(h.outbox.list().map((m) => m.to), ['jo@example.com']);
  });

  test('50: "%0d%0a" inside a local part is three ordinary characters and is never decoded into a line break', async () => {
    const h = createHarness();
    assert.equal((await h.post(SEND, { email: 'jo%0d%0abcc@example.com' })).status, 202);
    await h.queue.idle();
    const [message] = h.outbox.list();
    assert.ok(message);
    assert.equal(message.to, 'jo%0d%0abcc@example.com');
    assert.doesNotMatch(`${message.to}${message.subject}`, /[\r\n]/);
  });
});

describe('50: NUL and other control characters are refused', () => {
  test('50: a NUL byte in an email answers invalid_email', async () => {
    for (const email of ['jo\u0000@example.com', 'jo@example.com\u0000', '\u0000jo@example.com', 'jo@exa\u0000mple.com']) {
      await both({ email, code: JOS_CODE }, 400, 'invalid_email');
    }
  });
  test('50: a NUL byte in a phone number answers invalid_phone', async () => {
    for (const phone of ['+14155550123\u0000', '+1415\u00005550123', '\u0000+14155550123']) {
      await both({ phone, code: JOS_CODE }, 400, 'invalid_phone');
    }
  });
  test('50: a NUL byte in a code answers invalid_code_format', async () => {
    for (const code of ['123456\u0000', '\u0000123456', '123\u0000456']) {
      await refused(VERIFY, { ...jo, code }, 400, 'invalid_code_format');
    }
  });
  test('50: a tab, bell or escape inside an email answers invalid_email', async () => {
    for (const email of ['jo\t@example.com', 'jo\u0007@example.com', 'jo\u001b[31m@example.com']) {
      await refused(SEND, { email }, 400, 'invalid_email');
    }
  });
});

describe('50: over-long input is refused before it is read', () => {
  const label = (n: number) => 'd'.repeat(n);
  test('50: an email of 255 characters answers invalid_email, while one of 254 is accepted (RFC 5321)', async () => {
    // 64 + "@" + 63 + "." + 63 + "." + the rest + ".com"
    const address = (length: number) => `${'a'.repeat(64)}@${label(63)}.${label(63)}.${label(length - 197)}.com`;
    assert.equal(address(255).length, 255);
    await both({ email: address(255), code: JOS_CODE }, 400, 'invalid_email');
    await both({ email: `${address(254)}x`, code: JOS_CODE }, 400, 'invalid_email');
    const h = createHarness();
    assert.equal((await h.post(SEND, { email: address(254) })).status, 202);
  });

  test('50: a local part of 65 characters answers invalid_email, while 64 is accepted', async () => {
    await both({ email: `${'a'.repeat(65)}@example.com`, code: JOS_CODE }, 400, 'invalid_email');
    const h = createHarness();
    assert.equal((await h.post(SEND, { email: `${'a'.repeat(64)}@example.com` })).status, 202);
  });

  test('50: a domain label of 64 characters answers invalid_email', async () => {
    await both({ email: `jo@${label(64)}.com`, code: JOS_CODE }, 400, 'invalid_email');
  });

  test('50: a phone number of 40 digits answers invalid_phone', async () => {
    await both({ phone: `+1${'5'.repeat(39)}`, code: JOS_CODE }, 400, 'invalid_phone');
  });

  test('50: a 10 kB email, phone, code or stray field answers 413 payload_too_large', async () => {
    const big = 'x'.repeat(10_000);
    for (const body of [{ email: big }, { phone: big }, { ...jo, code: big }, { ...jo, code: JOS_CODE, note: big }]) {
      await both(body, 413, 'payload_too_large');
    }
    await both(big, 413, 'payload_too_large');
  });

  test('R8: the limit is 8 KB in bytes: 8,193 bytes answer 413, 4,097 two-byte characters too, and 8,192 bytes pass', async () => {
    const padded = (bytes: number) => {
      const text = JSON.stringify({ ...jo, pad: '' });
      return JSON.stringify({ ...jo, pad: 'x'.repeat(bytes - Buffer.byteLength(text)) });
    };
    assert.equal(Buffer.byteLength(padded(8193)), 8193);
    await refused(SEND, padded(8193), 413, 'payload_too_large');
    await refused(SEND, JSON.stringify({ ...jo, pad: 'é'.repeat(4097) }), 413, 'payload_too_large');
    const h = createHarness();
    assert.equal((await h.post(SEND, padded(8192))).status, 202, 'unknown fields under the limit are ignored');
  });

  test('R8: a body streamed without a Content-Length is counted as it arrives: 9,000 bytes answer 413', async () => {
    await both(new Streamed(JSON.stringify({ ...jo, code: JOS_CODE, pad: 'x'.repeat(9000) })), 413, 'payload_too_large');
    const h = createHarness();
    assert.equal((await post(h, SEND, new Streamed(JSON.stringify({ ...jo, pad: 'x'.repeat(7000) })))).status, 202, 'a streamed body under the limit is read');
  });
});

describe('50: look-alike and non-ASCII characters are refused, not folded into another identifier', () => {
  /** `text` with its digits written in another script, from that script's zero. */
  const digitsIn = (zero: number, text: string) => text.replace(/[0-9]/g, (d) => String.fromCodePoint(zero + Number(d)));
  const [FULLWIDTH, ARABIC_INDIC, PERSIAN] = [0xff10, 0x0660, 0x06f0];

  test('50: an email with a Cyrillic "о" or "а" answers invalid_email', async () => {
    for (const email of ['j\u043e@example.com', 'jo@ex\u0430mple.com', 'jo@example.c\u043em']) {
      await both({ email, code: JOS_CODE }, 400, 'invalid_email');
    }
  });
  test('50: fullwidth letters, an accented letter or a Greek letter in an email answer invalid_email', async () => {
    for (const email of ['\uff4a\uff4f@example.com', 'jö@example.com', 'jo@examp\u03bfe.com', 'jo@example.com\u3002']) {
      await refused(SEND, { email }, 400, 'invalid_email');
    }
  });
  test('50: a right-to-left override, zero-width space or soft hyphen in an email answers invalid_email', async () => {
    for (const email of ['jo\u202e@example.com', '\u202ejo@example.com', 'jo\u200b@example.com', 'jo@exam\u00adple.com', 'jo@example.com\u2066']) {
      await both({ email, code: JOS_CODE }, 400, 'invalid_email');
    }
  });
  test('50: fullwidth or Arabic-Indic digits in a phone number answer invalid_phone', async () => {
    for (const phone of [digitsIn(FULLWIDTH, '+1 415 555 0123'), `+1415555${digitsIn(FULLWIDTH, '0123')}`, digitsIn(ARABIC_INDIC, '+14155550123')]) {
      await both({ phone, code: JOS_CODE }, 400, 'invalid_phone');
    }
  });
  test('50: the Kelvin sign, which lower-cases to a plain k, answers invalid_email', async () => {
    for (const email of ['\u212Aim@example.com', 'jo@example.\u212Am']) await both({ email, code: JOS_CODE }, 400, 'invalid_email');
  });
  test('50: a right-to-left override in a phone number answers invalid_phone', async () => {
    await both({ phone: '+1415\u202e5550123', code: JOS_CODE }, 400, 'invalid_phone');
  });
  test('50: Arabic-Indic, Persian or fullwidth digits, or an override character, in a code answer invalid_code_format', async () => {
    const codes = [digitsIn(ARABIC_INDIC, JOS_CODE), digitsIn(PERSIAN, JOS_CODE), digitsIn(FULLWIDTH, JOS_CODE), `12345${digitsIn(ARABIC_INDIC, '6')}`, '123\u202e456'];
    for (const code of codes) {
      await refused(VERIFY, { ...jo, code }, 400, 'invalid_code_format');
    }
  });
});

describe('R8: __proto__, constructor and prototype keys are plain data', () => {
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

  test('R8: an identifier under "__proto__", "constructor" or "prototype" is no identifier: missing_identifier', async () => {
    for (const body of [
      '{"__proto__":{"email":"x@example.com"}}',
      '{"__proto__":{"phone":"+14155550123"},"code":"123456"}',
      '{"constructor":{"prototype":{"email":"x@example.com"}}}',
      '{"prototype":{"email":"x@example.com"}}',
    ]) {
      await both(body, 400, 'missing_identifier');
    }
  });

  test('R8: "__proto__" or "constructor" as the value of a field is refused like any other bad value', async () => {
    await refused(SEND, { email: '__proto__' }, 400, 'invalid_email');
    await refused(SEND, { phone: 'constructor' }, 400, 'invalid_phone');
    await refused(SEND, { ...jo, channel: '__proto__' }, 400, 'invalid_channel');
    await refused(SEND, { ...jo, channel: 'constructor' }, 400, 'invalid_channel');
    await refused(SEND, { ...jo, reason: 'toString' }, 400, 'invalid_request');
    await refused(SEND, { ...jo, reason: '__proto__' }, 400, 'invalid_request');
    await refused(VERIFY, { ...jo, code: 'valueOf' }, 400, 'invalid_code_format');
  });

  test('R8: {"email":…,"__proto__":{"channel":"sms"}} does not change the channel: the code goes by email', async () => {
    const h = createHarness();
    await h.contacts.create({ email: 'jo@example.com', phone: '+14155550123' });
    for (const [i, body] of [
      '{"email":"jo@example.com","__proto__":{"channel":"sms"}}',
      '{"email":"jo@example.com","constructor":{"prototype":{"channel":"sms"}}}',
    ].entries()) {
      h.clock.advance(60_000);
      const res = await h.post(SEND, body, { ip: `198.51.100.${i + 1}` });
      assert.equal(res.status, 202);
      assert.equal((await res.json()).channel, 'email');
    }
    await h.queue.idle();
    assert.deepEqual(h.outbox.list().map((m) => [m.to, m.channel]), [['jo@example.com', 'email'], ['jo@example.com', 'email']]);
  });

  test('R8: {"__proto__":{"remember":false}} does not make the sign-in session-only', async () => {
    const h = createHarness({ random: scriptedRandom(Number(JOS_CODE)) });
    assert.equal((await h.post(SEND, jo)).status, 202);
    const res = await h.post(VERIFY, `{"email":"jo@example.com","code":"${JOS_CODE}","__proto__":{"remember":false}}`);
    assert.equal(res.status, 200);
    assert.equal((await res.json()).device.sessionOnly, undefined, 'only a session-only device says so');
    assert.match(res.headers.getSetCookie().join('\n'), /otp-device=[^;]+;.*Max-Age=\d{6,}/);
  });

  after(() => {
    // Checked after the requests above, in this process: nothing was added to every object.
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeKeys);
    const fresh: Record<string, unknown> = {};
    for (const key of ['email', 'phone', 'channel', 'code', 'remember', 'reason']) assert.equal(fresh[key], undefined, `Object.prototype.${key}`);
  });
});

describe('R8: a field of the wrong JSON type answers the error for that field', () => {
  const wrongTypes: Array<[string, unknown]> = [
    ['a number', 42],
    ['an array', ['jo@example.com']],
    ['an object', { value: 'jo@example.com' }],
    ['a boolean', true],
    ['false', false],
  ];
  for (const [what, value] of wrongTypes) {
    test(`R8: "email" as ${what} answers invalid_email`, async () => {
      await both({ email: value, code: JOS_CODE }, 400, 'invalid_email');
    });
    test(`R8: "phone" as ${what} answers invalid_phone`, async () => {
      await both({ phone: value, code: JOS_CODE }, 400, 'invalid_phone');
    });
    test(`R8: "channel" as ${what} answers invalid_channel`, async () => {
      await refused(SEND, { ...jo, channel: value }, 400, 'invalid_channel');
    });
    test(`R8: "reason" as ${what} answers invalid_request`, async () => {
      await refused(SEND, { ...jo, reason: value }, 400, 'invalid_request');
    });
    test(`R8: "code" as ${what} answers invalid_code_format`, async () => {
      await refused(VERIFY, { ...jo, code: value }, 400, 'invalid_code_format');
    });
  }
  const notBooleans: Array<[string, unknown]> = [...wrongTypes.filter(([, v]) => typeof v !== 'boolean'), ['text', 'false'], ['a number 0', 0]];
  for (const [what, value] of notBooleans) {
    test(`R8: "remember" as ${what} answers invalid_request`, async () => {
      await refused(VERIFY, { ...jo, code: JOS_CODE, remember: value }, 400, 'invalid_request');
    });
  }

  test('R8: a null email or phone is no identifier: missing_identifier', async () => {
    await both({ email: null, code: JOS_CODE }, 400, 'missing_identifier');
    await both({ phone: null, code: JOS_CODE }, 400, 'missing_identifier');
    await both({ email: null, phone: null, code: JOS_CODE }, 400, 'missing_identifier');
  });
  test('R8: an empty or blank identifier answers missing_identifier', async () => {
    for (const body of [{ email: '' }, { email: ' \t ' }, { phone: '' }, { phone: '  ' }]) {
      await both({ ...body, code: JOS_CODE }, 400, 'missing_identifier');
    }
  });
  test('R8: a null code answers invalid_code_format', async () => {
    await refused(VERIFY, { ...jo, code: null }, 400, 'invalid_code_format');
  });
  test('R8: a verify with no code answers invalid_code_format', async () => {
    await refused(VERIFY, jo, 400, 'invalid_code_format');
  });

  test('R8: a null channel, reason or remember counts as absent, as JSON encoders write unset fields', async () => {
    const h = createHarness({ random: scriptedRandom(Number(JOS_CODE)) });
    const sent = await h.post(SEND, { ...jo, channel: null, reason: null });
    assert.equal(sent.status, 202);
    assert.equal((await sent.json()).channel, 'email');
    const res = await h.post(VERIFY, { ...jo, code: JOS_CODE, remember: null });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).device.sessionOnly, undefined, 'remembered');
  });
});

describe('R8: a body that is not one JSON object answers invalid_request', () => {
  const bodies: Array<[string, string]> = [
    ['a top-level array', '[{"email":"jo@example.com"}]'],
    ['an empty array', '[]'],
    ['a top-level string', '"jo@example.com"'],
    ['a top-level number', '42'],
    ['an infinite number', '1e999'],
    ['null', 'null'],
    ['true', 'true'],
    ['an empty body', ''],
    ['only spaces', '   \n '],
    ['invalid JSON', '{"email":'],
    ['single quotes', "{'email':'jo@example.com'}"],
    ['a trailing comma', '{"email":"jo@example.com",}'],
    ['two objects', '{"email":"jo@example.com"}{"email":"x@example.com"}'],
    ['a form body', 'email=jo%40example.com'],
    ['a lone surrogate', '\ud800'],
    ['a NUL byte', '\u0000'],
  ];
  for (const [what, body] of bodies) {
    test(`R8: ${what} answers invalid_request`, async () => {
      await both(body, 400, 'invalid_request');
    });
  }

  test('R8: a deeply nested array answers invalid_request, and a deeply nested object has no identifier', async () => {
    await both(`${'['.repeat(4000)}${']'.repeat(4000)}`, 400, 'invalid_request');
    await both(`${'{"a":'.repeat(1300)}1${'}'.repeat(1300)}`, 400, 'missing_identifier');
  });
});

describe('R8: a request that is well-formed JSON but not a valid request', () => {
  test('R8: both an email and a phone answer invalid_request, naming the fix', async () => {
    const error = await both({ email: 'jo@example.com', phone: '+14155550123', code: JOS_CODE }, 400, 'invalid_request');
    assert.match(error.message, /either "email" or "phone", not both/);
  });

  test('R8: a blank field next to a filled one counts as absent, as a form with both fields sends it', async () => {
    const h = createHarness();
    assert.equal((await h.post(SEND, { email: '', phone: '+14155550123' })).status, 202);
    assert.equal((await h.post(SEND, { email: 'ann@example.com', phone: '  ' })).status, 202);
    const blank = await h.post(SEND, { email: '', phone: '' });
    assert.deepEqual([blank.status, (await blank.json()).error.code], [400, 'missing_identifier']);
  });

  test('R8: a phone with a country code but wrong digits is told to check the digits, not to add a country code', async () => {
    const error = await both({ phone: '+1 415 555 01', code: JOS_CODE }, 400, 'invalid_phone');
    assert.match(error.message, /Check the digits after the country code/);
  });

  test('R8: an unknown channel answers invalid_channel', async () => {
    for (const channel of ['fax', 'SMS', 'Email', 'email ', '', 'whatsapp', 'sms\u0000']) {
      await refused(SEND, { ...jo, channel }, 400, 'invalid_channel');
    }
  });

  test('R8: an unknown reason answers invalid_request, listing the known ones', async () => {
    const error = await refused(SEND, { ...jo, reason: 'because' }, 400, 'invalid_request');
    assert.match(error.message, /^"reason" must be one of: .*cookies_cleared/);
  });

  test('R8: a code of 5 or 7 digits, letters, or a sign answers invalid_code_format', async () => {
    for (const code of ['12345', '1234567', 'abcdef', '12345a', 'l23456', '+12345', '-123456-7', '1e5', '12345.6', '0x1234']) {
      await refused(VERIFY, { ...jo, code }, 400, 'invalid_code_format');
    }
  });

  test('R8: a phone number made of letters, or without a country code, answers invalid_phone', async () => {
    await both({ phone: 'call me', code: JOS_CODE }, 400, 'invalid_phone');
    const error = await refused(SEND, { phone: '415 555 0123' }, 400, 'invalid_phone');
    assert.match(error.message, /country code/);
  });
});
