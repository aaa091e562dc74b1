import type Database from 'better-sqlite3';
import type { Clock } from '../../clock.ts';
import { toAttemptTally } from '../rows.ts';
import { dayOf, type SignInAttemptLog } from '../sign-in-attempts.ts';
import { all, PURGE_BATCH, purgeInBatches } from './database.ts';

/** Blocked code requests in SQLite: one upsert per try, into its day's tally. */
export function createSqliteSignInAttempts(db: Database.Database, clock: Clock) {
  const q = {
    blocked: db.prepare(
      `INSERT INTO sign_in_attempts (address_key, day, channel, block, detail, contact_id, tries, first_at, last_at, expires_at)
       VALUES (@addressKey, @day, @channel, @block, @detail, @contactId, 1, @at, @at, @keepUntil)
       ON CONFLICT (address_key, day, channel, block, detail) DO UPDATE SET
         tries = tries + 1, last_at = max(last_at, excluded.last_at), first_at = min(first_at, excluded.first_at),
         contact_id = coalesce(excluded.contact_id, contact_id), expires_at = max(expires_at, excluded.expires_at)`,
    ),
    purge: [
      db.prepare(
        `DELETE FROM sign_in_attempts WHERE (address_key, day, channel, block, detail) IN (
           SELECT address_key, day, channel, block, detail FROM sign_in_attempts WHERE expires_at <= ? ORDER BY expires_at LIMIT ${PURGE_BATCH})`,
      ),
    ],
  };
  const attempts: SignInAttemptLog = {
    async blocked(a) {
      q.blocked.run({ ...a, day: dayOf(a.at), detail: a.detail ?? '' });
    },
    async ofContact(contactId, addressKeys, since, limit = 50) {
      // Those of its addresses recorded before it was a contact (contact_id null), never another contact's.
      const keys = addressKeys.map(() => '?').join(', ');
      const byAddress = keys ? ` OR (contact_id IS NULL AND address_key IN (${keys}))` : '';
      const statement = db.prepare(`SELECT * FROM sign_in_attempts WHERE (contact_id = ?${byAddress}) AND last_at >= ? ORDER BY last_at DESC LIMIT ?`);
      return all(statement, contactId, ...addressKeys, since, limit).map(toAttemptTally);
    },
    async ofAddress(addressKey, since, limit = 50) {
      return all(db.prepare('SELECT * FROM sign_in_attempts WHERE address_key = ? AND last_at >= ? ORDER BY last_at DESC LIMIT ?'), addressKey, since, limit).map(toAttemptTally);
    },
  };
  return {
    attempts,
    /** Deletes tallies past their 30 days. */
    purge: (): Promise<number> => purgeInBatches(q.purge, clock.now()),
  };
}
