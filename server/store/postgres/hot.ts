import type pg from 'pg';
import type { Clock } from '../../clock.ts';
import type { CodeStore, SubjectCodes } from '../codes.ts';
import { backOffVerdict, longest, verdict, withHit, type CounterRule, type CounterStore, type FailureCounter, type LimitResult, type LimitStore, type Limiter } from '../limits.ts';
// The SQLite engine's compact rows, shared: the same 16-byte key digests and binary records.
import { decodeCodes, decodeHits, encodeCodes, encodeHits, limitTags, rowKey, type LimitEntry } from '../sqlite/hot-records.ts';
import { purgeInBatches, purgeStatement, transaction } from './database.ts';

/**
 * Locks a key's row for the rest of the transaction and reads it, making an empty one (expired at
 * 0) when there is none: a row that does not exist yet cannot be locked with FOR UPDATE, and two
 * instances writing a new key's first record would each miss the other's. A second caller waits
 * on the first's insert or lock, then reads what it committed; a rolled-back empty row is gone.
 */
const lockRow = (table: 'codes' | 'limit_hits', column: 'record' | 'hits') =>
  `INSERT INTO ${table} (key, ${column}, expires_at) VALUES ($1, ''::bytea, 0)
   ON CONFLICT (key) DO UPDATE SET key = excluded.key
   RETURNING ${column} AS value, expires_at`;

/** Compare-and-set rounds lost to other writers before a read-and-write takes the row lock instead. */
const OPTIMISTIC_TRIES = 3;

/**
 * The hot state in PostgreSQL (R10, R11): codes, limits, failure counts and the order of codes,
 * shared by every instance. Each read-and-write is one transaction holding the rows it reads
 * locked, or one statement, so two instances never interleave on a key. Times come from `clock`.
 */
