import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Contact, ContactStore } from '../contacts.ts';
import type { Device, DeviceStore } from '../devices.ts';
import { movesForward, type Delivery, type DeliveryLog, type DeliveryStatus, type OptOut, type OptOutStore } from '../deliveries.ts';
import type { Clock } from '../clock.ts';
import { createOwnerOnly, ownerOnly } from '../owner-only.ts';

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
  `CREATE TABLE deliveries (
     id TEXT PRIMARY KEY,
     contact_id TEXT REFERENCES contacts(id),
     channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
     recipient TEXT NOT NULL,
     destination TEXT NOT NULL,
     provider TEXT,
     provider_message_id TEXT,
     code_number INTEGER NOT NULL,
     status TEXT NOT NULL,
     error_code TEXT,
     error_text TEXT,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE INDEX deliveries_contact ON deliveries(contact_id, created_at);
   CREATE INDEX deliveries_recipient ON deliveries(recipient, created_at);
   CREATE UNIQUE INDEX deliveries_provider ON deliveries(provider, provider_message_id);
   CREATE TABLE opt_outs (
     address TEXT PRIMARY KEY,
     channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
     opted_out INTEGER NOT NULL,
     source TEXT NOT NULL,
     detail TEXT,
     at INTEGER NOT NULL
   );`,
  `CREATE TABLE webhook_events (
     provider TEXT NOT NULL,
     event_id TEXT NOT NULL,
     at INTEGER NOT NULL,
     PRIMARY KEY (provider, event_id)
   );`,
  `ALTER TABLE devices ADD COLUMN session_only INTEGER NOT NULL DEFAULT 0;`,
  `ALTER TABLE deliveries ADD COLUMN reason TEXT;`,
  `CREATE TABLE admin_actions (
     id INTEGER PRIMARY KEY,
     admin_id TEXT NOT NULL REFERENCES contacts(id),
     contact_id TEXT REFERENCES contacts(id),
     action TEXT NOT NULL,
     detail TEXT,
     at INTEGER NOT NULL
   );
   CREATE INDEX admin_actions_contact ON admin_actions(contact_id, at);
   CREATE INDEX contacts_name ON contacts(name);`,
  `CREATE TABLE code_events (
     subject TEXT NOT NULL,
     number INTEGER NOT NULL,
     contact_id TEXT REFERENCES contacts(id),
     channel TEXT NOT NULL,
     destination TEXT NOT NULL,
     reason TEXT,
     issued_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     outcome TEXT,
     outcome_at INTEGER,
     PRIMARY KEY (subject, number, issued_at)
   );
   CREATE INDEX code_events_contact ON code_events(contact_id, issued_at);`,
  `CREATE TABLE sign_in_links (
     token_hash TEXT PRIMARY KEY,
     contact_id TEXT NOT NULL REFERENCES contacts(id),
     channel TEXT NOT NULL,
     kind TEXT NOT NULL,
     created_by TEXT NOT NULL REFERENCES contacts(id),
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     used_at INTEGER
   );`,
  `ALTER TABLE contacts ADD COLUMN email_verified_at INTEGER;
   ALTER TABLE contacts ADD COLUMN phone_verified_at INTEGER;`,
  // Events for the site owner's WEBHOOK_URL, kept until delivered (or given up), for the admin card.
  `CREATE TABLE outgoing_events (
     id TEXT PRIMARY KEY,
     type TEXT NOT NULL,
     contact_id TEXT REFERENCES contacts(id),
     body TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     status TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at INTEGER,
     last_status INTEGER,
     last_error TEXT,
     delivered_at INTEGER
   );
   CREATE INDEX outgoing_events_due ON outgoing_events (status, next_attempt_at);
   CREATE INDEX outgoing_events_contact ON outgoing_events (contact_id, created_at);`,
  // Issue 12 (admin): why a browser was revoked (an admin, or the contact's deactivation); the
  // address a sign-in link went to, and its cancellation when that address changes; where an
  // admin's role came from (ADMIN_EMAILS, or an admin's action), so that only the former follows
  // the variable; and audit rows without an admin, for what the server itself did (a demotion
  // when ADMIN_EMAILS no longer lists someone). Every admin before this came from ADMIN_EMAILS.
  `ALTER TABLE devices ADD COLUMN revoked_reason TEXT;
   ALTER TABLE sign_in_links ADD COLUMN address TEXT;
   ALTER TABLE sign_in_links ADD COLUMN cancelled_at INTEGER;
   CREATE INDEX sign_in_links_contact ON sign_in_links (contact_id);
   ALTER TABLE contacts ADD COLUMN role_source TEXT;
   UPDATE contacts SET role_source = 'admin_emails' WHERE role = 'admin';
   CREATE TABLE admin_actions_new (
     id INTEGER PRIMARY KEY,
     admin_id TEXT REFERENCES contacts(id),
     contact_id TEXT REFERENCES contacts(id),
     action TEXT NOT NULL,
     detail TEXT,
     at INTEGER NOT NULL
   );
   INSERT INTO admin_actions_new SELECT id, admin_id, contact_id, action, detail, at FROM admin_actions;
   DROP TABLE admin_actions;
   ALTER TABLE admin_actions_new RENAME TO admin_actions;
   CREATE INDEX admin_actions_contact ON admin_actions(contact_id, at);`,
  // Issue 13: the hot state, kept here too so a restart or a deploy loses nothing (R10): each
  // identifier's codes (digests only) as one JSON record, each limit's recent hits per key, the
  // failure counts, and the one order all codes are issued in. `expires_at` lets a timer purge
  // what no rule needs any more.
  `CREATE TABLE codes (
     subject TEXT PRIMARY KEY,
     record TEXT NOT NULL,
     expires_at INTEGER NOT NULL
   ) WITHOUT ROWID;
   CREATE INDEX codes_expiry ON codes (expires_at);
   CREATE TABLE limit_hits (
     limiter TEXT NOT NULL,
     key TEXT NOT NULL,
     hits TEXT NOT NULL,
     expires_at INTEGER NOT NULL,
     PRIMARY KEY (limiter, key)
   ) WITHOUT ROWID;
   CREATE INDEX limit_hits_expiry ON limit_hits (expires_at);
   CREATE TABLE failure_counts (
     counter TEXT NOT NULL,
     key TEXT NOT NULL,
     count INTEGER NOT NULL,
     last_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     PRIMARY KEY (counter, key)
   ) WITHOUT ROWID;
   CREATE INDEX failure_counts_expiry ON failure_counts (expires_at);
   CREATE TABLE sequences (
     name TEXT PRIMARY KEY,
     value INTEGER NOT NULL
   ) WITHOUT ROWID;`,
];

