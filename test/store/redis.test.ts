import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createClient } from '@redis/client';
import { manualClock } from '../../server/clock.ts';
import { silentLogger } from '../../server/log.ts';
import { cryptoRandom } from '../../server/random.ts';
import { StorageUnavailable, type Storage } from '../../server/store/index.ts';
import { COMMAND_TIMEOUT_MS, createRedisHotStores, withRedisHotState, type RedisHotStores } from '../../server/store/redis/index.ts';
import { createSqliteStorage, openDatabase } from '../../server/store/sqlite/index.ts';
import { startRedis, type RunningRedis } from '../servers.ts';
import { contracts } from './contracts.ts';
import type { MakeEngine } from './engine.ts';

let redis: RunningRedis;
const opened: Storage[] = [];
before(async () => {
  redis = await startRedis();
});
after(async () => {
  for (const storage of opened) await storage.close().catch(() => {});
  await redis?.stop();
});

/**
 * SQLite in memory with the hot state in Redis under a fresh key prefix per test. `again()` is a
 * second Storage with its own Redis connection on the same prefix, over the same SQLite
 * database handle: what must hold between instances here is the hot state's, and that goes
 * through Redis; the SQLite part's own second-process behaviour is sqlite.test.ts's (a file).
 */
const sqliteWithRedis: MakeEngine = async () => {
  const clock = manualClock();
  const keyPrefix = `t${randomBytes(6).toString('hex')}:`;
  const db = openDatabase(':memory:');
  const open = async () => {
    const hot = await createRedisHotStores({ url: redis.url, clock, keyPrefix, log: silentLogger });
    const storage = withRedisHotState(createSqliteStorage(db, clock, cryptoRandom), hot);
    opened.push(storage);
    return storage;
  };
  return { storage: await open(), clock, again: open };
};

// The hot contract is the Redis part's; the others run too, to prove the overlay leaves the rest
// of the Storage (and its purge, dump and counts) as the other engine made it.

describe('SQLite with the hot state in Redis', () => {
  for (const contract of contracts) contract(sqliteWithRedis);
});

