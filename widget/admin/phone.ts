/**
 * Phone numbers as the admin reads them. The server stores and sends E.164 (`+14155550123`, and so
 * does the CSV export, for machines); every page shows the international format, grouped as the
 * number's country writes it (`+1 415 555 0123`), which is easier to read out to a contact.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

const E164 = /^\+[1-9][0-9]{3,14}$/;

/**
 * An E.164 number in international format; anything else (a masked `•••• 4567`, an email address,
 * a number libphonenumber does not know) as it is.
 * @example phoneText('+14155550123') // '+1 415 555 0123'
 */
export function phoneText(text: string): string;
export function phoneText(text: string | null): string | null;
export function phoneText(text: string | null): string | null {
  if (text === null || !E164.test(text)) return text;
  return parsePhoneNumberFromString(text)?.formatInternational() ?? text;
}
