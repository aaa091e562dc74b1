import type { CountryCode } from 'libphonenumber-js';
import { isSupportedCountry } from 'libphonenumber-js';

/** Everything the server can be told, already parsed and checked. Built once, at start-up. */
export interface Config {
  port: number;
  /** Where people and webhooks reach the server; undefined means "the URL of each request". */
  publicUrl: URL | undefined;
  dataDir: string;
  signup: 'open' | 'closed';
  adminEmails: ReadonlySet<string>;
  allowedOrigins: readonly string[];
  /** The name people see in messages: "Your code for Acme". */
  siteName: string;
  /** Country assumed for phone numbers typed without a +country code; undefined requires one. */
  defaultCountry: CountryCode | undefined;
  production: boolean;
  codes: {
    ttlMs: number;
    maxAttempts: number;
    /** How long numbering, tombstones and decoys are kept after the last code of a contact. */
    historyMs: number;
    maxSubjects: number;
    /**
     * Code requests and verifies answer no sooner than this after they arrive, so the few
     * microseconds a registered contact's lookup costs never show in the timing (R3).
     */
    answerFloorMs: number;
  };
  limits: {
    resendCooldownMs: number;
    sendsPerIdentifierPerHour: number;
    sendsPerIpPerHour: number;
    verifiesPerIpPer10Minutes: number;
  };
  devices: {
    /** 400 days: the longest cookie lifetime browsers keep. */
    ttlMs: number;
    /** A remembered browser's expiry slides forward at most this often (saves a write per page view). */
    touchIntervalMs: number;
  };
}

/** Start-up refuses to run with a bad setting; the message names the variable and the fix. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const DAY = 24 * 60 * 60 * 1000;

export const defaults = {
  codes: { ttlMs: 10 * 60 * 1000, maxAttempts: 5, historyMs: DAY, maxSubjects: 100_000, answerFloorMs: 10 },
  limits: {
    resendCooldownMs: 30_000,
    sendsPerIdentifierPerHour: 5,
    sendsPerIpPerHour: 20,
    verifiesPerIpPer10Minutes: 60,
  },
  devices: { ttlMs: 400 * DAY, touchIntervalMs: 60 * 60 * 1000 },
} satisfies Pick<Config, 'codes' | 'limits' | 'devices'>;

type Env = Record<string, string | undefined>;

/** Reads the configuration from environment variables (see the README's table). */
export function loadConfig(env: Env): Config {
  const list = (name: string) =>
    (env[name] ?? '').split(',').map((s) => s.trim()).filter(Boolean);

  const port = Number(env.PORT || 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a port number such as 3000, not "${env.PORT}".`);
  }

  let publicUrl: URL | undefined;
  if (env.PUBLIC_URL) {
    try {
      publicUrl = new URL(env.PUBLIC_URL);
    } catch {
      throw new ConfigError(`PUBLIC_URL must be a full URL such as https://login.example.com, not "${env.PUBLIC_URL}".`);
    }
    // Browsers drop Secure cookies over plain http, so every visit would ask for a new code.
    if (publicUrl.protocol !== 'https:' && !['localhost', '127.0.0.1', '[::1]'].includes(publicUrl.hostname)) {
      throw new ConfigError(`PUBLIC_URL must start with https:// (plain http works only for localhost), not "${env.PUBLIC_URL}".`);
    }
  }

  const signup = env.SIGNUP ?? 'open';
  if (signup !== 'open' && signup !== 'closed') {
    throw new ConfigError(`SIGNUP must be "open" or "closed", not "${signup}".`);
  }

  const allowedOrigins = list('ALLOWED_ORIGINS').map((origin) => {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new ConfigError(`ALLOWED_ORIGINS must list origins such as https://www.example.com; "${origin}" is not one.`);
    }
    if (url.origin !== origin.replace(/\/$/, '')) {
      throw new ConfigError(`ALLOWED_ORIGINS takes origins only (scheme, host and port), so use "${url.origin}" instead of "${origin}".`);
    }
    return url.origin;
  });

  const country = env.DEFAULT_COUNTRY?.toUpperCase();
  if (country && !isSupportedCountry(country)) {
    throw new ConfigError(`DEFAULT_COUNTRY must be a two-letter country code such as US or GB, not "${env.DEFAULT_COUNTRY}".`);
  }

  return {
    port,
    publicUrl,
    dataDir: env.DATA_DIR || './data',
    signup,
    adminEmails: new Set(list('ADMIN_EMAILS').map((e) => e.toLowerCase())),
    allowedOrigins,
    siteName: env.SITE_NAME?.trim() || publicUrl?.hostname || 'otp-login',
    defaultCountry: country as CountryCode | undefined,
    production: env.NODE_ENV === 'production',
    ...structuredClone(defaults),
  };
}
