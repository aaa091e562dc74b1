import type { OptOut, OptOutStore } from './deliveries.ts';

/**
 * Records an opt-out or opt-in unless it changes nothing or is older than what is known, so a
 * webhook replayed ten times, or a late one, never flips the state back (R4: never stale).
 * A STOP reply is lifted only by START (or UNSTOP/YES) from the same number.
 * Answers whether the state changed.
 */
export async function recordOptOut(store: OptOutStore, next: OptOut): Promise<boolean> {
  const current = await store.get(next.address);
  if (current) {
    if (next.at < current.at) return false;
    if (current.optedOut === next.optedOut && current.source === next.source) return false;
    if (current.optedOut && current.source === 'stop_reply' && !next.optedOut && next.source !== 'start_reply') return false;
  }
  await store.set(next);
  return true;
}
