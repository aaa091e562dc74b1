/**
 * The hot state's operations on Redis (server/store/redis/) next to SQLite in a file, on loopback:
 * each operation paced at RATE a second for SECONDS (an open loop: a slow answer does not slow
 * the next request), its p50/p99, and for Redis the commands per operation from INFO
 * commandstats (the scripts' round trips, and the commands the scripts ran inside Redis). Then
 * the memory a code request for a new address leaves in Redis (its code record, its limits'
 * hits, the expiry index).
 *
 *   npx tsx bench/redis-hot.ts [rate=400] [seconds=4]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@redis/client';
import { HOUR, DAY, systemClock } from '../server/clock.ts';
import { silentLogger } from '../server/log.ts';
import { cryptoRandom } from '../server/random.ts';
import type { Storage } from '../server/store/index.ts';
import type { Limiter } from '../server/store/limits.ts';
import { createRedisHotStores, withRedisHotState } from '../server/store/redis/index.ts';
import { createSqliteStorage, openDatabase } from '../server/store/sqlite/index.ts';
import { startRedis } from '../test/servers.ts';
import { quantile, sorted } from './stats.ts';

const RATE = Number(process.argv[2] ?? 400);
const SECONDS = Number(process.argv[3] ?? 4);

const limiter = (name: string, limit: number, windowMs: number): Limiter => ({ name, limit, windowMs });
// The sign-in's own limits (server/sign-in/limits.ts), with limits no run here reaches.
const [sendsPerIp, cooldown, hourly, daily] = [limiter('sends_per_ip', 1e6, HOUR), limiter('resend_cooldown', 1e6, 60_000), limiter('sends_per_identifier_hour', 1e6, HOUR), limiter('sends_per_identifier_day', 1e6, DAY)];
const failureRule = { name: 'failures', backOff: { after: 1e6, firstWaitMs: 1000, maxWaitMs: 1000, lockAfter: 1e6 }, keepMs: 30 * DAY };

const code = (i: number) => ({ number: 1, digest: randomBytes(32).toString('hex'), channel: 'email' as const, sentAt: Date.now(), order: Date.now() * 1000 + i, expiresAt: Date.now() + 600_000, attempts: 0 });

/** The operations measured, each given a fresh number `i` per call (keys spread over 1,000 identifiers, as a busy server's). */
const operations: Record<string, (s: Storage, i: number) => Promise<unknown>> = {
  'codes.update (issue: write a new code)': (s, i) => s.codes.update(`email:user-${i % 1000}@example.com`, (c) => ({ next: { lastNumber: (c?.lastNumber ?? 0) + 1, active: code(i), tombstones: c?.tombstones.slice(0, 9) ?? [] }, result: undefined })),
  'codes.update (verify: one more try)': (s, i) => s.codes.update(`email:user-${i % 1000}@example.com`, (c) => ({ next: c?.active ? { ...c, active: { ...c.active, attempts: (c.active.attempts + 1) % 5 } } : c, result: undefined })),
  'codes.update (read only)': (s, i) => s.codes.update(`email:user-${i % 1000}@example.com`, (c) => ({ next: undefined, result: c?.active?.number })),
  'codes.nextOrder': (s) => s.codes.nextOrder(),
  'limits.consume (IP)': (s, i) => s.limits.consume([[sendsPerIp, `10.0.${(i >> 8) & 255}.${i & 255}`]]),
  'limits.consume (3 limits of an identifier)': (s, i) => s.limits.consume([[cooldown, `email:user-${i % 1000}@example.com`], [hourly, `email:user-${i % 1000}@example.com`], [daily, `email:user-${i % 1000}@example.com`]]),
  'failures.fail': (s, i) => s.counters.counter(failureRule).fail(`email:user-${i % 1000}@example.com`),
  'failures.check': (s, i) => s.counters.counter(failureRule).check(`email:user-${i % 1000}@example.com`),
};

/** Calls `op` RATE times a second for SECONDS, each on its schedule; answers each call's time (ms). */
async function paced(op: (i: number) => Promise<unknown>) {
  const total = RATE * SECONDS;
  const times: number[] = [];
  const calls: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const began = performance.now();
    calls.push(op(i).then(() => void times.push(performance.now() - began)));
  }
  await Promise.all(calls);
  return { times: sorted(times), seconds: (performance.now() - start) / 1000 };
}

