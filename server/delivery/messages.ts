import { timeStyle } from '../../api/time-style.ts';
import { escapeHtml } from '../html.ts';
import type { Channel } from '../identifiers.ts';
import { codeText, type MessageLanguage } from './code-text.ts';
import { LINK_MINUTES } from '../links/links.ts';

/** A message ready for a provider. `text` and `html` hold the code, so they are never logged. */
export interface OutgoingMessage {
  /** Our id for this message: the delivery log's row, and the Metadata/Tag providers echo back. */
  deliveryId: string;
  channel: Channel;
  to: string;
  subject: string;
  text: string;
  html: string;
  codeNumber: number;
  contactId: string | null;
  /** Why a new code was needed (R6), for the delivery log; never sent to the provider. */
  reason?: string | undefined;
}

/** What a provider said when it took the message. */
export interface SendReceipt {
  provider: string;
  providerMessageId: string;
}

/**
 * Why a provider did not take a message, sorted by what we do next:
 * `suppressed` (Postmark 406, Twilio 21610): the address refuses our messages; mark it, never retry.
 * `rejected` (not a mobile number, a malformed address…): this message fails; no retry.
 * `transient` (timeout, 429, 5xx): retry with backoff; several in a row mean the provider is down.
 * `systemic` (a bad token, an unconfirmed sender): nothing will go out until the settings are fixed.
 */
export interface DeliveryFailure {
  kind: 'suppressed' | 'rejected' | 'transient' | 'systemic';
  /** The provider's own error code, e.g. "406" or "21610", or "timeout". */
  code: string;
  text: string;
}

export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(readonly failure: DeliveryFailure) {
    super(`${failure.kind} (${failure.code}): ${failure.text}`);
  }
}

/** Hands a message to a provider (Postmark, Twilio, or the development outbox); throws DeliveryError. */
export interface Sender {
  provider: string;
  send(message: OutgoingMessage): Promise<SendReceipt>;
  /**
   * Takes an address off the provider's own suppression list, for a provider that keeps one
   * (Postmark); throws DeliveryError when the provider refuses (`rejected`) or cannot be reached.
   */
  reactivate?(address: string): Promise<void>;
}

/**
 * For closed signup (NOTIFY_UNKNOWN_EMAIL): someone typed an address that has no account. No code,
 * nothing to click: it only tells the owner of the address what happened and what to do.
 */
export function unknownAddressMessage({ deliveryId, to, siteName }: { deliveryId: string; to: string; siteName: string }): OutgoingMessage {
  const lines = [
    `Someone, perhaps you, tried to sign in to ${siteName} with this email address, but there is no account for it there.`,
    `If it was you, ask the ${siteName} team to add you, or sign in with the email address or phone number they have for you.`,
    "If it wasn't you, you can ignore this email. We send at most one of these a day.",
  ];
  return {
    deliveryId,
    channel: 'email',
    to,
    subject: `Sign-in attempt at ${siteName}`,
    text: lines.join('\n\n'),
    html: `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1f2328;line-height:1.5">${lines
      .map((line) => `<p>${escapeHtml(line)}</p>`)
      .join('')}</body></html>`,
    codeNumber: 0,
    contactId: null,
  };
}

/**
 * Tells an address that it no longer signs in to the site because the site's team changed it
 * (SECURITY-PLAN 36): if that was not asked for, the person hears of it at the address they had.
 */
export function addressChangedMessage({ deliveryId, channel, to, newAddress, siteName, contactId }: {
  deliveryId: string;
  channel: Channel;
  to: string;
  /** Masked, or null when it was removed. */
  newAddress: string | null;
  siteName: string;
  contactId: string;
}): OutgoingMessage {
  const what = channel === 'email' ? 'email address' : 'mobile number';
  const change = newAddress ? `was changed to ${newAddress}` : 'was removed from your account';
  const lines = [
    `The ${what} you sign in to ${siteName} with ${change} by the ${siteName} team, so codes no longer come here.`,
    `If you didn't ask for this, contact the ${siteName} team.`,
  ];
  return {
    deliveryId,
    channel,
    to,
    subject: `Your sign-in ${what} for ${siteName} changed`,
    text: channel === 'sms' ? lines.join(' ') : lines.join('\n\n'),
    html: `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1f2328;line-height:1.5">${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('')}</body></html>`,
    codeNumber: 0,
    contactId,
  };
}

