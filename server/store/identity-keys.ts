/**
 * A signing key as stored: its private half sealed (encrypted under a key derived from SECRET),
 * so a copy of the database alone cannot sign identity tokens.
 */
export interface SealedKey {
  kid: string;
  sealed: string;
  createdAt: number;
}

/**
 * The keys that sign identity tokens, kept where every instance reads them, so `npm run
 * rotate-keys` reaches all of them. Newest first: the first signs, the rest are still published.
 */
export interface IdentityKeyStore {
  /** Newest first. */
  list(): Promise<SealedKey[]>;
  /**
   * Puts `key` in front and keeps the newest `keep`. With `onlyIfNone`, adds nothing when a key
   * is already there, so instances starting at once on an empty database agree on one first key.
   */
  add(key: SealedKey, options: { keep: number; onlyIfNone?: boolean }): Promise<void>;
  /** Replaces the sealed text of the keys named (after SECRET changed), keeping their order. */
  reseal(keys: Array<Pick<SealedKey, 'kid' | 'sealed'>>): Promise<void>;
}
