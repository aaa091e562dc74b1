import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { manualClock, sleep } from '../../../server/clock.ts';
import { cryptoRandom } from '../../../server/random.ts';
import type { Storage } from '../../../server/store/index.ts';
import { createPostgresStorage } from '../../../server/store/postgres/index.ts';
import { startPostgres, type RunningPostgres } from '../../servers.ts';
import { createHarness } from '../harness.ts';

/**
 * A code request answered 202 just before PostgreSQL went down (found by `npm run bench:scale`):
 * the message is sent in the background, after the answer, and its first write (the delivery log)
 * met the outage. It used to be dropped ("Delivery … broke"): the person had been told a code was
 * on its way and got none. Now it waits the outage out and goes.
 */
let pg: RunningPostgres;
let storage: Storage | undefined;
before(async () => (pg = await startPostgres()));
after(async () => {
  await storage?.close();
  await pg?.stop();
});

test('a code answered 202 just before PostgreSQL stops is sent, recorded and signs in once PostgreSQL is back', async () => {
  const clock = manualClock();
  storage = await createPostgresStorage({ url: await pg.newDatabase('outage'), clock, random: cryptoRandom });
  // The answer floor also delays the delivery's start (R3): long enough to stop PostgreSQL in between.
  const h = createHarness({ engine: { storage, clock }, answerFloorMs: 2_500, wait: sleep });
  const asked = h.post('/api/codes', { email: 'jo@example.com' });
  await sleep(300); // the request's own work is done; it waits out the floor
  await pg.down();
  assert.equal((await asked).status, 202, 'answered before the delivery started');
  await sleep(1_500); // the delivery has started and met the outage
  assert.equal(h.outbox.list('jo@example.com').length, 0, 'nothing sent while PostgreSQL is down');
  await pg.up();

  const code = await h.latestCode('jo@example.com');
  const [delivery] = await h.deliveriesTo('jo@example.com');
  assert.equal(delivery?.status, 'sent', 'the delivery log has it, as sent');
  assert.equal((await h.post('/api/codes/verify', { email: 'jo@example.com', code })).status, 200);
});
