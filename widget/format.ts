/**
 * Values shown to the person: times and dates in their language, identifiers masked.
 * @example formatTime('2026-11-22T14:05:00Z', 'en-GB') // '14:05' (in a UTC time zone)
 * @example formatDate('2028-01-03T10:00:00Z', 'en-GB') // '3 Jan 2028'
 * @example maskIdentifier('jo@example.com') // 'j•••@example.com'
 */

import { dateStyle, timeStyle } from '../api/time-style.ts';

/** A time of day: "14:05" for en-GB, "2:05 PM" for en-US. `undefined` for a value that is not a date. */
export function formatTime(value: string | number, locale: string | undefined): string | undefined {
  return format(value, locale, timeStyle);
}

/** A day: "3 Jan 2028" for en-GB, "Jan 3, 2028" for en-US. */
export function formatDate(value: string | number, locale: string | undefined): string | undefined {
  return format(value, locale, dateStyle);
}

/** Masked like the server's destinations: `j•••@example.com`, `•••• 4567`. */
export function maskIdentifier(value: string): string {
  const at = value.lastIndexOf('@');
  return at > 0 ? `${value.slice(0, 1)}•••${value.slice(at)}` : `•••• ${value.replace(/\D/g, '').slice(-4)}`;
}

/** An invalid language tag falls back to the browser's. */
function format(value: string | number, locale: string | undefined, options: Intl.DateTimeFormatOptions): string | undefined {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return undefined;
  try {
    return new Intl.DateTimeFormat(locale, options).format(date);
  } catch {
    return new Intl.DateTimeFormat(undefined, options).format(date);
  }
}