export function createPostgresHotStores(pool: pg.Pool, clock: Clock, { codesKeptMs }: { codesKeptMs: number }) {
  /** The pessimistic read-and-write: the row locked for the transaction; a key in contention ends here. */
  const lockedUpdate = <R>(key: Buffer, change: (current: SubjectCodes | undefined) => { next: SubjectCodes | undefined; result: R }) =>
    transaction(pool, async (client, rollback) => {
      const now = clock.now();
      const { rows } = await client.query<{ value: Buffer; expires_at: number }>(lockRow('codes', 'record'), [key]);
      const row = rows[0]!;
      const { next, result } = change(row.expires_at > now ? decodeCodes(row.value) : undefined);
      // Kept a while after the last change, so an old code still gets its precise answer.
      if (next) await client.query('UPDATE codes SET record = $2, expires_at = $3 WHERE key = $1', [key, encodeCodes(next), now + codesKeptMs]);
      else rollback();
      return result;
    });

  const codes: CodeStore = {
    /**
     * Optimistic first: read the row, apply `change`, and write only if the row is still the one
     * read (compare-and-set on its bytes and expiry), as the Redis engine does. Two round trips
     * rather than the transaction's four (BEGIN, lock, write, COMMIT), which were most of a code
     * request's cost on PostgreSQL. A change that writes nothing answers from the row read, a
     * state the key really had. Lost races retry; a key still contended after a few takes the
     * locked path, so 50 verifies at once still queue on the row and count every try.
     */
    update: async <R>(subject: string, change: (current: SubjectCodes | undefined) => { next: SubjectCodes | undefined; result: R }) => {
      const key = rowKey(subject);
      for (let tries = 0; tries < OPTIMISTIC_TRIES; tries++) {
        const now = clock.now();
        const { rows } = await pool.query<{ record: Buffer; expires_at: number }>('SELECT record, expires_at FROM codes WHERE key = $1', [key]);
        const row = rows[0];
        const { next, result } = change(row && row.expires_at > now ? decodeCodes(row.record) : undefined);
        if (!next) return result;
        const record = encodeCodes(next);
        const { rowCount } = row
          ? await pool.query('UPDATE codes SET record = $2, expires_at = $3 WHERE key = $1 AND record = $4 AND expires_at = $5', [key, record, now + codesKeptMs, row.record, row.expires_at])
          : await pool.query('INSERT INTO codes (key, record, expires_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING', [key, record, now + codesKeptMs]);
        if (rowCount === 1) return result;
      }
      return lockedUpdate(key, change);
    },
    async nextOrder() {
      // Microseconds of the clock, and never the same twice: one row, one order for every instance.
      const { rows } = await pool.query<{ value: number }>(
        `INSERT INTO sequences (name, value) VALUES ('code_order', $1) ON CONFLICT (name) DO UPDATE SET value = greatest(sequences.value + 1, $1) RETURNING value`,
        [clock.now() * 1000],
      );
      return rows[0]!.value;
    },
  };

  // Every limit's hits for one key live in one row (hot-records.ts), each limit under its tag.
  const tagOf = limitTags();
  const timesIn = (entries: ReadonlyMap<number, LimitEntry>, limiter: Limiter) => entries.get(tagOf(limiter.name))?.times ?? [];
  const entriesOf = async (key: string) => {
    const { rows } = await pool.query<{ hits: Buffer }>('SELECT hits FROM limit_hits WHERE key = $1', [rowKey(key)]);
    return rows[0] ? decodeHits(rows[0].hits) : new Map<number, LimitEntry>();
  };
  /** Writes a key's hits back, without the limits whose last hit no longer counts; none left, no row. */
  const save = async (client: pg.PoolClient, key: Buffer, entries: Map<number, LimitEntry>, now: number) => {
    let expiresAt = 0;
    for (const [tag, entry] of entries) {
      if (entry.expiresAt <= now) entries.delete(tag);
      else expiresAt = Math.max(expiresAt, entry.expiresAt);
    }
    if (entries.size === 0) await client.query('DELETE FROM limit_hits WHERE key = $1', [key]);
    else await client.query('UPDATE limit_hits SET hits = $2, expires_at = $3 WHERE key = $1', [key, encodeHits(entries), expiresAt]);
  };
  const record = (entries: Map<number, LimitEntry>, limiter: Limiter, now: number) => {
    entries.set(tagOf(limiter.name), { expiresAt: now + limiter.windowMs, times: withHit(limiter, timesIn(entries, limiter), now) });
  };
  /**
   * Locks the rows of `keys` in one fixed order (by digest), so two requests sharing keys queue on
   * the first instead of deadlocking, and answers each key's hits.
   */
  const lockHits = async (client: pg.PoolClient, keys: Iterable<string>) => {
    const rows = [...new Set(keys)].map((key) => ({ name: key, key: rowKey(key), entries: new Map<number, LimitEntry>() }));
    rows.sort((a, b) => Buffer.compare(a.key, b.key));
    for (const row of rows) {
      const { rows: [locked] } = await client.query<{ value: Buffer }>(lockRow('limit_hits', 'hits'), [row.key]);
      row.entries = decodeHits(locked!.value);
    }
    return new Map(rows.map((row) => [row.name, row]));
  };

  /** The pessimistic consume: every key's row locked in one transaction. */
  const lockedConsume = (checks: Parameters<LimitStore['consume']>[0]) =>
    transaction(pool, async (client, rollback): Promise<LimitResult> => {
      const now = clock.now();
      const rows = await lockHits(client, checks.map(([, key]) => key));
      const refused = checks.map(([limiter, key]) => verdict(limiter, timesIn(rows.get(key)!.entries, limiter), now)).filter((r) => !r.ok);
      if (refused.length > 0) {
        rollback();
        return longest(refused);
      }
      for (const [limiter, key] of checks) record(rows.get(key)!.entries, limiter, now);
      for (const row of rows.values()) await save(client, row.key, row.entries, now);
      return { ok: true };
    });
  /**
   * Writes a key's hits (at least the one just recorded) only if its row still holds `read` (none:
   * still has no row); answers whether it did. Hits no longer counting are dropped as in `save`.
   */
  const saveIfUnchanged = async (key: Buffer, read: Buffer | undefined, entries: Map<number, LimitEntry>, now: number) => {
    let expiresAt = 0;
    for (const [tag, entry] of entries) {
      if (entry.expiresAt <= now) entries.delete(tag);
      else expiresAt = Math.max(expiresAt, entry.expiresAt);
    }
    const { rowCount } = read
      ? await pool.query('UPDATE limit_hits SET hits = $2, expires_at = $3 WHERE key = $1 AND hits = $4', [key, encodeHits(entries), expiresAt, read])
      : await pool.query('INSERT INTO limit_hits (key, hits, expires_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING', [key, encodeHits(entries), expiresAt]);
    return rowCount === 1;
  };

  /**
   * One key's hits changed compare-and-set, as codes are: `change` records a hit (answering ok) or
   * refuses; written only if the row is still as read. Undefined after OPTIMISTIC_TRIES lost races.
   */
  const changeHits = async (key: string, change: (entries: Map<number, LimitEntry>, now: number) => LimitResult): Promise<LimitResult | undefined> => {
    const digest = rowKey(key);
    for (let tries = 0; tries < OPTIMISTIC_TRIES; tries++) {
      const now = clock.now();
      const { rows } = await pool.query<{ hits: Buffer }>('SELECT hits FROM limit_hits WHERE key = $1', [digest]);
      const entries = rows[0] ? decodeHits(rows[0].hits) : new Map<number, LimitEntry>();
      const result = change(entries, now);
      if (!result.ok || (await saveIfUnchanged(digest, rows[0]?.hits, entries, now))) return result;
    }
    return undefined;
  };

  const limits: LimitStore = {
    // Every key of the request locked, all checked, and the hits written only when all allow it;
    // one key (every limit of the sign-in's hot path) compare-and-set first.
    consume: async (checks) => {
      const keys = new Set(checks.map(([, key]) => key));
      const optimistic =
        keys.size === 1
          ? await changeHits([...keys][0]!, (entries, now) => {
              const refused = checks.map(([limiter]) => verdict(limiter, timesIn(entries, limiter), now)).filter((r) => !r.ok);
              if (refused.length > 0) return longest(refused);
              for (const [limiter] of checks) record(entries, limiter, now);
              return { ok: true };
            })
          : undefined;
      return optimistic ?? lockedConsume(checks);
    },
    async check(limiter, key) {
      return verdict(limiter, timesIn(await entriesOf(key), limiter), clock.now());
    },
    hit: async (limiter, key) => {
      if (await changeHits(key, (entries, now) => (record(entries, limiter, now), { ok: true }))) return;
      await transaction(pool, async (client) => {
        const now = clock.now();
        const row = (await lockHits(client, [key])).get(key)!;
        record(row.entries, limiter, now);
        await save(client, row.key, row.entries, now);
      });
    },
    async count(limiter, key) {
      const now = clock.now();
      return timesIn(await entriesOf(key), limiter).filter((t) => t > now - limiter.windowMs).length;
    },
  };

  const counters: CounterStore = {
    counter({ name, backOff, keepMs }: CounterRule): FailureCounter {
      const current = async (key: string, now: number) => {
        const { rows } = await pool.query<{ count: number; last_at: number }>('SELECT count, last_at FROM failure_counts WHERE counter = $1 AND key = $2 AND expires_at > $3', [name, key, now]);
        return rows[0];
      };
      return {
        async check(key) {
          const now = clock.now();
          const row = await current(key, now);
          return row ? backOffVerdict(backOff, row.count, row.last_at, now) : { ok: true };
        },
        async fail(key) {
          // One statement: the row's lock makes 50 failures at once count 50.
          const now = clock.now();
          await pool.query(
            `INSERT INTO failure_counts (counter, key, count, last_at, expires_at) VALUES ($1, $2, 1, $3, $4)
             ON CONFLICT (counter, key) DO UPDATE SET
               count = CASE WHEN failure_counts.expires_at > $3 THEN failure_counts.count + 1 ELSE 1 END, last_at = $3, expires_at = $4`,
            [name, key, now, now + keepMs],
          );
        },
        async reset(key) {
          await pool.query('DELETE FROM failure_counts WHERE counter = $1 AND key = $2', [name, key]);
        },
        async count(key) {
          return (await current(key, clock.now()))?.count ?? 0;
        },
      };
    },
  };

  const purges = [purgeStatement('codes', 'key'), purgeStatement('limit_hits', 'key'), purgeStatement('failure_counts', 'counter, key')];
  return {
    codes,
    limits,
    counters,
    /** Deletes what no rule needs any more: codes past their history, hits past their window, counts past their keeping. */
    purge: (): Promise<number> => purgeInBatches(pool, purges, clock.now()),
  };
}
