import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CodeStore } from '../../server/store/codes.ts';
import { DeliveryError } from '../../server/delivery/messages.ts';
import { StorageUnavailable } from '../../server/store/index.ts';
import { createHarness, mapCodeStore } from '../server/harness.ts';

const jo = { email: 'jo@example.com' };

describe('when a part fails, sign-in fails closed (SECURITY-PLAN 49)', () => {
  test('a code store that stops answering: the verify is a plain 500, no sign-in, no cookie, nothing internal in the answer', async () => {
    const records = mapCodeStore();
    let down = false;
    const store: CodeStore = {
      update: (key, change) => (down ? Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379')) : records.update(key, change)),
      nextOrder: () => records.nextOrder(),
    };
    const errors: string[] = [];
    const h = createHarness({ codeStore: store, log: { info() {}, warn() {}, error: (m) => errors.push(m) } });
    await h.post('/api/codes', jo);
    const code = await h.latestCode('jo@example.com');
    down = true;
    const res = await h.post('/api/codes/verify', { ...jo, code });
    assert.equal(res.status, 500);
    assert.deepEqual(res.headers.getSetCookie(), []);
    const body = await res.text();
    assert.equal(JSON.parse(body).error.code, 'internal_error');
    assert.doesNotMatch(body, /ECONNREFUSED|6379|at /, 'no internals in the answer');
    assert.match(errors.join('\n'), /ECONNREFUSED/, 'the owner finds it in the log');
    down = false;
    assert.equal((await h.post('/api/codes/verify', { ...jo, code })).status, 200, 'the code still works once the store is back');
  });

  test('an engine that is unreachable (StorageUnavailable): 503 service_unavailable with Retry-After: 2, nothing sent, the log says what is down, and it recovers by itself (R11)', async () => {
    const records = mapCodeStore();
    let down = false;
    const store: CodeStore = {
      update: (key, change) => (down ? Promise.reject(new StorageUnavailable('PostgreSQL', 'connect ECONNREFUSED 127.0.0.1:5432')) : records.update(key, change)),
      nextOrder: () => records.nextOrder(),
    };
    const errors: string[] = [];
    const h = createHarness({ codeStore: store, log: { info() {}, warn() {}, error: (m) => errors.push(m) } });
    down = true;
    const res = await h.post('/api/codes', jo);
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '2');
    const body = await res.text();
    assert.deepEqual(JSON.parse(body).error, { code: 'service_unavailable', message: 'Sign-in is unavailable for a moment. Please try again in a few seconds.', retryAfter: 2 });
    assert.doesNotMatch(body, /ECONNREFUSED|5432|PostgreSQL/, 'no internals in the answer');
    await h.queue.idle();
    assert.equal(h.outbox.list().length, 0, 'nothing sent');
    assert.match(errors.join('\n'), /PostgreSQL is unreachable: connect ECONNREFUSED/);
    down = false;
    assert.equal((await h.post('/api/codes', jo)).status, 202, 'back by itself');
  });

  test('a database that fails: no page load is treated as signed in', async () => {
    const h = createHarness();
    const { cookie } = await h.signIn(jo);
    await h.storage.close();
    const res = await h.get('/api/session', { cookie });
    assert.equal(res.status, 500);
    assert.deepEqual(res.headers.getSetCookie(), []);
    assert.equal((await res.json()).error.code, 'internal_error');
  });

  test('a provider that times out, fails or limits us: the request still answers at once, no second code is made, and the person can retry', async () => {
    let calls = 0;
    const numbers: string[] = [];
    const h = createHarness({
      sender: {
        provider: 'flaky',
        send: async (message) => {
          calls++;
          numbers.push(message.text.match(/code (\d+)/)![1]!);
          throw new DeliveryError({ kind: 'transient', code: calls % 2 ? 'timeout' : '429', text: 'provider trouble' });
        },
      },
    });
    const res = await h.post('/api/codes', jo);
    assert.equal(res.status, 202);
    await h.queue.idle();
    assert.equal(calls, 3, 'three tries, then given up');
    h.clock.advance(31_000);
    assert.equal((await h.post('/api/codes', jo)).status, 202);
    await h.queue.idle();
    assert.deepEqual(numbers.slice(0, 4), ['1', '1', '1', '2'], 'retries made no new code; the person’s next request does');
  });
});
