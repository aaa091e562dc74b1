import type Database from 'better-sqlite3';
import type { Clock } from '../../clock.ts';
import type { CodeStore, SubjectCodes } from '../codes.ts';
import { PURGE_BATCH, purgeInBatches } from './database.ts';
import { decodeCodes, decodeHits, encodeCodes, encodeHits, limitTags, rowKey, type LimitEntry } from './hot-records.ts';
import type { WriteBatch } from './write-batch.ts';
import { backOffVerdict, longest, verdict, withHit, type CounterRule, type CounterStore, type FailureCounter, type LimitResult, type LimitStore, type Limiter } from '../limits.ts';

/**
 * The hot state in SQLite (the embedded default, R10): codes, limits, failure counts and the order
 * of codes, in the server's database file, so a restart loses none of them and no flood of other
 * identifiers evicts a lock or a live code. better-sqlite3 runs each statement to its end before
 * any other JavaScript runs, and every read-and-write here is one transaction (a savepoint of the
 * write batch's, write-batch.ts), taken IMMEDIATE so even a second process on the same file could
 * not interleave.
 */
export function createSqliteHotStores(db: Database.Database, clock: Clock, batch: WriteBatch, { codesKeptMs }: { codesKeptMs: number }) {
  const q = {
    code: db.prepare<[Buffer, number], { record: Buffer }>('SELECT record FROM codes WHERE key = ? AND expires_at > ?'),
    putCode: db.prepare<[Buffer, Buffer, number]>('INSERT INTO codes (key, record, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET record = excluded.record, expires_at = excluded.expires_at'),
    nextOrder: db.prepare<{ now: number }, { value: number }>(
      `INSERT INTO sequences (name, value) VALUES ('code_order', @now) ON CONFLICT (name) DO UPDATE SET value = max(value + 1, @now) RETURNING value`,
    ),
    hits: db.prepare<[Buffer], { hits: Buffer }>('SELECT hits FROM limit_hits WHERE key = ?'),
    putHits: db.prepare<[Buffer, Buffer, number]>('INSERT INTO limit_hits (key, hits, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET hits = excluded.hits, expires_at = excluded.expires_at'),
    dropHits: db.prepare<[Buffer]>('DELETE FROM limit_hits WHERE key = ?'),
    failures: db.prepare<[string, string, number], { count: number; last_at: number }>('SELECT count, last_at FROM failure_counts WHERE counter = ? AND key = ? AND expires_at > ?'),
    fail: db.prepare(
      `INSERT INTO failure_counts (counter, key, count, last_at, expires_at) VALUES (@counter, @key, 1, @now, @expires)
       ON CONFLICT (counter, key) DO UPDATE SET
         count = CASE WHEN expires_at > @now THEN count + 1 ELSE 1 END, last_at = @now, expires_at = @expires`,
    ),
    reset: db.prepare('DELETE FROM failure_counts WHERE counter = ? AND key = ?'),
    // A batch at a time, oldest first (database.ts purgeInBatches). `LIMIT` in a subquery, since a DELETE cannot take one.
    purge: [
      db.prepare(`DELETE FROM codes WHERE key IN (SELECT key FROM codes WHERE expires_at <= ? ORDER BY expires_at LIMIT ${PURGE_BATCH})`),
      db.prepare(`DELETE FROM limit_hits WHERE key IN (SELECT key FROM limit_hits WHERE expires_at <= ? ORDER BY expires_at LIMIT ${PURGE_BATCH})`),
      db.prepare(`DELETE FROM failure_counts WHERE (counter, key) IN (SELECT counter, key FROM failure_counts WHERE expires_at <= ? ORDER BY expires_at LIMIT ${PURGE_BATCH})`),
    ],
  };

  // One transaction per update, made once: better-sqlite3 builds a wrapper per db.transaction().
  const updateCode = db.transaction((key: Buffer, change: (current: SubjectCodes | undefined) => { next: SubjectCodes | undefined; result: unknown }) => {
    const now = clock.now();
    const row = q.code.get(key, now);
    const { next, result } = change(row ? decodeCodes(row.record) : undefined);
    // Kept a while after the last change, so an old code still gets its precise answer.
    if (next) q.putCode.run(key, encodeCodes(next), now + codesKeptMs);
    return result;
  });

  const codes: CodeStore = {
    async update<R>(subject: string, change: (current: SubjectCodes | undefined) => { next: SubjectCodes | undefined; result: R }) {
      const key = rowKey(subject);
      return batch.write(() => updateCode(key, change) as R);
    },
    async nextOrder() {
      // Microseconds of the clock, and never the same twice: one order for every code issued.
      return batch.write(() => q.nextOrder.get({ now: clock.now() * 1000 })!.value);
    },
  };

  // Every limit's hits for one key live in one row (hot-records.ts), each limit under its tag.
  const tagOf = limitTags();
  const entriesOf = (key: Buffer) => {
    const row = q.hits.get(key);
    return row ? decodeHits(row.hits) : new Map<number, LimitEntry>();
  };
  const timesIn = (entries: ReadonlyMap<number, LimitEntry>, limiter: Limiter) => entries.get(tagOf(limiter.name))?.times ?? [];
  /** Writes a key's hits back, without the limits whose last hit no longer counts; none left, no row. */
  const save = (key: Buffer, entries: Map<number, LimitEntry>, now: number) => {
    let expiresAt = 0;
    for (const [tag, entry] of entries) {
      if (entry.expiresAt <= now) entries.delete(tag);
      else expiresAt = Math.max(expiresAt, entry.expiresAt);
    }
    if (entries.size === 0) q.dropHits.run(key);
    else q.putHits.run(key, encodeHits(entries), expiresAt);
  };
  const record = (entries: Map<number, LimitEntry>, limiter: Limiter, now: number) => {
    entries.set(tagOf(limiter.name), { expiresAt: now + limiter.windowMs, times: withHit(limiter, timesIn(entries, limiter), now) });
  };

  const consume = db.transaction((checks: ReadonlyArray<readonly [Limiter, string]>): LimitResult => {
    const now = clock.now();
    // A request's limits on one key (an identifier's cooldown, hour and day) read and write one row.
    const rows = new Map<string, { key: Buffer; entries: Map<number, LimitEntry> }>();
    const rowOf = (key: string) => {
      let row = rows.get(key);
      if (!row) {
        const digest = rowKey(key);
        row = { key: digest, entries: entriesOf(digest) };
        rows.set(key, row);
      }
      return row;
    };
    const refused = checks.map(([limiter, key]) => verdict(limiter, timesIn(rowOf(key).entries, limiter), now)).filter((r) => !r.ok);
    if (refused.length > 0) return longest(refused);
    for (const [limiter, key] of checks) record(rowOf(key).entries, limiter, now);
    for (const row of rows.values()) save(row.key, row.entries, now);
    return { ok: true };
  });
  const hit = db.transaction((limiter: Limiter, key: string) => {
    const now = clock.now();
    const digest = rowKey(key);
    const entries = entriesOf(digest);
    record(entries, limiter, now);
    save(digest, entries, now);
  });

  const limits: LimitStore = {
    async consume(checks) {
      return batch.write(() => consume(checks));
    },
    async check(limiter, key) {
      return verdict(limiter, timesIn(entriesOf(rowKey(key)), limiter), clock.now());
    },
    async hit(limiter, key) {
      return batch.write(() => hit(limiter, key));
    },
    async count(limiter, key) {
      const now = clock.now();
      return timesIn(entriesOf(rowKey(key)), limiter).filter((t) => t > now - limiter.windowMs).length;
    },
  };

  const counters: CounterStore = {
    counter({ name, backOff, keepMs }: CounterRule): FailureCounter {
      const current = (key: string, now: number) => q.failures.get(name, key, now);
      return {
        async check(key) {
          const now = clock.now();
          const row = current(key, now);
          return row ? backOffVerdict(backOff, row.count, row.last_at, now) : { ok: true };
        },
        async fail(key) {
          const now = clock.now();
          await batch.write(() => q.fail.run({ counter: name, key, now, expires: now + keepMs }));
        },
        async reset(key) {
          await batch.write(() => q.reset.run(name, key));
        },
        async count(key) {
          return current(key, clock.now())?.count ?? 0;
        },
      };
    },
  };

  return {
    codes,
    limits,
    counters,
    /** Deletes what no rule needs any more: codes past their history, hits past their window, counts past their keeping. */
    purge: (): Promise<number> => purgeInBatches(q.purge, clock.now()),
  };
}
