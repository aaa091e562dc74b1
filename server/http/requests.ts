import type { CountryCode } from 'libphonenumber-js';
import type { ErrorCode, ErrorExtra } from './errors.ts';
import { parseEmail, parsePhone, type Channel, type Identifier } from '../identifiers.ts';
import { messageLanguage, type MessageLanguage } from '../delivery/code-text.ts';

/** A request body turned into typed input, or the error to answer with. Nothing is stored before this passes. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message?: string; extra?: ErrorExtra };

const fail = (code: ErrorCode, message?: string, extra?: ErrorExtra): Parsed<never> => ({ ok: false, code, ...(message && { message }), ...(extra && { extra }) });

/** Parses the raw body text as a JSON object. */
export function parseJsonObject(text: string): Parsed<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('invalid_request', 'We could not read that request: the body must be JSON, such as {"email":"you@example.com"}.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('invalid_request', 'The body must be a JSON object, such as {"email":"you@example.com"}.');
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/** `{"email":E}` or `{"phone":P}`: exactly one, as a string. */
export function parseIdentifier(body: Record<string, unknown>, defaultCountry?: CountryCode): Parsed<Identifier> {
  // null counts as absent, as JSON encoders write unset fields; so does a blank field next to a
  // filled one, as a form with both fields sends it.
  const blank = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
  if (blank(body.email) && blank(body.phone)) return fail('missing_identifier');
  const email = blank(body.email) ? undefined : body.email;
  const phone = blank(body.phone) ? undefined : body.phone;
  if (email !== undefined && phone !== undefined) {
    return fail('invalid_request', 'Send either "email" or "phone", not both.');
  }
  if (email !== undefined) {
    if (typeof email !== 'string') return fail('invalid_email', '"email" must be text, such as "name@example.com".');
    const value = parseEmail(email);
    return value ? { ok: true, value: { kind: 'email', value } } : fail('invalid_email');
  }
  if (phone !== undefined) {
    if (typeof phone !== 'string') return fail('invalid_phone', '"phone" must be text, such as "+44 7911 123456".');
    const value = parsePhone(phone, defaultCountry);
    if (value) return { ok: true, value: { kind: 'phone', value } };
    // With a country code already there, the digits after it are what is wrong; `reason` lets the
    // widget say so in the page's language (no reason: it says to add the country code).
    return phone.trim().startsWith('+')
      ? fail('invalid_phone', "That mobile number doesn't look right. Check the digits after the country code, for example +44 7911 123456.", { reason: 'digits' })
      : fail('invalid_phone');
  }
  return fail('missing_identifier');
}

/** The optional `"channel"` of a code request. */
export function parseChannel(body: Record<string, unknown>): Parsed<Channel | undefined> {
  const { channel } = body;
  if (channel === undefined || channel === null) return { ok: true, value: undefined };
  return channel === 'email' || channel === 'sms' ? { ok: true, value: channel } : fail('invalid_channel');
}

/**
 * The optional `"previousSentAt"` of a code request: the `sentAt` of the code the asker already
 * holds for this identifier (the widget keeps it across a reload). A resend too soon after it is
 * refused with the wait, reckoned from this time alone, so the answer says nothing about what
 * anyone else asked for (R3).
 */
export function parsePreviousSentAt(body: Record<string, unknown>): Parsed<number | undefined> {
  const { previousSentAt } = body;
  if (previousSentAt === undefined || previousSentAt === null) return { ok: true, value: undefined };
  const at = typeof previousSentAt === 'string' && /^\d{4}-\d\d-\d\dT/.test(previousSentAt) ? Date.parse(previousSentAt) : NaN;
  if (Number.isNaN(at)) return fail('invalid_request', '"previousSentAt" must be the sentAt of the code you already have, such as "2026-12-04T14:05:00.000Z".');
  return { ok: true, value: at };
}

/** The widget's explanations (widget/explain.ts), the only words kept for the admin card. */
const EXPLANATIONS = new Set([
  'revoked', 'deactivated', 'signed_out', 'session_only', 'expired', 'cookies_blocked', 'cookies_likely_blocked',
  'cookies_blocked_embedded', 'cookies_cleared', 'private_window', 'no_saved_sign_in', 'first_sign_in', 'unknown_device', 'unknown',
]);

/** `"reason"`: optional; why the widget says a code is needed (e.g. "cookies_cleared"), kept with the code's history. */
export function parseReason(body: Record<string, unknown>): Parsed<string | undefined> {
  const { reason } = body;
  if (reason === undefined || reason === null) return { ok: true, value: undefined };
  return typeof reason === 'string' && EXPLANATIONS.has(reason)
    ? { ok: true, value: reason }
    : fail('invalid_request', `"reason" must be one of: ${[...EXPLANATIONS].join(', ')}.`);
}

/** An optional true/false field, `fallback` when absent. */
export function parseFlag(body: Record<string, unknown>, name: string, fallback: boolean): Parsed<boolean> {
  const value = body[name];
  if (value === undefined || value === null) return { ok: true, value: fallback };
  return typeof value === 'boolean' ? { ok: true, value } : fail('invalid_request', `"${name}" must be true or false.`);
}

/** `"remember"`: optional, default true; false ("Don't remember this browser") keeps the sign-in to this browser session. */
export const parseRemember = (body: Record<string, unknown>) => parseFlag(body, 'remember', true);

/** `"code"`: six digits as text; spaces and dashes from a pasted "482 913" are ignored. */
export function parseCode(body: Record<string, unknown>): Parsed<string> {
  const { code } = body;
  if (typeof code !== 'string') return fail('invalid_code_format', 'Enter the 6-digit code as text, such as "048213".');
  const digits = code.replace(/[\s-]/g, '');
  return /^[0-9]{6}$/.test(digits) ? { ok: true, value: digits } : fail('invalid_code_format');
}

/** `"lang"`: optional; the widget's language (a tag such as "fr-CA"), for the message's words. Unknown ones mean English. */
export function parseLanguage(body: Record<string, unknown>): Parsed<MessageLanguage> {
  const { lang } = body;
  if (lang === undefined || lang === null) return { ok: true, value: 'en' };
  return typeof lang === 'string' && lang.length <= 35 ? { ok: true, value: messageLanguage(lang) } : fail('invalid_request', '"lang" must be a language tag such as "fr" or "pt-BR".');
}
