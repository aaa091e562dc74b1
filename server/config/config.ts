import type { CountryCode } from 'libphonenumber-js';
import { isSupportedCountry } from 'libphonenumber-js';
import { readLimits, readSmsCountries, readTrustProxy, readWebhook } from './config-limits.ts';
import type { LimitSettings } from '../sign-in/limits.ts';
import { siteOf } from '../http/sites.ts';
import { DAY, HOUR } from '../clock.ts';

/** Everything the server can be told, already parsed and checked. Built once, at start-up. */
export interface Config {
  port: number;
  /** Where people and webhooks reach the server; undefined means "the URL of each request". */
  publicUrl: URL | undefined;
  /**
   * PUBLIC_URL's site (http/sites.ts), worked out once here: every request with an Origin is
   * compared with it, and finding a registrable domain reads the public suffix list.
   */
  publicSite: string | undefined;
  dataDir: string;
  /**
   * DATABASE_URL: every store in PostgreSQL, so several instances behave as one (SPEC R11);
   * REDIS_URL with it: codes, limits and failure counts in Redis. Neither: SQLite in DATA_DIR.
   * They may hold passwords: never logged.
   */
  storage: { databaseUrl: URL | undefined; redisUrl: URL | undefined };
  signup: 'open' | 'closed';
  /** Under closed signup, email an unknown address that someone tried to sign in with it (at most daily). */
  notifyUnknownEmail: boolean;
  adminEmails: ReadonlySet<string>;
  allowedOrigins: readonly string[];
  /** The name people see in messages: "Your code for Acme". */
  siteName: string;
  /** INVITATION_DAYS: how long an admin's invitation link works (a sign-in link works 15 minutes). */
  invitationDays: number;
  /** Country assumed for phone numbers typed without a +country code; undefined requires one. */
  defaultCountry: CountryCode | undefined;
  production: boolean;
  /** Email through Postmark; undefined: the development outbox (or no email in production). */
  postmark: {
    serverToken: string;
    from: string;
    messageStream: string;
    apiUrl: URL | undefined;
  } | undefined;
  /** SMS through Twilio; undefined: the development outbox (or no SMS in production). */
  twilio: {
    accountSid: string;
    authToken: string;
    from: string | undefined;
    messagingServiceSid: string | undefined;
    apiUrl: URL | undefined;
  } | undefined;
  webhooks: {
    /** Basic-auth credentials Postmark's webhooks must present; undefined refuses them all. */
    postmark: { user: string; password: string } | undefined;
    /** TWILIO_AUTH_TOKEN, which signs Twilio's webhooks (X-Twilio-Signature); undefined refuses them all. */
    twilioAuthToken: string | undefined;
  };
  delivery: {
    /** Waits before the 2nd and 3rd try of a send that failed for a transient reason. */
    retryDelaysMs: number[];
    /** Messages failing in a row (after retries) before a channel counts as down. */
    failuresToTrip: number;
    downForMs: number;
  };
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
  limits: LimitSettings;
  /** The countries SMS codes may go to (SMS_COUNTRIES); null: any. */
  smsCountries: ReadonlySet<string> | null;
  /** The header a trusted reverse proxy puts the client's address in; undefined: the socket's peer. */
  trustProxy: string | undefined;
  /** WEBHOOK_URL and WEBHOOK_SECRET: where events about contacts go, signed; undefined: none are sent. */
  webhook: { url: URL; secret: string } | undefined;
  devices: {
    /** 400 days: the longest cookie lifetime browsers keep. */
    ttlMs: number;
    /** A remembered browser's expiry slides forward at most this often (saves a write per page view). */
    touchIntervalMs: number;
  };
}

/**
 * The public address of a server path, keeping PUBLIC_URL's own path (a reverse proxy serving this
 * server under /auth). @example publicAddress(new URL('https://acme.com/auth/'), '/webhooks/x') // 'https://acme.com/auth/webhooks/x'
 */
export const publicAddress = (publicUrl: URL, path: string) => `${publicUrl.origin}${publicUrl.pathname.replace(/\/$/, '')}${path}`;

