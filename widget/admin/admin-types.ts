/**
 * The shapes of the admin API's answers and bodies (SPEC, "Admin API", exact), apart from the
 * client so each element imports only what it reads. Dates are ISO strings.
 */
import type { Channel } from '../api.ts';

/** A contact as the admin sees it; dates are ISO strings. */
export interface AdminContact {
  id: string;
  email: string | null;
  phone: string | null;
  name: string | null;
  status: 'active' | 'deactivated';
  role: 'contact' | 'admin';
  createdAt: string | null;
  /** When a code or link to the address was last used; null once it changed. */
  emailVerifiedAt?: string | null;
  phoneVerifiedAt?: string | null;
}

export interface ContactPage {
  contacts: AdminContact[];
  total: number;
  limit: number;
  offset: number;
}

/** One likely reason the contact cannot sign in, most likely first. */
export interface Cause {
  cause: string;
  channel?: Channel;
  fact: string;
}

/**
 * Who may lift an opt-out: an admin ('admin'), an admin after confirming with the contact (a
 * bounce, a spam complaint, a provider's refusal), or only the contact (a STOP, an unsubscribe).
 */
export type Lift = 'admin' | 'after_confirming' | 'contact_only';

export interface OptOutState {
  optedOut: boolean;
  /** stop_reply, spam_complaint, bounce, unsubscribe, provider_suppressed, admin; null when not opted out. */
  source: string | null;
  at: string | null;
  detail: string | null;
  /** After a STOP: the number the contact texts START to, when the server knows it. */
  replyTo?: string;
  /** Who may lift it; absent or null when not opted out. */
  lift?: Lift | null;
}

export interface DeliveryRow {
  id: string;
  channel: Channel;
  /** Masked by the server. */
  destination: string;
  provider: string | null;
  codeNumber: number;
  reason: string | null;
  status: string;
  errorCode: string | null;
  errorText: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface DeviceRow {
  id: string;
  userAgent: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  sessionOnly: boolean;
  status: 'active' | 'revoked' | 'signed_out' | 'expired';
  /** Why a revoked browser was: an admin revoked it, or the contact was deactivated. */
  revokedReason?: 'admin' | 'deactivated' | null;
}

/** A code's history: its number, never the code. */
export interface CodeRow {
  number: number;
  channel: Channel;
  destination: string;
  reason: string | null;
  issuedAt: string;
  outcome: string;
  outcomeAt: string | null;
}

export interface AuditRow {
  /** Null when the server did it itself (ADMIN_EMAILS no longer listing an admin). */
  adminId: string | null;
  adminEmail: string | null;
  action: string;
  detail: string | null;
  at: string;
}

/** `GET /api/admin/contacts/:id`. */
export interface ContactCard {
  contact: AdminContact;
  diagnosis: Cause[];
  optOut: Record<Channel, OptOutState>;
  deliveries: DeliveryRow[];
  devices: DeviceRow[];
  codes: CodeRow[];
  lastSignedInAt: string | null;
  audit: AuditRow[];
  /** Events sent to the site's WEBHOOK_URL about this contact; absent when none is set. */
  outgoingEvents?: OutgoingEventRow[];
}

/** One event to the site's backend and how its delivery went. */
export interface OutgoingEventRow {
  id: string;
  type: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  createdAt: string;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
}

/** `POST …/sign-in-link` and `POST …/invite` (202): where it went, never the link. */
export interface LinkSent {
  sent: true;
  channel: Channel;
  /** Masked by the server. */
  destination: string;
  expiresAt: string;
}

export interface NewContact {
  email?: string;
  phone?: string;
  name?: string;
}

/** `POST /api/admin/contacts/:id`: every field is sent; "" clears it. */
export interface ContactEdit {
  name: string;
  email: string;
  phone: string;
}

/** `POST /api/admin/contacts/import`: how many were added, and each line refused, with the server's sentence. */
export interface ImportReport {
  imported: number;
  rejected: Array<{ line: number; reason: string }>;
}

/** `POST …/make-admin` and `…/remove-admin`: the contact, and whether the role changed (false: it already was so). */
export interface RoleChange {
  contact: AdminContact;
  changed: boolean;
}

/** `POST …/opt-out`: the channel's new state; `changed` is false when it was opted out already. */
export interface OptOutChange {
  optOut: OptOutState;
  changed: boolean;
}
