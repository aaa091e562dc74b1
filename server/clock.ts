/** The time, injected so tests can move it instead of sleeping. Milliseconds since the epoch. */
export interface Clock {
  now(): number;
}

/** Milliseconds in an hour and in a day: the windows of limits, keeping times, pauses. */
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** Waits `ms` on a real timer: the default wherever a test injects a wait that does not. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The time of day in UTC as messages and log lines write it: "14:05". */
export const utcTime = (ms: number) => new Date(ms).toISOString().slice(11, 16);

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
