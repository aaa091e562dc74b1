import { LRUCache } from 'lru-cache';
import type { Clock } from './clock.ts';

export type LimitResult = { ok: true } | { ok: false; retryAfter: number };

/** A sliding-window limit: at most `limit` hits per key in any `windowMs`. */
export interface Limiter {
  /** Whether one more hit is allowed now, without counting it. `retryAfter` is in seconds. */
  check(key: string): LimitResult;
  /** Counts a hit. */
  hit(key: string): void;
}

/**
 * An in-memory limiter keeping the times of the recent hits per key (Redis when scaled out).
 * @example const perIp = createLimiter({ limit: 20, windowMs: 3_600_000, clock }); consume([perIp, ip])
 */
export function createLimiter({ limit, windowMs, clock, maxKeys = 100_000 }: {
  limit: number;
  windowMs: number;
  clock: Clock;
  maxKeys?: number;
}): Limiter {
  const hits = new LRUCache<string, number[]>({ max: maxKeys, ttl: windowMs, ttlResolution: 0, perf: clock });
  const recent = (key: string, now: number) => (hits.get(key) ?? []).filter((t) => t > now - windowMs);
  return {
    check(key) {
      const now = clock.now();
      const times = recent(key, now);
      return times.length < limit
        ? { ok: true }
        : { ok: false, retryAfter: Math.max(1, Math.ceil((times[0]! + windowMs - now) / 1000)) };
    },
    hit(key) {
      const now = clock.now();
      hits.set(key, [...recent(key, now), now]);
    },
  };
}

/** The first limits (R7); the full abuse work builds on these. */
export function createLimits(clock: Clock, l: {
  resendCooldownMs: number;
  sendsPerIdentifierPerHour: number;
  sendsPerIpPerHour: number;
  verifiesPerIpPer10Minutes: number;
}) {
  const HOUR = 3_600_000;
  return {
    sendsPerIp: createLimiter({ limit: l.sendsPerIpPerHour, windowMs: HOUR, clock }),
    sendsPerIdentifier: createLimiter({ limit: l.sendsPerIdentifierPerHour, windowMs: HOUR, clock }),
    resendCooldown: createLimiter({ limit: 1, windowMs: l.resendCooldownMs, clock }),
    verifiesPerIp: createLimiter({ limit: l.verifiesPerIpPer10Minutes, windowMs: HOUR / 6, clock }),
    unknownNotices: createLimiter({ limit: 1, windowMs: 24 * HOUR, clock }),
  };
}

export type Limits = ReturnType<typeof createLimits>;

/**
 * Checks several limits and counts a hit on all of them only when all allow it, so a refused
 * request uses up nothing. Answers the first refusal.
 */
export function consume(...checks: Array<[Limiter, string]>): LimitResult {
  for (const [limiter, key] of checks) {
    const result = limiter.check(key);
    if (!result.ok) return result;
  }
  for (const [limiter, key] of checks) limiter.hit(key);
  return { ok: true };
}
