import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.ts';
import type { CodeStore, SubjectCodes } from '../codes.ts';

/**
 * Code records in process memory, bounded in count (`max`) and age (`ttl`, refreshed on every
 * change). Updates are synchronous inside, so each one is atomic in a single Node process.
 */
export function createLruCodeStore({ max, ttlMs, clock }: { max: number; ttlMs: number; clock: Clock }): CodeStore {
  // ttlResolution 0: ask the clock every time, so an injected clock is obeyed at once.
  const cache = new LRUCache<string, SubjectCodes>({ max, ttl: ttlMs, ttlResolution: 0, perf: clock });
  return {
    async update(key, change) {
      const { next, result } = change(cache.get(key));
      if (next) cache.set(key, next);
      return result;
    },
  };
}
