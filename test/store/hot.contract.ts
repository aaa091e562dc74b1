import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { randomBytes } from 'node:crypto';
import { cryptoRandom } from '../../server/random.ts';
import { createCodeService } from '../../server/sign-in/codes.ts';
import type { SubjectCodes } from '../../server/store/codes.ts';
import type { Limiter } from '../../server/store/limits.ts';
import type { EngineUnderTest, MakeEngine } from './engine.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const record = (lastNumber: number): SubjectCodes => ({ lastNumber, active: null, tombstones: [] });
const perMinute = (limit: number, name = 'per_minute'): Limiter => ({ name, limit, windowMs: MINUTE });
const backOff = { after: 3, firstWaitMs: 30_000, maxWaitMs: 3_600_000, lockAfter: 5 };

/** The engine's second instance on the same data, or the same one for an engine held in one process. */
const secondOf = async ({ storage, again }: EngineUnderTest) => (again ? again() : storage);

/** What every engine's hot stores (codes, limits, failure counts) must do: atomic, and kept, never evicted. */
export function hotContract(make: MakeEngine) {
  describe('codes', () => {
    test('an update sees the record the last one wrote; `next: undefined` writes nothing', async () => {
      const { storage } = await make();
      const read = (key: string) => storage.codes.update(key, (current) => ({ next: undefined, result: current?.lastNumber }));
      assert.equal(await read('email:jo@example.com'), undefined);
      assert.equal(await storage.codes.update('email:jo@example.com', () => ({ next: record(1), result: 'written' })), 'written');
      assert.equal(await read('email:jo@example.com'), 1);
      assert.equal((await storage.counts()).codes, 1, 'one record (counted as "codes"), and reading made none');
    });

    test('a record with every field, the waiting code and its tombstones, comes back exactly as written', async () => {
      const { storage } = await make();
      const hex = (c: string) => c.repeat(64);
      const full: SubjectCodes = {
        lastNumber: 12,
        active: { number: 12, digest: hex('a'), channel: 'sms', sentAt: 1_764_000_000_123, order: 1_764_000_000_123_456, expiresAt: 1_764_000_600_123, attempts: 3, reason: 'cookies_cleared', sentTo: hex('b'), supersededBy: { number: 13, sentAt: 1_764_000_100_000 } },
        tombstones: [
          { number: 11, digest: hex('c'), channel: 'email', sentAt: 1_763_999_000_000, expiresAt: 1_763_999_600_000, attempts: 0, fate: 'undelivered' },
          { number: 10, digest: hex('d'), channel: 'sms', sentAt: 1_763_998_000_000, order: 1_763_998_000_000_001, expiresAt: 1_763_998_600_000, attempts: 5, reason: 'signed_out', sentTo: hex('e'), fate: 'burned' },
        ],
      };
      await storage.codes.update('phone:+447911123456', () => ({ next: full, result: undefined }));
      assert.deepEqual(await storage.codes.update('phone:+447911123456', (c) => ({ next: undefined, result: c })), full);
      assert.equal(await storage.codes.update('email:jo@example.com', (c) => ({ next: undefined, result: c })), undefined, 'another key has nothing');
    });

    test('50 updates at once each see the one before: none is lost', async () => {
      const { storage } = await make();
      const bump = () => storage.codes.update('k', (current) => ({ next: record((current?.lastNumber ?? 0) + 1), result: undefined }));
      await Promise.all(Array.from({ length: 50 }, bump));
      assert.equal(await storage.codes.update('k', (current) => ({ next: undefined, result: current?.lastNumber })), 50);
    });

    test('a record is kept a day after its last change, whatever else is stored meanwhile, then purged', async () => {
      const { storage, clock } = await make();
      await storage.codes.update('jo', () => ({ next: record(7), result: undefined }));
      for (let i = 0; i < 2_000; i++) await storage.codes.update(`flood-${i}`, () => ({ next: record(1), result: undefined }));
      clock.advance(DAY - 1000);
      assert.equal(await storage.codes.update('jo', (c) => ({ next: undefined, result: c?.lastNumber })), 7, 'no flood of other keys evicts it');
      clock.advance(2000);
      assert.equal(await storage.codes.update('jo', (c) => ({ next: undefined, result: c?.lastNumber })), undefined, 'gone a day after');
      assert.ok((await storage.purge()) >= 2_001, 'and the purge deletes them');
    });

    test('a purge of many records lets other requests run between its batches', async () => {
      const { storage, clock } = await make();
      for (let i = 0; i < 3_000; i++) await storage.codes.update(`flood-${i}`, () => ({ next: record(1), result: undefined }));
      clock.advance(DAY + 1000);
      let purged = false;
      const purging = storage.purge().then(() => (purged = true));
      await storage.codes.update('jo', () => ({ next: record(1), result: undefined }));
      assert.equal(purged, false, 'a sign-in did not wait for the whole purge');
      await purging;
      assert.equal((await storage.counts()).codes, 1, 'only the new record is left: the purge still finished');
    });

    test('the order of codes only grows, even when the clock stands still', async () => {
      const { storage } = await make();
      const orders = [];
      for (let i = 0; i < 5; i++) orders.push(await storage.codes.nextOrder());
      assert.deepEqual([...orders].sort((a, b) => a - b), orders);
      assert.equal(new Set(orders).size, 5);
    });

    test('50 verifies of one code at once, split over two instances: exactly one succeeds', async () => {
      const { storage, again } = await make();
      const other = again ? await again() : storage;
      const waiting: SubjectCodes = { lastNumber: 1, active: { number: 1, digest: 'a'.repeat(64), channel: 'email', sentAt: 1, expiresAt: 2, attempts: 0 }, tombstones: [] };
      await storage.codes.update('email:jo@example.com', () => ({ next: waiting, result: undefined }));
      // What a verify does with a right code: the waiting code is used up, once.
      const verify = (codes: typeof storage.codes) =>
        codes.update('email:jo@example.com', (c) =>
          c?.active ? { next: { ...c, active: null, tombstones: [{ ...c.active, fate: 'used' as const }] }, result: true } : { next: undefined, result: false },
        );
      const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => verify((i % 2 ? other : storage).codes)));
      assert.equal(answers.filter(Boolean).length, 1);
      const after = await other.codes.update('email:jo@example.com', (c) => ({ next: undefined, result: c }));
      assert.deepEqual(after?.tombstones.map((t) => t.fate), ['used']);
    });

    test('100 orders at once, split over two instances: all different, and a later one is larger', async () => {
      const { storage, again } = await make();
      const other = again ? await again() : storage;
      const orders = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? other : storage).codes.nextOrder()));
      assert.equal(new Set(orders).size, 100);
      assert.ok((await other.codes.nextOrder()) > Math.max(...orders));
    });

    test('what one process wrote, another reads (a restart, a second instance)', async (t) => {

      const { storage, again } = await make();
      if (!again) return t.skip('an engine held in one process');
      await storage.codes.update('jo', () => ({ next: record(3), result: undefined }));
      const first = await storage.codes.nextOrder();
      const other = await again();
      assert.equal(await other.codes.update('jo', (c) => ({ next: undefined, result: c?.lastNumber })), 3);
      assert.ok((await other.codes.nextOrder()) > first, 'one order for both');
    });
  });

  describe('limits', () => {
    test('consume counts every limit of a request only when all allow it, and answers the longest wait', async () => {
      const { storage, clock } = await make();
      const [one, three] = [perMinute(1, 'one'), perMinute(3, 'three')];
      assert.deepEqual(await storage.limits.consume([[one, 'a'], [three, 'a']]), { ok: true });
      clock.advance(20_000);
      assert.deepEqual(await storage.limits.consume([[one, 'a'], [three, 'a']]), { ok: false, retryAfter: 40 });
      assert.equal(await storage.limits.count(three, 'a'), 1, 'the refused request used up nothing');
      assert.deepEqual(await storage.limits.consume([[three, 'a']]), { ok: true });
      assert.equal(await storage.limits.count(three, 'a'), 2);
    });

    test('a sliding window: the wait runs from the oldest hit that still counts', async () => {
      const { storage, clock } = await make();
      const two = perMinute(2);
      await storage.limits.consume([[two, 'k']]);
      clock.advance(30_000);
      await storage.limits.consume([[two, 'k']]);
      assert.deepEqual(await storage.limits.check(two, 'k'), { ok: false, retryAfter: 30 });
      clock.advance(30_000);
      assert.deepEqual(await storage.limits.check(two, 'k'), { ok: true });
      assert.equal(await storage.limits.count(two, 'k'), 1);
    });

    test('50 requests at once against a limit of 10: exactly 10 pass', async () => {
      const { storage } = await make();
      const ten = perMinute(10);
      const answers = await Promise.all(Array.from({ length: 50 }, () => storage.limits.consume([[ten, 'ip']])));
      assert.equal(answers.filter((a) => a.ok).length, 10);
    });

    test('50 requests at once over two instances, their keys named in either order: exactly 10 pass, and the refused count nowhere', async () => {
      const { storage, again } = await make();
      const other = again ? await again() : storage;
      const [ten, many] = [perMinute(10, 'per_ip'), perMinute(1000, 'per_identifier')];
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 ? other : storage).limits.consume(i % 4 < 2 ? [[ten, 'ip'], [many, 'jo']] : [[many, 'jo'], [ten, 'ip']])),
      );
      assert.equal(answers.filter((a) => a.ok).length, 10);
      assert.equal(await other.limits.count(many, 'jo'), 10);
    });

    test('hit counts whatever the limit says; keys and limits are apart', async () => {

      const { storage } = await make();
      const one = perMinute(1);
      await storage.limits.hit(one, 'all');
      await storage.limits.hit(one, 'all');
      assert.equal(await storage.limits.count(one, 'all'), 1, 'no more hits are kept than the limit needs');
      assert.equal((await storage.limits.check(one, 'all')).ok, false);
      assert.equal((await storage.limits.check(one, 'other')).ok, true);
      assert.equal((await storage.limits.check(perMinute(1, 'another'), 'all')).ok, true);
    });

    test('limits of different windows on one key each keep their own hits, and their own expiry', async () => {
      const { storage, clock } = await make();
      const cooldown = perMinute(1, 'cooldown');
      const hourly: Limiter = { name: 'hourly', limit: 2, windowMs: 60 * MINUTE };
      assert.deepEqual(await storage.limits.consume([[cooldown, 'jo'], [hourly, 'jo']]), { ok: true });
      assert.deepEqual(await storage.limits.consume([[cooldown, 'jo'], [hourly, 'jo']]), { ok: false, retryAfter: 60 }, 'the cooldown refuses, and the hour is not counted');
      clock.advance(MINUTE);
      assert.ok((await storage.purge()) >= 0);
      assert.equal(await storage.limits.count(hourly, 'jo'), 1, 'the hour outlives the cooldown');
      assert.deepEqual(await storage.limits.consume([[cooldown, 'jo'], [hourly, 'jo']]), { ok: true });
      clock.advance(MINUTE);
      assert.deepEqual(await storage.limits.consume([[cooldown, 'jo'], [hourly, 'jo']]), { ok: false, retryAfter: 58 * 60 });
      assert.equal(await storage.limits.count(cooldown, 'jo'), 0);
      clock.advance(60 * MINUTE);
      assert.ok((await storage.purge()) >= 1, 'purged once the longest window is past');
      assert.equal(await storage.limits.count(hourly, 'jo'), 0);
    });

    test('no flood of other keys evicts a key\'s hits; they are purged once past their window', async () => {
      const { storage, clock } = await make();
      const one = perMinute(1);
      await storage.limits.consume([[one, 'victim']]);
      for (let i = 0; i < 2_000; i++) await storage.limits.consume([[one, `flood-${i}`]]);
      assert.equal((await storage.limits.check(one, 'victim')).ok, false);
      clock.advance(MINUTE);
      assert.ok((await storage.purge()) >= 2_001);
      assert.equal(await storage.limits.count(one, 'victim'), 0);
    });
  });

  describe('failure counts', () => {
    test('waits after `after` failures in a row, doubling, and a lock at `lockAfter`; a reset forgets them', async () => {
      const { storage, clock } = await make();
      const failures = storage.counters.counter({ name: 'failures', backOff, keepMs: DAY });
      for (let i = 0; i < 3; i++) await failures.fail('jo');
      assert.deepEqual(await failures.check('jo'), { ok: false, retryAfter: 30 });
      clock.advance(30_000);
      assert.deepEqual(await failures.check('jo'), { ok: true });
      await failures.fail('jo');
      assert.deepEqual(await failures.check('jo'), { ok: false, retryAfter: 60 });
      await failures.fail('jo');
      assert.deepEqual(await failures.check('jo'), { ok: false, locked: true });
      assert.equal(await failures.count('jo'), 5);
      await failures.reset('jo');
      assert.deepEqual([await failures.check('jo'), await failures.count('jo')], [{ ok: true }, 0]);
    });

    test('50 failures at once count 50; counters of another name are apart', async () => {
      const { storage } = await make();
      const failures = storage.counters.counter({ name: 'failures', backOff, keepMs: DAY });
      const other = storage.counters.counter({ name: 'other', backOff, keepMs: DAY });
      await Promise.all(Array.from({ length: 50 }, () => failures.fail('jo')));
      assert.equal(await failures.count('jo'), 50);
      assert.equal(await other.count('jo'), 0);
    });

    test('50 failures at once, split over two instances, count 50', async () => {
      const { storage, again } = await make();
      const other = again ? await again() : storage;
      const rule = { name: 'failures', backOff, keepMs: DAY };
      await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? other : storage).counters.counter(rule).fail('jo')));
      assert.equal(await storage.counters.counter(rule).count('jo'), 50);
    });

    test('a lock outlives a flood of other keys and a restart, and ends `keepMs` after the last failure', async () => {

      const { storage, clock, again } = await make();
      const rule = { name: 'failures', backOff, keepMs: DAY };
      const failures = storage.counters.counter(rule);
      for (let i = 0; i < 5; i++) await failures.fail('jo');
      for (let i = 0; i < 2_000; i++) await failures.fail(`flood-${i}`);
      const later = again ? (await again()).counters.counter(rule) : failures;
      assert.deepEqual(await later.check('jo'), { ok: false, locked: true });
      clock.advance(DAY);
      assert.deepEqual(await later.check('jo'), { ok: true });
      assert.ok((await storage.purge()) >= 2_001);
    });
  });

  describe('between instances at once', () => {
    test('50 verifies of one code at once, split over two instances: exactly one signs in, and the code is used', async () => {
      const engine = await make();
      const service = (storage: typeof engine.storage) =>
        createCodeService({ store: storage.codes, secret: Buffer.alloc(32, 7), clock: engine.clock, random: cryptoRandom, ttlMs: 10 * MINUTE, maxAttempts: 5 });
      const [a, b] = [service(engine.storage), service(await secondOf(engine))];
      const { code } = await a.issue('email:jo@example.com', 'email');
      const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).verify('email:jo@example.com', code)));
      assert.equal(answers.filter((r) => r.ok).length, 1);
      const stored = await engine.storage.codes.update('email:jo@example.com', (c) => ({ next: undefined, result: c }));
      assert.equal(stored?.active, null);
      assert.equal(stored?.tombstones[0]?.fate, 'used');
    });

    test('50 updates at once over two instances each see the one before: none is lost', async () => {
      const engine = await make();
      const instances = [engine.storage, await secondOf(engine)];
      const bump = (i: number) => instances[i % 2]!.codes.update('k', (current) => ({ next: record((current?.lastNumber ?? 0) + 1), result: current?.lastNumber ?? 0 }));
      const seen = await Promise.all(Array.from({ length: 50 }, (_, i) => bump(i)));
      assert.deepEqual([...seen].sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i), 'each saw a different predecessor');
      assert.equal(await engine.storage.codes.update('k', (current) => ({ next: undefined, result: current?.lastNumber })), 50);
    });

    test('a limit of 10 asked 30 times at once over two instances lets exactly 10 through, and counts 10', async () => {
      const engine = await make();
      const instances = [engine.storage, await secondOf(engine)];
      const ten = perMinute(10);
      const cooldown = perMinute(1, 'cooldown');
      // Each request also checks a key of its own, as a code request checks the IP and the identifier together.
      const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => instances[i % 2]!.limits.consume([[ten, 'ip'], [cooldown, `id-${i}`]])));
      assert.equal(answers.filter((a) => a.ok).length, 10);
      assert.equal(await engine.storage.limits.count(ten, 'ip'), 10);
      const passed = answers.map((a, i) => (a.ok ? i : -1)).filter((i) => i >= 0);
      const counted = await Promise.all(Array.from({ length: 30 }, (_, i) => engine.storage.limits.count(cooldown, `id-${i}`)));
      assert.deepEqual(counted.map((n, i) => (n ? i : -1)).filter((i) => i >= 0), passed, 'a refused request used up nothing on its other key');
    });

    test('the order of codes asked for at once on two instances is never the same twice', async () => {
      const engine = await make();
      const instances = [engine.storage, await secondOf(engine)];
      const orders = await Promise.all(Array.from({ length: 40 }, (_, i) => instances[i % 2]!.codes.nextOrder()));
      assert.equal(new Set(orders).size, 40);
    });

    test('50 wrong codes at once over two instances count 50, and lock', async () => {
      const engine = await make();
      const rule = { name: 'failures', backOff, keepMs: DAY };
      const counters = [engine.storage.counters.counter(rule), (await secondOf(engine)).counters.counter(rule)];
      const key = `email:${randomBytes(4).toString('hex')}@example.com`;
      await Promise.all(Array.from({ length: 50 }, (_, i) => counters[i % 2]!.fail(key)));
      assert.equal(await counters[0]!.count(key), 50);
      assert.deepEqual(await counters[1]!.check(key), { ok: false, locked: true });
    });
  });
}
