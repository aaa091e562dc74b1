import { toAuditEntry } from '../rows.ts';
import type pg from 'pg';
import type { Clock } from '../../clock.ts';
import type { AdminStore } from '../admin.ts';
import { toContact, toDelivery, toDevice } from '../rows.ts';

// Any case, as SQLite's LIKE; ESCAPE '' makes a backslash in the text an ordinary character.
const MATCHES = `($1 = '' OR email ILIKE $2 ESCAPE '' OR phone ILIKE $2 ESCAPE '' OR name ILIKE $2 ESCAPE '')`;

/** The admin's queries and the audit log in PostgreSQL. */
export function createPostgresAdmin(pool: pg.Pool, clock: Clock): AdminStore {
  return {
    async search(text, { limit, offset }) {
      const params = [text, `%${text.replace(/[%_]/g, '')}%`];
      const [page, count] = await Promise.all([
        pool.query(`SELECT * FROM contacts WHERE ${MATCHES} ORDER BY created_at DESC, seq LIMIT $3 OFFSET $4`, [...params, limit, offset]),
        pool.query<{ total: number }>(`SELECT count(*) AS total FROM contacts WHERE ${MATCHES}`, params),
      ]);
      return { contacts: page.rows.map(toContact), total: count.rows[0]!.total };
    },
    async devicesOf(contactId) {
      const { rows } = await pool.query('SELECT * FROM devices WHERE contact_id = $1 ORDER BY last_seen_at DESC', [contactId]);
      return rows.map(toDevice);
    },
    async deliveriesOf(contact, limit) {
      const { rows } = await pool.query('SELECT * FROM deliveries WHERE contact_id = $1 OR recipient IN ($2, $3) ORDER BY created_at DESC LIMIT $4', [
        contact.id, contact.email ?? '', contact.phone ?? '', limit,
      ]);
      return rows.map(toDelivery);
    },
    async audit({ adminId, contactId, action, detail = null }) {
      await pool.query('INSERT INTO admin_actions (admin_id, contact_id, action, detail, at) VALUES ($1, $2, $3, $4, $5)', [adminId, contactId, action, detail, clock.now()]);
    },
    async activeAdmins() {
      const { rows } = await pool.query<{ n: number }>(`SELECT count(*) AS n FROM contacts WHERE role = 'admin' AND status = 'active'`);
      return rows[0]!.n;
    },
    async auditOf(contactId, limit) {
      const { rows } = await pool.query(
        `SELECT a.*, c.email AS admin_email FROM admin_actions a LEFT JOIN contacts c ON c.id = a.admin_id
         WHERE a.contact_id = $1 ORDER BY a.at DESC, a.id DESC LIMIT $2`,
        [contactId, limit],
      );
      return rows.map(toAuditEntry);
    },
  };
}
