import type pg from 'pg';
import type { LinkStore } from '../links.ts';
import { toLink } from '../rows.ts';

/** Sign-in links and invitations in PostgreSQL. */
export function createPostgresLinks(pool: pg.Pool): LinkStore {
  return {
    async create(l) {
      await pool.query(
        `INSERT INTO sign_in_links (token_hash, contact_id, channel, kind, address, created_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [l.tokenHash, l.contactId, l.channel, l.kind, l.address, l.createdBy, l.createdAt, l.expiresAt],
      );
    },
    async find(tokenHash) {
      const { rows } = await pool.query('SELECT * FROM sign_in_links WHERE token_hash = $1', [tokenHash]);
      const r = rows[0];
      return r && toLink(r);
    },
    // The row lock and the re-check of `used_at IS NULL` after it let only the first of two callers through.
    async use(tokenHash, at) {
      const { rowCount } = await pool.query('UPDATE sign_in_links SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL', [at, tokenHash]);
      return rowCount === 1;
    },
  };
}
