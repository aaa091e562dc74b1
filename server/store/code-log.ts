import type { Channel } from '../identifiers.ts';

/** What became of a code, for the admin card: never the code itself. */
export type CodeOutcome = 'verified' | 'superseded' | 'burned' | 'undelivered' | 'expired' | 'pending';

/** A code as the admin card shows it. */
export interface CodeEvent {
  number: number;
  channel: Channel;
  destination: string;
  reason: string | null;
  issuedAt: number;
  outcome: CodeOutcome;
  outcomeAt: number | null;
}

export interface IssuedCode {
  /** The identifier's keyed digest (identifiers.ts subjectOf), never the address itself. */
  subject: string;
  number: number;
  contactId: string | null;
  channel: Channel;
  /** The masked address. */
  destination: string;
  reason: string | null;
  issuedAt: number;
  expiresAt: number;
}

/**
 * The durable history of the codes really sent to a contact (decoys leave none): when, by which
 * channel, to which masked address, why the widget said one was needed, and what became of it.
 */
export interface CodeLog {
  /** A code was sent; the subject's older codes still open and unexpired are superseded by it. */
  issued(code: IssuedCode): Promise<void>;
  /** Settles the newest code of the subject with this number, if it is still open. */
  settle(subject: string, number: number, outcome: Exclude<CodeOutcome, 'expired' | 'pending'>): Promise<void>;
  /** The 5th wrong try burns whichever code of the subject is open (the newest). */
  burnOpen(subject: string): Promise<void>;
  /** A first sign-in made the identifier a contact: its codes so far become the contact's. */
  claim(subject: string, contactId: string): Promise<void>;
  /** Newest first; an open code past its expiry reads as expired. */
  ofContact(contactId: string, limit?: number): Promise<CodeEvent[]>;
}

/** How an engine reads a stored code's outcome at `now`: open ones past their expiry are expired. */
export function outcomeAt(stored: { outcome: CodeOutcome | null; outcomeAt: number | null; expiresAt: number }, now: number) {
  if (stored.outcome !== null) return { outcome: stored.outcome, outcomeAt: stored.outcomeAt };
  return now >= stored.expiresAt ? { outcome: 'expired' as const, outcomeAt: stored.expiresAt } : { outcome: 'pending' as const, outcomeAt: null };
}
