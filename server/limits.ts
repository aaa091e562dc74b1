import { LRUCache } from 'lru-cache';
import type { Clock } from './clock.ts';

/**
 * A limit's verdict: go ahead; wait `retryAfter` seconds; or, after too many wrong codes in a row,
 * stopped until the person signs in another way (NIST SP 800-63B §3.2.2).
 */
export type LimitResult = { ok: true } | { ok: false; retryAfter: number; locked?: false } | { ok: false; locked: true };

/**
 * A sliding-window limit: at most `limit` hits per key in any `windowMs`. Asynchronous, so a
 * shared store (Redis) can stand behind it when the server is scaled out.
 */
export interface Limiter {
  /** Whether one more hit is allowed now, without counting it. `retryAfter` is in seconds. */
  check(key: string): Promise<LimitResult>;
  /** Counts a hit. */
  hit(key: string): Promise<void>;
  /** The hits within the window now. */
  count(key: string): Promise<number>;
}

/**
 * An in-memory limiter keeping the times of the recent hits per key.
 * @example const perIp = createLimiter({ limit: 20, windowMs: 3_600_000, clock }); await consume([perIp, ip])
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
    async check(key) {
      const now = clock.now();
      const times = recent(key, now);
      return times.length < limit ? { ok: true } : { ok: false, retryAfter: secondsUntil(times[times.length - limit]! + windowMs, now) };
    },
    async hit(key) {
      const now = clock.now();
      hits.set(key, [...recent(key, now), now].slice(-limit));
    },
    async count(key) {
      return recent(key, clock.now()).length;
    },
  };
}

const secondsUntil = (at: number, now: number) => Math.max(1, Math.ceil((at - now) / 1000));

/**
 * Checks several limits and counts a hit on all of them only when all allow it, so a refused
 * request uses up nothing. Answers the longest wait among the refusals.
 */
export async function consume(...checks: Array<[Limiter, string]>): Promise<LimitResult> {
  const refused = (await Promise.all(checks.map(([limiter, key]) => limiter.check(key)))).filter((r) => !r.ok);
  if (refused.length > 0) return refused.reduce((a, b) => (waitOf(b) > waitOf(a) ? b : a));
  await Promise.all(checks.map(([limiter, key]) => limiter.hit(key)));
  return { ok: true };
}

const waitOf = (r: LimitResult) => (r.ok ? 0 : r.locked ? Infinity : r.retryAfter);

/** How consecutive wrong codes slow down, then stop, the guessing for one email or phone. */
export interface BackOff {
  /** Wrong codes in a row allowed before the first wait. */
  after: number;
  firstWaitMs: number;
  maxWaitMs: number;
  /** Wrong codes in a row after which no verify is tried until a sign-in succeeds another way. */
  lockAfter: number;
}

/**
 * Consecutive failures per identifier, across codes: a new code does not reset them (NIST SP
 * 800-63B §3.1.3.2), only a success does. After `after` failures each verify waits, the wait
 * doubling from `firstWaitMs` up to `maxWaitMs`; at `lockAfter` the identifier is locked.
 */
export interface FailureCounter {
  check(key: string): Promise<LimitResult>;
  fail(key: string): Promise<void>;
  reset(key: string): Promise<void>;
  /** How many failures in a row `key` has now (for the admin card). */
  count(key: string): Promise<number>;
}

type Failures = { count: number; lastAt: number };

export function createFailureCounter({ backOff, clock, keepMs, maxKeys = 100_000 }: {
  backOff: BackOff;
  clock: Clock;
  /** How long a count is kept after its last failure; a person who returns later starts afresh. */
  keepMs: number;
  maxKeys?: number;
}): FailureCounter {
  const counts = new LRUCache<string, Failures>({ max: maxKeys, ttl: keepMs, ttlResolution: 0, perf: clock });
  return {
    async check(key) {
      const f = counts.get(key);
      if (!f || f.count < backOff.after) return { ok: true };
      if (f.count >= backOff.lockAfter) return { ok: false, locked: true };
      const wait = Math.min(backOff.maxWaitMs, backOff.firstWaitMs * 2 ** (f.count - backOff.after));
      const until = f.lastAt + wait;
      const now = clock.now();
      return now >= until ? { ok: true } : { ok: false, retryAfter: secondsUntil(until, now) };
    },
    async fail(key) {
      counts.set(key, { count: (counts.get(key)?.count ?? 0) + 1, lastAt: clock.now() });
    },
    async reset(key) {
      counts.delete(key);
    },
    async count(key) {
      return counts.get(key)?.count ?? 0;
    },
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The limits' settings (config.limits); every one has an environment variable. */
export interface LimitSettings {
  resendCooldownMs: number;
  sendsPerIdentifierPerHour: number;
  sendsPerIdentifierPerDay: number;
  sendsPerIpPerHour: number;
  verifiesPerIpPerHour: number;
  /** SMS to numbers sharing all but their last 3 digits, per hour (SMS pumping). */
  smsPerPrefixPerHour: number;
  smsPerHour: number;
  smsPerDay: number;
  /** Percent of the recent texts to a block of numbers or a country that must be used, or texts to new numbers there pause (sms-pause.ts); 0: no check. */
  smsMinConversionPercent: number;
  failures: BackOff;
}

/** Every limit of the sign-in (R7, SECURITY-PLAN B and E), each a Limiter over one store. */
export function createLimits(clock: Clock, l: LimitSettings) {
  const window = (limit: number, windowMs: number) => createLimiter({ limit, windowMs, clock });
  return {
    sendsPerIp: window(l.sendsPerIpPerHour, HOUR),
    resendCooldown: window(1, l.resendCooldownMs),
    sendsPerIdentifierPerHour: window(l.sendsPerIdentifierPerHour, HOUR),
    sendsPerIdentifierPerDay: window(l.sendsPerIdentifierPerDay, DAY),
    verifiesPerIp: window(l.verifiesPerIpPerHour, HOUR),
    smsPerPrefix: window(l.smsPerPrefixPerHour, HOUR),
    smsPerHour: window(l.smsPerHour, HOUR),
    smsPerDay: window(l.smsPerDay, DAY),
    unknownNotices: window(1, DAY),
    // Kept a month after the last wrong code, so waiting out a lock is no way round it.
    failures: createFailureCounter({ backOff: l.failures, clock, keepMs: 30 * DAY }),
    // Wrong codes per identifier and asker (IP), from the asker's last code request: the tries
    // left that an answer shows count only the asker's own misses (R3). The code's own count of
    // tries, shared by everyone, is what burns it.
    askerMisses: createFailureCounter({ backOff: { after: Infinity, firstWaitMs: 0, maxWaitMs: 0, lockAfter: Infinity }, clock, keepMs: HOUR }),
  };
}

export type Limits = ReturnType<typeof createLimits>;
