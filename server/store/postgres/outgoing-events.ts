import type pg from 'pg';
import type { Clock } from '../../clock.ts';
import type { Random } from '../../random.ts';
import type { OutgoingEventStore } from '../outgoing-events.ts';
import { toOutgoingEvent } from '../rows.ts';

/**
 * Outgoing events in PostgreSQL, a queue many instances send from. A claim is one statement: the
 * due rows are chosen with FOR UPDATE SKIP LOCKED (rows another claimer is leasing right now are
 * passed over, not waited for; rows it already leased fail the re-check of the lease after the
 * lock) and leased in the same statement, each with its own random lease. Only the lease's holder
 * settles an event.
 */
export function createPostgresOutgoingEvents(pool: pg.Pool, clock: Clock, random: Random): OutgoingEventStore {
  return {
    async add(e) {
      await pool.query(
        `INSERT INTO outgoing_events (id, type, contact_id, body, created_at, status, next_attempt_at) VALUES ($1, $2, $3, $4, $5, 'pending', $5)`,
        [e.id, e.type, e.contactId, e.body, e.createdAt],
      );
    },
    async claimDue(limit, leaseMs) {
      const now = clock.now();
      const leasedUntil = now + leaseMs;
      const leases = Array.from({ length: limit }, () => random.bytes(16).toString('base64url'));
      const { rows } = await pool.query(
        `WITH due AS (
           SELECT id, row_number() OVER (ORDER BY created_at, seq) AS n FROM (
             SELECT id, created_at, seq FROM outgoing_events
             WHERE status = 'pending' AND next_attempt_at <= $1 AND (leased_until IS NULL OR leased_until <= $1)
             ORDER BY created_at, seq LIMIT $2 FOR UPDATE SKIP LOCKED) AS chosen)
         UPDATE outgoing_events e SET lease = ($3::text[])[due.n], leased_until = $4 FROM due WHERE e.id = due.id
         RETURNING e.*`,
        [now, limit, leases, leasedUntil],
      );
      // RETURNING keeps no order: oldest (first added) first, as promised.
      rows.sort((a, b) => (a.created_at as number) - (b.created_at as number) || (a.seq as number) - (b.seq as number));
      return rows.map((r) => ({ event: toOutgoingEvent(r), lease: r.lease as string, leasedUntil }));
    },
    async delivered(id, lease, { status, at }) {
      const { rowCount } = await pool.query(
        `UPDATE outgoing_events SET status = 'delivered', attempts = attempts + 1, last_status = $3, last_error = NULL, delivered_at = $4,
           next_attempt_at = NULL, lease = NULL, leased_until = NULL
         WHERE id = $1 AND lease = $2 AND status = 'pending'`,
        [id, lease, status, at],
      );
      return rowCount === 1;
    },
    async failed(id, lease, { status, error, nextAttemptAt }) {
      const { rowCount } = await pool.query(
        `UPDATE outgoing_events SET status = CASE WHEN $5::bigint IS NULL THEN 'failed' ELSE 'pending' END, attempts = attempts + 1,
           last_status = $3, last_error = $4, next_attempt_at = $5, lease = NULL, leased_until = NULL
         WHERE id = $1 AND lease = $2 AND status = 'pending'`,
        [id, lease, status, error, nextAttemptAt],
      );
      return rowCount === 1;
    },
    async ofContact(contactId, limit) {
      const { rows } = await pool.query('SELECT * FROM outgoing_events WHERE contact_id = $1 ORDER BY created_at DESC, seq DESC LIMIT $2', [contactId, limit]);
      return rows.map(toOutgoingEvent);
    },
  };
}
