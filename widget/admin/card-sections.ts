/**
 * The sections of the contact card, one function each, in the order the card shows them. Pure:
 * the card's JSON and a time formatter in, a template out; a section with actions takes them
 * already rendered (`after`, `action`) from the card. Codes appear by number only: the server
 * never sends a code, and nothing here would show one.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { AuditRow, Cause, Channel, CodeRow, ContactCard, DeliveryRow, DeviceRow, OptOutState, OutgoingEventRow } from './admin-api.ts';
import { adminStrings as s, wordFor } from './admin-strings.ts';
import { describeUserAgent } from './user-agent.ts';
import { phoneText } from './phone.ts';

/** Formats an ISO time in the page's language ('' when absent). */
export type When = (iso: string | null | undefined) => string;

/** A contact's name for headings and sentences: the name, else the email, else the phone. */
export const contactLabel = (c: { name: string | null; email: string | null; phone: string | null }) =>
  c.name || c.email || phoneText(c.phone) || s.unnamed;

/**
 * A section under a heading the screen reader's heading list can jump to. Not a named region:
 * nine landmarks per card would be noise, and the tables below already are regions. The heading
 * takes focus when an action removed the button that had it.
 */
export function section(id: string, heading: string, body: unknown): TemplateResult {
  return html`<section><h3 id=${id} tabindex="-1">${heading}</h3>${body}</section>`;
}

/**
 * A table named by its section's heading; `empty` is said instead when there are no rows. On a
 * narrow screen the table scrolls sideways, so its region takes focus for keyboard scrolling.
 */
function table(labelledBy: string, columns: string[], rows: TemplateResult[], empty: string): TemplateResult {
  if (rows.length === 0) return html`<p class="muted">${empty}</p>`;
  return html`
    <div class="table-wrap" role="region" aria-labelledby=${labelledBy} tabindex="0">
      <table aria-labelledby=${labelledBy}>
        <thead><tr>${columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
        <tbody>${rows}</tbody>
      </table>
    </div>
  `;
}

export function renderDiagnosis(causes: Cause[]): TemplateResult {
  return section(
    'diagnosis-heading',
    s.diagnosisHeading,
    causes.length === 0
      ? html`<p>${s.nothingInTheWay}</p>`
      : html`<p class="muted">${s.diagnosisLead}</p><ol class="diagnosis">${causes.map((c) => html`<li>${c.fact}</li>`)}</ol>`,
  );
}

/** Who the contact is; `after` is shown below: "Edit details", or the form it opens. */
export function renderIdentity(card: ContactCard, when: When, after: unknown = nothing): TemplateResult {
  const c = card.contact;
  const item = (term: string, value: unknown) => html`<div><dt>${term}</dt><dd>${value}</dd></div>`;
  // An address with when the contact last proved they hold it.
  const address = (value: string | null, verifiedAt: string | null | undefined) =>
    value ? html`${value} <span class="muted">(${verifiedAt ? s.verifiedOn(when(verifiedAt)) : s.notVerified})</span>` : s.noneOnFile;
  return section(
    'details-heading',
    s.details,
    html`<dl class="details">
      ${item(s.name, c.name || s.unnamed)} ${item(s.email, address(c.email, c.emailVerifiedAt))} ${item(s.phone, address(phoneText(c.phone), c.phoneVerifiedAt))}
      ${item(s.status, wordFor(s.statuses, c.status))} ${item(s.role, wordFor(s.roles, c.role))} ${item(s.created, when(c.createdAt))}
      ${item(s.signIns, card.lastSignedInAt ? s.lastSignedIn(when(card.lastSignedInAt)) : s.neverSignedIn)}
    </dl>${after}`,
  );
}

/** Each channel's opt-out, and below it what `action` renders: the change an admin may make. */
export function renderOptOuts(card: ContactCard, when: When, action: (channel: Channel, address: string | null, o: OptOutState) => unknown = () => nothing): TemplateResult {
  const channel = (name: Channel, address: string | null, o: OptOutState) => html`
    <div><dt>${wordFor(s.channels, name)}</dt>
      <dd>
        ${!address && !o.optedOut
          ? s.noAddress(name)
          : !o.optedOut
            ? s.notOptedOut
            : html`<p><strong>${s.optedOut(wordFor(s.optOutSources, o.source), when(o.at))}</strong></p>
                ${o.detail ? html`<p class="muted">${s.optOutDetail(o.detail)}</p>` : nothing}
                ${liftSentence(o) ? html`<p>${liftSentence(o)}</p>` : nothing}`}
        ${action(name, address, o)}
      </dd>
    </div>
  `;
  return section(
    'optout-heading',
    s.optOutHeading,
    html`<dl class="details">${channel('email', card.contact.email, card.optOut.email)} ${channel('sms', card.contact.phone, card.optOut.sms)}</dl>`,
  );
}

