/**
 * A time of day in the person's language: "14:05" for en-GB, "2:05 PM" for en-US.
 * `undefined` for a value that is not a date; an invalid language tag falls back to the browser's.
 * @example formatTime('2026-11-22T14:05:00Z', 'en-GB') // '14:05' (in a UTC time zone)
 */
export function formatTime(value: string | number, locale: string | undefined): string | undefined {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return undefined;
  const options = { hour: 'numeric', minute: '2-digit' } as const;
  try {
    return new Intl.DateTimeFormat(locale, options).format(date);
  } catch {
    return new Intl.DateTimeFormat(undefined, options).format(date);
  }
}
