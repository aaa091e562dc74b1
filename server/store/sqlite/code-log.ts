import type Database from 'better-sqlite3';
import type { Clock } from '../../clock.ts';
import type { CodeLog } from '../code-log.ts';
import { toCodeEvent } from '../rows.ts';
import { all } from './database.ts';
import type { WriteBatch } from './write-batch.ts';

/** The code log in SQLite. */
export function createSqliteCodeLog(db: Database.Database, clock: Clock, batch: WriteBatch): CodeLog {
  const q = {
    insert: db.prepare(
      `INSERT INTO code_events (subject, number, contact_id, channel, destination, reason, issued_at, expires_at)
       VALUES (@subject, @number, @contactId, @channel, @destination, @reason, @issuedAt, @expiresAt)`,
    ),
    // The newest code of a subject with this number, if still open.
    settle: db.prepare(
      `UPDATE code_events SET outcome = @outcome, outcome_at = @at
       WHERE subject = @subject AND number = @number AND outcome IS NULL AND issued_at = (
         SELECT max(issued_at) FROM code_events WHERE subject = @subject AND number = @number)`,
    ),
    supersede: db.prepare(
      `UPDATE code_events SET outcome = 'superseded', outcome_at = @at WHERE subject = @subject AND number < @number AND outcome IS NULL AND expires_at > @at`,
    ),
    latestOpen: db.prepare(`SELECT number FROM code_events WHERE subject = ? AND outcome IS NULL ORDER BY issued_at DESC LIMIT 1`).pluck(),
    claim: db.prepare('UPDATE code_events SET contact_id = ? WHERE subject = ? AND contact_id IS NULL'),
    ofContact: db.prepare(`SELECT * FROM code_events WHERE contact_id = ? ORDER BY issued_at DESC LIMIT ?`),
  };
  const issued = db.transaction((e: Parameters<CodeLog['issued']>[0]) => {
    q.supersede.run({ subject: e.subject, number: e.number, at: e.issuedAt });
    q.insert.run(e);
  });
  const burnOpen = db.transaction((subject: string, at: number) => {
    const number = q.latestOpen.get(subject) as number | undefined;
    if (number !== undefined) q.settle.run({ subject, number, outcome: 'burned', at });
  });
  return {
    async issued(e) {
      await batch.write(() => issued(e));
    },
    async settle(subject, number, outcome) {
      const at = clock.now();
      await batch.write(() => q.settle.run({ subject, number, outcome, at }));
    },
    async burnOpen(subject) {
      const at = clock.now();
      await batch.write(() => burnOpen(subject, at));
    },
    async claim(subject, contactId) {
      await batch.write(() => q.claim.run(contactId, subject));
    },
    async ofContact(contactId, limit = 50) {
      const now = clock.now();
      return all(q.ofContact, contactId, limit).map((r) => toCodeEvent(r, now));
    },
  };
}
