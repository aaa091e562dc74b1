import type pg from 'pg';
import type { DeviceStore } from '../devices.ts';
import { toDeviceAndContact } from '../rows.ts';

/** Remembered browsers in PostgreSQL. */
export function createPostgresDevices(pool: pg.Pool): DeviceStore {
  return {
    async create(d, events = []) {
      const device = [d.id, d.contactId, d.tokenHash, d.userAgent, d.createdAt, d.lastSeenAt, d.expiresAt, d.sessionOnly];
      const insert = `INSERT INTO devices (id, contact_id, token_hash, user_agent, created_at, last_seen_at, expires_at, session_only)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;
      if (events.length === 0) return void (await pool.query(insert, device));
      // One statement, so one transaction without a BEGIN/COMMIT round trip: both rows or neither.
      await pool.query(
        `WITH device AS (${insert})
         INSERT INTO outgoing_events (id, type, contact_id, body, created_at, status, next_attempt_at)
         SELECT e.id, e.type, e."contactId", e.body, e."createdAt", 'pending', e."createdAt"
         FROM json_to_recordset($9::json) AS e(id text, type text, "contactId" text, body text, "createdAt" bigint)`,
        [...device, JSON.stringify(events)],
      );
    },
    async findByTokenHash(hash) {
      const { rows } = await pool.query(
        `SELECT d.*, c.email, c.phone, c.name, c.status, c.role, c.role_source, c.created_at AS contact_created_at, c.email_verified_at, c.phone_verified_at
         FROM devices d JOIN contacts c ON c.id = d.contact_id WHERE d.token_hash = $1`,
        [hash],
      );
      return rows[0] && toDeviceAndContact(rows[0]);
    },
    async touch(id, lastSeenAt, expiresAt) {
      await pool.query('UPDATE devices SET last_seen_at = $1, expires_at = $2 WHERE id = $3', [lastSeenAt, expiresAt, id]);
    },
    async rehash(id, tokenHash) {
      await pool.query('UPDATE devices SET token_hash = $1 WHERE id = $2', [tokenHash, id]);
    },
    async signOut(id, at) {
      await pool.query('UPDATE devices SET signed_out_at = $1 WHERE id = $2 AND signed_out_at IS NULL', [at, id]);
    },
    async revoke(id, at, reason = 'admin') {
      await pool.query('UPDATE devices SET revoked_at = $1, revoked_reason = $2 WHERE id = $3 AND revoked_at IS NULL', [at, reason, id]);
    },
    async revokeAllOf(contactId, at, reason) {
      const { rowCount } = await pool.query(
        `UPDATE devices SET revoked_at = $2, revoked_reason = $3
         WHERE contact_id = $1 AND revoked_at IS NULL AND signed_out_at IS NULL AND expires_at > $2`,
        [contactId, at, reason],
      );
      return rowCount ?? 0;
    },
  };
}