/** Opens (creating if needed) the database and brings its schema up to date. */
export function openDatabase(file: string): Database.Database {
  // Contacts' emails and phone numbers are in here: readable by the server's user only. The folder
  // is made so only when this creates it; the file is made 0600 before SQLite opens it, since
  // SQLite gives the -wal and -shm files it creates the database file's mode.
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    createOwnerOnly(file);
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const applied = db.pragma('user_version', { simple: true }) as number;
  db.transaction(() => {
    for (const [i, sql] of migrations.entries()) if (i >= applied) db.exec(sql);
    db.pragma(`user_version = ${migrations.length}`);
  })();
  // Left by an earlier run (a crash keeps them), perhaps with the umask's mode.
  if (file !== ':memory:') for (const suffix of ['-wal', '-shm']) ownerOnly(`${file}${suffix}`);
  return db;
}

type Row = Record<string, unknown>;

export const toContact = (r: Row): Contact => ({
  id: r.id as string,
  email: r.email as string | null,
  phone: r.phone as string | null,
  name: r.name as string | null,
  status: r.status as Contact['status'],
  role: r.role as Contact['role'],
  roleSource: r.role === 'admin' ? ((r.role_source as Contact['roleSource'] | undefined) ?? 'admin_emails') : null,
  createdAt: r.created_at as number,
  emailVerifiedAt: (r.email_verified_at as number | null | undefined) ?? null,
  phoneVerifiedAt: (r.phone_verified_at as number | null | undefined) ?? null,
});

export const toDevice = (r: Row): Device => ({
  id: r.id as string,
  contactId: r.contact_id as string,
  tokenHash: r.token_hash as string,
  userAgent: r.user_agent as string,
  createdAt: r.created_at as number,
  lastSeenAt: r.last_seen_at as number,
  expiresAt: r.expires_at as number,
  signedOutAt: r.signed_out_at as number | null,
  revokedAt: r.revoked_at as number | null,
  revokedReason: (r.revoked_reason as Device['revokedReason'] | undefined) ?? null,
  sessionOnly: r.session_only === 1,
});

