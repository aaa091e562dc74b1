import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'hono/utils/cookie';
import { cookieValue } from '../../../server/http/session-cookies.ts';

// The session check reads its cookies with our own cookieValue() (server/http/session-cookies.ts
// says why): it must find exactly what Hono's parser finds, on headers a browser sends and on
// headers no browser would (quotes, stray separators, bad escapes, a name inside another).
const NAMES = ['otp-device', '__Host-otp-device', 'otp-signed-out'];
const PIECES = [...NAMES, 'x-otp-device', 'otp-device2', 'theme', '=', ';', '; ', ' ', '\t', '"', '%41', '%zz', '%', ',', 'abc', 'Zm9v-_', '\u00e9', '[', '\\'];

test('cookieValue() finds what Hono’s parse() finds, on 20,000 headers made at random', () => {
  // A fixed seed, so a failure can be run again.
  let seed = 16;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let n = 0; n < 20_000; n++) {
    let header = '';
    for (let parts = Math.floor(next() * 12); parts > 0; parts--) header += PIECES[Math.floor(next() * PIECES.length)];
    for (const name of NAMES) assert.equal(cookieValue(header, name), parse(header, name)[name], `${JSON.stringify(header)}, ${name}`);
  }
});

test('cookieValue() on the headers browsers send', () => {
  for (const [header, name, value] of [
    ['otp-device=abc', 'otp-device', 'abc'],
    ['theme=dark; __Host-otp-device=t0k-en_; otp-device=planted', '__Host-otp-device', 't0k-en_'],
    ['otp-device=; otp-device=second', 'otp-device', ''],
    ['otp-device="quoted"', 'otp-device', 'quoted'],
    ['otp-device=a%20b', 'otp-device', 'a b'],
    ['xotp-device=no', 'otp-device', undefined],
  ] as const) {
    assert.equal(cookieValue(header, name), value, header);
    assert.equal(parse(header, name)[name], value, `Hono agrees on ${header}`);
  }
});
