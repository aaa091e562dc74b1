import type Database from 'better-sqlite3';
import type { Clock } from './clock.ts';
import type { Channel } from './identifiers.ts';
import type { Random } from './random.ts';
import type { TokenHasher } from './token-hash.ts';

export type LinkKind = 'link' | 'invitation';

const VALID_MS = 15 * 60_000;

/**
 * Sign-in links an admin sends to a contact's registered address (never shown to the admin):
 * 256 random bits, stored only as a keyed digest (token-hash.ts), valid 15 minutes, used once. Opening one only shows
 * a confirm page; the POST from that page uses it, so a mail scanner's GET cannot.
 *
 * A link proves only the address it went to: it remembers that address, and works only while the
 * contact still has it on that channel. Changing the address cancels the channel's waiting links.
 */
export function createLinks(db: Database.Database, clock: Clock, random: Random, hashes: TokenHasher) {
  const q = {
    insert: db.prepare(
      `INSERT INTO sign_in_links (token_hash, contact_id, channel, kind, address, created_by, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    find: db.prepare('SELECT * FROM sign_in_links WHERE token_hash = ?'),
    use: db.prepare('UPDATE sign_in_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND cancelled_at IS NULL'),
    cancel: db.prepare(
      `UPDATE sign_in_links SET cancelled_at = @now
       WHERE contact_id = @contactId AND channel = @channel AND used_at IS NULL AND cancelled_at IS NULL AND expires_at > @now`,
    ),
  };
  const rowOf = (token: string) =>
    [hashes.digest(token), ...hashes.older(token)].map((hash) => q.find.get(hash) as Record<string, unknown> | undefined).find(Boolean);

  return {
    /** A new link for `address`, the contact's address on `channel` when it is sent. */
    create({ contactId, channel, kind, address, createdBy }: { contactId: string; channel: Channel; kind: LinkKind; address: string; createdBy: string }) {
      const token = random.bytes(32).toString('base64url');
      const now = clock.now();
      q.insert.run(hashes.digest(token), contactId, channel, kind, address, createdBy, now, now + VALID_MS);
      return { token, expiresAt: now + VALID_MS };
    },
    /** What a link is, without using it (the confirm page). */
    peek(token: string) {
      const row = rowOf(token);
      if (!row) return { ok: false as const, reason: 'unknown' as const };
      if (row.used_at !== null) return { ok: false as const, reason: 'used' as const };
      if (row.cancelled_at !== null) return { ok: false as const, reason: 'cancelled' as const };
      if (clock.now() >= (row.expires_at as number)) return { ok: false as const, reason: 'expired' as const };
      // A link from before addresses were kept with links: what it proves is not known.
      if (typeof row.address !== 'string') return { ok: false as const, reason: 'unknown' as const };
      return { ok: true as const, contactId: row.contact_id as string, kind: row.kind as LinkKind, channel: row.channel as Channel, address: row.address };
    },
    /** Uses the link, once: the UPDATE only succeeds for the first caller. */
    redeem(token: string) {
      const seen = this.peek(token);
      if (!seen.ok) return seen;
      return q.use.run(clock.now(), rowOf(token)!.token_hash).changes === 1 ? seen : { ok: false as const, reason: 'used' as const };
    },
    /** The contact's address on `channel` changed: its waiting links and invitations stop working. */
    cancelFor(contactId: string, channel: Channel) {
      return q.cancel.run({ contactId, channel, now: clock.now() }).changes;
    },
  };
}

export type Links = ReturnType<typeof createLinks>;
