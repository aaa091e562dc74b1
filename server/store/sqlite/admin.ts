import { toAuditEntry } from '../rows.ts';
import type Database from 'better-sqlite3';
import type { Clock } from '../../clock.ts';
import type { AdminStore } from '../admin.ts';
import { all } from './database.ts';
import { toContact, toDelivery, toDevice } from '../rows.ts';

/** The admin's queries and the audit log in SQLite. */
export function createSqliteAdmin(db: Database.Database, clock: Clock): AdminStore {
  const q = {
    search: db.prepare(
      `SELECT * FROM contacts WHERE @q = '' OR email LIKE @like OR phone LIKE @like OR name LIKE @like
       ORDER BY created_at DESC, rowid LIMIT @limit OFFSET @offset`,
    ),
    count: db.prepare(`SELECT count(*) FROM contacts WHERE @q = '' OR email LIKE @like OR phone LIKE @like OR name LIKE @like`).pluck(),
    devices: db.prepare('SELECT * FROM devices WHERE contact_id = ? ORDER BY last_seen_at DESC'),
    deliveries: db.prepare(
      `SELECT * FROM deliveries WHERE contact_id = @id OR recipient IN (@email, @phone) ORDER BY created_at DESC LIMIT @limit`,
    ),
    audit: db.prepare('INSERT INTO admin_actions (admin_id, contact_id, action, detail, at) VALUES (?, ?, ?, ?, ?)'),
    activeAdmins: db.prepare(`SELECT count(*) FROM contacts WHERE role = 'admin' AND status = 'active'`).pluck(),
    auditOf: db.prepare(
      `SELECT a.*, c.email AS admin_email FROM admin_actions a LEFT JOIN contacts c ON c.id = a.admin_id
       WHERE a.contact_id = ? ORDER BY a.at DESC, a.id DESC LIMIT ?`,
    ),
  };
  return {
    async search(text, { limit, offset }) {
      const params = { q: text, like: `%${text.replace(/[%_]/g, '')}%`, limit, offset };
      return { contacts: all(q.search, params).map(toContact), total: q.count.get(params) as number };
    },
    async devicesOf(contactId) {
      return all(q.devices, contactId).map(toDevice);
    },
    async deliveriesOf(contact, limit) {
      return all(q.deliveries, { id: contact.id, email: contact.email ?? '', phone: contact.phone ?? '', limit }).map(toDelivery);
    },
    async audit({ adminId, contactId, action, detail = null }) {
      q.audit.run(adminId, contactId, action, detail, clock.now());
    },
    async activeAdmins() {
      return q.activeAdmins.get() as number;
    },
    async auditOf(contactId, limit) {
      return all(q.auditOf, contactId, limit).map(toAuditEntry);
    },
  };
}
