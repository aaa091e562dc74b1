/**
 * An area texts to new numbers can be paused in (SECURITY-PLAN 25): a block of 1,000 numbers,
 * keyed by its E.164 prefix (all but the last 3 digits), or a country, keyed by its ISO code
 * ('unknown' for numbers of none).
 */
export interface SmsArea {
  area: 'block' | 'country';
  key: string;
}

/** Texts to new numbers in one area stopped for a while, and the counts that stopped them. */
export interface SmsPause extends SmsArea {
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

/** One text that went out. Never the number itself: its keyed digest, to find it again when its code is used. */
export interface SmsText {
  number: string;
  block: string;
  country: string;
  sentAt: number;
  /** When no rule needs it any more (the check's window after it went): the purge deletes it then. */
  keepUntil: number;
}

/** An area's texts, counted for the conversion check. */
export interface SmsTally {
  texts: number;
  used: number;
  /** How many blocks the unused ones went to: a country's pause needs them spread. */
  unusedBlocks: number;
}

/**
 * The evidence of the SMS conversion check (sign-in/sms-pause.ts): the texts that went out, which
 * of their codes were used, and the pauses. Kept in the storage so a restart forgets no pause and
 * many instances judge on the same texts (R10, R11). Every count is the engine's, not a scan.
 */
export interface SmsTextLog {
  sent(text: SmsText): Promise<void>;
  /** The newest text to this number (its digest) sent after `since` and not used yet was used at `at`. */
  used(number: string, since: number, at: number): Promise<void>;
  /** The area's texts sent after `from` that are settled (used, or sent by `settledBy`, so no longer usable). */
  tally(area: SmsArea, from: number, settledBy: number): Promise<SmsTally>;
  /** The area's last pause, in force or lifted, while it is kept. */
  lastPause(area: SmsArea): Promise<{ pause: SmsPause; lifted: boolean } | null>;
  /**
   * Starts a pause unless one is in force in its area at `pause.since`: false when another process
   * started one first, so only one of them tells the owner. Kept until `keepUntil`.
   */
  startPause(pause: SmsPause, keepUntil: number): Promise<boolean>;
  /** Lifts the pauses whose time is up at `now` and answers them, each to one caller only. */
  liftPauses(now: number): Promise<SmsPause[]>;
}
