import { RESP_TYPES } from '@redis/client';
import type { Clock } from '../../clock.ts';
import type { CodeStore, SubjectCodes } from '../codes.ts';
// The compact binary record is the SQLite engine's (a few dozen bytes a subject); nothing in it is SQLite's.
import { decodeCodes, encodeCodes } from '../sqlite/hot-records.ts';
import { COMMAND_TIMEOUT_MS, type HotClient } from './client.ts';
import type { KeyNames } from './keys.ts';

/**
 * How many times an update reads again after another instance wrote the same record first.
 * Updates of one key in this process go one after another (below), so only other instances
 * compete: with two instances hammering one record, each round lets at least one through.
 */
export const MAX_TRIES = 32;

/** Thrown when an update lost the race MAX_TRIES times in a row: the request fails rather than write blindly. */
export class CodeContention extends Error {
  constructor() {
    super(`A code record changed under ${MAX_TRIES} updates in a row; gave up rather than overwrite it.`);
  }
}

/**
 * Thrown when an update could not finish within COMMAND_TIMEOUT_MS of being asked, its wait
 * behind earlier updates of the same record included: one slow Redis reply must not make every
 * later update of that record wait a second more each.
 */
export class CodeUpdateTimeout extends Error {
  constructor() {
    super(`A code update did not finish within ${COMMAND_TIMEOUT_MS} ms.`);
  }
}

/**
 * Codes in Redis: a string per identifier holding a version, the expiry by the injected clock,
 * and the record. `update` reads the record and its version in one script, runs `change` here,
 * then writes with a compare-and-set script that only writes if the version is still the one
 * read, bumping it; otherwise it reads again (so `change` may run more than once: it is pure).
 * So 50 verifies of one code across instances see exactly one success, and no update is lost.
 * No WATCH/MULTI: a WATCH on a connection shared by concurrent requests watches for all of them.
 */
export function createRedisCodes(client: HotClient, names: KeyNames, clock: Clock, { codesKeptMs }: { codesKeptMs: number }): CodeStore {
  // The record comes back as bytes; the other replies of this client are numbers and text.
  const binary = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  const inLine = new Map<string, Promise<unknown>>();

  /**
   * Runs `task` after the earlier updates of `key` in this process. At once they would only
   * defeat each other's compare-and-set (n at once cost ~n² round trips); one after another,
   * each writes at its first try unless another instance wrote in between.
   */
  function afterOthers<R>(key: string, task: () => Promise<R>): Promise<R> {
    const run = (inLine.get(key) ?? Promise.resolve()).then(task);
    const settled = run.then(
      () => {},
      () => {},
    );
    inLine.set(key, settled);
    void settled.then(() => {
      if (inLine.get(key) === settled) inLine.delete(key);
    });
    return run;
  }

  /** One read, change and compare-and-set; each command bounded by what is left until `deadline`. */
  async function attempt<R>(key: string, change: (current: SubjectCodes | undefined) => { next: SubjectCodes | undefined; result: R }, deadline: number): Promise<{ done: true; result: R } | { done: false }> {
    const within = () => {
      const left = Math.floor(deadline - performance.now());
      if (left <= 0) throw new CodeUpdateTimeout();
      return { timeout: left };
    };
    const now = clock.now();
    const [version, record] = (await binary.withCommandOptions(within()).codesRead([key], [now])) as [number, Buffer | null];
    const { next, result } = change(record ? decodeCodes(record) : undefined);
    if (!next) return { done: true, result };
    // Kept a while after the last change, so an old code still gets its precise answer.
    const written = await client.withCommandOptions(within()).codesWrite([key, names.expiry], [version, encodeCodes(next), now + codesKeptMs, codesKeptMs]);
    return written === 1 ? { done: true, result } : { done: false };
  }

  return {
    update(subject, change) {
      const key = names.codes(subject);
      const deadline = performance.now() + COMMAND_TIMEOUT_MS;
      return afterOthers(key, async () => {
        for (let tries = 0; tries < MAX_TRIES; tries++) {
          const outcome = await attempt(key, change, deadline);
          if (outcome.done) return outcome.result;
        }
        throw new CodeContention();
      });
    },
    async nextOrder() {
      // Microseconds of the clock, and never the same twice: one order for every instance.
      return (await client.nextOrder([names.order], [clock.now() * 1000])) as number;
    },
  };
}
