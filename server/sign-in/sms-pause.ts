import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { DAY, HOUR, utcTime, type Clock } from '../clock.ts';
import type { Logger } from '../log.ts';
import type { SmsArea, SmsPause, SmsTextLog } from '../store/sms-texts.ts';

/**
 * How much evidence a pause needs (SECURITY-PLAN 25: "over ≥50 sends"). A block of 1,000 numbers
 * gets at most SMS_PREFIX_PER_HOUR (10) texts an hour, so 50 there take five hours whatever the
 * number of IPs. A country needs 100 spread over 10 blocks: with the defaults that is five IPs'
 * worth of IP_CODES_PER_HOUR (20) and the whole SMS_HOURLY_LIMIT (100) of an hour, so the pause
 * is never a cheaper lever than the budget, and it leaves known numbers alone where the budget
 * stops everyone.
 */
export const PAUSE_RULES = { blockTexts: 50, countryTexts: 100, countryBlocks: 10, pauseMs: HOUR, windowMs: DAY } as const;

export type { SmsPause } from '../store/sms-texts.ts';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** A country's English name from its ISO code: "Canada". */
export const regionName = (country: string) => regionNames.of(country) ?? country;

/** The block of 1,000 numbers an E.164 number is in: all but its last 3 digits. */
export const blockOf = (phone: string) => phone.slice(0, -3);

/** The numbers that share all but their last 3 digits, as a person reads them: "+1 416 555 2xxx". */
function blockName(phone: string): string {
  const formatted = parsePhoneNumberFromString(phone)?.formatInternational() ?? phone;
  let hidden = 0;
  return [...formatted].reverse().map((ch) => (/\d/.test(ch) && hidden < 3 ? (hidden++, 'x') : ch)).reverse().join('');
}

const utc = (ms: number) => `${utcTime(ms)} UTC`;

/**
 * The conversion check (SECURITY-PLAN 25): pumped texts are never used to sign in, so where too
 * few of the recent texts were used, texts to new numbers pause for an hour. Narrow first: a block
 * of 1,000 numbers on its own evidence; a whole country only when the texts there went to many
 * blocks. Codes still in their lifetime are not counted as unused, every used code counts (known
 * numbers' too), and after a pause only texts sent since it ended count, so a pause always ends
 * and each one costs a flood its full volume again. The owner reads one line when a pause starts
 * and one when it ends.
 */
export function createSmsPauses({ texts, numberKey, minConversionPercent, codeTtlMs, clock, log }: {
  /** Where the texts and pauses are kept (the storage), shared by every instance. */
  texts: SmsTextLog;
  /** A number's keyed digest: the storage never holds a whole number. */
  numberKey: (phone: string) => string;
  /** SMS_MIN_CONVERSION; 0: never pause. */
  minConversionPercent: number;
  codeTtlMs: number;
  clock: Clock;
  log: Logger;
}) {
  const countryOf = (phone: string): SmsArea => ({ area: 'country', key: parsePhoneNumberFromString(phone)?.country ?? 'unknown' });
  const countryName = (country: string) => (country === 'unknown' ? 'an unknown country' : regionName(country));

  /** Ends the pauses whose hour is over, each with its line in the log (told by the one instance that ends it). */
  async function endPauses(now: number) {
    for (const pause of await texts.liftPauses(now)) {
      log.info(
        `SMS to new numbers in ${pause.name} resumed at ${utc(pause.until)} after an hour's pause (SMS_MIN_CONVERSION=${minConversionPercent}%). ` +
          `Texts there count afresh: it pauses again only if ${pause.area === 'block' ? PAUSE_RULES.blockTexts : PAUSE_RULES.countryTexts} more go out and too few are used.`,
      );
    }
  }

  /**
   * A new pause when the area's texts since its last pause (`resumedAt`) were used too rarely;
   * null when they were not.
   */
  async function judge(area: SmsArea, name: string, resumedAt: number, now: number): Promise<SmsPause | null> {
    const from = Math.max(now - PAUSE_RULES.windowMs, resumedAt);
    // A code still in its lifetime may yet be used: it is not a failure.
    const { texts: settled, used, unusedBlocks } = await texts.tally(area, from, now - codeTtlMs);
    const enough = area.area === 'block'
      ? settled >= PAUSE_RULES.blockTexts
      : settled >= PAUSE_RULES.countryTexts && unusedBlocks >= PAUSE_RULES.countryBlocks;
    if (!enough || used * 100 >= settled * minConversionPercent) return null;
    const pause: SmsPause = { ...area, name, since: now, until: now + PAUSE_RULES.pauseMs, from, texts: settled, used, minPercent: minConversionPercent };
    // Another instance may have judged the same texts a moment before: its pause holds, and it told the owner.
    if (!(await texts.startPause(pause, pause.until + PAUSE_RULES.windowMs))) return (await texts.lastPause(area))?.pause ?? null;
    log.warn(
      `SMS to new numbers in ${name} paused until ${utc(pause.until)}: of the ${pause.texts} codes texted there ${from === now - PAUSE_RULES.windowMs ? 'in the last 24 hours' : `since ${utc(from)}`}, ` +
        `only ${used} ${used === 1 ? 'was' : 'were'} used ` +
        `(below SMS_MIN_CONVERSION=${minConversionPercent}%). Numbers that signed in before still get texts. ` +
        'This is how SMS pumping looks: check the delivery log for the numbers, and narrow SMS_COUNTRIES if you never text there.',
    );
    return pause;
  }

  return {
    /** The pause over this E.164 number's block or country now, if any, whoever the number belongs to. */
    async pauseOf(phone: string): Promise<SmsPause | null> {
      if (minConversionPercent <= 0) return null;
      const now = clock.now();
      const country = countryOf(phone);
      const block: SmsArea = { area: 'block', key: blockOf(phone) };
      const [inCountry, inBlock] = await Promise.all([texts.lastPause(country), texts.lastPause(block)]);
      // Ending pauses (and saying so in the log) writes; it is only worth it when one here is due.
      if ([inCountry, inBlock].some((last) => last && !last.lifted && last.pause.until <= now)) await endPauses(now);
      for (const last of [inCountry, inBlock]) if (last && !last.lifted && last.pause.until > now) return last.pause;
      // After a pause only the texts sent since it ended count.
      const resumedAt = (last: typeof inCountry) => last?.pause.until ?? 0;
      return (
        (await judge(country, countryName(country.key), resumedAt(inCountry), now)) ??
        (await judge(block, blockName(phone), resumedAt(inBlock), now))
      );
    },

    /** Counts a text that really goes out. */
    async sent(phone: string): Promise<void> {
      const now = clock.now();
      await texts.sent({ number: numberKey(phone), block: blockOf(phone), country: countryOf(phone).key, sentAt: now, keepUntil: now + PAUSE_RULES.windowMs });
    },

    /** Counts a texted code used to sign in: the newest text to the number that was not used yet. */
    async used(phone: string): Promise<void> {
      const now = clock.now();
      await texts.used(numberKey(phone), now - PAUSE_RULES.windowMs, now);
    },
  };
}

export type SmsPauses = ReturnType<typeof createSmsPauses>;
