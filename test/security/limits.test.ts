import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Config } from '../../server/config/config.ts';
import { createHarness } from '../server/harness.ts';

const jo = { email: 'jo@example.com' };

/** A 429 with Retry-After, and a sentence that says how long to wait: "in 20 seconds", "in 2 minutes". */
async function limited(res: Response) {
  assert.equal(res.status, 429);
  const { error } = await res.json();
  assert.equal(error.code, 'rate_limited');
  assert.equal(res.headers.get('retry-after'), String(error.retryAfter));
  const s = error.retryAfter as number;
  const wait = s < 90 ? `in ${s} seconds` : s < 5400 ? `in ${Math.ceil(s / 60)} minutes` : `in ${Math.ceil(s / 3600)} hours`;
  assert.ok((error.message as string).includes(wait), `"${error.message}" names the wait (${wait})`);
  return s;
}

/**
 * A request the identifier's own limits refused, asked without the code in hand: it answers as a
 * send does (R3: nobody learns that someone asked lately), and nothing more goes out.
 */
async function quietlyRefused(h: ReturnType<typeof createHarness>, ask: () => Response | Promise<Response>, to = jo.email) {
  await h.queue.idle();
  const sent = h.outbox.list(to).length;
  assert.equal((await ask()).status, 202);
  await h.queue.idle();
  assert.equal(h.outbox.list(to).length, sent, 'nothing more was sent');
}

/** The code request of a person who holds the code sent at `sentAt` (an ISO time, as the 202 said). */
const resend = (h: ReturnType<typeof createHarness>, sentAt: string) => h.post('/api/codes', { ...jo, previousSentAt: sentAt });

