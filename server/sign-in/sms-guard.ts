import { parsePhoneNumberFromString, type NumberType } from 'libphonenumber-js/max';
import { utcTime, type Clock } from '../clock.ts';
import type { LimitResult, LimitStore, Limiter } from '../store/limits.ts';
import type { Logger } from '../log.ts';
import type { PhoneRefusal as PhoneReason } from '../../api/phone-words.ts';
import { blockOf, regionName, type SmsPause, type SmsPauses } from './sms-pause.ts';

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
  reason: PhoneReason;
  message: string;
  country?: string;
}

/**
 * The SMS pumping defences (SECURITY-PLAN E): where texts may go (SMS_COUNTRIES, mobile numbers
 * only), how fast to one block of numbers, how many per hour and day in all — the budget,
 * which fails closed and tells the owner in the log — and, where too few texts are used, a pause
 * for numbers new here (sms-pause.ts).
 */
export function createSmsGuard({ countries, store, perPrefix, perHour, perDay, pauses, clock, log }: {
  countries: ReadonlySet<string> | null;
  /** Where the budget's texts are counted. */
  store: LimitStore;
  perPrefix: Limiter;
  perHour: Limiter;
  perDay: Limiter;
  /** The conversion check (sms-pause.ts). */
  pauses: SmsPauses;
  clock: Clock;
  log: Logger;
}) {
  let warnedUntil = 0;
  return {
    /** Why no text may go to this E.164 number; null when one may. */
    refusal(phone: string): PhoneRefusal | null {
      const parsed = parsePhoneNumberFromString(phone);
      const country = parsed?.country;
      if (countries && (!country || !countries.has(country))) {
        const where = country ? `numbers in ${regionName(country)}` : 'this number';
        return { reason: 'country', message: `We can’t send text messages to ${where}. Use your email address instead.`, ...(country && { country }) };
      }
      const type = parsed?.getType();
      return (type && NOT_FOR_TEXTS[type]) ?? null;
    },

    /** The per-prefix limit for a typed number: numbers that share all but their last 3 digits. */
    prefixCheck: (phone: string): [Limiter, string] => [perPrefix, blockOf(phone)],

    /** Whether the SMS budget allows one more text; when it does not, tells the owner once per wait. */
    async budget(): Promise<LimitResult> {
      const hourly = await store.check(perHour, 'all');
      const result = hourly.ok ? await store.check(perDay, 'all') : hourly;
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
     * The pause over a number's block or country (SECURITY-PLAN 25): a number that signed in before
     * still gets texts, since pumping goes to numbers nobody here ever signed in with. A typed
     * number is told of it whether or not it signed in before (R3).
     */
    pauseOf: (phone: string): Promise<SmsPause | null> => pauses.pauseOf(phone),

    /** What a person who typed a number in a paused area reads, known or not (R3). */
    pauseNotice: (pause: SmsPause): string =>
      `Texts to numbers new to us in ${pause.name} are paused until ${utcTime(pause.until)} UTC. ` +
      'If you’ve signed in with this number before, your code is on its way; if not, use your email address instead.',

    /**
     * Counts a text that really goes out, if the budget still allows it: one atomic step of the
     * store, so requests racing on several instances past `budget()` never send more than it.
     */
    async spend(phone: string): Promise<boolean> {
      if (!(await store.consume([[perHour, 'all'], [perDay, 'all']])).ok) return false;
      await pauses.sent(phone);
      return true;
    },

    /** Counts a texted code used to sign in. */
    async used(phone: string): Promise<void> {
      await pauses.used(phone);
    },
  };
}

export type SmsGuard = ReturnType<typeof createSmsGuard>;
