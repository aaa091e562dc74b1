/**
 * Times on the admin pages, in the page's language: the nearest `lang` above the element (across
 * shadow roots), else the browser's.
 * @example formatWhen('2026-11-22T14:05:00Z', 'en-GB') // '22 Nov 2026, 14:05' (in a UTC time zone)
 */

import { dateTimeStyle } from '../../api/time-style.ts';

/** A day and a time; '' for a missing or unreadable value. */
export function formatWhen(value: string | null | undefined, locale: string | undefined): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const options: Intl.DateTimeFormatOptions = dateTimeStyle;
  try {
    return new Intl.DateTimeFormat(locale, options).format(date);
  } catch {
    // An invalid language tag falls back to the browser's.
    return new Intl.DateTimeFormat(undefined, options).format(date);
  }
}

/** The language of the page around `el`, looking through the shadow roots it sits in. */
export function localeOf(el: Element): string | undefined {
  for (let node: Node | null = el; node; node = node instanceof ShadowRoot ? node.host : node.parentNode) {
    if (node instanceof HTMLElement && node.lang) return node.lang;
  }
  return undefined;
}
