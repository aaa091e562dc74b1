import { DAY, HOUR } from '../clock.ts';
import type { BackOff, CounterStore, LimitStore, Limiter } from '../store/limits.ts';

/** The limits' settings (config.limits); every one has an environment variable. */
export interface LimitSettings {
  resendCooldownMs: number;
  sendsPerIdentifierPerHour: number;
  sendsPerIdentifierPerDay: number;
  sendsPerIpPerHour: number;
  verifiesPerIpPerHour: number;
  /** SMS to numbers sharing all but their last 3 digits, per hour (SMS pumping). */
  smsPerPrefixPerHour: number;
  smsPerHour: number;
  smsPerDay: number;
  /** Percent of the recent texts to a block of numbers or a country that must be used, or texts to new numbers there pause (sms-pause.ts); 0: no check. */
  smsMinConversionPercent: number;
  failures: BackOff;
}

/** Every limit of the sign-in (R7, SECURITY-PLAN B and E), over the stores that keep their counts. */
export function createLimits(store: LimitStore, counters: CounterStore, l: LimitSettings) {
  const window = (name: string, limit: number, windowMs: number): Limiter => ({ name, limit, windowMs });
  const never: BackOff = { after: Infinity, firstWaitMs: 0, maxWaitMs: 0, lockAfter: Infinity };
  return {
    consume: (...checks: Array<readonly [Limiter, string]>) => store.consume(checks),
    store,
    sendsPerIp: window('sends_per_ip', l.sendsPerIpPerHour, HOUR),
    resendCooldown: window('resend_cooldown', 1, l.resendCooldownMs),
    sendsPerIdentifierPerHour: window('sends_per_identifier_hour', l.sendsPerIdentifierPerHour, HOUR),
    sendsPerIdentifierPerDay: window('sends_per_identifier_day', l.sendsPerIdentifierPerDay, DAY),
    verifiesPerIp: window('verifies_per_ip', l.verifiesPerIpPerHour, HOUR),
    smsPerPrefix: window('sms_per_prefix', l.smsPerPrefixPerHour, HOUR),
    smsPerHour: window('sms_per_hour', l.smsPerHour, HOUR),
    smsPerDay: window('sms_per_day', l.smsPerDay, DAY),
    unknownNotices: window('unknown_notices', 1, DAY),
    // Kept a month after the last wrong code, so waiting out a lock is no way round it.
    failures: counters.counter({ name: 'failures', backOff: l.failures, keepMs: 30 * DAY }),
    // Wrong codes per identifier and asker (IP), from the asker's last code request: the tries
    // left that an answer shows count only the asker's own misses (R3). The code's own count of
    // tries, shared by everyone, is what burns it.
    askerMisses: counters.counter({ name: 'asker_misses', backOff: never, keepMs: HOUR }),
  };
}

export type Limits = ReturnType<typeof createLimits>;
