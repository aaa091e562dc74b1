import type { OptOut, OptOutSource, OptOutStore } from '../store/deliveries.ts';
import type { Lift } from '../../api/admin.ts';

export type { Lift } from '../../api/admin.ts';

/**
 * Records an opt-out or opt-in unless it changes nothing or is older than what is known, so a
 * webhook replayed ten times, or a late one, never flips the state back (R4: never stale).
 * A STOP reply is lifted only by START (or UNSTOP/YES) from the same number, and nothing else
 * replaces it meanwhile: an admin opt-out on top would otherwise let an admin lift a STOP.
 * Answers whether the state changed.
 */
export async function recordOptOut(store: OptOutStore, next: OptOut): Promise<boolean> {
  const current = await store.get(next.address);
  if (current) {
    if (next.at < current.at) return false;
    if (current.optedOut === next.optedOut && current.source === next.source) return false;
    if (current.optedOut && current.source === 'stop_reply' && next.source !== 'start_reply') return false;
  }
  await store.set(next);
  return true;
}

/**
 * Who may lift an opt-out (R4, the card): a STOP or an unsubscribe only the contact; a bounce,
 * spam complaint or provider suppression an admin, after confirming the address with the contact;
 * an admin's own opt-out any admin.
 */
export const liftOf: Record<OptOutSource, Lift> = {
  stop_reply: 'contact_only',
  unsubscribe: 'contact_only',
  spam_complaint: 'after_confirming',
  bounce: 'after_confirming',
  provider_suppressed: 'after_confirming',
  admin: 'admin',
};

/** Whether `source` is one of the opt-out sources (not an opt-in such as start_reply). */
export const isOptOutSource = (source: string): source is OptOutSource => Object.hasOwn(liftOf, source);