/** Contacts and devices in one SQLite file (better-sqlite3: synchronous, so each call is atomic). */
export function createSqliteStores(db: Database.Database, clock: Clock): { contacts: ContactStore; devices: DeviceStore } {
  const q = {
    contactById: db.prepare('SELECT * FROM contacts WHERE id = ?'),
    contactByEmail: db.prepare('SELECT * FROM contacts WHERE email = ?'),
    contactByPhone: db.prepare('SELECT * FROM contacts WHERE phone = ?'),
    insertContact: db.prepare(
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
    insertDevice: db.prepare(
      `INSERT INTO devices (id, contact_id, token_hash, user_agent, created_at, last_seen_at, expires_at, session_only)
       VALUES (@id, @contactId, @tokenHash, @userAgent, @createdAt, @lastSeenAt, @expiresAt, @sessionOnlyFlag)`,
    ),
    deviceByHash: db.prepare(
      `SELECT d.*, c.email, c.phone, c.name, c.status, c.role, c.role_source, c.created_at AS contact_created_at, c.email_verified_at, c.phone_verified_at
       FROM devices d JOIN contacts c ON c.id = d.contact_id WHERE d.token_hash = ?`,
    ),
    touchDevice: db.prepare('UPDATE devices SET last_seen_at = ?, expires_at = ? WHERE id = ?'),
    rehashDevice: db.prepare('UPDATE devices SET token_hash = ? WHERE id = ?'),
    signOutDevice: db.prepare('UPDATE devices SET signed_out_at = ? WHERE id = ? AND signed_out_at IS NULL'),
    revokeDevice: db.prepare('UPDATE devices SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL'),
    revokeAllOf: db.prepare(
      `UPDATE devices SET revoked_at = @at, revoked_reason = @reason
       WHERE contact_id = @contactId AND revoked_at IS NULL AND signed_out_at IS NULL AND expires_at > @at`,
    ),
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
      const contact: Contact = { id: randomUUID(), email, phone, name, status: 'active', role, roleSource: role === 'admin' ? 'admin_emails' : null, createdAt: clock.now(), emailVerifiedAt: null, phoneVerifiedAt: null };
      q.insertContact.run(contact);
      return contact;
    },
    async createMany(inputs) {
      const now = clock.now();
      const made = inputs.map(({ email, phone, name }) => ({ id: randomUUID(), email, phone, name, status: 'active' as const, role: 'contact' as const, roleSource: null, createdAt: now, emailVerifiedAt: null, phoneVerifiedAt: null }));
      db.transaction(() => made.forEach((contact) => q.insertContact.run(contact)))();
      return made;
    },
    async markVerified(id, { kind, value }) {
      (kind === 'email' ? q.verifiedEmail : q.verifiedPhone).run(clock.now(), id, value);
    },
    async update(id, { email, phone, name }) {
      q.update.run({ id, email, phone, name });
    },
    async setRole(id, role, source = 'admin_emails') {
      q.setRole.run(role, role === 'admin' ? source : null, id);
    },
    async setStatus(id, status) {
      q.setStatus.run(status, id);
    },
  };

  const devices: DeviceStore = {
    async create(d) {
      q.insertDevice.run({ ...d, sessionOnlyFlag: d.sessionOnly ? 1 : 0 });
    },
    async findByTokenHash(hash) {
      const r = row(q.deviceByHash, hash);
      return r && { device: toDevice(r), contact: toContact({ ...r, id: r.contact_id, created_at: r.contact_created_at }) };
    },
    async touch(id, lastSeenAt, expiresAt) {
      q.touchDevice.run(lastSeenAt, expiresAt, id);
    },
    async rehash(id, tokenHash) {
      q.rehashDevice.run(tokenHash, id);
    },
    async signOut(id, at) {
      q.signOutDevice.run(at, id);
    },
    async revoke(id, at, reason = 'admin') {
      q.revokeDevice.run(at, reason, id);
    },
    async revokeAllOf(contactId, at, reason) {
      return q.revokeAllOf.run({ contactId, at, reason }).changes;
    },
  };

  return { contacts, devices };
}

