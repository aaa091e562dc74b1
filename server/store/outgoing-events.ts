/** What the site owner's backend hears about (issue 7): enough to keep a CRM in sync. */
export type OutgoingEventType =
  | 'contact.created'
  | 'contact.signed_in'
  | 'contact.channel.opted_out'
  | 'contact.channel.opted_in'
  | 'contact.deactivated';

/** An event for WEBHOOK_URL, kept until delivered or given up. Times in ms since the epoch. */
export interface OutgoingEvent {
  id: string;
  type: OutgoingEventType;
  contactId: string | null;
  /** The JSON body, signed and sent as is on every try. */
  body: string;
  createdAt: number;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  /** When it is due (pending), else null. */
  nextAttemptAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: number | null;
}

/** Events a sender holds for a while: only it may settle them, until another claims them after `leasedUntil`. */
export interface ClaimedEvent {
  event: OutgoingEvent;
  lease: string;
  leasedUntil: number;
}

/**
 * The outgoing events, a queue several processes may work from at once: `claimDue` hands each due
 * event to one claimer only, leased for `leaseMs`; a lease that ran out may be claimed again (its
 * holder died or hung), and then only the new holder can settle it.
 */
/** An event as it is kept: pending and due at once. */
export type NewOutgoingEvent = Pick<OutgoingEvent, 'id' | 'type' | 'contactId' | 'body' | 'createdAt'>;

export interface OutgoingEventStore {
  /** Keeps a new event, due at once. */
  add(event: NewOutgoingEvent): Promise<void>;
  /** Up to `limit` pending events due now that nobody holds a live lease on, oldest (first added) first. */
  claimDue(limit: number, leaseMs: number): Promise<ClaimedEvent[]>;
  /** A 2xx answer. False (and nothing changed) unless `lease` is the event's current lease. */
  delivered(id: string, lease: string, result: { status: number; at: number }): Promise<boolean>;
  /**
   * A failed try: counted, and due again at `nextAttemptAt`, or given up ('failed') when that is
   * null. False (and nothing changed) unless `lease` is the event's current lease.
   */
  failed(id: string, lease: string, result: { status: number | null; error: string; nextAttemptAt: number | null }): Promise<boolean>;
  /** The events about a contact, newest (last added) first. */
  ofContact(contactId: string, limit: number): Promise<OutgoingEvent[]>;
}
