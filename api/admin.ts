/**
 * The admin API's answers and bodies (SPEC, "Admin API", exact), declared once for both sides:
 * the server's routes build them (server/admin/) and the admin page reads them (widget/admin/).
 * A field renamed, dropped or retyped on one side is then a compile error on the other, not an
 * admin card that quietly shows nothing. Times are ISO strings, as they travel in the JSON.
 *
 * Why a folder of its own, at the top: the shapes belong to neither side. Under server/ the page
 * would import from the server's tree; under widget/ the server would import from the page's.
 * This file has types only and imports nothing, so `import type` from it adds no byte to a bundle
 * and no server code to the page. Its one constant, the opt-out sources' words, is in
 * ./admin-words.ts.
 *
 * @example
 * // server/admin/role-routes.ts: a field the page reads and the route left out fails `npm run typecheck`
 * c.json({ contact: adminContact(contact), changed } satisfies RoleChange);
 * // widget/admin/admin-api.ts: the page's client promises the same shape
 * setRole(id: string, action: 'make-admin' | 'remove-admin'): Promise<ApiResult<RoleChange>>;
 */

/**
 * A channel a code goes by. The sign-in API says the same (server/identifiers.ts, widget/api.ts);
 * where those meet these shapes, a channel one of them added fails the compile.
 */
export type Channel = 'email' | 'sms';

/**
 * A contact's own fields, with times as `Time`: milliseconds in the server's contact store
 * (server/store/contacts.ts extends this), ISO strings in an answer (AdminContact). One list of
 * fields, so the stored contact and the one the admin sees cannot drift apart.
 */
export interface ContactShape<Time> {
  id: string;
  email: string | null;
  phone: string | null;
  name: string | null;
  status: 'active' | 'deactivated';
  role: 'contact' | 'admin';
  createdAt: Time;
  /** When a code or link last proved the person holds this address; cleared (null) when it changes. */
  emailVerifiedAt: Time | null;
  phoneVerifiedAt: Time | null;
}

/** A contact as the admin sees it. */
export type AdminContact = ContactShape<string>;

/** `GET /api/admin/contacts?q=&limit=&offset=`: one page of the contacts that match, and how many match in all. */
export interface ContactPage {
  contacts: AdminContact[];
  total: number;
  limit: number;
  offset: number;
  /**
   * The search was a full email address or mobile number that no contact has, and someone tried to
   * sign in with it in the last 30 days: what they tried. Absent otherwise.
   */
  unknownAddress?: UnknownAddressAttempts;
}

/**
 * Why a code request sent nothing (server/sign-in/attempts.ts): the address's own or its contact's
 * opt-out, a deactivated contact, a limit, an address that is no contact (closed signup), no
 * address on file for the channel asked, a number SMS_COUNTRIES or its type rules out, or texts to
 * new numbers in its area paused.
 */
export type AttemptBlock = 'opted_out' | 'deactivated' | 'rate_limited' | 'not_a_contact' | 'no_address' | 'sms_refused' | 'sms_paused';

/** One address's code requests on one UTC day that were blocked alike, counted together. */
export interface AttemptRow {
  /** The UTC day, "2025-03-14". */
  day: string;
  channel: Channel;
  block: AttemptBlock;
  /** The opt-out's source (OptOutSource) or the limit's name (AttemptLimit); null when the block says it all. */
  detail: string | null;
  tries: number;
  firstAt: string;
  lastAt: string;
}

/** Which limit refused a code request. */
export type AttemptLimit = 'locked' | 'resend_wait' | 'network' | 'sms_prefix' | 'identifier' | 'sms_budget';

/** `ContactPage.unknownAddress`: an address no contact has, and its blocked tries (newest first). */
export interface UnknownAddressAttempts {
  /** The address as searched, normalised (an email in lower case, a phone in E.164). */
  address: string;
  kind: 'email' | 'phone';
  triesToday: number;
  tries: number;
  attempts: AttemptRow[];
}

/** `POST /api/admin/contacts` (201) and `POST /api/admin/contacts/:id` (an edit): the contact as it is now. */
export interface ContactAnswer {
  contact: AdminContact;
}

/** `POST …/deactivate` and `…/activate`: deactivating signs the contact out of every browser, `revokedDevices` of them. */
export interface StatusChange {
  contact: AdminContact;
  revokedDevices: number;
}

/** One likely reason the contact cannot sign in, most likely first (server/admin/diagnosis.ts). */
export interface Cause {
  cause:
    | 'deactivated'
    | 'locked'
    | 'slowed'
    | 'opted_out'
    | 'sms_paused'
    | 'bounced'
    | 'undelivered'
    | 'code_burned'
    | 'codes_unused'
    | 'blocked_attempts'
    | 'forgetful_browser'
    | 'never_signed_in'
    | 'no_email'
    | 'no_phone';
  channel?: Channel;
  fact: string;
}

