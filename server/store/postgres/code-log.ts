import type pg from 'pg';
import type { Clock } from '../../clock.ts';
import type { CodeLog } from '../code-log.ts';
import { toCodeEvent } from '../rows.ts';
import { transaction } from './database.ts';

// The newest code of a subject with this number ($1 subject, $2 number), if still open.
const SETTLE = `UPDATE code_events SET outcome = $3, outcome_at = $4
  WHERE subject = $1 AND number = $2 AND outcome IS NULL
    AND issued_at = (SELECT max(issued_at) FROM code_events WHERE subject = $1 AND number = $2)`;

/** The code log in PostgreSQL. */
export function createPostgresCodeLog(pool: pg.Pool, clock: Clock): CodeLog {
  return {
    // One statement (the UPDATE in a CTE runs whole with the INSERT, or neither does): one round
    // trip where a transaction of two took four, on every code that goes out.
    async issued(e) {
      await pool.query(
        `WITH superseded AS (
           UPDATE code_events SET outcome = 'superseded', outcome_at = $7 WHERE subject = $1 AND number < $2 AND outcome IS NULL AND expires_at > $7
         )
         INSERT INTO code_events (subject, number, contact_id, channel, destination, reason, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [e.subject, e.number, e.contactId, e.channel, e.destination, e.reason, e.issuedAt, e.expiresAt],
      );
    },
    async settle(subject, number, outcome) {
      await pool.query(SETTLE, [subject, number, outcome, clock.now()]);
    },
    burnOpen: (subject) =>
      transaction(pool, async (client) => {
        const { rows } = await client.query<{ number: number }>('SELECT number FROM code_events WHERE subject = $1 AND outcome IS NULL ORDER BY issued_at DESC LIMIT 1', [subject]);
        if (rows[0]) await client.query(SETTLE, [subject, rows[0].number, 'burned', clock.now()]);
      }),
    async claim(subject, contactId) {
      await pool.query('UPDATE code_events SET contact_id = $1 WHERE subject = $2 AND contact_id IS NULL', [contactId, subject]);
    },
    async ofContact(contactId, limit = 50) {
      const now = clock.now();
      const { rows } = await pool.query('SELECT * FROM code_events WHERE contact_id = $1 ORDER BY issued_at DESC LIMIT $2', [contactId, limit]);
      return rows.map((r) => toCodeEvent(r, now));
    },
  };
}
