import { parsePhoneNumberFromString, type NumberType } from 'libphonenumber-js/max';
import type { Clock } from './clock.ts';
import type { LimitResult, Limiter } from './limits.ts';
import type { Logger } from './log.ts';

/**
 * Number types that cannot receive a text, or that SMS pumping uses to earn from our sends: the
 * `reason` the widget picks a translated sentence by, and the server's English sentence.
 */
const NOT_FOR_TEXTS: Partial<Record<NonNullable<NumberType>, PhoneRefusal>> = {
  FIXED_LINE: { reason: 'landline', message: 'This looks like a landline, which can’t receive text messages. Enter a mobile number, or use your email address.' },
  PREMIUM_RATE: { reason: 'premium_rate', message: 'We don’t send text messages to premium-rate numbers. Enter a mobile number, or use your email address.' },
  SHARED_COST: { reason: 'shared_cost', message: 'We don’t send text messages to shared-cost numbers. Enter a mobile number, or use your email address.' },
  TOLL_FREE: { reason: 'toll_free', message: 'We don’t send text messages to toll-free numbers. Enter a mobile number, or use your email address.' },
  UAN: { reason: 'switchboard', message: 'We don’t send text messages to company switchboard numbers. Enter a mobile number, or use your email address.' },
  PAGER: { reason: 'pager', message: 'We don’t send text messages to pagers. Enter a mobile number, or use your email address.' },
  VOICEMAIL: { reason: 'voicemail', message: 'We don’t send text messages to voicemail numbers. Enter a mobile number, or use your email address.' },
  PERSONAL_NUMBER: { reason: 'personal_number', message: 'We don’t send text messages to personal forwarding numbers. Enter a mobile number, or use your email address.' },
};

/**
 * Why no text may go to a number: `reason` is machine-readable (the widget says it in the page's
 * language), `country` the number's ISO region when SMS_COUNTRIES leaves it out, `message` English.
 */
export interface PhoneRefusal {
  reason: 'country' | 'landline' | 'premium_rate' | 'shared_cost' | 'toll_free' | 'switchboard' | 'pager' | 'voicemail' | 'personal_number';
  message: string;
  country?: string;
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/**
 * The SMS pumping defences (SECURITY-PLAN E): where texts may go (SMS_COUNTRIES, mobile numbers
 * only), how fast to one block of numbers, and how many per hour and day in all — the budget,
 * which fails closed and tells the owner in the log.
 */
export function createSmsGuard({ countries, perPrefix, perHour, perDay, sentPerCountry, usedPerCountry, minConversionPercent, clock, log }: {
  countries: ReadonlySet<string> | null;
  perPrefix: Limiter;
  perHour: Limiter;
  perDay: Limiter;
  /** Texts sent and texted codes used per country, over a day (the conversion check). */
  sentPerCountry: Limiter;
  usedPerCountry: Limiter;
  /** Below this percent of texts used, once 50 went to a country in a day, texts there pause; 0: never. */
  minConversionPercent: number;
  clock: Clock;
  log: Logger;
}) {
  let warnedUntil = 0;
  const pausedWarned = new Map<string, number>();
  const countryOf = (phone: string) => parsePhoneNumberFromString(phone)?.country ?? 'unknown';
  const nameOf = (country: string) => (country === 'unknown' ? 'this number' : `numbers in ${regionNames.of(country) ?? country}`);
  return {
    /** Why no text may go to this E.164 number; null when one may. */
    refusal(phone: string): PhoneRefusal | null {
      const parsed = parsePhoneNumberFromString(phone);
      const country = parsed?.country;
      if (countries && (!country || !countries.has(country))) {
        const where = country ? `numbers in ${regionNames.of(country) ?? country}` : 'this number';
        return { reason: 'country', message: `We can’t send text messages to ${where}. Use your email address instead.`, ...(country && { country }) };
      }
      const type = parsed?.getType();
      return (type && NOT_FOR_TEXTS[type]) ?? null;
    },

    /** The per-prefix limit for a typed number: numbers that share all but their last 3 digits. */
    prefixCheck: (phone: string): [Limiter, string] => [perPrefix, phone.slice(0, -3)],

    /** Whether the SMS budget allows one more text; when it does not, tells the owner once per wait. */
    async budget(): Promise<LimitResult> {
      const hourly = await perHour.check('all');
      const result = hourly.ok ? await perDay.check('all') : hourly;
      if (!result.ok && !result.locked && clock.now() >= warnedUntil) {
        warnedUntil = clock.now() + result.retryAfter * 1000;
        log.warn(
          `SMS budget reached: no more codes by SMS for ${Math.ceil(result.retryAfter / 60)} minutes (email still works). ` +
            'If this is real traffic, raise SMS_HOURLY_LIMIT or SMS_DAILY_LIMIT; if not, someone may be pumping SMS: check the delivery log for unusual countries or number blocks.',
        );
      }
      return result;
    },

    /**
     * SECURITY-PLAN 25: pumped texts are never used to sign in. Once 50 texts went to a country in
     * a day and fewer than SMS_MIN_CONVERSION percent of them led to a sign-in, texts to that
     * country pause until the day's ratio recovers; the owner is told once an hour. Null: go ahead.
     */
    async paused(phone: string): Promise<string | null> {
      if (minConversionPercent <= 0) return null;
      const country = countryOf(phone);
      const sent = await sentPerCountry.count(country);
      if (sent < 50) return null;
      const used = await usedPerCountry.count(country);
      if (used * 100 >= sent * minConversionPercent) return null;
      if ((pausedWarned.get(country) ?? 0) <= clock.now()) {
        pausedWarned.set(country, clock.now() + 3_600_000);
        log.warn(
          `SMS to ${nameOf(country)} paused: ${sent} texts in the last 24 hours, only ${used} used to sign in (below SMS_MIN_CONVERSION=${minConversionPercent}%). ` +
            'This is how SMS pumping looks. Texts resume when the ratio recovers; check the delivery log, or set SMS_COUNTRIES.',
        );
      }
      return `We can’t send text messages to ${nameOf(country)} right now. Use your email address instead.`;
    },

    /** Counts a text that really goes out. */
    async spend(phone: string): Promise<void> {
      await Promise.all([perHour.hit('all'), perDay.hit('all'), sentPerCountry.hit(countryOf(phone))]);
    },

    /** Counts a texted code used to sign in. */
    async used(phone: string): Promise<void> {
      await usedPerCountry.hit(countryOf(phone));
    },
  };
}

export type SmsGuard = ReturnType<typeof createSmsGuard>;
