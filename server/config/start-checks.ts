import { isCrossSite } from '../http/sites.ts';
import type { Logger } from '../log.ts';
import { ConfigError, type Config } from './config.ts';

/**
 * What a configuration must have before the server starts, beyond each setting being well formed
 * (config.ts): a production server needs a provider and its own address. Throws ConfigError with a
 * sentence naming what to set; warns of what works but is likely a mistake.
 */
export function checkForStart(config: Config, log: Logger) {
  if (config.production && !config.postmark && !config.twilio) {
    throw new ConfigError(
      'NODE_ENV=production needs a provider: set POSTMARK_SERVER_TOKEN (email) or TWILIO_ACCOUNT_SID (SMS). Without NODE_ENV=production, codes go to the development outbox.',
    );
  }
  // Browsers may use the API only from PUBLIC_URL and ALLOWED_ORIGINS (never from whatever host a
  // request names), and in production the server's own address is known from PUBLIC_URL alone.
  if (config.production && !config.publicUrl) {
    if (config.allowedOrigins.length === 0) {
      throw new ConfigError(
        'NODE_ENV=production needs PUBLIC_URL, such as https://login.example.com: without it no page may ask for a code, since the Host a request names proves nothing. (ALLOWED_ORIGINS alone also works, for a server used only by the sites listed there.)',
      );
    }
    log.warn('PUBLIC_URL is not set: only pages on the sites in ALLOWED_ORIGINS can sign in, not the admin page this server serves. Set PUBLIC_URL to the address people reach this server at.');
  }
}

/** The embed check for site owners: a page on another site keeps a sign-in only through a partitioned cookie. */
export function warnAboutCrossSiteOrigins(config: Config, log: Logger) {
  const serverOrigin = config.publicUrl?.origin ?? `http://localhost:${config.port}`;
  for (const origin of config.allowedOrigins) {
    if (!isCrossSite(origin, serverOrigin)) continue;
    log.warn(
      `ALLOWED_ORIGINS: ${origin} is another site than ${serverOrigin}. Browsers remember sign-ins there only through a partitioned cookie, ` +
        'and Safari before 26.2 and some private modes will ask for a code on every visit. To avoid it, serve this server under that ' +
        "site's own domain (README: Deploying on your own domain).",
    );
  }
}
