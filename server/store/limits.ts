/**
 * A limit's verdict: go ahead; wait `retryAfter` seconds; or, after too many wrong codes in a row,
 * stopped until the person signs in another way (NIST SP 800-63B §3.2.2).
 */
export type LimitResult = { ok: true } | { ok: false; retryAfter: number; locked?: false } | { ok: false; locked: true };

/**
 * A sliding-window limit: at most `limit` hits per key in any `windowMs`. Only its rule: the hits
 * live in a `LimitStore` (SQLite by default), so they outlive the process and no flood of other
 * keys can evict them.
 */
export interface Limiter {
  /** Names the limit in the store; unique among the server's limits. */
  readonly name: string;
  readonly limit: number;
  readonly windowMs: number;
}

/** Where the hits of every limit are kept. Each method is one atomic step of the store. */
export interface LimitStore {
  /**
   * Checks every limit of a request together and counts a hit on each only when all allow it, so
   * a refused request uses up nothing. Answers the longest wait among the refusals (seconds).
   */
  consume(checks: ReadonlyArray<readonly [Limiter, string]>): Promise<LimitResult>;
  /** Whether one more hit is allowed now, without counting it. */
  check(limiter: Limiter, key: string): Promise<LimitResult>;
  /** Counts a hit whatever the limit says (a text that went out counts against the budget). */
  hit(limiter: Limiter, key: string): Promise<void>;
  /** The hits within the window now. */
  count(limiter: Limiter, key: string): Promise<number>;
}

/** How long to wait, in whole seconds (at least one), until `at`. */
export const secondsUntil = (at: number, now: number) => Math.max(1, Math.ceil((at - now) / 1000));

/** The verdict of `limiter` on hits at `times` (ascending), at `now`. */
export function verdict(limiter: Limiter, times: readonly number[], now: number): LimitResult {
  const recent = times.filter((t) => t > now - limiter.windowMs);
  return recent.length < limiter.limit ? { ok: true } : { ok: false, retryAfter: secondsUntil(recent[recent.length - limiter.limit]! + limiter.windowMs, now) };
}

/** The hits worth keeping after one more at `now`: those in the window, at most `limit` of them. */
export const withHit = (limiter: Limiter, times: readonly number[], now: number) =>
  [...times.filter((t) => t > now - limiter.windowMs), now].slice(-Math.min(limiter.limit, 10_000));

/** The longest wait among refusals (a lock outweighs any wait). */
export const longest = (refused: LimitResult[]) => refused.reduce((a, b) => (waitOf(b) > waitOf(a) ? b : a));

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
 * Consecutive failures per key, across codes: a new code does not reset them (NIST SP 800-63B
 * §3.1.3.2), only a success does. After `after` failures each verify waits, the wait doubling from
 * `firstWaitMs` up to `maxWaitMs`; at `lockAfter` the key is locked.
 */
export interface FailureCounter {
  check(key: string): Promise<LimitResult>;
  fail(key: string): Promise<void>;
  reset(key: string): Promise<void>;
  /** How many failures in a row `key` has now (for the admin card). */
  count(key: string): Promise<number>;
}

/** A counter's rule: its name in the store, its back-off, and how long a count is kept after its last failure. */
export interface CounterRule {
  readonly name: string;
  readonly backOff: BackOff;
  readonly keepMs: number;
}

/** Where failure counts are kept (SQLite by default); `counter(rule)` answers one counter over it. */
export interface CounterStore {
  counter(rule: CounterRule): FailureCounter;
}

/** The verdict of a back-off on `count` failures, the last at `lastAt`. */
export function backOffVerdict(backOff: BackOff, count: number, lastAt: number, now: number): LimitResult {
  if (count < backOff.after) return { ok: true };
  if (count >= backOff.lockAfter) return { ok: false, locked: true };
  const until = lastAt + Math.min(backOff.maxWaitMs, backOff.firstWaitMs * 2 ** (count - backOff.after));
  return now >= until ? { ok: true } : { ok: false, retryAfter: secondsUntil(until, now) };
}
