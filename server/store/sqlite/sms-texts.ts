import type Database from 'better-sqlite3';
import type { Clock } from '../../clock.ts';
import type { SmsArea, SmsPause, SmsTally, SmsTextLog } from '../sms-texts.ts';
import { PURGE_BATCH, purgeInBatches, type Row } from './database.ts';
import { toSmsPause as pauseOf } from '../rows.ts';

/**
 * The SMS conversion check's evidence in SQLite. Its counts run over the indexes by block and by
 * country (a range of one area's recent texts), and starting or lifting a pause is one statement
 * or one IMMEDIATE transaction, so two processes on the same file never both start or both end one.
 */
export function createSqliteSmsTexts(db: Database.Database, clock: Clock) {
  // Settled texts: used, or sent early enough that their code can no longer be.
  const tally = (column: 'block' | 'country') =>
    db.prepare<{ key: string; from: number; settledBy: number }, SmsTally>(
      `SELECT count(*) AS texts, count(used_at) AS used, count(DISTINCT CASE WHEN used_at IS NULL THEN block END) AS unusedBlocks
       FROM sms_texts WHERE ${column} = @key AND sent_at > @from AND (used_at IS NOT NULL OR sent_at <= @settledBy)`,
    );
  const q = {
    sent: db.prepare('INSERT INTO sms_texts (number, block, country, sent_at, expires_at) VALUES (@number, @block, @country, @sentAt, @keepUntil)'),
    used: db.prepare(
      `UPDATE sms_texts SET used_at = @at WHERE id = (
         SELECT id FROM sms_texts WHERE number = @number AND sent_at > @since AND used_at IS NULL ORDER BY sent_at DESC, id DESC LIMIT 1)`,
    ),
    tally: { block: tally('block'), country: tally('country') },
    pause: db.prepare<[string, string], Row>('SELECT * FROM sms_pauses WHERE area = ? AND key = ?'),
    putPause: db.prepare(
      `INSERT OR REPLACE INTO sms_pauses (area, key, name, since, until, from_at, texts, used, min_percent, lifted, expires_at)
       VALUES (@area, @key, @name, @since, @until, @from, @texts, @used, @minPercent, 0, @keepUntil)`,
    ),
    lift: db.prepare<[number], Row>('UPDATE sms_pauses SET lifted = 1 WHERE lifted = 0 AND until <= ? RETURNING *'),
    purge: [
      db.prepare(`DELETE FROM sms_texts WHERE id IN (SELECT id FROM sms_texts WHERE expires_at <= ? ORDER BY expires_at LIMIT ${PURGE_BATCH})`),
      db.prepare(`DELETE FROM sms_pauses WHERE (area, key) IN (SELECT area, key FROM sms_pauses WHERE expires_at <= ? LIMIT ${PURGE_BATCH})`),
    ],
  };
  const startPause = db.transaction((pause: SmsPause, keepUntil: number): boolean => {
    const current = q.pause.get(pause.area, pause.key);
    if (current && current.lifted === 0 && (current.until as number) > pause.since) return false;
    q.putPause.run({ ...pause, keepUntil });
    return true;
  });

  const smsTexts: SmsTextLog = {
    async sent(text) {
      q.sent.run(text);
    },
    async used(number, since, at) {
      q.used.run({ number, since, at });
    },
    async tally({ area, key }: SmsArea, from, settledBy) {
      return q.tally[area].get({ key, from, settledBy })!;
    },
    async lastPause({ area, key }) {
      const row = q.pause.get(area, key);
      return row ? { pause: pauseOf(row), lifted: row.lifted === 1 } : null;
    },
    async startPause(pause, keepUntil) {
      return startPause.immediate(pause, keepUntil);
    },
    async liftPauses(now) {
      return q.lift.all(now).map(pauseOf);
    },
  };
  return {
    smsTexts,
    /** Deletes texts past the check's window, and pauses ended longer ago than that. */
    purge: (): Promise<number> => purgeInBatches(q.purge, clock.now()),
  };
}
