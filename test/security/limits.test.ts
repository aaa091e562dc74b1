import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createHarness } from './harness.ts';

const jo = { email: 'jo@example.com' };

async function limited(res: Response) {
  assert.equal(res.status, 429);
  const { error } = await res.json();
  assert.equal(error.code, 'rate_limited');
  assert.equal(res.headers.get('retry-after'), String(error.retryAfter));
  return error.retryAfter as number;
}

describe('first limits (R7)', () => {
  test('a second code within 30 seconds is refused with Retry-After, and allowed after', async () => {
    const h = createHarness();
    await h.post('/api/codes', jo);
    h.clock.advance(10_000);
    assert.equal(await limited(await h.post('/api/codes', jo)), 20);
    h.clock.advance(20_000);
    assert.equal((await h.post('/api/codes', jo)).status, 202);
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
    await h.post('/api/codes', jo);
    const code = await h.latestCode('jo@example.com');
    await limited(await h.post('/api/codes', jo));
    await h.queue.idle();
    assert.equal(h.outbox.list('jo@example.com').length, 1);
    assert.equal((await h.post('/api/codes/verify', { ...jo, code })).status, 200);
  });

  test('at most 5 codes per identifier per hour', async () => {
    const h = createHarness();
    for (let i = 0; i < 5; i++) {
      assert.equal((await h.post('/api/codes', jo)).status, 202);
      h.clock.advance(31_000);
    }
    const wait = await limited(await h.post('/api/codes', jo));
    assert.equal(wait, 3600 - 5 * 31);
    h.clock.advance(wait * 1000);
    assert.equal((await h.post('/api/codes', jo)).status, 202);
  });

  test('at most 20 code requests per IP per hour, whatever the identifiers', async () => {
    const h = createHarness();
    for (let i = 0; i < 20; i++) assert.equal((await h.post('/api/codes', { email: `p${i}@example.com` })).status, 202);
    await limited(await h.post('/api/codes', { email: 'p99@example.com' }));
    assert.equal((await h.post('/api/codes', { email: 'p99@example.com' }, { ip: '198.51.100.1' })).status, 202);
  });

  test('X-Forwarded-For does not change whose limit is counted', async () => {
    const h = createHarness();
    for (let i = 0; i < 20; i++) await h.post('/api/codes', { email: `p${i}@example.com` });
    await limited(await h.post('/api/codes', { email: 'x@example.com' }, { headers: { 'x-forwarded-for': '192.0.2.55' } }));
  });

  test('at most 60 verifies per IP per 10 minutes', async () => {
    const h = createHarness();
    for (let i = 0; i < 60; i++) {
      assert.equal((await h.post('/api/codes/verify', { email: `p${i}@example.com`, code: '123456' })).status, 401);
    }
    await limited(await h.post('/api/codes/verify', { email: 'p1@example.com', code: '123456' }));
    h.clock.advance(10 * 60_000);
    assert.equal((await h.post('/api/codes/verify', { email: 'p1@example.com', code: '123456' })).status, 401);
  });
});
