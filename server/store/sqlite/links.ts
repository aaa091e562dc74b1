import type Database from 'better-sqlite3';
import type { LinkStore } from '../links.ts';
import { toLink } from '../rows.ts';
import { one } from './database.ts';

/** Sign-in links and invitations in SQLite. */
export function createSqliteLinks(db: Database.Database): LinkStore {
  const q = {
    insert: db.prepare(
      `INSERT INTO sign_in_links (token_hash, contact_id, channel, kind, address, created_by, created_at, expires_at)
       VALUES (@tokenHash, @contactId, @channel, @kind, @address, @createdBy, @createdAt, @expiresAt)`,
    ),
    find: db.prepare('SELECT * FROM sign_in_links WHERE token_hash = ?'),
    use: db.prepare('UPDATE sign_in_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL'),
  };
  return {
    async create(link) {
      q.insert.run(link);
    },
    async find(tokenHash) {
      const r = one(q.find, tokenHash);
      return r && toLink(r);
    },
    async use(tokenHash, at) {
      return q.use.run(at, tokenHash).changes === 1;
    },
  };
}