describe('send and verify limits (SECURITY-PLAN 12, 13, 14)', () => {
  test('a second code within 30 seconds is refused with Retry-After to the one who holds the first, and allowed after', async () => {
    const h = createHarness();
    const { sentAt } = await (await h.post('/api/codes', jo)).json();
    h.clock.advance(10_000);
    assert.equal(await limited(await resend(h, sentAt)), 20);
    await quietlyRefused(h, () => h.post('/api/codes', jo));
    h.clock.advance(20_000);
    assert.equal((await resend(h, sentAt)).status, 202);
    await h.queue.idle();
    assert.equal(h.outbox.list(jo.email).length, 2);
  });

  test('the wait told to the holder is reckoned from the time they hold alone, never from anyone else\'s request (R3)', async () => {
    const h = createHarness();
    const { sentAt } = await (await h.post('/api/codes', jo)).json();
    h.clock.advance(25_000);
    // Someone else asked meanwhile; the holder's wait is still the rest of their own 30 seconds.
    await h.post('/api/codes', jo, { ip: '198.51.100.77' });
    assert.equal(await limited(await resend(h, sentAt)), 5);
    // A time the person cannot hold (in the future) waits the whole cooldown, no more.
    assert.equal(await limited(await resend(h, new Date(h.clock.now() + 3_600_000).toISOString())), 30);
    assert.equal((await resend(h, 'yesterday')).status, 400, 'a previousSentAt that is no time is refused');
  });

  test('the cooldown is per email or phone, so it never shows that two belong to one contact (R3)', async () => {
    const h = createHarness({ env: { SIGNUP: 'closed' } });
    await h.contacts.create({ email: 'jo@example.com', phone: '+14155550123' });
    const answers = async (email: string, phone: string) => {
      const first = await h.post('/api/codes', { email }, { ip: '198.51.100.1' });
      const second = await h.post('/api/codes', { phone }, { ip: '198.51.100.2' });
      const wrong = await h.post('/api/codes/verify', { email, code: '000001' }, { ip: '198.51.100.3' });
      const body = async (r: Response) => ({ ...(await r.json()), sentAt: undefined });
      return [first.status, second.status, await body(first), await body(second), await wrong.json()];
    };
    const linked = await answers('jo@example.com', '+14155550123');
    const strangers = await answers('jx@example.com', '+14155550199');
    assert.deepEqual(linked.slice(0, 2), [202, 202]);
    // The masked destinations differ only in the phone's last digits.
    assert.deepEqual(JSON.parse(JSON.stringify(linked).replaceAll('0123', '0199')), JSON.parse(JSON.stringify(strangers)));
  });

  test('a refused request sends nothing and does not supersede the code in hand', async () => {
    const h = createHarness();
    const { sentAt } = await (await h.post('/api/codes', jo)).json();
    const code = await h.latestCode('jo@example.com');
    await limited(await resend(h, sentAt));
    await quietlyRefused(h, () => h.post('/api/codes', jo));
    assert.equal(h.outbox.list('jo@example.com').length, 1);
    assert.equal((await h.post('/api/codes/verify', { ...jo, code })).status, 200);
  });

  test('at most 5 codes per identifier per hour', async () => {
    const h = createHarness();
    for (let i = 0; i < 5; i++) {
      assert.equal((await h.post('/api/codes', jo)).status, 202);
      h.clock.advance(31_000);
    }
    await h.queue.idle();
    await quietlyRefused(h, () => h.post('/api/codes', jo));
    assert.equal(h.outbox.list(jo.email).length, 5);
    h.clock.advance((3600 - 5 * 31 - 1) * 1000);
    await quietlyRefused(h, () => h.post('/api/codes', jo));
    h.clock.advance(1000);
    assert.equal((await h.post('/api/codes', jo)).status, 202);
    await h.queue.idle();
    assert.equal(h.outbox.list(jo.email).length, 6);
  });

  test('at most 20 code requests per IP per hour, whatever the identifiers, and the refusal says it is the network\'s', async () => {
    const h = createHarness();
    for (let i = 0; i < 20; i++) assert.equal((await h.post('/api/codes', { email: `p${i}@example.com` })).status, 202);
    const refused = await h.post('/api/codes', { email: 'p99@example.com' });
    const { error } = await refused.clone().json();
    await limited(refused);
    assert.equal(error.limit, 'network');
    // A newcomer behind an office's address was sent nothing: no word of a code already sent.
    assert.doesNotMatch(error.message, /already sent|look for/i);
    assert.match(error.message, /your network/);
    assert.match(error.message, /another connection/);
    assert.equal((await h.post('/api/codes', { email: 'p99@example.com' }, { ip: '198.51.100.1' })).status, 202);
  });

  test('at most 10 codes per identifier per day, waits counted from the oldest', async () => {
    const h = createHarness();
    for (let hour = 0; hour < 2; hour++) {
      for (let i = 0; i < 5; i++) {
        assert.equal((await h.post('/api/codes', jo)).status, 202);
        h.clock.advance(31_000);
      }
      h.clock.advance(3_600_000);
    }
    await h.queue.idle();
    await quietlyRefused(h, () => h.post('/api/codes', jo));
    h.clock.advance((24 * 3600 - (2 * 3600 + 10 * 31) - 1) * 1000);
    await quietlyRefused(h, () => h.post('/api/codes', jo));
    h.clock.advance(1000);
    assert.equal((await h.post('/api/codes', jo)).status, 202);
    await h.queue.idle();
    assert.equal(h.outbox.list(jo.email).length, 11);
  });

  test('14: a spoofed X-Forwarded-For does not change whose limit is counted', async () => {
    const h = createHarness();
    for (let i = 0; i < 20; i++) await h.post('/api/codes', { email: `p${i}@example.com` }, { headers: { 'x-forwarded-for': `192.0.2.${i}` } });
    await limited(await h.post('/api/codes', { email: 'x@example.com' }, { headers: { 'x-forwarded-for': '192.0.2.55' } }));
  });

  test('14: with TRUST_PROXY the proxy’s own (last) entry is the key, and addresses a client adds before it change nothing', async () => {
    const h = createHarness({ env: { TRUST_PROXY: 'x-forwarded-for' } });
    // Everyone comes through the proxy at 10.0.0.2, which appends the client's address.
    const viaProxy = (email: string, forwarded: string) => h.post('/api/codes', { email }, { ip: '10.0.0.2', headers: { 'x-forwarded-for': forwarded } });
    for (let i = 0; i < 20; i++) assert.equal((await viaProxy(`p${i}@example.com`, `192.0.2.${i}, 198.51.100.9`)).status, 202);
    await limited(await viaProxy('x@example.com', '203.0.113.250, 198.51.100.9'));
    assert.equal((await viaProxy('y@example.com', '198.51.100.10')).status, 202, 'another client behind the same proxy has its own limit');
    assert.equal((await viaProxy('z@example.com', 'not-an-address')).status, 202, 'a header with no address falls back to the peer');
  });

  test('13: an IPv6 client counts by its /64, however it writes its addresses; another /64 has its own limit', async () => {
    const h = createHarness();
    // One subscriber's /64 hands out 2^64 addresses: each request from a new one.
    for (let i = 0; i < 19; i++) assert.equal((await h.post('/api/codes', { email: `p${i}@example.com` }, { ip: `2001:db8:1:2::${(i + 1).toString(16)}` })).status, 202);
    assert.equal((await h.post('/api/codes', { email: 'p19@example.com' }, { ip: '2001:0db8:0001:0002:abcd:0000:0000:0001' })).status, 202);
    await limited(await h.post('/api/codes', { email: 'x@example.com' }, { ip: '2001:db8:1:2:ffff:ffff:ffff:ffff' }));
    assert.equal((await h.post('/api/codes', { email: 'y@example.com' }, { ip: '2001:db8:1:3::1' })).status, 202, 'the next /64 is another client');
  });

  test('13: an IPv4 client written IPv4-mapped (::ffff:198.51.100.9) is the same client, also behind TRUST_PROXY', async () => {
    const h = createHarness({ env: { TRUST_PROXY: 'x-forwarded-for' } });
    for (let i = 0; i < 10; i++) assert.equal((await h.post('/api/codes', { email: `p${i}@example.com` }, { ip: '::ffff:198.51.100.9' })).status, 202);
    for (let i = 10; i < 20; i++) assert.equal((await h.post('/api/codes', { email: `p${i}@example.com` }, { ip: '10.0.0.2', headers: { 'x-forwarded-for': '198.51.100.9' } })).status, 202);
    await limited(await h.post('/api/codes', { email: 'x@example.com' }, { ip: '198.51.100.9' }));
    // The /64 behind a proxy too.
    for (let i = 0; i < 20; i++) await h.post('/api/codes', { email: `q${i}@example.com` }, { ip: '10.0.0.2', headers: { 'x-forwarded-for': `2001:db8:9:9::${i + 1}` } });
    await limited(await h.post('/api/codes', { email: 'z@example.com' }, { ip: '10.0.0.2', headers: { 'x-forwarded-for': '2001:db8:9:9:1:2:3:4' } }));
  });

  test('at most 100 verifies per IP per hour', async () => {
    const h = createHarness();
    for (let i = 0; i < 100; i++) {
      assert.equal((await h.post('/api/codes/verify', { email: `p${i}@example.com`, code: '123456' })).status, 401);
    }
    await limited(await h.post('/api/codes/verify', { email: 'p1@example.com', code: '123456' }));
    h.clock.advance(60 * 60_000);
    assert.equal((await h.post('/api/codes/verify', { email: 'p1@example.com', code: '123456' })).status, 401);
  });
});

