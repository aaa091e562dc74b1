import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { manualClock } from '../../server/clock.ts';
import type { SubjectCodes } from '../../server/codes.ts';
import { createLruCodeStore } from '../../server/store/lru.ts';
import { createHarness } from './harness.ts';

const record = (lastNumber: number): SubjectCodes => ({ lastNumber, active: null, tombstones: [] });
const read = (store: ReturnType<typeof createLruCodeStore>, key: string) =>
  store.update(key, (current) => ({ next: undefined, result: current?.lastNumber }));

describe('the code store (lru-cache)', () => {
  test('keeps at most `max` subjects, dropping the least recently used', async () => {
    const store = createLruCodeStore({ max: 2, ttlMs: 60_000, clock: manualClock() });
    for (const [key, n] of [['a', 1], ['b', 2], ['c', 3]] as const) await store.update(key, () => ({ next: record(n), result: null }));
    assert.deepEqual([await read(store, 'a'), await read(store, 'b'), await read(store, 'c')], [undefined, 2, 3]);
  });

  test('forgets a subject `ttl` after its last change', async () => {
    const clock = manualClock();
    const store = createLruCodeStore({ max: 10, ttlMs: 60_000, clock });
    await store.update('a', () => ({ next: record(1), result: null }));
    clock.advance(59_000);
    assert.equal(await read(store, 'a'), 1);
    clock.advance(2_000);
    assert.equal(await read(store, 'a'), undefined);
  });

  test('code numbers start again at 1 a day after the last code', async () => {
    const h = createHarness();
    await h.post('/api/codes', { email: 'jo@example.com' });
    h.clock.advance(24 * 3_600_000 + 1000);
    await h.post('/api/codes', { email: 'jo@example.com' });
    await h.queue.idle();
    assert.deepEqual(h.outbox.list('jo@example.com').map((m) => m.subject.match(/code (\d+)$/)?.[1]), ['1', '1']);
  });
});