/** Start-up refuses to run with a bad setting; the message names the variable and the fix. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const defaults = {
  codes: { ttlMs: 10 * 60 * 1000, maxAttempts: 5, historyMs: DAY, maxSubjects: 100_000, answerFloorMs: 10 },
  devices: { ttlMs: 400 * DAY, touchIntervalMs: HOUR },
  delivery: { retryDelaysMs: [1000, 4000], failuresToTrip: 3, downForMs: 60_000 },
} satisfies Pick<Config, 'codes' | 'devices' | 'delivery'>;

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
    if (publicUrl.search || publicUrl.hash) {
      throw new ConfigError(`PUBLIC_URL must be a plain address such as https://login.example.com or https://www.example.com/auth, without "${publicUrl.search}${publicUrl.hash}".`);
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

  // Provider API addresses receive the tokens: https, or plain http to this machine only.
  const url = (name: string) => {
    const value = env[name];
    if (!value) return undefined;
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new ConfigError(`${name} must be a full URL such as https://api.example.com, not "${value}".`);
    }
    if (parsed.protocol !== 'https:' && !['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname)) {
      throw new ConfigError(`${name} must start with https:// (what is sent there must not travel in clear); plain http is only for localhost.`);
    }
    return parsed;
  };
  const flag = (name: string) => {
    const value = env[name]?.trim().toLowerCase();
    if (value === undefined || value === '' || value === 'false') return false;
    if (value === 'true') return true;
    throw new ConfigError(`${name} must be "true" or "false", not "${env[name]}".`);
  };
  const needs = (name: string, because: string) => {
    const value = env[name]?.trim();
    if (!value) throw new ConfigError(`${name} is missing: ${because}`);
    return value;
  };

  const postmark = env.POSTMARK_SERVER_TOKEN
    ? {
        serverToken: env.POSTMARK_SERVER_TOKEN,
        from: needs('POSTMARK_FROM', 'email through Postmark needs a sender, such as "Acme <login@acme.com>" (a confirmed Sender Signature).'),
        messageStream: env.POSTMARK_MESSAGE_STREAM?.trim() || 'outbound',
        apiUrl: url('POSTMARK_API_URL'),
      }
    : undefined;

  let twilio: Config['twilio'];
  if (env.TWILIO_ACCOUNT_SID) {
    const authToken = needs('TWILIO_AUTH_TOKEN', 'SMS through Twilio needs the auth token next to TWILIO_ACCOUNT_SID.');
    const from = env.TWILIO_FROM?.trim() || undefined;
    const messagingServiceSid = env.TWILIO_MESSAGING_SERVICE_SID?.trim() || undefined;
    if (!from === !messagingServiceSid) {
      throw new ConfigError('Set exactly one of TWILIO_FROM (a number such as +14155550100) or TWILIO_MESSAGING_SERVICE_SID (MG…) for SMS through Twilio.');
    }
    twilio = { accountSid: env.TWILIO_ACCOUNT_SID, authToken, from, messagingServiceSid, apiUrl: url('TWILIO_API_URL') };
  }

  if (twilio && env.NODE_ENV === 'production' && !publicUrl) {
    throw new ConfigError('SMS through Twilio needs PUBLIC_URL (such as https://login.example.com): Twilio sends STOP replies and delivery reports there, signed for that address.');
  }

  const webhookUser = env.POSTMARK_WEBHOOK_USER;
  const webhookPassword = env.POSTMARK_WEBHOOK_PASSWORD;
  if (!webhookUser !== !webhookPassword) {
    throw new ConfigError('Set both POSTMARK_WEBHOOK_USER and POSTMARK_WEBHOOK_PASSWORD (the basic-auth credentials in your Postmark webhook URL), or neither.');
  }

  const refuse = (message: string): never => {
    throw new ConfigError(message);
  };

  // Named by their scheme only in a refusal: the rest may hold a password.
  const engineUrl = (name: string, schemes: string[], example: string) => {
    const value = env[name]?.trim();
    if (!value) return undefined;
    let parsed: URL | undefined;
    try {
      parsed = new URL(value);
    } catch {}
    if (!parsed || !schemes.includes(parsed.protocol)) return refuse(`${name} must be a URL such as ${example}.`);
    return parsed;
  };
  const databaseUrl = engineUrl('DATABASE_URL', ['postgres:', 'postgresql:'], 'postgres://otp:password@db.internal:5432/otp');
  const redisUrl = engineUrl('REDIS_URL', ['redis:', 'rediss:'], 'redis://redis.internal:6379');
  if (redisUrl && !databaseUrl) {
    refuse('REDIS_URL works together with DATABASE_URL: Redis keeps the codes and limits, PostgreSQL everything else. Set DATABASE_URL too, or unset REDIS_URL to keep everything in SQLite.');
  }
  // Every instance must key codes, browsers and links alike; a secret made by one would be its own.
  if (databaseUrl && !env.SECRET) {
    refuse('DATABASE_URL needs SECRET, the same on every instance: codes, remembered browsers and sign-in links are keyed with it. Generate one with: openssl rand -base64 48');
  }

  // An invitation waits in an inbox for days; past 30 a forgotten one is a standing way in.
  const invitationRaw = env.INVITATION_DAYS?.trim();
  const invitationDays = invitationRaw ? Number(invitationRaw) : 7;
  if (!Number.isInteger(invitationDays) || invitationDays < 1 || invitationDays > 30) {
    refuse(`INVITATION_DAYS must be a whole number of days from 1 to 30, such as 7, not "${invitationRaw}".`);
  }

  return {
    port,
    postmark,
    twilio,
    webhooks: {
      postmark: webhookUser && webhookPassword ? { user: webhookUser, password: webhookPassword } : undefined,
      twilioAuthToken: env.TWILIO_AUTH_TOKEN || undefined,
    },
    publicUrl,
    publicSite: publicUrl && siteOf(publicUrl.origin),
    dataDir: env.DATA_DIR || './data',
    storage: { databaseUrl, redisUrl },
    signup,
    notifyUnknownEmail: flag('NOTIFY_UNKNOWN_EMAIL'),
    adminEmails: new Set(list('ADMIN_EMAILS').map((e) => e.toLowerCase())),
    allowedOrigins,
    siteName: env.SITE_NAME?.trim() || publicUrl?.hostname || 'otp-login',
    invitationDays,
    defaultCountry: country as CountryCode | undefined,
    production: env.NODE_ENV === 'production',
    limits: readLimits(env, refuse),
    smsCountries: readSmsCountries(env, refuse, { defaultCountry: country, twilio: twilio !== undefined, production: env.NODE_ENV === 'production' }),
    trustProxy: readTrustProxy(env, refuse),
    webhook: readWebhook(env, refuse, url),
    ...structuredClone(defaults),
  };
}