type Id = { email: string } | { phone: string };

/** Wrong guesses at `id`'s codes: a new code whenever the current one is used up or expired. */
function guesser(h: ReturnType<typeof createHarness>, id: Id) {
  let left = 0;
  const guess = async (): Promise<Response> => {
    if (left === 0) {
      assert.equal((await h.post('/api/codes', id)).status, 202);
      left = 5;
    }
    const res = await h.post('/api/codes/verify', { ...id, code: '000000' });
    if (res.status !== 401) return res;
    if ((await res.clone().json()).error.code !== 'wrong_code') {
      left = 0;
      return guess();
    }
    left--;
    return res;
  };
  return guess;
}

/** `times` wrong guesses at `id`, each as soon as the back-off allows. */
async function failRepeatedly(h: ReturnType<typeof createHarness>, id: Id, times: number) {
  const guess = guesser(h, id);
  for (let i = 0; i < times; i++) {
    let res = await guess();
    if (res.status === 429) {
      h.clock.advance(Number(res.headers.get('retry-after')) * 1000);
      res = await guess();
    }
    assert.equal(res.status, 401, `wrong code ${i + 1}`);
  }
}

// Room for a hundred wrong codes in a test: the send limits are not what is tested here.
const roomy = {
  env: { CODES_PER_HOUR: '1000', CODES_PER_DAY: '1000', IP_VERIFIES_PER_HOUR: '1000', IP_CODES_PER_HOUR: '1000' },
  tune: (c: Config) => void (c.limits.resendCooldownMs = 0),
};
const wrong = (h: ReturnType<typeof createHarness>, id: Id) => h.post('/api/codes/verify', { ...id, code: '000000' });