/** Every command's calls so far, from INFO commandstats. */
async function commandCalls(admin: { info(section: string): Promise<string> }) {
  const info = await admin.info('commandstats');
  return new Map([...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map((m) => [m[1]!, Number(m[2])]));
}

const redis = await startRedis();
const dir = mkdtempSync(join(tmpdir(), 'otp-bench-'));
const admin = createClient({ url: redis.url });
await admin.connect();
try {
  const onRedis = withRedisHotState(createSqliteStorage(openDatabase(':memory:'), systemClock, cryptoRandom), await createRedisHotStores({ url: redis.url, clock: systemClock, log: silentLogger }));
  const onSqlite = createSqliteStorage(openDatabase(join(dir, 'otp-login.sqlite')), systemClock, cryptoRandom);
  const ms = (v: number) => v.toFixed(3);
  console.log(`Each operation ${RATE}/s for ${SECONDS} s, keys over 1,000 identifiers; Redis ${(await admin.info('server')).match(/redis_version:(\S+)/)![1]} on loopback, SQLite in a file (WAL).\n`);
  console.log('| operation | Redis p50 ms | Redis p99 ms | round trips/op | Redis commands/op (inside scripts) | SQLite p50 ms | SQLite p99 ms |');
  console.log('|---|---:|---:|---:|---|---:|---:|');
  for (const [name, op] of Object.entries(operations)) {
    const before = await commandCalls(admin);
    const r = await paced((i) => op(onRedis, i));
    const after = await commandCalls(admin);
    const n = RATE * SECONDS;
    const per = [...after].map(([cmd, calls]) => [cmd, (calls - (before.get(cmd) ?? 0)) / n] as const).filter(([cmd, v]) => v > 0.001 && cmd !== 'info');
    const trips = per.filter(([cmd]) => cmd.startsWith('eval')).reduce((sum, [, v]) => sum + v, 0);
    const inside = per.filter(([cmd]) => !cmd.startsWith('eval')).map(([cmd, v]) => `${cmd} ${v.toFixed(2)}`).join(', ');
    const s = await paced((i) => op(onSqlite, i));
    console.log(`| ${name} | ${ms(quantile(r.times, 0.5))} | ${ms(quantile(r.times, 0.99))} | ${trips.toFixed(2)} | ${inside} | ${ms(quantile(s.times, 0.5))} | ${ms(quantile(s.times, 0.99))} |`);
  }

  // How many a second one process gets through with 32 in flight (2 s each), for a sense of the ceiling.
  console.log('\n| operation, 32 at once for 2 s | Redis ops/s | SQLite ops/s |');
  console.log('|---|---:|---:|');
  for (const name of ['codes.update (issue: write a new code)', 'limits.consume (3 limits of an identifier)']) {
    const op = operations[name]!;
    const rate = async (storage: Storage) => {
      let done = 0;
      const until = performance.now() + 2_000;
      await Promise.all(Array.from({ length: 32 }, async (_, worker) => {
        for (let i = worker; performance.now() < until; i += 32) {
          await op(storage, i);
          done++;
        }
      }));
      return Math.round(done / 2);
    };
    console.log(`| ${name} | ${await rate(onRedis)} | ${await rate(onSqlite)} |`);
  }

  // What a code request for a new address leaves in Redis, as bench:flood measures SQLite's bytes.
  await admin.flushAll();
  const memory = async () => Number((await admin.info('memory')).match(/used_memory:(\d+)/)![1]);
  const base = await memory();
  const requests = 20_000;
  for (let i = 0; i < requests; i += 100) {
    await Promise.all(
      Array.from({ length: 100 }, async (_, j) => {
        const subject = `email:flood-${i + j}@flood.example`;
        await onRedis.limits.consume([[sendsPerIp, `10.1.${((i + j) / 20) >> 8}.${((i + j) / 20) & 255}`]]);
        await onRedis.limits.consume([[cooldown, subject], [hourly, subject], [daily, subject]]);
        const order = await onRedis.codes.nextOrder();
        await onRedis.codes.update(subject, () => ({ next: { lastNumber: 1, active: { ...code(i + j), order }, tombstones: [] }, result: undefined }));
      }),
    );
  }
  const bytes = (await memory()) - base;
  const keys = await admin.dbSize();
  console.log(`\nA flood of ${requests} code requests for new addresses: ${(bytes / requests).toFixed(0)} bytes of Redis memory each (used_memory), ${keys} keys (a code record and a limits hash per address, one per IP, the order, the expiry index).`);
  await onRedis.close();
  await onSqlite.close();
} finally {
  await admin.close();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
}
