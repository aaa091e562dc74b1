import { createHmac } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Clock } from './clock.ts';
import type { Contact } from './contacts.ts';
import type { Logger } from './log.ts';
import type { Random } from './random.ts';

/** What the site owner's backend hears about (issue 7): enough to keep a CRM in sync. */
export type OutgoingEventType =
  | 'contact.created'
  | 'contact.signed_in'
  | 'contact.channel.opted_out'
  | 'contact.channel.opted_in'
  | 'contact.deactivated';

/** Waits before the 2nd, 3rd, … try: about a day and a half in all, then the event is given up. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000, 24 * 3_600_000];

export interface OutgoingEventRow {
  id: string;
  type: OutgoingEventType;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  createdAt: string;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
}

/**
 * The signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under WEBHOOK_SECRET>`.
 * The time inside the signed text lets the receiver refuse an old request replayed.
 * @example sign('whsec…', '{"id":…}', 1795356000) // 't=1795356000,v1=5f1c…'
 */
export function signature(secret: string, body: string, t: number): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Signed events to WEBHOOK_URL. `emit` stores the event (in the same database as the change, so
 * none is lost in a restart); `deliverDue` sends those due, one POST each, and retries a failed
 * one with growing waits (RETRY_DELAYS_MS). A 2xx answer is delivered; anything else, or no answer
 * within 10 s, is tried again. Every try is on the contact's card.
 */
export function createOutgoingWebhooks({ db, clock, random, log, target, send = fetch }: {
  db: Database.Database;
  clock: Clock;
  random: Random;
  log: Logger;
  /** WEBHOOK_URL and WEBHOOK_SECRET; undefined: no events are kept or sent. */
  target: { url: URL; secret: string } | undefined;
  send?: typeof fetch;
}) {
  const q = {
    insert: db.prepare(
      `INSERT INTO outgoing_events (id, type, contact_id, body, created_at, status, next_attempt_at)
       VALUES (?, ?, ?, ?, ?, 'pending', ?)`,
    ),
    due: db.prepare(`SELECT * FROM outgoing_events WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY created_at LIMIT 50`),
    delivered: db.prepare(`UPDATE outgoing_events SET status = 'delivered', attempts = attempts + 1, last_status = ?, last_error = NULL, delivered_at = ?, next_attempt_at = NULL WHERE id = ?`),
    retry: db.prepare(`UPDATE outgoing_events SET status = ?, attempts = ?, last_status = ?, last_error = ?, next_attempt_at = ? WHERE id = ?`),
    ofContact: db.prepare(`SELECT * FROM outgoing_events WHERE contact_id = ? ORDER BY created_at DESC LIMIT ?`),
  };
  let sending: Promise<void> | null = null;

  async function deliver(row: Record<string, unknown>) {
    const body = row.body as string;
    const attempts = (row.attempts as number) + 1;
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await send(target!.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'otp-login-webhooks',
          'otp-login-event-id': row.id as string,
          'otp-login-signature': signature(target!.secret, body, Math.floor(clock.now() / 1000)),
        },
        body,
        signal: AbortSignal.timeout(10_000),
        redirect: 'manual',
      });
      status = res.status;
      await res.body?.cancel();
      if (res.ok) return void q.delivered.run(status, clock.now(), row.id);
      error = `answered ${res.status}`;
    } catch (e) {
      error = (e as Error).name === 'TimeoutError' ? 'no answer within 10 seconds' : `could not connect: ${(e as Error).message}`;
    }
    const wait = RETRY_DELAYS_MS[attempts - 1];
    q.retry.run(wait === undefined ? 'failed' : 'pending', attempts, status, error, wait === undefined ? null : clock.now() + wait, row.id);
    if (wait === undefined) log.warn(`Webhook ${row.type} ${row.id} to ${target!.url.origin} given up after ${attempts} tries: ${error}. Check that WEBHOOK_URL answers 2xx within 10 seconds; the event stays on the contact's admin card.`);
  }

  return {
    enabled: target !== undefined,

    /** Keeps an event about `contact` for delivery (nothing without WEBHOOK_URL). */
    emit(type: OutgoingEventType, contact: Contact, extra: Record<string, unknown> = {}) {
      if (!target) return;
      const id = `evt_${random.bytes(12).toString('base64url')}`;
      const now = clock.now();
      const { id: contactId, email, phone, name, status, role } = contact;
      const body = JSON.stringify({ id, type, createdAt: iso(now), data: { contact: { id: contactId, email, phone, name, status, role }, ...extra } });
      q.insert.run(id, type, contactId, body, now, now);
    },

    /** Sends every event that is due; one run at a time. */
    deliverDue(): Promise<void> {
      if (!target) return Promise.resolve();
      if (sending) return sending;
      const run = (async () => {
        for (const row of q.due.all(clock.now()) as Array<Record<string, unknown>>) await deliver(row);
      })();
      // Cleared once settled (not inside the run: a run with nothing due ends before it is stored).
      sending = run.finally(() => {
        sending = null;
      });
      return sending;
    },

    /** The events about a contact, newest first, with how their delivery went (the admin card). */
    ofContact(contactId: string, limit = 50): OutgoingEventRow[] {
      return (q.ofContact.all(contactId, limit) as Array<Record<string, unknown>>).map((r) => ({
        id: r.id as string,
        type: r.type as OutgoingEventType,
        status: r.status as OutgoingEventRow['status'],
        attempts: r.attempts as number,
        createdAt: iso(r.created_at as number)!,
        nextAttemptAt: iso(r.next_attempt_at as number | null),
        lastStatus: r.last_status as number | null,
        lastError: r.last_error as string | null,
        deliveredAt: iso(r.delivered_at as number | null),
      }));
    },
  };
}

export type OutgoingWebhooks = ReturnType<typeof createOutgoingWebhooks>;