describe('wrong codes in a row, per identifier (SECURITY-PLAN 9, 10, 11)', () => {
  test('10: after 10 wrong codes each try waits, from 30 s doubling up to an hour; a new code does not reset the count', async () => {
    const h = createHarness(roomy);
    const guess = guesser(h, jo);
    for (let i = 0; i < 10; i++) assert.equal((await guess()).status, 401, 'no wait before the 10th');
    // The next guess is on a third code, so the count went on across codes.
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      const wait = await limited(await guess());
      waits.push(wait);
      h.clock.advance(wait * 1000 - 1000);
      assert.equal((await guess()).status, 429, 'not a second early');
      h.clock.advance(1000);
      assert.equal((await guess()).status, 401);
    }
    assert.deepEqual(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
  });

  test('9: at 100 wrong codes in a row the identifier is locked: no verify, no new code, no Retry-After', async () => {
    const h = createHarness(roomy);
    await failRepeatedly(h, jo, 100);
    h.clock.advance(2 * 3_600_000);
    const res = await wrong(h, jo);
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), null);
    const { error } = await res.json();
    assert.deepEqual([error.code, error.locked], ['rate_limited', true]);
    assert.match(error.message, /Sign in with your mobile number instead, or ask the site’s team for a sign-in link/);
    const ask = await h.post('/api/codes', jo);
    assert.deepEqual([ask.status, (await ask.json()).error.locked], [429, true]);
    h.clock.advance(7 * 24 * 3_600_000);
    assert.equal((await wrong(h, jo)).status, 429, 'waiting a week does not lift it');
  });

  test('11: the lock is no lever against the victim: their phone still signs them in, and that lifts the lock on their email', async () => {
    const h = createHarness(roomy);
    const victim = await h.contacts.create({ email: 'jo@example.com', phone: '+14155550123' });
    await failRepeatedly(h, jo, 100);
    assert.equal((await wrong(h, jo)).status, 429);
    const { res } = await h.signIn({ phone: '+14155550123' });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).contact.id, victim.id);
    const { res: again } = await h.signIn(jo);
    assert.equal(again.status, 200, 'the email works again');
  });

  test('11: a right code resets the count, so an honest mistake now and then never adds up', async () => {
    const h = createHarness(roomy);
    for (let round = 0; round < 3; round++) {
      await failRepeatedly(h, jo, 9);
      const { res } = await h.signIn(jo);
      assert.equal(res.status, 200);
    }
    await failRepeatedly(h, jo, 10);
    assert.equal((await wrong(h, jo)).status, 429, 'while ten in a row since the last success are delayed');
  });

  test('9: an unknown address is counted and locked exactly like a known one (R3)', async () => {
    const h = createHarness({ ...roomy, env: { ...roomy.env, SIGNUP: 'closed' } });
    await h.contacts.create({ email: 'jo@example.com' });
    const stranger = { email: 'nobody@example.com' };
    await failRepeatedly(h, jo, 100);
    await failRepeatedly(h, stranger, 100);
    const [known, unknown] = [await wrong(h, jo), await wrong(h, stranger)];
    assert.deepEqual([known.status, await known.text()], [unknown.status, await unknown.text()]);
  });
});

describe('a lock on the admin card (SECURITY-PLAN 11)', () => {
  test('the card names the lock and the fix, and the sign-in link the admin sends lifts it', async () => {
    const h = createHarness({ ...roomy, env: { ...roomy.env, ADMIN_EMAILS: 'boss@example.com' } });
    const { cookie } = await h.signIn({ email: 'boss@example.com' });
    const admin = { cookie, headers: { origin: 'http://localhost:3000' } };
    const jo = await h.contacts.create({ email: 'jo@example.com' });
    const card = async () => (await (await h.get(`/api/admin/contacts/${jo.id}`, admin)).json()).diagnosis as Array<{ cause: string; fact: string }>;
    await failRepeatedly(h, { email: 'jo@example.com' }, 10);
    assert.match((await card()).find((c) => c.cause === 'slowed')?.fact ?? '', /^Email: 10 wrong codes in a row, so each new try waits/);
    await failRepeatedly(h, { email: 'jo@example.com' }, 90);
    const locked = (await card()).find((c) => c.cause === 'locked');
    assert.match(locked?.fact ?? '', /^Email: locked after 100 wrong codes in a row\. A sign-in another way lifts it: send a sign-in link/);

    assert.equal((await h.post(`/api/admin/contacts/${jo.id}/sign-in-link`, {}, admin)).status, 202);
    await h.queue.idle();
    const token = h.outbox.list('jo@example.com')[0]!.text.match(/signin\/link\?t=([\w-]+)/)![1]!;
    assert.equal((await h.post('/api/links/redeem', { token }, { headers: admin.headers })).status, 200);
    assert.equal((await card()).some((c) => c.cause === 'locked'), false);
    const { res } = await h.signIn({ email: 'jo@example.com' });
    assert.equal(res.status, 200, 'codes work again');
  });
});

describe('probing the back-off costs the asker', () => {
  test('a verify the back-off refuses still counts against the per-IP limit of checks', async () => {
    const h = createHarness({ tune: (c) => Object.assign(c.limits, { verifiesPerIpPerHour: 15 }) });
    for (let i = 0; i < 10; i++) assert.equal((await h.post('/api/codes/verify', { ...jo, code: '000000' })).status, 401);
    for (let i = 0; i < 5; i++) assert.equal((await h.post('/api/codes/verify', { ...jo, code: '000000' })).status, 429, 'waiting after ten wrong codes');
    const refused = await (await h.post('/api/codes/verify', { email: 'ann@example.com', code: '000000' })).json();
    assert.equal(refused.error.limit, 'network', 'the five refused checks used up this IP\'s allowance');
  });
});
