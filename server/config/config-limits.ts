import { isSupportedCountry } from 'libphonenumber-js';
import { HOUR } from '../clock.ts';
import type { LimitSettings } from '../sign-in/limits.ts';

type Env = Record<string, string | undefined>;

/** Start-up refuses a bad setting with a sentence naming the variable (see config.ts). */
type Refuse = (message: string) => never;

/** Each limit, its environment variable and its default (the README's table lists the same). */
const numbers = {
  CODE_COOLDOWN_SECONDS: 30,
  CODES_PER_HOUR: 5,
  CODES_PER_DAY: 10,
  IP_CODES_PER_HOUR: 20,
  IP_VERIFIES_PER_HOUR: 100,
  FAILURES_BEFORE_WAIT: 10,
  FAILURES_BEFORE_LOCK: 100,
  SMS_PREFIX_PER_HOUR: 10,
  SMS_HOURLY_LIMIT: 100,
  SMS_DAILY_LIMIT: 500,
  SMS_MIN_CONVERSION: 20,
} as const;

/** The limits from the environment; each is a whole number of at least 1. */
export function readLimits(env: Env, refuse: Refuse): LimitSettings {
  const n = (name: keyof typeof numbers) => {
    const raw = env[name]?.trim();
    if (!raw) return numbers[name];
    const value = Number(raw);
    const least = name === 'SMS_MIN_CONVERSION' ? 0 : 1;
    if (!Number.isInteger(value) || value < least) refuse(`${name} must be a whole number of at least ${least}, such as ${numbers[name]}, not "${raw}".`);
    return value;
  };
  const lockAfter = n('FAILURES_BEFORE_LOCK');
  // NIST SP 800-63B §3.2.2: no more than 100 failed attempts in a row on one account.
  if (lockAfter > 100) refuse(`FAILURES_BEFORE_LOCK must be at most 100 (NIST SP 800-63B), not ${lockAfter}.`);
  return {
    resendCooldownMs: n('CODE_COOLDOWN_SECONDS') * 1000,
    sendsPerIdentifierPerHour: n('CODES_PER_HOUR'),
    sendsPerIdentifierPerDay: n('CODES_PER_DAY'),
    sendsPerIpPerHour: n('IP_CODES_PER_HOUR'),
    verifiesPerIpPerHour: n('IP_VERIFIES_PER_HOUR'),
    smsPerPrefixPerHour: n('SMS_PREFIX_PER_HOUR'),
    smsPerHour: n('SMS_HOURLY_LIMIT'),
    smsPerDay: n('SMS_DAILY_LIMIT'),
    smsMinConversionPercent: Math.min(100, n('SMS_MIN_CONVERSION')),
    failures: { after: n('FAILURES_BEFORE_WAIT'), firstWaitMs: 30_000, maxWaitMs: HOUR, lockAfter },
  };
}

/**
 * SMS_COUNTRIES: the countries texts may go to (ISO codes, "US,CA"), or "all". Unset, it is the
 * DEFAULT_COUNTRY; with neither, every country outside production, while a production server
 * texting through Twilio must choose (SMS pumping sends codes to premium numbers abroad).
 */
export function readSmsCountries(env: Env, refuse: Refuse, { defaultCountry, twilio, production }: {
  defaultCountry: string | undefined;
  twilio: boolean;
  production: boolean;
}): ReadonlySet<string> | null {
  const raw = env.SMS_COUNTRIES?.trim();
  if (raw?.toLowerCase() === 'all') return null;
  if (!raw) {
    if (defaultCountry) return new Set([defaultCountry]);
    if (production && twilio) refuse('SMS_COUNTRIES is missing: name the countries you text, such as "US,CA" (or "all"), so codes are never pumped to premium numbers abroad.');
    return null;
  }
  const codes = raw.split(',').map((c) => c.trim().toUpperCase()).filter(Boolean);
  for (const code of codes) {
    if (!isSupportedCountry(code)) refuse(`SMS_COUNTRIES must list two-letter country codes such as US,CA,GB; "${code}" is not one.`);
  }
  return new Set(codes);
}

/**
 * TRUST_PROXY: the header a reverse proxy in front of this server puts the client's address in
 * ("x-forwarded-for", "x-real-ip", "cf-connecting-ip"). Unset, the socket's peer is the client and
 * every forwarding header is ignored, since anyone can send one.
 */
export function readTrustProxy(env: Env, refuse: Refuse): string | undefined {
  const raw = env.TRUST_PROXY?.trim().toLowerCase();
  if (!raw) return undefined;
  if (!/^[a-z0-9-]+$/.test(raw)) refuse(`TRUST_PROXY must name one header, such as x-forwarded-for, not "${env.TRUST_PROXY}".`);
  return raw;
}

/**
 * WEBHOOK_URL and WEBHOOK_SECRET: both or neither. The secret signs every event, so the site's
 * backend can tell them from forgeries; the URL must be https (plain http only to this machine).
 */
export function readWebhook(env: Env, refuse: Refuse, url: (name: string) => URL | undefined): { url: URL; secret: string } | undefined {
  const target = url('WEBHOOK_URL');
  const secret = env.WEBHOOK_SECRET?.trim();
  if (!target && !secret) return undefined;
  if (!target) return refuse('WEBHOOK_SECRET is set but WEBHOOK_URL is not: set the URL your backend receives events at, such as https://www.example.com/hooks/otp-login.');
  if (!secret || secret.length < 32) return refuse('WEBHOOK_SECRET must be at least 32 characters (it signs each event to WEBHOOK_URL); generate one with: openssl rand -base64 48');
  return { url: target, secret };
}
