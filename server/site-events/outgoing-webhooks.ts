import { createHmac } from 'node:crypto';
import { iso, type Clock } from '../clock.ts';
import type { Contact } from '../contacts/contacts.ts';
import type { Logger } from '../log.ts';
import type { Random } from '../random.ts';
import type { ClaimedEvent, NewOutgoingEvent, OutgoingEventStore, OutgoingEventType } from '../store/outgoing-events.ts';
import type { OutgoingEventRow } from '../../api/admin.ts';

export type { OutgoingEventType } from '../store/outgoing-events.ts';

/** Waits before the 2nd, 3rd, … try: about a day and a half in all, then the event is given up. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000, 24 * 3_600_000];

/**
 * The signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under WEBHOOK_SECRET>`.
 * The time inside the signed text lets the receiver refuse an old request replayed.
 * @example sign('whsec…', '{"id":…}', 1795356000) // 't=1795356000,v1=5f1c…'
 */
export function signature(secret: string, body: string, t: number): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

const SEND_TIMEOUT_MS = 10_000;
/** The timeout as the log and the admin card say it. */
const sendTimeout = `${SEND_TIMEOUT_MS / 1000} seconds`;
/**
 * How long a claimed event is ours: one send's timeout and room to record its answer (a store
 * that is down gives up within 2 s). Another process claims it again only after that (this one
 * died or hung), so it is sent twice only then; and an instance killed mid-send holds back only
 * the one event it was sending, for at most this long.
 */
export const LEASE_MS = SEND_TIMEOUT_MS + 5_000;
/** Events sent per run at most; the timer's next run takes the rest. */
const PER_RUN = 50;

/**
 * Signed events to WEBHOOK_URL. `emit` stores the event (in the same database as the change, so
 * none is lost in a restart); `deliverDue` sends those due, one POST each, and retries a failed
 * one with growing waits (RETRY_DELAYS_MS). A 2xx answer is delivered; anything else, or no answer
 * within SEND_TIMEOUT_MS, is tried again. Every try is on the contact's card.
 */
export function createOutgoingWebhooks({ events, clock, random, log, target, send = fetch }: {
  events: OutgoingEventStore;
  clock: Clock;
  random: Random;
  log: Logger;
  /** WEBHOOK_URL and WEBHOOK_SECRET; undefined: no events are kept or sent. */
  target: { url: URL; secret: string } | undefined;
  send?: typeof fetch;
}) {
  let sending: Promise<void> | null = null;

  async function deliver({ event, lease }: ClaimedEvent) {
    const { id, type, body } = event;
    const attempts = event.attempts + 1;
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await send(target!.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'otp-login-webhooks',
          'otp-login-event-id': id,
          'otp-login-signature': signature(target!.secret, body, Math.floor(clock.now() / 1000)),
        },
        body,
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
        redirect: 'manual',
      });
      status = res.status;
      await res.body?.cancel();
      if (res.ok) return void (await events.delivered(id, lease, { status, at: clock.now() }));
      error = `answered ${res.status}`;
    } catch (e) {
      error = (e as Error).name === 'TimeoutError' ? `no answer within ${sendTimeout}` : `could not connect: ${(e as Error).message}`;
    }
    const wait = RETRY_DELAYS_MS[attempts - 1];
    await events.failed(id, lease, { status, error, nextAttemptAt: wait === undefined ? null : clock.now() + wait });
    if (wait === undefined) log.warn(`Webhook ${type} ${id} to ${target!.url.origin} given up after ${attempts} tries: ${error}. Check that WEBHOOK_URL answers 2xx within ${sendTimeout}; the event stays on the contact's admin card.`);
  }

  function event(type: OutgoingEventType, contact: Contact, extra: Record<string, unknown> = {}): NewOutgoingEvent | undefined {
    if (!target) return undefined;
    const id = `evt_${random.bytes(12).toString('base64url')}`;
    const now = clock.now();
    const { id: contactId, email, phone, name, status, role } = contact;
    const body = JSON.stringify({ id, type, createdAt: iso(now), data: { contact: { id: contactId, email, phone, name, status, role }, ...extra } });
    return { id, type, contactId, body, createdAt: now };
  }

  return {
    enabled: target !== undefined,

    /** Keeps an event about `contact` for delivery (nothing without WEBHOOK_URL). */
    async emit(type: OutgoingEventType, contact: Contact, extra: Record<string, unknown> = {}) {
      const made = event(type, contact, extra);
      if (made) await events.add(made);
    },

    /** The event `emit` keeps, for a store to keep with the change it tells of (none without WEBHOOK_URL). */
    event,

    /**
     * Sends the events that are due, claimed one at a time so that other processes sending from
     * the same store never send the same one; one run at a time in this process.
     */
    deliverDue(): Promise<void> {
      if (!target) return Promise.resolve();
      if (sending) return sending;
      const run = (async () => {
        for (let sent = 0; sent < PER_RUN; sent++) {
          const [claimed] = await events.claimDue(1, LEASE_MS);
          if (!claimed) break;
          await deliver(claimed);
        }
      })();
      // Cleared once settled (not inside the run: a run with nothing due ends before it is stored).
      sending = run.finally(() => {
        sending = null;
      });
      return sending;
    },

    /** The events about a contact, newest first, with how their delivery went (the admin card). */
    async ofContact(contactId: string, limit = 50): Promise<OutgoingEventRow[]> {
      return (await events.ofContact(contactId, limit)).map((e) => ({
        id: e.id,
        type: e.type,
        status: e.status,
        attempts: e.attempts,
        createdAt: iso(e.createdAt),
        nextAttemptAt: iso(e.nextAttemptAt),
        lastStatus: e.lastStatus,
        lastError: e.lastError,
        deliveredAt: iso(e.deliveredAt),
      }));
    },
  };
}

export type OutgoingWebhooks = ReturnType<typeof createOutgoingWebhooks>;
