import type { Channel } from '../identifiers.ts';
import type { OptOutSource } from '../../api/admin.ts';

/**
 * Where a message stands. The order matters: a status only moves forward, so a late "sent" never
 * overwrites "delivered", and replaying a webhook changes nothing.
 */
export const deliveryStatuses = ['queued', 'sent', 'delivered', 'undelivered', 'bounced', 'failed', 'suppressed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

const rank: Record<DeliveryStatus, number> = {
  queued: 0,
  sent: 1,
  // Final answers: once one arrived, nothing replaces it.
  delivered: 2,
  undelivered: 2,
  bounced: 2,
  failed: 2,
  suppressed: 2,
};

/** Whether `next` may replace `current`. */
export const movesForward = (current: DeliveryStatus, next: DeliveryStatus) => rank[next] > rank[current];

/** One message handed (or meant to be handed) to a provider: a row of the delivery log. */
export interface Delivery {
  id: string;
  contactId: string | null;
  channel: Channel;
  /** The full address, so an admin can find deliveries to someone who is not a contact yet. */
  recipient: string;
  destination: string;
  provider: string | null;
  providerMessageId: string | null;
  codeNumber: number;
  /** Why a new code was needed, as the widget explained it (R6): "cookies_cleared". */
  reason: string | null;
  status: DeliveryStatus;
  errorCode: string | null;
  errorText: string | null;
  createdAt: number;
  updatedAt: number;
}

export type DeliveryChange = { status: DeliveryStatus; at: number; provider?: string; providerMessageId?: string; errorCode?: string | null; errorText?: string | null };

/** The delivery log. */
export interface DeliveryLog {
  create(delivery: Delivery): Promise<void>;
  findById(id: string): Promise<Delivery | undefined>;
  findByProviderId(provider: string, providerMessageId: string): Promise<Delivery | undefined>;
  /**
   * Moves the row forward only (see `movesForward`), read and written atomically; answers whether
   * it changed. A change that does not move it still fills in a provider message id the row lacks
   * (a webhook may say "delivered" before the send's own answer came back).
   */
  advance(id: string, change: DeliveryChange): Promise<boolean>;
}

/** Why an address gets no messages from us (R4): the admin API's words, stored as they are. */
export type { OptOutSource };

export interface OptOut {
  address: string;
  channel: Channel;
  optedOut: boolean;
  source: OptOutSource | 'start_reply' | 'resubscribe';
  detail: string | null;
  at: number;
}

/** Opt-outs per address, so one reaches a number that has not signed in yet too. */
export interface OptOutStore {
  get(address: string): Promise<OptOut | undefined>;
  /** The newest word on the address replaces the one before. */
  set(optOut: OptOut): Promise<void>;
}

/** Provider webhook events already applied, so a replayed one changes nothing. */
export interface WebhookEventStore {
  /** True the first time this provider's event id is seen (atomically: of two at once, one wins). */
  firstSeen(provider: string, eventId: string): Promise<boolean>;
}
