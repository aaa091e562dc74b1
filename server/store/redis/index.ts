import { ErrorReply, RESP_TYPES } from '@redis/client';
import { DAY, type Clock } from '../../clock.ts';
import { consoleLogger, type Logger } from '../../log.ts';
import { StorageUnavailable, type Storage } from '../index.ts';
import { connectRedis } from './client.ts';
import { createRedisCodes } from './codes.ts';
import { keyNames, kindOf } from './keys.ts';
import { createRedisCounters, createRedisLimits } from './limits.ts';

export { COMMAND_TIMEOUT_MS } from './client.ts';

/** Records deleted per purge script: short enough that sign-ins run between the batches. */
export const PURGE_BATCH = 500;

export interface RedisHotOptions {
  /** redis://[user:password@]host:port[/db] (REDIS_URL). */
  url: string;
  clock: Clock;
  /** How long an identifier's codes are kept after their last change (as the SQLite engine's). */
  codesKeptMs?: number;
  /** Put before every key, so several servers (or tests) can share one Redis. Default `otp:`. */
  keyPrefix?: string;
  /**
   * Keys the digest that names each identifier's records (keys.ts), so a copy of Redis does not
   * even tell whether a guessed address signed in lately. Must be the same on every instance,
   * and never rotated: another key forgets every code, limit and lock at once. Without it the
   * digest is a plain SHA-256, as the SQLite engine's hot rows.
   */
  keySecret?: Buffer;
  /** Where an outage and the recovery are said. Default: the console. */
  log?: Logger;
}

/** The hot state in Redis, and what a Storage needs around it (its purge, dump, counts and close cover Redis only). */
export type RedisHotStores = Pick<Storage, 'codes' | 'limits' | 'counters' | 'purge' | 'dump' | 'counts' | 'ping' | 'close'>;

/** The kinds of record counts() and dump() report, by the SQLite engine's table names. */
const KINDS = ['codes', 'limit_hits', 'failure_counts', 'sequences'] as const;

/** A glob pattern that matches `text` literally, then anything. */
const startsWith = (text: string) => `${text.replace(/[*?[\]\\]/g, '\\$&')}*`;

/**
 * Codes, limits and failure counts (locks) in Redis (REDIS_URL), shared by every instance: each
 * operation is one script (scripts.ts), time comes from `clock`. Resolves once connected, or
 * once the first try failed (the client then keeps trying; each operation fails until it is in).
 *
 * @example
 * const hot = await createRedisHotStores({ url: 'redis://127.0.0.1:6379', clock: systemClock });
 * const storage = withRedisHotState(createPostgresStorage(…), hot);
 */
export async function createRedisHotStores({ url, clock, codesKeptMs = DAY, keyPrefix = 'otp:', keySecret, log = consoleLogger }: RedisHotOptions): Promise<RedisHotStores> {
  const client = await connectRedis(url, log);
  const names = keyNames(keyPrefix, keySecret);
  const binary = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });

  /** A record as Redis holds it; a code record split into its version, expiry and bytes (scripts.ts). */
  async function read(key: string, kind: Exclude<ReturnType<typeof kindOf>, 'index'>): Promise<Record<string, unknown>> {
    if (kind === 'sequences') return { value: await client.get(key) };
    if (kind !== 'codes') return binary.hGetAll(key);
    const raw = (await binary.get(key)) as Buffer | null;
    return raw ? { version: raw.readUIntBE(0, 6), expiresAt: raw.readUIntBE(6, 6), record: raw.subarray(12) } : {};
  }

  async function* ours(): AsyncGenerator<string> {
    for await (const batch of client.scanIterator({ MATCH: startsWith(keyPrefix), COUNT: 1000 })) yield* batch;
  }

  const counters = createRedisCounters(client, names, clock);
  return {
    codes: unreachableAsUnavailable(createRedisCodes(client, names, clock, { codesKeptMs })),
    limits: unreachableAsUnavailable(createRedisLimits(client, names, clock)),
    counters: { counter: (rule) => unreachableAsUnavailable(counters.counter(rule)) },

    async ping() {
      await client.ping().catch(unavailable);
    },

    /**
     * Every record has its own PEXPIRE, so in production Redis frees it by itself; what is left
     * is its entry in the expiry index, which this removes. Under a clock that runs ahead of
     * Redis' (a test's manual clock) it also deletes the records themselves. Answers how many
     * records it deleted; a batch at a time, so requests run in between.
     */
    async purge() {
      const now = clock.now();
      let deleted = 0;
      for (;;) {
        const [records, taken] = (await client.purgeBatch([names.expiry], [now, PURGE_BATCH, keyPrefix])) as [number, number];
        deleted += records;
        if (taken < PURGE_BATCH) return deleted;
      }
    },

    /** Every hot record under the prefix, as Redis holds it (digests and packed bytes: never an address). */
    async dump() {
      const dump: Record<string, unknown[]> = Object.fromEntries(KINDS.map((kind) => [kind, []]));
      for await (const key of ours()) {
        const kind = kindOf(names, key);
        if (kind === 'index') continue;
        dump[kind]!.push({ key, ...(await read(key, kind)) });
      }
      return dump;
    },

    async counts() {
      const counts: Record<string, number> = Object.fromEntries(KINDS.map((kind) => [kind, 0]));
      for await (const key of ours()) {
        const kind = kindOf(names, key);
        // A count per counter and key, as the SQLite engine's rows: a key's hash holds each of its counters.
        if (kind === 'failure_counts') counts[kind]! += await client.hLen(key);
        else if (kind !== 'index') counts[kind]!++;
      }
      return counts;
    },

    async close() {
      // A client still trying to connect has nothing to finish: stop its retries.
      if (client.isReady) await client.close();
      else client.destroy();
    },
  };
}

/**
 * A Storage whose hot state (codes, limits, failure counts) is in Redis and everything else in
 * `storage` (PostgreSQL, or SQLite). Its purge, dump and counts cover both; the hot kinds are
 * Redis' (the other engine's hot tables stay empty). Closing it closes both.
 */
export function withRedisHotState(storage: Storage, hot: RedisHotStores): Storage {
  return {
    ...storage,
    codes: hot.codes,
    limits: hot.limits,
    counters: hot.counters,
    async purge() {
      return (await storage.purge()) + (await hot.purge());
    },
    async dump() {
      return { ...(await storage.dump()), ...(await hot.dump()) };
    },
    async counts() {
      return { ...(await storage.counts()), ...(await hot.counts()) };
    },
    async ping() {
      await Promise.all([storage.ping(), hot.ping()]);
    },
    async close() {
      // Both, even when one fails; then the first failure.
      const failed = (await Promise.allSettled([hot.close(), storage.close()])).find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}

/**
 * Redis' own error replies that say it cannot serve now (loading its data, busy with a script, a
 * replica cut from its primary); any other reply is a fault of ours and stays what it is.
 */
const NOT_NOW = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|READONLY|CLUSTERDOWN)\b/;

/**
 * An error of a Redis that cannot answer (closed, offline, timed out, not ready) as
 * StorageUnavailable: the request gets a 503 with Retry-After, and nothing falls back to memory.
 */
function unavailable(error: unknown): never {
  if (error instanceof ErrorReply && !NOT_NOW.test(error.message)) throw error;
  throw new StorageUnavailable('Redis', (error as Error).message);
}

/** `store` with each method's failures to reach Redis turned into StorageUnavailable. */
function unreachableAsUnavailable<T extends object>(store: T): T {
  return new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args).catch(unavailable);
    },
  });
}
