import type Database from 'better-sqlite3';
import type { Device, DeviceStore } from '../devices.ts';
import type { NewOutgoingEvent } from '../outgoing-events.ts';
import { one } from './database.ts';
import { insertOutgoingEvent } from './outgoing-events.ts';
import { toDeviceAndContact } from '../rows.ts';
import { sqliteDeviceCache } from './device-cache.ts';

/** Remembered browsers in SQLite. */
export function createSqliteDevices(db: Database.Database): DeviceStore {
  const q = {
    insert: db.prepare(
      `INSERT INTO devices (id, contact_id, token_hash, user_agent, created_at, last_seen_at, expires_at, session_only)
       VALUES (@id, @contactId, @tokenHash, @userAgent, @createdAt, @lastSeenAt, @expiresAt, @sessionOnlyFlag)`,
    ),
    byHash: db.prepare(
      `SELECT d.*, c.email, c.phone, c.name, c.status, c.role, c.role_source, c.created_at AS contact_created_at, c.email_verified_at, c.phone_verified_at
       FROM devices d JOIN contacts c ON c.id = d.contact_id WHERE d.token_hash = ?`,
    ),
    touch: db.prepare('UPDATE devices SET last_seen_at = ?, expires_at = ? WHERE id = ?'),
    rehash: db.prepare('UPDATE devices SET token_hash = ? WHERE id = ?'),
    signOut: db.prepare('UPDATE devices SET signed_out_at = ? WHERE id = ? AND signed_out_at IS NULL'),
    revoke: db.prepare('UPDATE devices SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL'),
    insertEvent: insertOutgoingEvent(db),
    revokeAllOf: db.prepare(
      `UPDATE devices SET revoked_at = @at, revoked_reason = @reason
       WHERE contact_id = @contactId AND revoked_at IS NULL AND signed_out_at IS NULL AND expires_at > @at`,
    ),
  };
  // Every page load asks for its device: answered from memory until something changes it.
  const cache = sqliteDeviceCache(db);
  const create = db.transaction((d: Device, events: readonly NewOutgoingEvent[]) => {
    q.insert.run({ ...d, sessionOnlyFlag: d.sessionOnly ? 1 : 0 });
    for (const event of events) q.insertEvent.run(event);
  });
  return {
    async create(d, events = []) {
      create(d, events);
    },
    async findByTokenHash(hash) {
      return cache.find(hash, () => {
        const r = one(q.byHash, hash);
        return r && toDeviceAndContact(r);
      });
    },
    async touch(id, lastSeenAt, expiresAt) {
      q.touch.run(lastSeenAt, expiresAt, id);
    },
    async rehash(id, tokenHash) {
      q.rehash.run(tokenHash, id);
    },
    async signOut(id, at) {
      q.signOut.run(at, id);
    },
    async revoke(id, at, reason = 'admin') {
      q.revoke.run(at, reason, id);
    },
    async revokeAllOf(contactId, at, reason) {
      return q.revokeAllOf.run({ contactId, at, reason }).changes;
    },
  };
}
