import type Database from 'better-sqlite3';
import type { Clock } from './clock.ts';
import type { Channel } from './identifiers.ts';

/** What became of a code, for the admin card: never the code itself. */
export type CodeOutcome = 'verified' | 'superseded' | 'burned' | 'undelivered' | 'expired' | 'pending';

export interface CodeEvent {
  number: number;
  channel: Channel;
  destination: string;
  reason: string | null;
  issuedAt: number;
  outcome: CodeOutcome;
  outcomeAt: number | null;
}

/**
 * The durable history of the codes really sent to a contact (decoys leave none): when, by which
 * channel, to which masked address, why the widget said one was needed, and what became of it.
 */
export function createCodeLog(db: Database.Database, clock: Clock) {
  const q = {
    insert: db.prepare(
      `INSERT INTO code_events (subject, number, contact_id, channel, destination, reason, issued_at, expires_at)
       VALUES (@subject, @number, @contactId, @channel, @destination, @reason, @issuedAt, @expiresAt)`,
    ),
    // The newest still-open code of a subject with this number, or all older open ones.
    settle: db.prepare(
      `UPDATE code_events SET outcome = @outcome, outcome_at = @at
       WHERE subject = @subject AND number = @number AND outcome IS NULL AND issued_at = (
         SELECT max(issued_at) FROM code_events WHERE subject = @subject AND number = @number)`,
    ),
    supersede: db.prepare(
      `UPDATE code_events SET outcome = 'superseded', outcome_at = @at WHERE subject = @subject AND number < @number AND outcome IS NULL AND expires_at > @at`,
    ),
    latestOpen: db.prepare(
      `SELECT number FROM code_events WHERE subject = ? AND outcome IS NULL ORDER BY issued_at DESC LIMIT 1`,
    ).pluck(),
    claim: db.prepare('UPDATE code_events SET contact_id = ? WHERE subject = ? AND contact_id IS NULL'),
    ofContact: db.prepare(`SELECT * FROM code_events WHERE contact_id = ? ORDER BY issued_at DESC LIMIT ?`),
  };
  return {
    issued(e: { subject: string; number: number; contactId: string | null; channel: Channel; destination: string; reason: string | null; issuedAt: number; expiresAt: number }) {
      q.supersede.run({ subject: e.subject, number: e.number, at: e.issuedAt });
      q.insert.run(e);
    },
    settle(subject: string, number: number, outcome: Exclude<CodeOutcome, 'expired' | 'pending'>) {
      q.settle.run({ subject, number, outcome, at: clock.now() });
    },
    /** The 5th wrong try burns whichever code is open. */
    burnOpen(subject: string) {
      const number = q.latestOpen.get(subject) as number | undefined;
      if (number !== undefined) q.settle.run({ subject, number, outcome: 'burned', at: clock.now() });
    },
    /** A first sign-in made the identifier a contact: its codes become the contact's. */
    claim(subject: string, contactId: string) {
      q.claim.run(contactId, subject);
    },
    /** Newest first; an open code past its expiry reads as expired. */
    ofContact(contactId: string, limit = 50): CodeEvent[] {
      const now = clock.now();
      return (q.ofContact.all(contactId, limit) as Record<string, unknown>[]).map((r) => ({
        number: r.number as number,
        channel: r.channel as Channel,
        destination: r.destination as string,
        reason: r.reason as string | null,
        issuedAt: r.issued_at as number,
        outcome: (r.outcome as CodeOutcome | null) ?? (now >= (r.expires_at as number) ? 'expired' : 'pending'),
        outcomeAt: (r.outcome_at as number | null) ?? (now >= (r.expires_at as number) ? (r.expires_at as number) : null),
      }));
    },
  };
}

export type CodeLog = ReturnType<typeof createCodeLog>;
