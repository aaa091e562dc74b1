import type { CountryCode } from 'libphonenumber-js';
import { phoneRefusedSentence, type PhoneRefusal } from '../../api/phone-words.ts';
import { parsePhone } from '../identifiers.ts';
import { regionName } from '../sign-in/sms-pause.ts';

/** Why no text may go to a number (sign-in/sms-guard.ts), as the admin routes need it. */
export type RefusalOf = (phone: string) => { reason: PhoneRefusal; country?: string } | null;

/**
 * Why a number the admin gives as a contact's mobile would be refused by the widget, in the
 * widget's own sentence (api/phone-words.ts) — without "use your email address", which is the
 * contact's way out, not the admin's — with `reason` and `country` as the public answer has them;
 * or null when texts may go to it.
 */
export function adminPhoneRefusal(phone: string, refusalOf: RefusalOf): { message: string; reason: PhoneRefusal; country?: string } | null {
  const refusal = refusalOf(phone);
  if (!refusal) return null;
  const { reason, country } = refusal;
  return { reason, ...(country && { country }), message: phoneRefusedSentence({ reason, country: country && regionName(country), email: false }) };
}

// Digits with the separators people write numbers with, and at least three digits.
const LOOKS_LIKE_PHONE = /^\+?[0-9\s().\-]+$/;

/**
 * The admin's search text, with a number read as a phone, since phones are stored in E.164:
 * "+1 415 555 0123" and, with DEFAULT_COUNTRY=US, "(415) 555-0123" both become "+14155550123".
 * A number that is no whole phone ("(415) 555-01", or a national number with no DEFAULT_COUNTRY)
 * keeps its digits only, which the store matches anywhere in the number, so the national digits
 * still find it. Other text is searched as it is.
 * @example searchText('(415) 555-0123', 'US') // '+14155550123'
 */
export function searchText(q: string, defaultCountry: CountryCode | undefined): string {
  if (!LOOKS_LIKE_PHONE.test(q) || (q.match(/[0-9]/g) ?? []).length < 3) return q;
  return parsePhone(q, defaultCountry) ?? q.replace(/[^0-9+]/g, '').replace(/(?!^)\+/g, '');
}
