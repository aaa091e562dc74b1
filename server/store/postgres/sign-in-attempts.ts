import type pg from 'pg';
import type { Clock } from '../../clock.ts';
import { toAttemptTally } from '../rows.ts';
import { dayOf, type SignInAttemptLog } from '../sign-in-attempts.ts';
import { purgeInBatches, purgeStatement } from './database.ts';

/** Blocked code requests in PostgreSQL: one upsert per try, into its day's tally, whichever instance counts it. */
export function createPostgresSignInAttempts(pool: pg.Pool, clock: Clock) {
  const attempts: SignInAttemptLog = {
    async blocked(a) {
      await pool.query(
        `INSERT INTO sign_in_attempts (address_key, day, channel, block, detail, contact_id, tries, first_at, last_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7, $8)
         ON CONFLICT (address_key, day, channel, block, detail) DO UPDATE SET
           tries = sign_in_attempts.tries + 1, last_at = greatest(sign_in_attempts.last_at, excluded.last_at),
           first_at = least(sign_in_attempts.first_at, excluded.first_at),
           contact_id = coalesce(excluded.contact_id, sign_in_attempts.contact_id), expires_at = greatest(sign_in_attempts.expires_at, excluded.expires_at)`,
        [a.addressKey, dayOf(a.at), a.channel, a.block, a.detail ?? '', a.contactId, a.at, a.keepUntil],
      );
    },
    async ofContact(contactId, addressKeys, since, limit = 50) {
      // Those of its addresses recorded before it was a contact (contact_id null), never another contact's.
      const { rows } = await pool.query(
        `SELECT * FROM sign_in_attempts WHERE (contact_id = $1 OR (contact_id IS NULL AND address_key = ANY($2::text[]))) AND last_at >= $3 ORDER BY last_at DESC LIMIT $4`,
        [contactId, addressKeys, since, limit],
      );
      return rows.map(toAttemptTally);
    },
    async ofAddress(addressKey, since, limit = 50) {
      const { rows } = await pool.query('SELECT * FROM sign_in_attempts WHERE address_key = $1 AND last_at >= $2 ORDER BY last_at DESC LIMIT $3', [addressKey, since, limit]);
      return rows.map(toAttemptTally);
    },
  };
  const purges = [purgeStatement('sign_in_attempts', 'address_key, day, channel, block, detail')];
  return {
    attempts,
    /** Deletes tallies past their 30 days. */
    purge: (): Promise<number> => purgeInBatches(pool, purges, clock.now()),
  };
}
