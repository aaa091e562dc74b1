import type { Channel } from '../identifiers.ts';

/** The code waiting to be entered. Only its keyed digest is kept, never the digits. */
export interface ActiveCode {
  number: number;
  digest: string;
  channel: Channel;
  sentAt: number;
  /**
   * When it was issued among all codes of this server, finer than `sentAt`: of two codes sent in
   * the same millisecond to a contact's email and phone, the later one is the newest (R1).
   */
  order?: number;
  expiresAt: number;
  attempts: number;
  /** Why the widget said a new code was needed (R6), for the admin card: "cookies_cleared". */
  reason?: string | undefined;
  /**
   * A keyed hash of the address the code went to (absent for a decoy): a code proves only that
   * address, even when the person typed another identifier of theirs.
   */
  sentTo?: string | undefined;
  /**
   * Set when a code to another identifier of the same contact replaced this one (R1): the digest
   * is then a decoy's, and this says which code is the newest, for a person who types the old one.
   */
  supersededBy?: { number: number; sentAt: number };
}

/**
 * What became of an earlier code; kept (hashed) so an old code gets a precise answer, and so a
 * superseded code can come back when its successor could not be delivered.
 */
export interface Tombstone extends Omit<ActiveCode, 'supersededBy'> {
  fate: 'superseded' | 'expired' | 'used' | 'burned' | 'undelivered';
}

/** Everything known about the codes sent for one identifier (an email address or a phone number). */
export interface SubjectCodes {
  lastNumber: number;
  active: ActiveCode | null;
  tombstones: Tombstone[];
}

/**
 * Where code records live (SQLite by default; PostgreSQL or Redis when scaled out). `update` runs
 * the change atomically per key, so 50 parallel verifies of one code see exactly one success.
 */
export interface CodeStore {
  /** `next: undefined` leaves the store as it was (nothing is written for a subject with no codes). */
  update<R>(key: string, change: (current: SubjectCodes | undefined) => { next: SubjectCodes | undefined; result: R }): Promise<R>;
  /**
   * The order of a new code among every code issued, by any instance: never the same twice, and
   * later for a later code (R1 across a contact's email and phone).
   */
  nextOrder(): Promise<number>;
}
