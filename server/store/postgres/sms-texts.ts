import type pg from 'pg';
import type { Clock } from '../../clock.ts';
import { toSmsPause } from '../rows.ts';
import type { SmsTally, SmsTextLog } from '../sms-texts.ts';
import { purgeInBatches, purgeStatement } from './database.ts';

/**
 * The SMS conversion check's evidence in PostgreSQL, shared by every instance. Marking a text used,
 * starting and lifting a pause are each one statement whose row locks decide between instances.
 */
export function createPostgresSmsTexts(pool: pg.Pool, clock: Clock) {
  const smsTexts: SmsTextLog = {
    async sent(t) {
      await pool.query('INSERT INTO sms_texts (number, block, country, sent_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [t.number, t.block, t.country, t.sentAt, t.keepUntil]);
    },
    async used(number, since, at) {
      // FOR UPDATE: of two marking at once, the second re-checks `used_at` after the first and moves on to the older text.
      await pool.query(
        `UPDATE sms_texts SET used_at = $3 WHERE id = (
           SELECT id FROM sms_texts WHERE number = $1 AND sent_at > $2 AND used_at IS NULL ORDER BY sent_at DESC, id DESC LIMIT 1 FOR UPDATE)`,
        [number, since, at],
      );
    },
    async tally({ area, key }, from, settledBy) {
      // Settled texts: used, or sent early enough that their code can no longer be.
      const { rows } = await pool.query<SmsTally>(
        `SELECT count(*)::int AS texts, count(used_at)::int AS used, count(DISTINCT CASE WHEN used_at IS NULL THEN block END)::int AS "unusedBlocks"
         FROM sms_texts WHERE ${area === 'block' ? 'block' : 'country'} = $1 AND sent_at > $2 AND (used_at IS NOT NULL OR sent_at <= $3)`,
        [key, from, settledBy],
      );
      return rows[0]!;
    },
    async lastPause({ area, key }) {
      const { rows } = await pool.query('SELECT * FROM sms_pauses WHERE area = $1 AND key = $2', [area, key]);
      return rows[0] ? { pause: toSmsPause(rows[0]), lifted: rows[0].lifted as boolean } : null;
    },
    async startPause(p, keepUntil) {
      // Written only where no pause holds at `since`: the conflict's row lock lets one instance start it.
      const { rowCount } = await pool.query(
        `INSERT INTO sms_pauses (area, key, name, since, until, from_at, texts, used, min_percent, lifted, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, false, $10)
         ON CONFLICT (area, key) DO UPDATE SET name = excluded.name, since = excluded.since, until = excluded.until, from_at = excluded.from_at,
           texts = excluded.texts, used = excluded.used, min_percent = excluded.min_percent, lifted = false, expires_at = excluded.expires_at
         WHERE sms_pauses.lifted OR sms_pauses.until <= excluded.since`,
        [p.area, p.key, p.name, p.since, p.until, p.from, p.texts, p.used, p.minPercent, keepUntil],
      );
      return rowCount === 1;
    },
    async liftPauses(now) {
      const { rows } = await pool.query('UPDATE sms_pauses SET lifted = true WHERE NOT lifted AND until <= $1 RETURNING *', [now]);
      return rows.map(toSmsPause);
    },
  };
  const purges = [purgeStatement('sms_texts', 'id'), purgeStatement('sms_pauses', 'area, key')];
  return {
    smsTexts,
    /** Deletes texts past the check's window, and pauses ended longer ago than that. */
    purge: (): Promise<number> => purgeInBatches(pool, purges, clock.now()),
  };
}
