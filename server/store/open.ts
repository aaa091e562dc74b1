import { join } from 'node:path';
import type { Clock } from '../clock.ts';
import type { Config } from '../config/config.ts';
import type { Logger } from '../log.ts';
import type { Random } from '../random.ts';
import { deferredStorage } from './deferred.ts';
import type { Storage } from './index.ts';
import { createSqliteStorage, openDatabase } from './sqlite/index.ts';

export interface OpenStorageOptions {
  clock: Clock;
  random: Random;
  log: Logger;
}

/**
 * The engines the configuration names (SPEC R10, R11): SQLite in DATA_DIR with no URL; with
 * DATABASE_URL every store in PostgreSQL; with REDIS_URL as well, codes, limits and failure
 * counts in Redis. A networked engine connects in the background (the app is usable at once,
 * answering 503 until it is in, and trying again by itself); its URL is never logged.
 */
export function openStorage(config: Config, { clock, random, log }: OpenStorageOptions): Storage {
  const { databaseUrl, redisUrl } = config.storage;
  const codesKeptMs = config.codes.historyMs;
  if (!databaseUrl) return createSqliteStorage(openDatabase(join(config.dataDir, 'otp-login.sqlite')), clock, random, { codesKeptMs });
  const engine = redisUrl ? 'PostgreSQL and Redis' : 'PostgreSQL';
  let failures = 0;
  return deferredStorage({
    engine,
    open: async () => {
      const { createPostgresStorage } = await import('./postgres/index.ts');
      const storage = await createPostgresStorage({ url: databaseUrl.href, clock, random, codesKeptMs });
      if (!redisUrl) return storage;
      const { createRedisHotStores, withRedisHotState } = await import('./redis/index.ts');
      try {
        // Keyed by a plain digest, as SQLite's rows are, not one under SECRET: rotating SECRET
        // must not lose every waiting code, limit and lock at once.
        return withRedisHotState(storage, await createRedisHotStores({ url: redisUrl.href, clock, codesKeptMs, log }));
      } catch (error) {
        await storage.close();
        throw error;
      }
    },
    onOpenFailed: (error) => {
      // The first failure and then one a minute: a database down for an hour is one line a minute.
      if (failures++ % 30 === 0) log.error(`Cannot open ${engine} (${error.message}); answering 503 until it opens, trying again every 2 s. Check that the database runs and that DATABASE_URL (and REDIS_URL) reach it from this host.`);
    },
  });
}
