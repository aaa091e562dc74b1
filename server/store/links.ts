import type { Channel } from '../identifiers.ts';

export type LinkKind = 'link' | 'invitation';

/** A sign-in link or invitation as stored: the token only as its keyed digest. */
export interface StoredLink {
  tokenHash: string;
  contactId: string;
  channel: Channel;
  kind: LinkKind;
  /** The address it went to; null for links from before addresses were kept with them. */
  address: string | null;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

/** Sign-in links and invitations. */
export interface LinkStore {
  create(link: Omit<StoredLink, 'usedAt'>): Promise<void>;
  find(tokenHash: string): Promise<StoredLink | undefined>;
  /** Marks it used at `at` if it is not used yet; only the first of several callers gets true. */
  use(tokenHash: string, at: number): Promise<boolean>;
}
