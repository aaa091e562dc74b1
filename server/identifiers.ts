import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/** What a person typed to be recognised, normalised: a lower-case email or an E.164 phone. */
export type Identifier = { kind: 'email'; value: string } | { kind: 'phone'; value: string };

export type Channel = 'email' | 'sms';

/** The key codes, tries and limits are kept under for one identifier: "email:jo@example.com". */
export const subjectOf = (id: Identifier) => `${id.kind}:${id.value}`;

/** The channel a code goes by when the request names none: the identifier's own. */
export const channelOf = (id: Identifier): Channel => (id.kind === 'email' ? 'email' : 'sms');

// RFC 5321 caps a path at 256 octets including the angle brackets, so 254 for the address.
const MAX_EMAIL = 254;
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Checks and normalises an email address, or returns null.
 * ASCII only (IDN domains in their xn-- form): this refuses header injection (CR/LF), control
 * characters and look-alike Unicode, all of which have reached mail headers elsewhere.
 * The whole address is lower-cased so that "Jo@Example.com" and "jo@example.com" are one contact.
 * @example parseEmail(' Jo@Example.COM ') // 'jo@example.com'
 */
export function parseEmail(raw: string): string | null {
  // ASCII before lower-casing: the Kelvin sign (U+212A) lower-cases to a plain "k".
  if (!/^[\x20-\x7e]*$/.test(raw.trim())) return null;
  const email = raw.trim().toLowerCase();
  if (email.length === 0 || email.length > MAX_EMAIL) return null;
  const at = email.lastIndexOf('@');
  if (at <= 0) return null;
  const local = email.slice(0, at);
  const labels = email.slice(at + 1).split('.');
  if (local.length > 64 || !LOCAL_PART.test(local)) return null;
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label))) return null;
  const tld = labels.at(-1)!;
  if (!/^([a-z]{2,63}|xn--[a-z0-9-]+)$/.test(tld)) return null;
  return email;
}

// Digits with the usual separators only: libphonenumber would otherwise pick a number out of text.
const PHONE_CHARS = /^\+?[0-9\s().\-]{4,30}$/;

/**
 * Normalises a phone number to E.164, or returns null. Without a +country code the number is
 * read in `defaultCountry` (DEFAULT_COUNTRY); with none configured it must carry one.
 * @example parsePhone('+44 7911 123456') // '+447911123456'
 */
export function parsePhone(raw: string, defaultCountry?: CountryCode): string | null {
  // "0044 20…" is how much of the world dials +44 from abroad.
  const text = raw.trim().replace(/^00(?=[1-9])/, '+');
  if (!PHONE_CHARS.test(text)) return null;
  const phone = parsePhoneNumberFromString(text, defaultCountry ? { defaultCountry } : undefined);
  return phone?.isValid() ? phone.number : null;
}

/** `j•••@example.com`: enough to recognise one's own address, not to learn someone else's. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return `${email.slice(0, 1)}•••${email.slice(at)}`;
}

/** `•••• 4567`: the last four digits only. */
export function maskPhone(phone: string): string {
  return `•••• ${phone.slice(-4)}`;
}

export const maskIdentifier = (id: Identifier) =>
  id.kind === 'email' ? maskEmail(id.value) : maskPhone(id.value);