describe('the Redis hot state', () => {
  /** Every key and value Redis holds under a prefix, as text. */
  async function everything(prefix: string) {
    const client = createClient({ url: redis.url });
    await client.connect();
    const out: string[] = [];
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*` })) {
      for (const key of keys) {
        const type = await client.type(key);
        const value = type === 'hash' ? JSON.stringify(await client.hGetAll(key)) : type === 'zset' ? JSON.stringify(await client.zRange(key, 0, -1)) : String(await client.get(key));
        out.push(`${key} ${value}`);
      }
    }
    await client.close();
    return out.join('\n');
  }

  test('holds no identifier, address or IP, only digests of them', async () => {
    const { storage } = await sqliteWithRedis();
    const subject = 'email:jo@example.com';
    await storage.codes.update(subject, () => ({ next: { lastNumber: 1, active: null, tombstones: [] }, result: undefined }));
    await storage.limits.consume([[{ name: 'sends_per_ip', limit: 5, windowMs: 60_000 }, '203.0.113.7'], [{ name: 'resend_cooldown', limit: 1, windowMs: 60_000 }, subject]]);
    await storage.counters.counter({ name: 'failures', backOff: { after: 3, firstWaitMs: 1000, maxWaitMs: 1000, lockAfter: 5 }, keepMs: 60_000 }).fail(subject);
    const dump = await storage.dump();
    const prefix = ((dump.codes as Array<{ key: string }>)[0]!.key).split('{')[0]!;
    const stored = await everything(prefix);
    assert.equal((await storage.counts()).codes, 1);
    assert.match(stored, /:codes /);
    assert.match(stored, /:limits /);
    assert.match(stored, /:fail /);
    for (const plain of ['jo@example.com', 'example.com', '203.0.113', 'jo@']) assert.ok(!stored.includes(plain), `"${plain}" is not in Redis`);
  });

  test('a keyed digest names other keys than the plain one, and only its holder finds the records', async () => {
    const clock = manualClock();
    const keyPrefix = `t${randomBytes(6).toString('hex')}:`;
    const open = async (keySecret?: Buffer) => {
      const hot = await createRedisHotStores({ url: redis.url, clock, keyPrefix, log: silentLogger, ...(keySecret && { keySecret }) });
      opened.push(withRedisHotState(createSqliteStorage(openDatabase(':memory:'), clock, cryptoRandom), hot));
      return hot;
    };
    const secret = randomBytes(32);
    const keyed = await open(secret);
    await keyed.codes.update('email:jo@example.com', () => ({ next: { lastNumber: 4, active: null, tombstones: [] }, result: undefined }));
    const read = (hot: Awaited<ReturnType<typeof open>>) => hot.codes.update('email:jo@example.com', (c) => ({ next: undefined, result: c?.lastNumber }));
    assert.equal(await read(await open(secret)), 4, 'another instance with the same key');
    assert.equal(await read(await open()), undefined, 'the plain SHA-256 of the identifier finds nothing');
  });

  test('the purge goes by the latest expiry of an identifier\'s records: a short limit past its window takes nothing with it', async () => {
    const { storage, clock } = await sqliteWithRedis();
    const subject = 'email:jo@example.com';
    const failures = storage.counters.counter({ name: 'failures', backOff: { after: 3, firstWaitMs: 1000, maxWaitMs: 1000, lockAfter: 5 }, keepMs: 2 * 86_400_000 });
    await failures.fail(subject);
    await storage.codes.update(subject, () => ({ next: { lastNumber: 1, active: null, tombstones: [] }, result: undefined }));
    await storage.limits.consume([[{ name: 'resend_cooldown', limit: 1, windowMs: 60_000 }, subject]]);
    clock.advance(2 * 60_000);
    assert.equal(await storage.purge(), 0);
    assert.equal(await storage.codes.update(subject, (c) => ({ next: undefined, result: c?.lastNumber })), 1);
    clock.advance(86_400_000);
    assert.equal(await storage.purge(), 0, 'the code is past its keeping, the count is not: nothing of the identifier goes');
    assert.equal(await failures.count(subject), 1);
    clock.advance(86_400_000);
    assert.equal(await storage.purge(), 3, 'its code, limits and counts');
    assert.deepEqual(await storage.counts().then(({ codes, limit_hits, failure_counts }) => [codes, limit_hits, failure_counts]), [0, 0, 0]);
  });

  test('survives SCRIPT FLUSH: the scripts are loaded again by themselves', async () => {
    const { storage } = await sqliteWithRedis();
    await storage.codes.update('jo', () => ({ next: { lastNumber: 1, active: null, tombstones: [] }, result: undefined }));
    const admin = createClient({ url: redis.url });
    await admin.connect();
    await admin.scriptFlush();
    await admin.close();
    assert.equal(await storage.codes.update('jo', (c) => ({ next: c && { ...c, lastNumber: c.lastNumber + 1 }, result: c?.lastNumber })), 1);
    assert.equal(await storage.codes.update('jo', (c) => ({ next: undefined, result: c?.lastNumber })), 2);
    assert.deepEqual(await storage.limits.consume([[{ name: 'one', limit: 1, windowMs: 60_000 }, 'k']]), { ok: true });
  });

  test('every record carries a TTL, so Redis frees it even if no purge ever runs', async () => {
    const { storage } = await sqliteWithRedis();
    await storage.codes.update('jo', () => ({ next: { lastNumber: 1, active: null, tombstones: [] }, result: undefined }));
    await storage.limits.consume([[{ name: 'one', limit: 1, windowMs: 60_000 }, 'k'], [{ name: 'hour', limit: 9, windowMs: 3_600_000 }, 'k']]);
    await storage.counters.counter({ name: 'failures', backOff: { after: 3, firstWaitMs: 1000, maxWaitMs: 1000, lockAfter: 5 }, keepMs: 120_000 }).fail('jo');
    const admin = createClient({ url: redis.url });
    await admin.connect();
    const dump = await storage.dump();
    const ttls: Record<string, number> = {};
    for (const kind of ['codes', 'limit_hits', 'failure_counts']) ttls[kind] = await admin.pTTL((dump[kind] as Array<{ key: string }>)[0]!.key);
    await admin.close();
    assert.ok(ttls.codes! > 86_000_000 && ttls.codes! <= 86_400_000, `codes ${ttls.codes}`);
    assert.ok(ttls.limit_hits! > 3_500_000 && ttls.limit_hits! <= 3_600_000, `the longest limit's window: ${ttls.limit_hits}`);
    assert.ok(ttls.failure_counts! > 110_000 && ttls.failure_counts! <= 120_000, `failures ${ttls.failure_counts}`);
  });

  /** Runs `task` against a Redis of its own (it is stopped, paused and restarted), stopped afterwards. */
  async function withOwnRedis(task: (own: RunningRedis) => Promise<void>) {
    const own = await startRedis();
    try {
      await task(own);
    } finally {
      await own.stop();
    }
  }
  const cli = (own: RunningRedis, ...args: string[]) => promisify(execFile)('redis-cli', ['-p', String(own.port), ...args]);
  // Down, its folder kept for the restart (own.stop() would remove it).
  const shutDown = (own: RunningRedis) => cli(own, 'shutdown', 'nosave').catch(() => {});
  const one = { name: 'one', limit: 100, windowMs: 60_000 };
  /** Whether the store answers again within 5 s, without a new client. */
  async function answersAgain(hot: RedisHotStores) {
    for (let i = 0; i < 100; i++) {
      if (await hot.limits.consume([[one, 'k']]).then((r) => r.ok, () => false)) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  }
  /** How long `operation` took to fail (ms); it must fail as StorageUnavailable (a 503 with Retry-After, not a 500). */
  async function failsIn(operation: () => Promise<unknown>) {
    const started = performance.now();
    await assert.rejects(operation, (e) => (e instanceof AggregateError ? e.errors : [e]).every((x) => x instanceof StorageUnavailable && x.engine === 'Redis'));
    return performance.now() - started;
  }

  test('with Redis gone, an operation fails at once, and works again once it is back', () =>
    withOwnRedis(async (own) => {
      const hot = await createRedisHotStores({ url: own.url, clock: manualClock(), log: silentLogger });
      assert.deepEqual(await hot.limits.consume([[one, 'k']]), { ok: true });
      await shutDown(own);
      assert.ok((await failsIn(() => hot.limits.consume([[one, 'k']]))) < 500);
      assert.ok((await failsIn(() => hot.codes.update('jo', (c) => ({ next: undefined, result: c })))) < 500);
      assert.ok((await failsIn(() => hot.ping())) < 500, '/readyz says so');
      await own.restart();
      assert.ok(await answersAgain(hot), 'answers again without a new client');
      await hot.close();
    }));

  test('a Redis that takes the command but does not answer fails it within the command timeout, and answers once it moves again', () =>
    withOwnRedis(async (own) => {
      const hot = await createRedisHotStores({ url: own.url, clock: manualClock(), log: silentLogger });
      assert.deepEqual(await hot.limits.consume([[one, 'k']]), { ok: true });
      const pid = Number(/process_id:(\d+)/.exec((await cli(own, 'info', 'server')).stdout)![1]);
      process.kill(pid, 'SIGSTOP');
      // Should a broken store hang this test past its timeout, the paused Redis still moves again.
      const resume = setTimeout(() => process.kill(pid, 'SIGCONT'), 5_000);
      try {
        const took = await failsIn(() => hot.codes.nextOrder());
        assert.ok(took >= COMMAND_TIMEOUT_MS - 50 && took < 2_000, `failed in ${Math.round(took)} ms`);
        // Updates of one record go one after another in a process: the later ones must not wait a timeout each.
        const all = await failsIn(() => Promise.any(Array.from({ length: 5 }, () => hot.codes.update('jo', (c) => ({ next: undefined, result: c })))));
        assert.ok(all < 2_000, `five updates of one record all failed in ${Math.round(all)} ms`);
      } finally {
        clearTimeout(resume);
        process.kill(pid, 'SIGCONT');
      }
      assert.ok(await answersAgain(hot));
      await hot.close();
    }));

  test('made while Redis is down, the store fails each operation at once, and works once Redis comes up', () =>
    withOwnRedis(async (own) => {
      await shutDown(own);
      const started = performance.now();
      const hot = await createRedisHotStores({ url: own.url, clock: manualClock(), log: silentLogger });
      assert.ok(performance.now() - started < 2_000, 'the start-up does not wait for Redis');
      assert.ok((await failsIn(() => hot.limits.consume([[one, 'k']]))) < 500);
      await own.restart();
      assert.ok(await answersAgain(hot));
      await hot.close();
    }));
});
