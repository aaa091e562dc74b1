import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Logger } from '../../../server/log.ts';
import { createHarness } from '../harness.ts';

test('/healthz says the process runs; /readyz says the storage answers, and 503 with what is down in the log when it does not', async () => {
  const errors: string[] = [];
  const log: Logger = { info() {}, warn() {}, error: (m) => errors.push(m) };
  const h = createHarness({ log });
  assert.deepEqual([(await h.get('/healthz')).status, await (await h.get('/healthz')).json()], [200, { ok: true }]);
  assert.deepEqual([(await h.get('/readyz')).status, await (await h.get('/readyz')).json()], [200, { ready: true }]);
  await h.storage.close();
  const down = await h.get('/readyz');
  assert.deepEqual([down.status, await down.json()], [503, { ready: false }]);
  assert.equal((await h.get('/healthz')).status, 200, 'the process itself still runs');
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /^SQLite is unreachable: .*Answering 503 \(service_unavailable\) until it is back; nothing is counted in this process instead\. Check that it runs and that this server reaches it .*GET \/readyz answers 200 once it does\.$/);
  await h.get('/readyz');
  assert.equal(errors.length, 1, 'an outage is logged once a while, not per request');
});
