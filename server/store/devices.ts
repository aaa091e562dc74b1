import type { Contact } from './contacts.ts';
import type { NewOutgoingEvent } from './outgoing-events.ts';

/** One remembered browser (R5). The token itself is only ever in the browser's cookie. */
export interface Device {
  id: string;
  contactId: string;
  tokenHash: string;
  userAgent: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  signedOutAt: number | null;
  revokedAt: number | null;
  /** Why an admin revoked it: one browser or all of them ('admin'), or the contact's deactivation. */
  revokedReason: RevokedReason | null;
  /** "Don't remember this browser": the cookie lasts the browser session, the device at most a day. */
  sessionOnly: boolean;
}

export type RevokedReason = 'admin' | 'deactivated';

/** Remembered browsers. Signing out and revoking only ever happen once: the first time is kept. */
export interface DeviceStore {
  /**
   * `events` (the sign-in's contact.signed_in) are kept with the device, in one transaction: a
   * process killed after a sign-in was stored cannot lose the event that tells the site about it.
   */
  create(device: Device, events?: readonly NewOutgoingEvent[]): Promise<void>;
  /** The device with this token hash and its contact, in one lookup: the hot path of every page load. */
  findByTokenHash(tokenHash: string): Promise<{ device: Device; contact: Contact } | undefined>;
  touch(id: string, lastSeenAt: number, expiresAt: number): Promise<void>;
  /** Stores the device's token under a new digest (after a SECRET rotation). */
  rehash(id: string, tokenHash: string): Promise<void>;
  signOut(id: string, at: number): Promise<void>;
  revoke(id: string, at: number, reason?: RevokedReason): Promise<void>;
  /** Revokes every browser of the contact still signed in at `at`; answers how many. */
  revokeAllOf(contactId: string, at: number, reason: RevokedReason): Promise<number>;
}