export const toDelivery = (r: Row): Delivery => ({
  id: r.id as string,
  contactId: r.contact_id as string | null,
  channel: r.channel as Delivery['channel'],
  recipient: r.recipient as string,
  destination: r.destination as string,
  provider: r.provider as string | null,
  providerMessageId: r.provider_message_id as string | null,
  codeNumber: r.code_number as number,
  reason: r.reason as string | null,
  status: r.status as DeliveryStatus,
  errorCode: r.error_code as string | null,
  errorText: r.error_text as string | null,
  createdAt: r.created_at as number,
  updatedAt: r.updated_at as number,
});

/** The delivery log and the opt-outs, in the same SQLite file. */
export function createSqliteDeliveryStores(
  db: Database.Database,
  clock: Clock,
): { deliveries: DeliveryLog; optOuts: OptOutStore; seen: (provider: string, eventId: string) => Promise<boolean> } {
  const q = {
    insert: db.prepare(
      `INSERT INTO deliveries (id, contact_id, channel, recipient, destination, provider, provider_message_id, code_number, reason, status, error_code, error_text, created_at, updated_at)
       VALUES (@id, @contactId, @channel, @recipient, @destination, @provider, @providerMessageId, @codeNumber, @reason, @status, @errorCode, @errorText, @createdAt, @updatedAt)`,
    ),
    byId: db.prepare('SELECT * FROM deliveries WHERE id = ?'),
    byProviderId: db.prepare('SELECT * FROM deliveries WHERE provider = ? AND provider_message_id = ?'),
    update: db.prepare(
      `UPDATE deliveries SET status = @status, updated_at = @at,
         provider = coalesce(@provider, provider), provider_message_id = coalesce(@providerMessageId, provider_message_id),
         error_code = coalesce(@errorCode, error_code), error_text = coalesce(@errorText, error_text)
       WHERE id = @id`,
    ),
    seen: db.prepare('INSERT OR IGNORE INTO webhook_events (provider, event_id, at) VALUES (?, ?, ?)'),
    fillIds: db.prepare('UPDATE deliveries SET provider = @provider, provider_message_id = @providerMessageId WHERE id = @id'),
    optOut: db.prepare('SELECT * FROM opt_outs WHERE address = ?'),
    setOptOut: db.prepare(
      `INSERT INTO opt_outs (address, channel, opted_out, source, detail, at) VALUES (@address, @channel, @optedOut, @source, @detail, @at)
       ON CONFLICT (address) DO UPDATE SET opted_out = excluded.opted_out, source = excluded.source, detail = excluded.detail, at = excluded.at`,
    ),
  };
  const row = (stmt: Database.Statement, ...args: unknown[]) => stmt.get(...args) as Row | undefined;
  // Read, compare and write in one transaction: two webhooks for one message cannot interleave.
  const advance = db.transaction((id: string, change: Parameters<DeliveryLog['advance']>[1]) => {
    const current = row(q.byId, id);
    if (!current) return false;
    if (!movesForward(current.status as DeliveryStatus, change.status)) {
      // A webhook may have said "delivered" before the send's own answer came back: keep its ids.
      if (change.providerMessageId && !current.provider_message_id) {
        q.fillIds.run({ id, provider: change.provider ?? current.provider, providerMessageId: change.providerMessageId });
      }
      return false;
    }
    q.update.run({ provider: null, providerMessageId: null, errorCode: null, errorText: null, ...change, id });
    return true;
  });

  const deliveries: DeliveryLog = {
    async create(d) {
      q.insert.run(d);
    },
    async findById(id) {
      const r = row(q.byId, id);
      return r && toDelivery(r);
    },
    async findByProviderId(provider, providerMessageId) {
      const r = row(q.byProviderId, provider, providerMessageId);
      return r && toDelivery(r);
    },
    async advance(id, change) {
      return advance(id, change);
    },
  };
  const optOuts: OptOutStore = {
    async get(address) {
      const r = row(q.optOut, address);
      return (
        r && {
          address: r.address as string,
          channel: r.channel as OptOut['channel'],
          optedOut: r.opted_out === 1,
          source: r.source as OptOut['source'],
          detail: r.detail as string | null,
          at: r.at as number,
        }
      );
    },
    async set(o) {
      q.setOptOut.run({ ...o, optedOut: o.optedOut ? 1 : 0 });
    },
  };
  // True the first time an event id is seen: the one time a webhook's change is applied.
  const seen = async (provider: string, eventId: string) => q.seen.run(provider, eventId, clock.now()).changes === 1;
  return { deliveries, optOuts, seen };
}
