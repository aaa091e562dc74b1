import type Database from 'better-sqlite3';
import type { Clock } from '../../clock.ts';
import type { CodeStore, SubjectCodes } from '../../sign-in/codes.ts';
import { PURGE_BATCH, purgeInBatches } from './database.ts';
import { backOffVerdict, longest, verdict, withHit, type CounterRule, type CounterStore, type FailureCounter, type LimitResult, type LimitStore, type Limiter } from '../../sign-in/limits.ts';

/**
 * The hot state in SQLite (the embedded default, R10): codes, limits, failure counts and the order
 * of codes, in the server's database file, so a restart loses none of them and no flood of other
 * identifiers evicts a lock or a live code. better-sqlite3 runs each statement to its end before
 * any other JavaScript runs, and every read-and-write here is one transaction, taken IMMEDIATE so
 * even a second process on the same file could not interleave.
 */
export function createSqliteHotStores(db: Database.Database, clock: Clock, { codesKeptMs }: { codesKeptMs: number }) {
  const q = {
    code: db.prepare<[string, number], { record: string }>('SELECT record FROM codes WHERE subject = ? AND expires_at > ?'),
    putCode: db.prepare('INSERT INTO codes (subject, record, expires_at) VALUES (?, ?, ?) ON CONFLICT (subject) DO UPDATE SET record = excluded.record, expires_at = excluded.expires_at'),
    nextOrder: db.prepare<{ now: number }, { value: number }>(
      `INSERT INTO sequences (name, value) VALUES ('code_order', @now) ON CONFLICT (name) DO UPDATE SET value = max(value + 1, @now) RETURNING value`,
    ),
    hits: db.prepare<[string, string], { hits: string }>('SELECT hits FROM limit_hits WHERE limiter = ? AND key = ?'),
    putHits: db.prepare('INSERT INTO limit_hits (limiter, key, hits, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (limiter, key) DO UPDATE SET hits = excluded.hits, expires_at = excluded.expires_at'),
    failures: db.prepare<[string, string, number], { count: number; last_at: number }>('SELECT count, last_at FROM failure_counts WHERE counter = ? AND key = ? AND expires_at > ?'),
    fail: db.prepare(
      `INSERT INTO failure_counts (counter, key, count, last_at, expires_at) VALUES (@counter, @key, 1, @now, @expires)
       ON CONFLICT (counter, key) DO UPDATE SET
         count = CASE WHEN expires_at > @now THEN count + 1 ELSE 1 END, last_at = @now, expires_at = @expires`,
    ),
    reset: db.prepare('DELETE FROM failure_counts WHERE counter = ? AND key = ?'),
    // A batch at a time, oldest first (database.ts purgeInBatches). `LIMIT` in a subquery, since a DELETE cannot take one.
    purge: [
      db.prepare(`DELETE FROM codes WHERE subject IN (SELECT subject FROM codes WHERE expires_at <= ? ORDER BY expires_at LIMIT ${PURGE_BATCH})`),
      db.prepare(`DELETE FROM limit_hits WHERE (limiter, key) IN (SELECT limiter, key FROM limit_hits WHERE expires_at <= ? ORDER BY expires_at LIMIT ${PURGE_BATCH})`),
      db.prepare(`DELETE FROM failure_counts WHERE (counter, key) IN (SELECT counter, key FROM failure_counts WHERE expires_at <= ? ORDER BY expires_at LIMIT ${PURGE_BATCH})`),
    ],
  };

  const codes: CodeStore = {
    async update(subject, change) {
      return db
        .transaction(() => {
          const now = clock.now();
          const row = q.code.get(subject, now);
          const { next, result } = change(row ? (JSON.parse(row.record) as SubjectCodes) : undefined);
          // Kept a while after the last change, so an old code still gets its precise answer.
          if (next) q.putCode.run(subject, JSON.stringify(next), now + codesKeptMs);
          return result;
        })
        .immediate();
    },
    async nextOrder() {
      // Microseconds of the clock, and never the same twice: one order for every code issued.
      return q.nextOrder.get({ now: clock.now() * 1000 })!.value;
    },
  };

  const timesOf = (limiter: Limiter, key: string): number[] => {
    const row = q.hits.get(limiter.name, key);
    return row ? (JSON.parse(row.hits) as number[]) : [];
  };
  const record = (limiter: Limiter, key: string, now: number) => {
    const times = withHit(limiter, timesOf(limiter, key), now);
    q.putHits.run(limiter.name, key, JSON.stringify(times), now + limiter.windowMs);
  };

  const limits: LimitStore = {
    async consume(checks) {
      return db
        .transaction((): LimitResult => {
          const now = clock.now();
          const refused = checks.map(([limiter, key]) => verdict(limiter, timesOf(limiter, key), now)).filter((r) => !r.ok);
          if (refused.length > 0) return longest(refused);
          for (const [limiter, key] of checks) record(limiter, key, now);
          return { ok: true };
        })
        .immediate();
    },
    async check(limiter, key) {
      return verdict(limiter, timesOf(limiter, key), clock.now());
    },
    async hit(limiter, key) {
      db.transaction(() => record(limiter, key, clock.now())).immediate();
    },
    async count(limiter, key) {
      const now = clock.now();
      return timesOf(limiter, key).filter((t) => t > now - limiter.windowMs).length;
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
          q.fail.run({ counter: name, key, now, expires: now + keepMs });
        },
        async reset(key) {
          q.reset.run(name, key);
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
