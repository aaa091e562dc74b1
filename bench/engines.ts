/**
 * The storage engines a benchmark runs the server on (SPEC R10, R11): SQLite in memory, PostgreSQL,
 * PostgreSQL with the hot state in Redis. The networked ones on throwaway servers (test/servers.ts),
 * started here and stopped by `stop()`; each `open()` is a fresh, empty Storage (a new database, a
 * new Redis key prefix), so one measurement's contacts and codes never meet another's.
 */
import { randomBytes } from 'node:crypto';
import { manualClock } from '../server/clock.ts';
import { silentLogger } from '../server/log.ts';
import { cryptoRandom } from '../server/random.ts';
import type { Storage } from '../server/store/index.ts';
import { createPostgresStorage } from '../server/store/postgres/index.ts';
import { createRedisHotStores, withRedisHotState } from '../server/store/redis/index.ts';
import { startPostgres, startRedis, type RunningPostgres, type RunningRedis } from '../test/servers.ts';

export const ENGINES = { sqlite: 'SQLite', postgres: 'PostgreSQL', redis: 'PostgreSQL + Redis' } as const;
export type EngineName = keyof typeof ENGINES;

/** A fresh Storage and the manual clock it was opened with (what createHarness's `engine` takes); none for SQLite, the harness's own. */
export type OpenEngine = { storage: Storage; clock: ReturnType<typeof manualClock> } | undefined;

/**
 * The engines a comma-separated list names (`sqlite,postgres,redis`, in that order whatever the
 * list's), or all three when it is empty. An unknown name is refused rather than skipped, so a
 * typo never passes for a run on fewer engines.
 */
export function chooseEngines(list: string | undefined): EngineName[] {
  const all = Object.keys(ENGINES) as EngineName[];
  const names = (list ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const unknown = names.filter((n) => !all.includes(n as EngineName));
  if (unknown.length) throw new Error(`Unknown engine ${unknown.join(', ')}: choose among ${all.join(', ')}.`);
  return names.length ? all.filter((n) => names.includes(n)) : all;
}

/** Starts the servers the chosen engines need (PostgreSQL for both networked ones, Redis for the last). */
export async function startEngines(names: EngineName[]) {
  let postgres: RunningPostgres | undefined;
  let redis: RunningRedis | undefined;
  const opened: Storage[] = [];
  let databases = 0;

  async function stop() {
    for (const storage of opened.splice(0)) await storage.close().catch(() => {});
    await Promise.all([postgres?.stop(), redis?.stop()]);
    postgres = redis = undefined;
  }

  try {
    if (names.includes('postgres') || names.includes('redis')) postgres = await startPostgres();
    if (names.includes('redis')) redis = await startRedis();
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    async open(name: EngineName): Promise<OpenEngine> {
      if (name === 'sqlite') return undefined;
      const clock = manualClock();
      const url = await postgres!.newDatabase(`bench_${++databases}`);
      let storage = await createPostgresStorage({ url, clock, random: cryptoRandom });
      opened.push(storage);
      if (name === 'redis') {
        const hot = await createRedisHotStores({ url: redis!.url, clock, keyPrefix: `b${randomBytes(6).toString('hex')}:`, log: silentLogger });
        // The overlay's close() closes both, so it takes the PostgreSQL one's place in the list.
        storage = withRedisHotState(storage, hot);
        opened[opened.length - 1] = storage;
      }
      return { storage, clock };
    },
    /**
     * The environment a server started on its own (`node build/main.js`, a peer) runs this engine
     * with: a fresh database (and for Redis, the Redis server), and a SECRET as DATABASE_URL asks.
     * None for SQLite: the server keeps it in its DATA_DIR.
     */
    async env(name: EngineName): Promise<Record<string, string>> {
      if (name === 'sqlite') return {};
      const url = await postgres!.newDatabase(`bench_${++databases}`);
      return { DATABASE_URL: url, SECRET: randomBytes(48).toString('base64'), ...(name === 'redis' ? { REDIS_URL: redis!.url } : {}) };
    },
    /** Closes every Storage opened and stops the servers; safe to call twice. */
    stop,
  };
}