/** Why an address gets no messages from us (R4); an opt-in (a START reply) is not one of them. */
export type OptOutSource = 'stop_reply' | 'spam_complaint' | 'bounce' | 'unsubscribe' | 'provider_suppressed' | 'admin';

/**
 * Who may lift an opt-out (R4): an admin ('admin', their own), an admin after confirming the
 * address with the contact (a bounce, a spam complaint, a provider's refusal), or only the contact
 * (a STOP, an unsubscribe). server/delivery/opt-out-rules.ts says which source is which.
 */
export type Lift = 'admin' | 'after_confirming' | 'contact_only';

/** A channel's opt-out on the card. */
export interface OptOutState {
  optedOut: boolean;
  /** Null when not opted out. */
  source: OptOutSource | null;
  /** When the latest opt-out or opt-in was recorded; null when none ever was. */
  at: string | null;
  /** The provider's own words about a bounce or refusal. */
  detail: string | null;
  /** After a STOP: the number the contact texts START to, when the server knows it. */
  replyTo?: string;
  /** Who may lift it; null when not opted out. */
  lift: Lift | null;
}

/** `POST …/opt-out`: the channel's new state; `changed` is false when it was opted out already. */
export interface OptOutChange {
  optOut: OptOutState;
  changed: boolean;
}

/** `POST …/opt-out/lift`: the channel's new state. */
export interface OptOutLifted {
  optOut: OptOutState;
}

/** A row of the delivery log: a message handed (or meant to be handed) to a provider. */
export interface DeliveryRow {
  id: string;
  channel: Channel;
  /** Masked by the server. */
  destination: string;
  provider: string | null;
  codeNumber: number;
  /** Why a new code was needed, as the widget explained it: "cookies_cleared". */
  reason: string | null;
  /** queued, sent, delivered, undelivered, bounced, failed or suppressed (server/store/deliveries.ts). */
  status: string;
  errorCode: string | null;
  errorText: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A remembered browser. */
export interface DeviceRow {
  id: string;
  userAgent: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  sessionOnly: boolean;
  status: 'active' | 'revoked' | 'signed_out' | 'expired';
  /** Why a revoked browser was: an admin revoked it, or the contact was deactivated; null when not revoked. */
  revokedReason: 'admin' | 'deactivated' | null;
}

/** `POST …/devices/:deviceId/revoke`. */
export interface DeviceRevoked {
  revoked: true;
  deviceId: string;
}

/** `POST …/devices/revoke-all`: how many browsers were signed in. */
export interface DevicesRevoked {
  revoked: number;
}

/** A code's history: its number, never the code. */
export interface CodeRow {
  number: number;
  channel: Channel;
  destination: string;
  reason: string | null;
  issuedAt: string;
  /** verified, superseded, burned, undelivered, expired or pending (server/store/code-log.ts). */
  outcome: string;
  outcomeAt: string | null;
}

/** A line of the audit log. */
export interface AuditRow {
  /** Null when the server did it itself (ADMIN_EMAILS no longer listing an admin). */
  adminId: string | null;
  adminEmail: string | null;
  action: string;
  detail: string | null;
  at: string;
}

/** One event to the site's WEBHOOK_URL about the contact, and how its delivery went. */
export interface OutgoingEventRow {
  id: string;
  /** contact.created, contact.signed_in, … (server/store/outgoing-events.ts). */
  type: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  createdAt: string;
  /** When it is tried again (pending); null once delivered or given up. */
  nextAttemptAt: string | null;
  /** The HTTP status of the last try; null when it got no answer. */
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
}

/** `GET /api/admin/contacts/:id`: the contact card. */
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
  /** Code requests of the last 30 days that sent nothing, newest first (absent from servers before them). */
  attempts?: AttemptRow[];
}

/** `POST …/sign-in-link` and `POST …/invite` (202): where it went, never the link. */
export interface LinkSent {
  sent: true;
  channel: Channel;
  /** Masked by the server. */
  destination: string;
  expiresAt: string;
}

/** `POST /api/admin/contacts`: an email address, a mobile number, or both. */
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
  /** Contacts added. */
  imported: number;
  /** Lines that are a contact already here, with the same email, phone and name: nothing to change. */
  unchanged: number;
  /** Each line not imported: where it starts, the value refused ('' when the line has none), and the sentence saying why. */
  rejected: Array<{ line: number; value: string; reason: string }>;
}

/** `POST …/make-admin` and `…/remove-admin`: the contact, and whether the role changed (false: it already was so). */
export interface RoleChange {
  contact: AdminContact;
  changed: boolean;
}
