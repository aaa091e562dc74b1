import type Database from 'better-sqlite3';
import type { Clock } from '../../clock.ts';
import { uuid, type Random } from '../../random.ts';
import { ContactExists, type Contact, type ContactStore, type RoleSource } from '../contacts.ts';
import { one } from './database.ts';
import { toContact } from '../rows.ts';

/** SQLite's unique-constraint failure on contacts.email or contacts.phone, as the store's own error. */
function duplicates<T>(write: () => T): T {
  try {
    return write();
  } catch (error) {
    const message = (error as { code?: string; message?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' ? (error as Error).message : '';
    if (message.includes('contacts.email')) throw new ContactExists('email');
    if (message.includes('contacts.phone')) throw new ContactExists('phone');
    throw error;
  }
}

/** Contacts in SQLite (better-sqlite3 is synchronous, so each call is atomic). */
export function createSqliteContacts(db: Database.Database, clock: Clock, random: Random): ContactStore {
  const q = {
    byId: db.prepare('SELECT * FROM contacts WHERE id = ?'),
    byEmail: db.prepare('SELECT * FROM contacts WHERE email = ?'),
    byPhone: db.prepare('SELECT * FROM contacts WHERE phone = ?'),
    insert: db.prepare(
      'INSERT INTO contacts (id, email, phone, name, role, role_source, created_at) VALUES (@id, @email, @phone, @name, @role, @roleSource, @createdAt)',
    ),
    setRole: db.prepare('UPDATE contacts SET role = ?, role_source = ? WHERE id = ?'),
    verifiedEmail: db.prepare('UPDATE contacts SET email_verified_at = ? WHERE id = ? AND email = ?'),
    verifiedPhone: db.prepare('UPDATE contacts SET phone_verified_at = ? WHERE id = ? AND phone = ?'),
    update: db.prepare(
      `UPDATE contacts SET email = @email, phone = @phone, name = @name,
         email_verified_at = CASE WHEN email IS @email THEN email_verified_at ELSE NULL END,
         phone_verified_at = CASE WHEN phone IS @phone THEN phone_verified_at ELSE NULL END
       WHERE id = @id`,
    ),
    setStatus: db.prepare('UPDATE contacts SET status = ? WHERE id = ?'),
  };
  const fresh = ({ email = null, phone = null, name = null, role = 'contact' }: Parameters<ContactStore['create']>[0], createdAt: number): Contact => ({
    id: uuid(random), email, phone, name, status: 'active', role, roleSource: role === 'admin' ? 'admin_emails' : null, createdAt, emailVerifiedAt: null, phoneVerifiedAt: null,
  });

  return {
    async findById(id) {
      const r = one(q.byId, id);
      return r && toContact(r);
    },
    async findByIdentifier({ kind, value }) {
      const r = one(kind === 'email' ? q.byEmail : q.byPhone, value);
      return r && toContact(r);
    },
    async create(input) {
      const contact = fresh(input, clock.now());
      duplicates(() => q.insert.run(contact));
      return contact;
    },
    async createMany(inputs) {
      const now = clock.now();
      const made = inputs.map((input) => fresh(input, now));
      duplicates(() => db.transaction(() => made.forEach((contact) => q.insert.run(contact)))());
      return made;
    },
    async markVerified(id, { kind, value }) {
      (kind === 'email' ? q.verifiedEmail : q.verifiedPhone).run(clock.now(), id, value);
    },
    async update(id, { email, phone, name }) {
      duplicates(() => q.update.run({ id, email, phone, name }));
    },
    async setRole(id: string, role: Contact['role'], source?: RoleSource) {
      q.setRole.run(role, role === 'admin' ? source : null, id);
    },
    async setStatus(id, status) {
      q.setStatus.run(status, id);
    },
  };
}
