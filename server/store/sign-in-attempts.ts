import type { AttemptBlock } from '../../api/admin.ts';
import type { Channel } from '../identifiers.ts';

export type { AttemptBlock };

/** One code request that sent nothing, as it is recorded. */
export interface BlockedAttempt {
  /** The typed address's keyed digest (HMAC under SECRET): found again only from the full address. */
  addressKey: string;
  /** The contact the address belongs to; null for an address that is no contact. */
  contactId: string | null;
  channel: Channel;
  block: AttemptBlock;
  /** What blocked it, more precisely: the opt-out's source, the limit's name; null when the block says it all. */
  detail: string | null;
  at: number;
  /** When the purge may delete it (30 days on). */
  keepUntil: number;
}

/**
 * The attempts of one address on one UTC day that were blocked alike (channel, block, detail),
 * counted together: a flood of tries is one record that counts up, not a record per try.
 */
export interface AttemptTally {
  addressKey: string;
  contactId: string | null;
  channel: Channel;
  block: AttemptBlock;
  detail: string | null;
  /** The start of the UTC day (epoch ms). */
  day: number;
  tries: number;
  firstAt: number;
  lastAt: number;
}

/**
 * Code requests that went nowhere (an opt-out, a deactivation, a limit, an address that is no
 * contact), kept for the admin's card and search: the commonest support case, "I tried and got
 * nothing", then leaves a trace. Never the address itself: only its keyed digest.
 */
export interface SignInAttemptLog {
  /** Counts one blocked try into its day's tally. */
  blocked(attempt: BlockedAttempt): Promise<void>;
  /**
   * The contact's tallies since `since`, newest first: those recorded for the contact, and those
   * of its addresses (`addressKeys`) from before it was a contact.
   */
  ofContact(contactId: string, addressKeys: string[], since: number, limit?: number): Promise<AttemptTally[]>;
  /** The tallies of one address (its digest) since `since`, newest first. */
  ofAddress(addressKey: string, since: number, limit?: number): Promise<AttemptTally[]>;
}

/** The UTC day an attempt at `at` is counted in. */
export const dayOf = (at: number) => at - (at % 86_400_000);