/** What lifts an opt-out; a STOP names the number to text START to when the server gave it. */
function liftSentence(o: OptOutState): string | undefined {
  if (o.source === 'stop_reply' && o.replyTo) return s.liftStopReplyTo(phoneText(o.replyTo));
  return o.source ? s.liftOptOut[o.source] : undefined;
}

export function renderCodes(codes: CodeRow[], when: When): TemplateResult {
  const row = (c: CodeRow) => html`<tr>
    <td class="time">${when(c.issuedAt)}</td><td>${wordFor(s.channels, c.channel)}</td><td>${s.codeNo(c.number)}</td><td>${phoneText(c.destination)}</td>
    <td>${wordFor(s.outcomes, c.outcome)}</td><td>${wordFor(s.reasons, c.reason, s.reasonNotGiven)}</td>
  </tr>`;
  return section('codes-heading', s.codesHeading, table('codes-heading', [s.when, s.channel, s.codeNumber, s.sentTo, s.outcome, s.reason], codes.map(row), s.noCodes));
}

export function renderDeliveries(deliveries: DeliveryRow[], when: When): TemplateResult {
  const row = (d: DeliveryRow) => html`<tr>
    <td class="time">${when(d.createdAt)}</td><td>${wordFor(s.channels, d.channel)}</td><td>${phoneText(d.destination)}</td><td>${d.provider ?? ''}</td>
    <td>${wordFor(s.deliveryStatuses, d.status)}</td><td>${[d.errorCode, d.errorText].filter(Boolean).join(': ') || s.noError}</td>
  </tr>`;
  return section(
    'deliveries-heading',
    s.deliveriesHeading,
    table('deliveries-heading', [s.when, s.channel, s.sentTo, s.provider, s.deliveryStatus, s.error], deliveries.map(row), s.noDeliveries),
  );
}

/**
 * Remembered browsers; a signed-in one has a Revoke button named for its browser. `after` is shown
 * below the table: the card's "Revoke all browsers" and its confirm step.
 */
export function renderDevices(
  devices: DeviceRow[],
  when: When,
  { busy, revoke, after = nothing }: { busy: string | null; revoke: (d: DeviceRow) => void; after?: unknown },
): TemplateResult {
  const row = (d: DeviceRow) => {
    const name = s.deviceName(describeUserAgent(d.userAgent));
    const status = d.status === 'revoked' && d.revokedReason === 'deactivated' ? s.revokedByDeactivation : wordFor(s.deviceStatuses, d.status);
    return html`<tr>
      <td>${name}</td><td class="time">${when(d.createdAt)}</td><td class="time">${when(d.lastSeenAt)}</td><td class="time">${when(d.expiresAt)}</td>
      <td>${d.sessionOnly ? `${status} (${s.sessionOnly})` : status}</td>
      <td>
        ${d.status === 'active'
          ? html`<button type="button" aria-label=${s.revokeLabel(name, when(d.lastSeenAt))} ?disabled=${busy !== null} @click=${() => revoke(d)}>
              ${busy === d.id ? s.revoking : s.revoke}
            </button>`
          : nothing}
      </td>
    </tr>`;
  };
  return section(
    'devices-heading',
    s.devicesHeading,
    html`${table('devices-heading', [s.browser, s.firstSeen, s.lastSeen, s.expires, s.status, s.actions], devices.map(row), s.noDevices)}${after}`,
  );
}

/** Events sent to the site's WEBHOOK_URL about this contact, with each one's delivery. */
export function renderOutgoingEvents(rows: OutgoingEventRow[], when: When): TemplateResult {
  const row = (e: OutgoingEventRow) => html`<tr>
    <td class="time">${when(e.createdAt)}</td><td><code>${e.type}</code></td><td>${e.attempts}</td><td>${s.outgoingStatus(e, when)}</td>
  </tr>`;
  return section('outgoing-heading', s.outgoingHeading, table('outgoing-heading', [s.when, s.event, s.tries, s.deliveryStatus], rows.map(row), s.noOutgoing));
}

export function renderAudit(audit: AuditRow[], when: When): TemplateResult {
  const row = (a: AuditRow) => html`<tr>
    <td>${a.adminId === null ? s.byServer : (a.adminEmail ?? a.adminId)}</td><td>${wordFor(s.auditActions, a.action)}${auditDetail(a) ? html` <span class="muted">${`(${auditDetail(a)})`}</span>` : nothing}</td><td class="time">${when(a.at)}</td>
  </tr>`;
  return section('audit-heading', s.auditHeading, table('audit-heading', [s.who, s.what, s.when], audit.map(row), s.noAudit));
}

/** The audit's detail in words: a revoked browser is logged by its user agent. */
function auditDetail(a: AuditRow): string {
  if (!a.detail) return '';
  // The server writes numbers as E.164 into its sentences; the admin reads them as everywhere else (+1 415 555 0123).
  return a.action === 'revoke_device' ? s.deviceName(describeUserAgent(a.detail)) : a.detail.replace(/\+\d{8,15}\b/g, (phone) => phoneText(phone));
}
