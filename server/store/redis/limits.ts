import type { Clock } from '../../clock.ts';
import { backOffVerdict, secondsUntil, verdict, type CounterStore, type FailureCounter, type LimitResult, type LimitStore, type Limiter } from '../limits.ts';
import type { HotClient } from './client.ts';
import type { KeyNames } from './keys.ts';

/** A limit as the script takes it: a limit of "no limit" as the largest whole number Lua reads exactly. */
const limitOf = (limiter: Limiter) => (Number.isFinite(limiter.limit) ? limiter.limit : Number.MAX_SAFE_INTEGER);

/**
 * Limits in Redis: one hash per key (an identifier, an IP), a field per limit holding its recent
 * hits packed (scripts.ts). `consume` is one script over every key of the request: it checks all
 * the limits and adds the hits only when all allow them, so a refused request uses up nothing and
 * no two instances can both take the last hit.
 */
export function createRedisLimits(client: HotClient, names: KeyNames, clock: Clock): LimitStore {
  async function run(checks: ReadonlyArray<readonly [Limiter, string]>, force: boolean): Promise<LimitResult> {
    const now = clock.now();
    const keys: string[] = [];
    const args: Array<string | number> = [now, force ? 1 : 0, checks.length];
    for (const [limiter, key] of checks) {
      const name = names.hits(key);
      let at = keys.indexOf(name);
      if (at < 0) at = keys.push(name) - 1;
      args.push(at + 1, limiter.name, limitOf(limiter), limiter.windowMs);
    }
    // Each refusal answers when its limit frees; the longest wait is the answer (limits.ts longest).
    const frees = (await client.limitsConsume([...keys, names.expiry], args)) as number[];
    if (force || frees.length === 0) return { ok: true };
    return { ok: false, retryAfter: secondsUntil(Math.max(...frees), now) };
  }
  const times = async (limiter: Limiter, key: string) => (await client.limitTimes([names.hits(key)], [limiter.name])) as number[];

  return {
    consume: (checks) => run(checks, false),
    async check(limiter, key) {
      return verdict(limiter, await times(limiter, key), clock.now());
    },
    async hit(limiter, key) {
      await run([[limiter, key]], true);
    },
    async count(limiter, key) {
      const now = clock.now();
      return (await times(limiter, key)).filter((t) => t > now - limiter.windowMs).length;
    },
  };
}

/**
 * Failure counts in Redis: a hash per key, a field per counter (count, last failure, expiry). `fail` is
 * one script (count one more, or start again at 1 once the keeping ended), so 50 wrong codes at
 * once across instances count 50; the back-off is the pure verdict every engine shares.
 */
export function createRedisCounters(client: HotClient, names: KeyNames, clock: Clock): CounterStore {
  return {
    counter({ name, backOff, keepMs }): FailureCounter {
      const read = async (key: string, now: number) => (await client.failuresRead([names.failures(key)], [now, name])) as [number, number];
      return {
        async check(key) {
          const now = clock.now();
          const [count, lastAt] = await read(key, now);
          return count > 0 ? backOffVerdict(backOff, count, lastAt, now) : { ok: true };
        },
        async fail(key) {
          await client.failuresAdd([names.failures(key), names.expiry], [clock.now(), keepMs, name]);
        },
        async reset(key) {
          await client.failuresReset([names.failures(key)], [name]);
        },
        async count(key) {
          return (await read(key, clock.now()))[0];
        },
      };
    },
  };
}
