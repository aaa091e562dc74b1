import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createOwnerOnly, ownerOnly } from '../../config/owner-only.ts';
import type { SubjectCodes } from '../codes.ts';
import { encodeCodes, encodeHits, limitTags, rowKey, type LimitEntry } from './hot-records.ts';

/**
 * Schema changes, applied in order at start; `PRAGMA user_version` records how many ran.
 * Append only: a database in the field has run the earlier ones. A function is a change SQL alone
 * cannot make (rows rewritten in another encoding); it runs in the same transaction.
 */
const migrations: Array<string | ((db: Database.Database) => void)> = [
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
  // Issue 13: outgoing events are claimed with a lease, so several processes can send from one
  // queue without sending an event twice; only the lease's holder may settle the event.
  `ALTER TABLE outgoing_events ADD COLUMN lease TEXT;
   ALTER TABLE outgoing_events ADD COLUMN leased_until INTEGER;`,
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
  // The keys that sign identity tokens, sealed under SECRET (they were a file in DATA_DIR).
  `CREATE TABLE identity_keys (
     position INTEGER PRIMARY KEY,
     kid TEXT NOT NULL UNIQUE,
     sealed TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );`,
  // Issue 13: the SMS conversion check's evidence (SECURITY-PLAN 25), kept here so a pause and the
  // texts that led to it outlive a restart and every instance judges the same texts (R10, R11).
  // A text keeps its number only as a keyed digest (to mark its code used), and its block of 1,000
  // numbers, which the check counts by. The indexes cover the check's counts per block and country.
  `CREATE TABLE sms_texts (
     id INTEGER PRIMARY KEY,
     number TEXT NOT NULL,
     block TEXT NOT NULL,
     country TEXT NOT NULL,
     sent_at INTEGER NOT NULL,
     used_at INTEGER,
     expires_at INTEGER NOT NULL
   );
   CREATE INDEX sms_texts_number ON sms_texts (number, sent_at);
   CREATE INDEX sms_texts_block ON sms_texts (block, sent_at, used_at);
   CREATE INDEX sms_texts_country ON sms_texts (country, sent_at, used_at, block);
   CREATE INDEX sms_texts_expiry ON sms_texts (expires_at);
   CREATE TABLE sms_pauses (
     area TEXT NOT NULL CHECK (area IN ('block', 'country')),
     key TEXT NOT NULL,
     name TEXT NOT NULL,
     since INTEGER NOT NULL,
     until INTEGER NOT NULL,
     from_at INTEGER NOT NULL,
     texts INTEGER NOT NULL,
     used INTEGER NOT NULL,
     min_percent INTEGER NOT NULL,
     lifted INTEGER NOT NULL DEFAULT 0,
     expires_at INTEGER NOT NULL,
     PRIMARY KEY (area, key)
   ) WITHOUT ROWID;`,
  // A link works only while the contact still has the address it went to, judged when it is used
  // (links/links.ts): that covers every change of address, so no change marks links any more.
  `ALTER TABLE sign_in_links DROP COLUMN cancelled_at;`,
  // Issue 13, item 3: the hot rows compact (hot-records.ts). A flood of code requests wrote a code
  // record and three or four limit rows per request, ~780 bytes in all, kept a day. Now each key
  // (an identifier, an address) is a 16-byte digest, a code record is binary (digests as bytes,
  // times as 6-byte integers), and every limit's hits on one key share one row. What is kept moves
  // across, so an upgrade, too, loses no code, limit or lock (R10).
  (db) => {
    db.exec(`CREATE TABLE codes_compact (
       key BLOB PRIMARY KEY,
       record BLOB NOT NULL,
       expires_at INTEGER NOT NULL
     ) WITHOUT ROWID;
     CREATE TABLE limit_hits_compact (
       key BLOB PRIMARY KEY,
       hits BLOB NOT NULL,
       expires_at INTEGER NOT NULL
     ) WITHOUT ROWID;`);
    // A page at a time (a statement cannot write while another reads): after a flood, these tables
    // hold a million rows, more than should sit in memory at once.
    const PAGE = 1000;
    const codePage = db.prepare<[string], { subject: string; record: string; expires_at: number }>('SELECT subject, record, expires_at FROM codes WHERE subject > ? ORDER BY subject LIMIT ' + PAGE);
    const putCode = db.prepare('INSERT OR REPLACE INTO codes_compact (key, record, expires_at) VALUES (?, ?, ?)');
    for (let after = '', rows = codePage.all(after); rows.length > 0; after = rows.at(-1)!.subject, rows = codePage.all(after)) {
      for (const row of rows) putCode.run(rowKey(row.subject), encodeCodes(JSON.parse(row.record) as SubjectCodes), row.expires_at);
    }
    // Ordered by key, so each key's limits come together and go into its one row.
    const hitPage = db.prepare<[string, string], { limiter: string; key: string; hits: string; expires_at: number }>(
      'SELECT limiter, key, hits, expires_at FROM limit_hits WHERE (key, limiter) > (?, ?) ORDER BY key, limiter LIMIT ' + PAGE,
    );
    const putHits = db.prepare('INSERT OR REPLACE INTO limit_hits_compact (key, hits, expires_at) VALUES (?, ?, ?)');
    const tagOf = limitTags();
    let key: string | undefined;
    let entries = new Map<number, LimitEntry>();
    const flush = () => {
      if (key !== undefined) putHits.run(rowKey(key), encodeHits(entries), Math.max(...[...entries.values()].map((e) => e.expiresAt)));
      entries = new Map();
    };
    for (let rows = hitPage.all('', ''); rows.length > 0; rows = hitPage.all(rows.at(-1)!.key, rows.at(-1)!.limiter)) {
      for (const row of rows) {
        if (row.key !== key) flush();
        key = row.key;
        entries.set(tagOf(row.limiter), { expiresAt: row.expires_at, times: JSON.parse(row.hits) as number[] });
      }
    }
    flush();
    db.exec(`DROP TABLE codes;
     DROP TABLE limit_hits;
     ALTER TABLE codes_compact RENAME TO codes;
     ALTER TABLE limit_hits_compact RENAME TO limit_hits;
     CREATE INDEX codes_expiry ON codes (expires_at);
     CREATE INDEX limit_hits_expiry ON limit_hits (expires_at);`);
  },
  // Issue 15: code requests that sent nothing, for the admin (store/sign-in-attempts.ts). One row
  // per address, UTC day and kind of block, counting its tries: a flood counts up, it does not
  // grow the table. The address only as its keyed digest; kept 30 days (expires_at, the purge).
  `CREATE TABLE sign_in_attempts (
     address_key TEXT NOT NULL,
     day INTEGER NOT NULL,
     channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
     block TEXT NOT NULL,
     detail TEXT NOT NULL DEFAULT '',
     contact_id TEXT,
     tries INTEGER NOT NULL,
     first_at INTEGER NOT NULL,
     last_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     PRIMARY KEY (address_key, day, channel, block, detail)
   ) WITHOUT ROWID;
   CREATE INDEX sign_in_attempts_contact ON sign_in_attempts (contact_id, last_at);
   CREATE INDEX sign_in_attempts_expiry ON sign_in_attempts (expires_at);`,
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
    for (const [i, change] of migrations.entries()) {
      if (i < applied) continue;
      if (typeof change === 'string') db.exec(change);
      else change(db);
    }
    db.pragma(`user_version = ${migrations.length}`);
  })();
  // Left by an earlier run (a crash keeps them), perhaps with the umask's mode.
  if (file !== ':memory:') for (const suffix of ['-wal', '-shm']) ownerOnly(`${file}${suffix}`);
  return db;
}

/** Rows deleted per statement by the purge: a few milliseconds' work, then other requests run. */
export const PURGE_BATCH = 500;

/**
 * Runs each purge statement (a DELETE of at most PURGE_BATCH rows expired at `now`) until it
 * deletes fewer, letting requests waiting on the database run between batches: a purge after a
 * flood must never hold the database, and every sign-in waiting on it, for long. Answers how many
 * rows went.
 */
export async function purgeInBatches(statements: Database.Statement[], now: number): Promise<number> {
  let deleted = 0;
  for (const statement of statements) {
    for (;;) {
      const { changes } = statement.run(now);
      deleted += changes;
      if (changes < PURGE_BATCH) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return deleted;
}

/** A row as better-sqlite3 reads it. */
export type Row = Record<string, unknown>;

/** The one row a statement reads, if any. */
export const one = (stmt: Database.Statement, ...args: unknown[]) => stmt.get(...args) as Row | undefined;

/** Every row a statement reads. */
export const all = (stmt: Database.Statement, ...args: unknown[]) => stmt.all(...args) as Row[];