/**
 * A sign-in link or an invitation, sent by an admin to the contact's registered address. The link
 * is the secret here, so, like a code, it is never logged outside the development outbox.
 */
export function linkMessage({ deliveryId, channel, to, url, siteName, kind, contactId, invitationDays }: {
  deliveryId: string;
  channel: Channel;
  to: string;
  url: string;
  siteName: string;
  kind: 'link' | 'invitation';
  contactId: string;
  /** How long an invitation works (INVITATION_DAYS); a sign-in link works LINK_MINUTES. */
  invitationDays: number;
}): OutgoingMessage {
  // The site speaks for itself in an invitation; a sign-in link says an admin sent it, since the
  // person did not ask for it and may wonder why it came.
  const subject = kind === 'invitation' ? `${siteName} invited you to sign in` : `A sign-in link for ${siteName} from its team`;
  const lead = kind === 'invitation' ? `${siteName} invited you to sign in. Open this link to start:` : `An admin of ${siteName} sent you this sign-in link:`;
  const lasts = kind === 'invitation' ? `${invitationDays} day${invitationDays === 1 ? '' : 's'}` : `${LINK_MINUTES} minutes`;
  const note = `The link works once, for ${lasts}. If you didn't expect it, you can ignore this message.`;
  const lines = [lead, url, note];
  return {
    deliveryId,
    channel,
    to,
    subject,
    text: channel === 'sms' ? `${subject}: ${url} (works once, for ${lasts})` : lines.join('\n\n'),
    html: `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1f2328;line-height:1.5"><p>${escapeHtml(lead)}</p><p><a href="${escapeHtml(url)}">Sign in to ${escapeHtml(siteName)}</a></p><p style="color:#59636e">${escapeHtml(note)}</p></body></html>`,
    codeNumber: 0,
    contactId,
  };
}

export interface CodeMessageInput {
  deliveryId: string;
  channel: Channel;
  to: string;
  code: string;
  number: number;
  expiresAt: number;
  ttlMinutes: number;
  siteName: string;
  /** The site's host for the SMS's origin-bound last line; from configuration, never a request. */
  host: string;
  contactId: string | null;
  /** The language the widget asked in (default English). */
  language?: MessageLanguage;
}

/** One formatter per language, made once: building one costs ~100 µs, on every code sent. */
const untilFormats = new Map<string, Intl.DateTimeFormat>();
const untilFormat = (language: string) => {
  let format = untilFormats.get(language);
  if (!format) untilFormats.set(language, (format = new Intl.DateTimeFormat(language, { ...timeStyle, timeZone: 'UTC' })));
  return format;
};

/**
 * The words around a code. The code's number ("code 2") is in every message so a person with
 * several messages can match the one the widget asks for. The SMS ends with the origin-bound line
 * (`@host #code`) that lets browsers offer the code to that site only.
 */
export function codeMessage(input: CodeMessageInput): OutgoingMessage {
  const { deliveryId, channel, to, code, number, expiresAt, ttlMinutes, siteName, host, contactId, language = 'en' } = input;
  // The widget's style of time (api/time-style.ts) in the message's language; UTC, as a message
  // cannot know the reader's time zone.
  const until = untilFormat(language).format(expiresAt);
  const t = codeText[language];
  const subject = t.subject(code, siteName, number);
  const lines = [t.first(siteName, code), t.second(number, ttlMinutes, until), t.ignore];
  const text = channel === 'sms' ? `${t.sms(code, siteName, number, ttlMinutes)}\n\n@${host} #${code}` : lines.join('\n\n');
  const html = `<!doctype html><html lang="${language}"><body style="font-family:system-ui,sans-serif;color:#1f2328;line-height:1.5">
<p>${escapeHtml(t.intro(siteName))}</p>
<p style="font-size:28px;font-weight:700;letter-spacing:4px;margin:8px 0">${code}</p>
<p>${escapeHtml(lines[1]!)}</p>
<p style="color:#59636e">${escapeHtml(lines[2]!)}</p>
</body></html>`;
  return { deliveryId, channel, to, subject, text, html, codeNumber: number, contactId };
}
