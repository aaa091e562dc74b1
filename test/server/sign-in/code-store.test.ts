import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createHarness } from '../harness.ts';

describe('the code store', () => {
  test('code numbers start again at 1 a day after the last code', async () => {
    const h = createHarness();
    await h.post('/api/codes', { email: 'jo@example.com' });
    h.clock.advance(24 * 3_600_000 + 1000);
    await h.post('/api/codes', { email: 'jo@example.com' });
    await h.queue.idle();
    assert.deepEqual(h.outbox.list('jo@example.com').map((m) => m.subject.match(/code (\d+)$/)?.[1]), ['1', '1']);
  });
});
