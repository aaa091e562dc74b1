import type pg from 'pg';
import type { Clock } from '../../clock.ts';
import { uuid, type Random } from '../../random.ts';
import { ContactExists, type Contact, type ContactStore, type RoleSource } from '../contacts.ts';
import { toContact } from '../rows.ts';
import { transaction } from './database.ts';

/** PostgreSQL's unique violation on contacts' email or phone, as the store's own error. */
async function duplicates<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code === '23505' && constraint === 'contacts_email_key') throw new ContactExists('email');
    if (code === '23505' && constraint === 'contacts_phone_key') throw new ContactExists('phone');
    throw error;
  }
}

const INSERT = `INSERT INTO contacts (id, email, phone, name, role, role_source, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`;
const values = (c: Contact) => [c.id, c.email, c.phone, c.name, c.role, c.roleSource, c.createdAt];

/** Contacts in PostgreSQL; the unique indexes on email and phone refuse a duplicate, whoever races. */
export function createPostgresContacts(pool: pg.Pool, clock: Clock, random: Random): ContactStore {
  const one = async (sql: string, params: unknown[]) => {
    const { rows } = await pool.query(sql, params);
    return rows[0] ? toContact(rows[0]) : undefined;
  };
  const fresh = ({ email = null, phone = null, name = null, role = 'contact' }: Parameters<ContactStore['create']>[0], createdAt: number): Contact => ({
    id: uuid(random), email, phone, name, status: 'active', role, roleSource: role === 'admin' ? 'admin_emails' : null, createdAt, emailVerifiedAt: null, phoneVerifiedAt: null,
  });

  return {
    findById: (id) => one('SELECT * FROM contacts WHERE id = $1', [id]),
    findByIdentifier: ({ kind, value }) => one(`SELECT * FROM contacts WHERE ${kind === 'email' ? 'email' : 'phone'} = $1`, [value]),
    async create(input) {
      const contact = fresh(input, clock.now());
      await duplicates(() => pool.query(INSERT, values(contact)));
      return contact;
    },
    async createMany(inputs) {
      const now = clock.now();
      const made = inputs.map((input) => fresh(input, now));
      // One transaction, inserted in order: their `seq` keeps the order they were made in.
      await duplicates(() => transaction(pool, async (client) => {
        for (const contact of made) await client.query(INSERT, values(contact));
      }));
      return made;
    },
    async markVerified(id, { kind, value }) {
      const column = kind === 'email' ? 'email' : 'phone';
      await pool.query(`UPDATE contacts SET ${column}_verified_at = $1 WHERE id = $2 AND ${column} = $3`, [clock.now(), id, value]);
    },
    async update(id, { email, phone, name }) {
      await duplicates(() =>
        pool.query(
          `UPDATE contacts SET email = $2, phone = $3, name = $4,
             email_verified_at = CASE WHEN email IS NOT DISTINCT FROM $2 THEN email_verified_at END,
             phone_verified_at = CASE WHEN phone IS NOT DISTINCT FROM $3 THEN phone_verified_at END
           WHERE id = $1`,
          [id, email, phone, name],
        ),
      );
    },
    async setRole(id: string, role: Contact['role'], source?: RoleSource) {
      await pool.query('UPDATE contacts SET role = $1, role_source = $2 WHERE id = $3', [role, role === 'admin' ? source : null, id]);
    },
    async setStatus(id, status) {
      await pool.query('UPDATE contacts SET status = $1 WHERE id = $2', [status, id]);
    },
  };
}
