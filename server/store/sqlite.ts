import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Contact, ContactStore } from '../contacts.ts';
import type { Device, DeviceStore } from '../devices.ts';
import type { Clock } from '../clock.ts';

/**
 * Schema changes, applied in order at start; `PRAGMA user_version` records how many ran.
 * Append only: a database in the field has run the earlier ones.
 */
const migrations = [
  `CREATE TABLE contacts (
     id TEXT PRIMARY KEY,
     email TEXT UNIQUE,
     phone TEXT UNIQUE,
     name TEXT,
     status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deactivated')),
     role TEXT NOT NULL DEFAULT 'contact' CHECK (role IN ('contact', 'admin')),
     created_at INTEGER NOT NULL
   );
   CREATE TABLE devices (
     id TEXT PRIMARY KEY,
     contact_id TEXT NOT NULL REFERENCES contacts(id),
     token_hash TEXT NOT NULL UNIQUE,
     user_agent TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     last_seen_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     signed_out_at INTEGER,
     revoked_at INTEGER
   );
   CREATE INDEX devices_contact ON devices(contact_id);`,
];

/** Opens (creating if needed) the database and brings its schema up to date. */
export function openDatabase(file: string) {
  // Contacts' emails and phone numbers are in here: readable by the server's user only.
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const applied = db.pragma('user_version', { simple: true }) as number;
  db.transaction(() => {
    for (const [i, sql] of migrations.entries()) if (i >= applied) db.exec(sql);
    db.pragma(`user_version = ${migrations.length}`);
  })();
  return db;
}

type Row = Record<string, unknown>;

const toContact = (r: Row): Contact => ({
  id: r.id as string,
  email: r.email as string | null,
  phone: r.phone as string | null,
  name: r.name as string | null,
  status: r.status as Contact['status'],
  role: r.role as Contact['role'],
  createdAt: r.created_at as number,
});

const toDevice = (r: Row): Device => ({
  id: r.id as string,
  contactId: r.contact_id as string,
  tokenHash: r.token_hash as string,
  userAgent: r.user_agent as string,
  createdAt: r.created_at as number,
  lastSeenAt: r.last_seen_at as number,
  expiresAt: r.expires_at as number,
  signedOutAt: r.signed_out_at as number | null,
  revokedAt: r.revoked_at as number | null,
});

/** Contacts and devices in one SQLite file (better-sqlite3: synchronous, so each call is atomic). */
export function createSqliteStores(db: Database.Database, clock: Clock): { contacts: ContactStore; devices: DeviceStore } {
  const q = {
    contactById: db.prepare('SELECT * FROM contacts WHERE id = ?'),
    contactByEmail: db.prepare('SELECT * FROM contacts WHERE email = ?'),
    contactByPhone: db.prepare('SELECT * FROM contacts WHERE phone = ?'),
    insertContact: db.prepare(
      'INSERT INTO contacts (id, email, phone, name, role, created_at) VALUES (@id, @email, @phone, @name, @role, @createdAt)',
    ),
    setRole: db.prepare('UPDATE contacts SET role = ? WHERE id = ?'),
    setStatus: db.prepare('UPDATE contacts SET status = ? WHERE id = ?'),
    insertDevice: db.prepare(
      `INSERT INTO devices (id, contact_id, token_hash, user_agent, created_at, last_seen_at, expires_at)
       VALUES (@id, @contactId, @tokenHash, @userAgent, @createdAt, @lastSeenAt, @expiresAt)`,
    ),
    deviceByHash: db.prepare(
      `SELECT d.*, c.email, c.phone, c.name, c.status, c.role, c.created_at AS contact_created_at
       FROM devices d JOIN contacts c ON c.id = d.contact_id WHERE d.token_hash = ?`,
    ),
    touchDevice: db.prepare('UPDATE devices SET last_seen_at = ?, expires_at = ? WHERE id = ?'),
    signOutDevice: db.prepare('UPDATE devices SET signed_out_at = ? WHERE id = ? AND signed_out_at IS NULL'),
    revokeDevice: db.prepare('UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
  };
  const row = (stmt: Database.Statement, ...args: unknown[]) => stmt.get(...args) as Row | undefined;

  const contacts: ContactStore = {
    async findById(id) {
      const r = row(q.contactById, id);
      return r && toContact(r);
    },
    async findByIdentifier({ kind, value }) {
      const r = row(kind === 'email' ? q.contactByEmail : q.contactByPhone, value);
      return r && toContact(r);
    },
    async create({ email = null, phone = null, name = null, role = 'contact' }) {
      const contact: Contact = { id: randomUUID(), email, phone, name, status: 'active', role, createdAt: clock.now() };
      q.insertContact.run(contact);
      return contact;
    },
    async setRole(id, role) {
      q.setRole.run(role, id);
    },
    async setStatus(id, status) {
      q.setStatus.run(status, id);
    },
  };

  const devices: DeviceStore = {
    async create(d) {
      q.insertDevice.run(d);
    },
    async findByTokenHash(hash) {
      const r = row(q.deviceByHash, hash);
      return r && { device: toDevice(r), contact: toContact({ ...r, id: r.contact_id, created_at: r.contact_created_at }) };
    },
    async touch(id, lastSeenAt, expiresAt) {
      q.touchDevice.run(lastSeenAt, expiresAt, id);
    },
    async signOut(id, at) {
      q.signOutDevice.run(at, id);
    },
    async revoke(id, at) {
      q.revokeDevice.run(at, id);
    },
  };

  return { contacts, devices };
}
