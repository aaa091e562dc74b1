import type Database from 'better-sqlite3';
import type { Clock } from '../clock.ts';
import type { Contact } from '../contacts.ts';
import type { Delivery } from '../deliveries.ts';
import type { Device } from '../devices.ts';

/** What the admin's contact list and card read, beyond the sign-in stores. */
export interface AdminStore {
  search(q: string, page: { limit: number; offset: number }): Promise<{ contacts: Contact[]; total: number }>;
  devicesOf(contactId: string): Promise<Device[]>;
  /** Deliveries to the contact, including those sent before they were a contact (by address). */
  deliveriesOf(contact: Contact, limit: number): Promise<Delivery[]>;
  /** `adminId` null: the server did it itself (ADMIN_EMAILS no longer listing an admin). */
  audit(entry: { adminId: string | null; contactId: string | null; action: string; detail?: string | null }): Promise<void>;
  auditOf(contactId: string, limit: number): Promise<Array<{ adminId: string | null; adminEmail: string | null; action: string; detail: string | null; at: number }>>;
  /** How many active contacts are admins. */
  activeAdmins(): Promise<number>;
}

type Row = Record<string, unknown>;

export function createSqliteAdminStore(db: Database.Database, clock: Clock, map: { contact: (r: Row) => Contact; device: (r: Row) => Device; delivery: (r: Row) => Delivery }): AdminStore {
  const q = {
    search: db.prepare(
      `SELECT * FROM contacts WHERE @q = '' OR email LIKE @like OR phone LIKE @like OR name LIKE @like
       ORDER BY created_at DESC LIMIT @limit OFFSET @offset`,
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
      return { contacts: (q.search.all(params) as Row[]).map(map.contact), total: q.count.get(params) as number };
    },
    async devicesOf(contactId) {
      return (q.devices.all(contactId) as Row[]).map(map.device);
    },
    async deliveriesOf(contact, limit) {
      return (q.deliveries.all({ id: contact.id, email: contact.email ?? '', phone: contact.phone ?? '', limit }) as Row[]).map(map.delivery);
    },
    async audit({ adminId, contactId, action, detail = null }) {
      q.audit.run(adminId, contactId, action, detail, clock.now());
    },
    async activeAdmins() {
      return q.activeAdmins.get() as number;
    },
    async auditOf(contactId, limit) {
      return (q.auditOf.all(contactId, limit) as Row[]).map((r) => ({
        adminId: r.admin_id as string | null,
        adminEmail: r.admin_email as string | null,
        action: r.action as string,
        detail: r.detail as string | null,
        at: r.at as number,
      }));
    },
  };
}
