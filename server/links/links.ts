import { DAY, type Clock } from '../clock.ts';
import type { ContactStore } from '../contacts/contacts.ts';
import type { Channel } from '../identifiers.ts';
import type { Random } from '../random.ts';
import type { LinkKind, LinkStore, StoredLink } from '../store/links.ts';
import type { TokenHasher } from '../contacts/token-hash.ts';

export type { LinkKind } from '../store/links.ts';

/** A sign-in link answers a person waiting now; an invitation waits in an inbox (INVITATION_DAYS). */
export const LINK_MINUTES = 15;

/**
 * Sign-in links an admin sends to a contact's registered address (never shown to the admin):
 * 256 random bits, stored only as a keyed digest (contacts/token-hash.ts), valid 15 minutes (an
 * invitation `invitationDays`), used once. Opening one only shows
 * a confirm page; the POST from that page uses it, so a mail scanner's GET cannot.
 *
 * A link proves only the address it went to: it remembers that address, and works only while the
 * contact still has it on that channel, so changing the address, by any means, voids its links.
 */
export function createLinks({ store, contacts, clock, random, hashes, invitationDays }: {
  store: LinkStore;
  invitationDays: number;
  contacts: Pick<ContactStore, 'findById'>;
  clock: Clock;
  random: Random;
  hashes: TokenHasher;
}) {
  async function find(token: string): Promise<StoredLink | undefined> {
    for (const hash of [hashes.digest(token), ...hashes.older(token)]) {
      const link = await store.find(hash);
      if (link) return link;
    }
    return undefined;
  }

  /**
   * Why a stored link works no more, or what it proves and for whom. Read from the contact as it
   * is now, so no change of address can leave a link to the old one working.
   */
  async function judge(link: StoredLink | undefined) {
    if (!link) return { ok: false as const, reason: 'unknown' as const };
    // Used and expired say which kind it was, so the page can say how long that kind works.
    if (link.usedAt !== null) return { ok: false as const, reason: 'used' as const, kind: link.kind };
    if (clock.now() >= link.expiresAt) return { ok: false as const, reason: 'expired' as const, kind: link.kind };
    // A link from before addresses were kept with links: what it proves is not known.
    if (link.address === null) return { ok: false as const, reason: 'unknown' as const };
    const contact = await contacts.findById(link.contactId);
    if (!contact) return { ok: false as const, reason: 'unknown' as const };
    if ((link.channel === 'email' ? contact.email : contact.phone) !== link.address) return { ok: false as const, reason: 'cancelled' as const };
    return { ok: true as const, contact, kind: link.kind, channel: link.channel, address: link.address };
  }

  return {
    /** A new link for `address`, the contact's address on `channel` when it is sent. */
    async create({ contactId, channel, kind, address, createdBy }: { contactId: string; channel: Channel; kind: LinkKind; address: string; createdBy: string }) {
      const token = random.bytes(32).toString('base64url');
      const now = clock.now();
      const expiresAt = now + (kind === 'invitation' ? invitationDays * DAY : LINK_MINUTES * 60_000);
      await store.create({ tokenHash: hashes.digest(token), contactId, channel, kind, address, createdBy, createdAt: now, expiresAt });
      return { token, expiresAt };
    },
    /** What a link is, without using it (the confirm page). */
    async peek(token: string) {
      return judge(await find(token));
    },
    /** Uses the link, once: of several callers at once, only the first gets it. */
    async redeem(token: string) {
      const link = await find(token);
      const seen = await judge(link);
      if (!seen.ok) return seen;
      return (await store.use(link!.tokenHash, clock.now())) ? seen : { ok: false as const, reason: 'used' as const, kind: link!.kind };
    },
  };
}

export type Links = ReturnType<typeof createLinks>;
