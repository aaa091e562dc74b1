import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { DAY, HOUR, utcTime, type Clock } from '../clock.ts';
import type { Logger } from '../log.ts';

/**
 * How much evidence a pause needs (SECURITY-PLAN 25: "over ≥50 sends"). A block of 1,000 numbers
 * gets at most SMS_PREFIX_PER_HOUR (10) texts an hour, so 50 there take five hours whatever the
 * number of IPs. A country needs 100 spread over 10 blocks: with the defaults that is five IPs'
 * worth of IP_CODES_PER_HOUR (20) and the whole SMS_HOURLY_LIMIT (100) of an hour, so the pause
 * is never a cheaper lever than the budget, and it leaves known numbers alone where the budget
 * stops everyone.
 */
export const PAUSE_RULES = { blockTexts: 50, countryTexts: 100, countryBlocks: 10, pauseMs: HOUR, windowMs: DAY } as const;

/** Texts kept per country; beyond it the oldest are forgotten (a day's SMS_DAILY_LIMIT is far less). */
const MAX_TEXTS = 50_000;

/** One text that went out, and whether its code was used. */
interface Text {
  phone: string;
  block: string;
  at: number;
  used: boolean;
}

/** Texts to new numbers in one area stopped for a while, and the counts that stopped them. */
export interface SmsPause {
  area: 'block' | 'country';
  /** "+1 416 555 2xxx" for a block of 1,000 numbers, or the country's name. */
  name: string;
  since: number;
  until: number;
  /** Texts since `from` that could have been used by `since` (sent a code's lifetime before, or used), and how many were. */
  from: number;
  texts: number;
  used: number;
  /** SMS_MIN_CONVERSION, the percent they fell below. */
  minPercent: number;
}

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
export function createSmsPauses({ minConversionPercent, codeTtlMs, clock, log }: {
  /** SMS_MIN_CONVERSION; 0: never pause. */
  minConversionPercent: number;
  codeTtlMs: number;
  clock: Clock;
  log: Logger;
}) {
  const texts = new Map<string, Text[]>();
  const active = new Map<string, SmsPause>();
  /** When each area's last pause ended: older texts no longer count there. */
  const resumedAt = new Map<string, number>();

  const countryOf = (phone: string) => parsePhoneNumberFromString(phone)?.country ?? 'unknown';
  const countryName = (country: string) => (country === 'unknown' ? 'an unknown country' : regionName(country));

  function recent(country: string, now: number): Text[] {
    const kept = (texts.get(country) ?? []).filter((t) => t.at > now - PAUSE_RULES.windowMs);
    texts.set(country, kept);
    return kept;
  }

  /** Ends the pauses whose hour is over, each with its line in the log. */
  function endPauses(now: number) {
    for (const [key, pause] of active) {
      if (pause.until > now) continue;
      active.delete(key);
      resumedAt.set(key, pause.until);
      log.info(
        `SMS to new numbers in ${pause.name} resumed at ${utc(pause.until)} after an hour's pause (SMS_MIN_CONVERSION=${minConversionPercent}%). ` +
          `Texts there count afresh: it pauses again only if ${pause.area === 'block' ? PAUSE_RULES.blockTexts : PAUSE_RULES.countryTexts} more go out and too few are used.`,
      );
    }
  }

  /** A new pause when the area's texts since its last pause were used too rarely; null when they were not. */
  function judge(area: SmsPause['area'], key: string, name: string, all: Text[], now: number): SmsPause | null {
    const from = Math.max(now - PAUSE_RULES.windowMs, resumedAt.get(key) ?? 0);
    // A code still in its lifetime may yet be used: it is not a failure.
    const settled = all.filter((t) => t.at > from && (t.used || t.at <= now - codeTtlMs));
    const used = settled.filter((t) => t.used).length;
    const enough = area === 'block'
      ? settled.length >= PAUSE_RULES.blockTexts
      : settled.length >= PAUSE_RULES.countryTexts && new Set(settled.filter((t) => !t.used).map((t) => t.block)).size >= PAUSE_RULES.countryBlocks;
    if (!enough || used * 100 >= settled.length * minConversionPercent) return null;
    const pause: SmsPause = { area, name, since: now, until: now + PAUSE_RULES.pauseMs, from, texts: settled.length, used, minPercent: minConversionPercent };
    active.set(key, pause);
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
      endPauses(now);
      const country = countryOf(phone);
      const block = blockOf(phone);
      const held = active.get(`country:${country}`) ?? active.get(`block:${block}`);
      if (held) return held;
      const all = recent(country, now);
      return (
        judge('country', `country:${country}`, countryName(country), all, now) ??
        judge('block', `block:${block}`, blockName(phone), all.filter((t) => t.block === block), now)
      );
    },

    /** Counts a text that really goes out. */
    async sent(phone: string): Promise<void> {
      const country = countryOf(phone);
      const kept = recent(country, clock.now());
      kept.push({ phone, block: blockOf(phone), at: clock.now(), used: false });
      if (kept.length > MAX_TEXTS) kept.splice(0, kept.length - MAX_TEXTS);
    },

    /** Counts a texted code used to sign in: the newest text to the number that was not used yet. */
    async used(phone: string): Promise<void> {
      const kept = recent(countryOf(phone), clock.now());
      const text = kept.findLast((t) => t.phone === phone && !t.used);
      if (text) text.used = true;
    },
  };
}

export type SmsPauses = ReturnType<typeof createSmsPauses>;
