import type Database from 'better-sqlite3';
import type { Clock } from '../../clock.ts';
import type { Random } from '../../random.ts';
import type { OutgoingEventStore } from '../outgoing-events.ts';
import { all } from './database.ts';
import { toOutgoingEvent as toEvent } from '../rows.ts';

/** The statement that keeps a new event (NewOutgoingEvent), also run by a store that keeps one with its change. */
export const insertOutgoingEvent = (db: Database.Database): Database.Statement =>
  db.prepare(
    `INSERT INTO outgoing_events (id, type, contact_id, body, created_at, status, next_attempt_at)
     VALUES (@id, @type, @contactId, @body, @createdAt, 'pending', @createdAt)`,
  );

/**
 * Outgoing events in SQLite. A claim reads and leases the due rows in one IMMEDIATE transaction,
 * which takes the database's write lock before reading: a second process (or connection) claiming
 * at the same moment waits, then sees the rows leased.
 */
export function createSqliteOutgoingEvents(db: Database.Database, clock: Clock, random: Random): OutgoingEventStore {
  const q = {
    insert: insertOutgoingEvent(db),
    due: db.prepare(
      `SELECT * FROM outgoing_events WHERE status = 'pending' AND next_attempt_at <= @now AND (leased_until IS NULL OR leased_until <= @now)
       ORDER BY created_at, rowid LIMIT @limit`,
    ),
    lease: db.prepare('UPDATE outgoing_events SET lease = ?, leased_until = ? WHERE id = ?'),
    delivered: db.prepare(
      `UPDATE outgoing_events SET status = 'delivered', attempts = attempts + 1, last_status = @status, last_error = NULL, delivered_at = @at,
         next_attempt_at = NULL, lease = NULL, leased_until = NULL
       WHERE id = @id AND lease = @lease AND status = 'pending'`,
    ),
    failed: db.prepare(
      `UPDATE outgoing_events SET status = CASE WHEN @nextAttemptAt IS NULL THEN 'failed' ELSE 'pending' END, attempts = attempts + 1,
         last_status = @status, last_error = @error, next_attempt_at = @nextAttemptAt, lease = NULL, leased_until = NULL
       WHERE id = @id AND lease = @lease AND status = 'pending'`,
    ),
    ofContact: db.prepare('SELECT * FROM outgoing_events WHERE contact_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?'),
  };
  const claim = db.transaction((limit: number, leaseMs: number) => {
    const now = clock.now();
    const leasedUntil = now + leaseMs;
    return all(q.due, { now, limit }).map((r) => {
      const lease = random.bytes(16).toString('base64url');
      q.lease.run(lease, leasedUntil, r.id);
      return { event: toEvent(r), lease, leasedUntil };
    });
  });
  return {
    async add(event) {
      q.insert.run(event);
    },
    async claimDue(limit, leaseMs) {
      return claim.immediate(limit, leaseMs);
    },
    async delivered(id, lease, { status, at }) {
      return q.delivered.run({ id, lease, status, at }).changes === 1;
    },
    async failed(id, lease, { status, error, nextAttemptAt }) {
      return q.failed.run({ id, lease, status, error, nextAttemptAt }).changes === 1;
    },
    async ofContact(contactId, limit) {
      return all(q.ofContact, contactId, limit).map(toEvent);
    },
  };
}
