/** The time, injected so tests can move it instead of sleeping. Milliseconds since the epoch. */
export interface Clock {
  now(): number;
}

/** A time as answers, events and the admin card carry it: ISO 8601 in UTC; null (it never happened) stays null. */
export function iso(ms: number): string;
export function iso(ms: number | null): string | null;
export function iso(ms: number | null) {
  return ms === null ? null : new Date(ms).toISOString();
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to; for tests and benchmarks. */
export function manualClock(start = Date.UTC(2026, 10, 22, 14, 0, 0)) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}
