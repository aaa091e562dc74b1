/**
 * Rows as every SQL engine reads them back, into the stores' records. The SQLite and PostgreSQL
 * schemas share their tables' and columns' names (so migrate-to-postgres copies rows as they are);
 * a flag is 0/1 in SQLite and a boolean in PostgreSQL, which `Boolean()` reads alike.
 */
import type { Channel } from '../identifiers.ts';
import type { AuditEntry } from './admin.ts';
import { outcomeAt, type CodeEvent, type CodeOutcome } from './code-log.ts';
import type { Contact, RoleSource } from './contacts.ts';
import type { Delivery, DeliveryStatus, OptOut } from './deliveries.ts';
import type { Device } from './devices.ts';
import type { LinkKind, StoredLink } from './links.ts';
import type { OutgoingEvent } from './outgoing-events.ts';
import type { SmsPause } from './sms-texts.ts';
import type { AttemptBlock, AttemptTally } from './sign-in-attempts.ts';

/** A row as a driver reads it, by column name. */
export type Row = Record<string, unknown>;

export const toContact = (r: Row): Contact => ({
  id: r.id as string,
  email: r.email as string | null,
  phone: r.phone as string | null,
  name: r.name as string | null,
  status: r.status as Contact['status'],
  role: r.role as Contact['role'],
  roleSource: r.role_source as RoleSource | null,
  createdAt: r.created_at as number,
  emailVerifiedAt: r.email_verified_at as number | null,
  phoneVerifiedAt: r.phone_verified_at as number | null,
});

export const toAuditEntry = (r: Row): AuditEntry => ({
  adminId: r.admin_id as string | null,
  adminEmail: r.admin_email as string | null,
  action: r.action as string,
  detail: r.detail as string | null,
  at: r.at as number,
});

export const toDevice = (r: Row): Device => ({
  id: r.id as string,
  contactId: r.contact_id as string,
  tokenHash: r.token_hash as string,
  userAgent: r.user_agent as string,
  createdAt: r.created_at as number,
  lastSeenAt: r.last_seen_at as number,
  expiresAt: r.expires_at as number,
  signedOutAt: r.signed_out_at as number | null,
  revokedAt: r.revoked_at as number | null,
  revokedReason: r.revoked_reason as Device['revokedReason'],
  sessionOnly: Boolean(r.session_only),
});

/** A device row joined with its contact's columns (the contact's id and creation time renamed). */
export const toDeviceAndContact = (r: Row) => ({ device: toDevice(r), contact: toContact({ ...r, id: r.contact_id, created_at: r.contact_created_at }) });

export const toDelivery = (r: Row): Delivery => ({
  id: r.id as string,
  contactId: r.contact_id as string | null,
  channel: r.channel as Delivery['channel'],
  recipient: r.recipient as string,
  destination: r.destination as string,
  provider: r.provider as string | null,
  providerMessageId: r.provider_message_id as string | null,
  codeNumber: r.code_number as number,
  reason: r.reason as string | null,
  status: r.status as DeliveryStatus,
  errorCode: r.error_code as string | null,
  errorText: r.error_text as string | null,
  createdAt: r.created_at as number,
  updatedAt: r.updated_at as number,
});

export const toOutgoingEvent = (r: Row): OutgoingEvent => ({
  id: r.id as string,
  type: r.type as OutgoingEvent['type'],
  contactId: r.contact_id as string | null,
  body: r.body as string,
  createdAt: r.created_at as number,
  status: r.status as OutgoingEvent['status'],
  attempts: r.attempts as number,
  nextAttemptAt: r.next_attempt_at as number | null,
  lastStatus: r.last_status as number | null,
  lastError: r.last_error as string | null,
  deliveredAt: r.delivered_at as number | null,
});

export const toSmsPause = (r: Row): SmsPause => ({
  area: r.area as SmsPause['area'],
  key: r.key as string,
  name: r.name as string,
  since: r.since as number,
  until: r.until as number,
  from: r.from_at as number,
  texts: r.texts as number,
  used: r.used as number,
  minPercent: r.min_percent as number,
});

export const toOptOut = (r: Row): OptOut => ({
  address: r.address as string,
  channel: r.channel as OptOut['channel'],
  optedOut: Boolean(r.opted_out),
  source: r.source as OptOut['source'],
  detail: r.detail as string | null,
  at: r.at as number,
});

export const toLink = (r: Row): StoredLink => ({
  tokenHash: r.token_hash as string,
  contactId: r.contact_id as string,
  channel: r.channel as Channel,
  kind: r.kind as LinkKind,
  address: r.address as string | null,
  createdBy: r.created_by as string,
  createdAt: r.created_at as number,
  expiresAt: r.expires_at as number,
  usedAt: r.used_at as number | null,
});

/** A code_events row as the admin card reads it at `now`: an open code past its expiry is expired. */
export const toCodeEvent = (r: Row, now: number): CodeEvent => ({
  number: r.number as number,
  channel: r.channel as Channel,
  destination: r.destination as string,
  reason: r.reason as string | null,
  issuedAt: r.issued_at as number,
  ...outcomeAt({ outcome: r.outcome as CodeOutcome | null, outcomeAt: r.outcome_at as number | null, expiresAt: r.expires_at as number }, now),
});

export const toAttemptTally = (r: Row): AttemptTally => ({
  addressKey: r.address_key as string,
  contactId: (r.contact_id as string | null) ?? null,
  channel: r.channel as Channel,
  block: r.block as AttemptBlock,
  // Stored as '' when none: a key column cannot be null in both engines alike.
  detail: (r.detail as string) || null,
  day: Number(r.day),
  tries: Number(r.tries),
  firstAt: Number(r.first_at),
  lastAt: Number(r.last_at),
});
