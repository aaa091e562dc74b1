/**
 * otp-login as a library, the `otp-login/server` entry: the whole sign-in server as one Hono app a
 * site mounts in its own, and a middleware that tells the site's routes who is signed in.
 *
 * @example
 * import { Hono } from 'hono';
 * import { createOtpLogin } from 'otp-login/server';
 *
 * const otp = createOtpLogin({ env: { ...process.env, SIGNUP: 'closed' } });
 * const app = new Hono();
 * app.route('/auth', otp);  // the widget at /auth/otp-login.js, the API at /auth/api/…, the admin at /auth/admin
 * app.get('/account', otp.contact({ required: true }), (c) => c.json(c.var.contact));
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RequestListener } from 'node:http';
import type { Hono, MiddlewareHandler } from 'hono';
import { systemClock } from './clock.ts';
import { composeServer } from './compose.ts';
import { loadConfig, publicAddress, type Config } from './config/config.ts';
import type { Contact } from './contacts/contacts.ts';
import { currentSession } from './http/session-cookies.ts';
import { createPageLoads } from './http/page-load.ts';
import type { Sender } from './delivery/messages.ts';
import { apiError } from './http/errors.ts';
import type { Channel } from './identifiers.ts';
import { storedIdentityKeys } from './identity/identity-keys.ts';
import { consoleLogger, type Logger } from './log.ts';
import type { Env } from './http/origins.ts';
import { cryptoRandom } from './random.ts';
import { loadPreviousSecret, loadSecret } from './config/secret.ts';
import { checkForStart, warnAboutCrossSiteOrigins } from './config/start-checks.ts';
import { openStorage } from './store/open.ts';

export { ConfigError } from './config/config.ts';
export type { Logger } from './log.ts';

export interface OtpLoginOptions {
  /**
   * The settings, by the environment variables' names in the README's configuration table
   * (DATA_DIR, SECRET, POSTMARK_SERVER_TOKEN, ALLOWED_ORIGINS, …). Default: `process.env`.
   */
  env?: Record<string, string | undefined>;
  /** Serve the demo site at the mount's root, as `npm start` does. Default false. */
  demo?: boolean;
  /** Where the server writes what happened (never a code or a token). Default: the console. */
  log?: Logger;
}

/** Who is signed in on this browser, as the `contact` middleware gives it to a route. */
export interface SignedInContact {
  id: string;
  email: string | null;
  phone: string | null;
  name: string | null;
  /** Whether a code or link proved the person holds this address since it was last changed. */
  emailVerified: boolean;
  phoneVerified: boolean;
}

export type ContactVariables = { Variables: { contact: SignedInContact | null } };

export type OtpLogin = Hono<Env> & {
  /**
   * Reads the signed-in contact from this browser's cookie into `c.var.contact` (null when nobody
   * is signed in). With `required: true`, answers 401 `unauthorized` instead of calling the route.
   * The cookie is the one the widget set: mount this app on the same site as the routes. A visit
   * slides the remembered browser's expiry forward (at most hourly), as the widget's session check does.
   */
  contact(options?: { required?: boolean }): MiddlewareHandler<ContactVariables>;
  /** Finishes queued messages and webhook events, then closes the database. */
  close(): Promise<void>;
  /**
   * For a Node server serving this app at its root: answers the session check every page load
   * makes before Hono, the same answer, a few times faster; every other request goes to `listener`.
   * @example createServer(otp.pageLoads(getRequestListener(otp.fetch))).listen(3000)
   */
  pageLoads(listener: RequestListener): RequestListener;
};

/**
 * The sign-in server as a Hono app: mount it with `app.route('/auth', createOtpLogin())` or serve it
 * alone. Reads its settings once; throws ConfigError, whose message names the setting to fix.
 */
export function createOtpLogin(options: OtpLoginOptions = {}): OtpLogin {
  const env = options.env ?? process.env;
  return otpLoginFor(loadConfig(env), { ...options, env });
}

/**
 * createOtpLogin() from a configuration already read. `alsoAllowed`: origins allowed without the
 * cross-site warning (server/main.ts's second demo site, cross-site on purpose).
 */
export function otpLoginFor(
  read: Config,
  { env = process.env, demo = false, log = consoleLogger, alsoAllowed = [] }: OtpLoginOptions & { alsoAllowed?: string[] },
): OtpLogin {
  warnAboutCrossSiteOrigins(read, log);
  const config = { ...read, allowedOrigins: [...read.allowedOrigins, ...alsoAllowed] };
  checkForStart(config, log);
  const root = packageRoot();
  const secret = loadSecret(env.SECRET, config.dataDir);
  const previousSecret = loadPreviousSecret(env.SECRET_PREVIOUS);
  const storage = openStorage(config, { clock: systemClock, random: cryptoRandom, log });
  const identityKeys = storedIdentityKeys({
    store: storage.identityKeys, secret, previousSecret, clock: systemClock,
    keyFile: join(config.dataDir, 'identity-keys.json'),
    onMoved: (file) => log.info(`The identity keys of ${file} are now in the database, sealed under SECRET; the file is deleted.`),
  });
  // Read (or made) at start, so a problem with them is in the log now, not at the first token.
  identityKeys.signing().catch((error: Error) => log.error(error.message));
  const server = composeServer({
    config,
    secret,
    previousSecret,
    identityKeys,
    clock: systemClock,
    random: cryptoRandom,
    log,
    storage,
    paths: { dist: join(root, 'dist'), demo: join(root, 'demo') },
    demoSite: demo,
    senders: providers(config),
  });

  // Events for WEBHOOK_URL go out within two seconds of the change; retries wait their turn.
  const { outgoing, queue } = server;
  // A run that fails (the database down) must not end the process: the events stay stored, and
  // the next run, or another instance's, sends them.
  // Said once per outage, not every 2 s.
  let waiting = false;
  const deliverDue = () =>
    outgoing.deliverDue().then(
      () => void (waiting = false),
      (error: Error) => {
        if (!waiting) log.warn(`Sending events to WEBHOOK_URL waits until the storage answers (${error.message}); they are kept and go out then. GET /readyz says when it answers.`);
        waiting = true;
      },
    );
  const webhookTimer = outgoing.enabled ? setInterval(() => void deliverDue(), 2000) : undefined;
  webhookTimer?.unref();
  // Expired codes, hits and failure counts are deleted every minute, a small batch at a time so no
  // sign-in waits on it: the database's size stays bounded by the rules' own windows (a day for
  // codes and daily limits, a month for failure counts). One purge at a time.
  let purging = false;
  const purge = async () => {
    if (purging) return;
    purging = true;
    await server.purge().catch((error: Error) => log.warn(`Purging expired sign-in state failed: ${error.message}`));
    purging = false;
  };
  const purgeTimer = setInterval(() => void purge(), 60_000);
  purgeTimer.unref();
  if (outgoing.enabled) log.info(`Events about contacts go to ${config.webhook!.url.origin}, signed with WEBHOOK_SECRET.`);

  const contact = ({ required = false } = {}): MiddlewareHandler<ContactVariables> => async (c, next) => {
    // A visit to the site's own pages keeps the browser remembered, as the widget's session check does.
    const session = await currentSession(server.jarOf(c), server.devices);
    if (!session.signedIn && required) return apiError(c, 'unauthorized', {}, 'Sign in first, then try again.');
    c.set('contact', session.signedIn ? signedInContact(session.contact) : null);
    await next();
  };

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      clearInterval(webhookTimer);
      clearInterval(purgeTimer);
      await Promise.all([queue.idle(), deliverDue(), server.attempts.idle()]);
      await storage.close();
    })());

  const pageLoads = createPageLoads({ config, devices: server.devices, jarOf: server.jarOf, isAllowed: server.isAllowedOrigin, log });
  return Object.assign(server.app, { contact, close, pageLoads });
}

const signedInContact = (contact: Contact): SignedInContact => ({
  id: contact.id,
  email: contact.email,
  phone: contact.phone,
  name: contact.name,
  emailVerified: contact.emailVerifiedAt !== null,
  phoneVerified: contact.phoneVerifiedAt !== null,
});

/**
 * Postmark and Twilio, each only when configured. Their clients load in the background (start-up
 * does not wait for them) and the first message waits for its client, so the app is ready at once
 * and can be mounted the moment it is made.
 */
function providers(config: Config): Partial<Record<Channel, Sender>> {
  const senders: Partial<Record<Channel, Sender>> = {};
  if (config.postmark) {
    const postmark = config.postmark;
    senders.email = loadedLater('postmark', () => import('./delivery/postmark.ts').then((m) => m.createPostmarkSender(postmark)), true);
  }
  if (config.twilio) {
    const statusCallback = config.publicUrl && publicAddress(config.publicUrl, '/webhooks/twilio/status');
    const twilio = { ...config.twilio, statusCallback };
    senders.sms = loadedLater('twilio', () => import('./delivery/twilio.ts').then((m) => m.createTwilioSender(twilio)), false);
  }
  return senders;
}

function loadedLater(provider: string, load: () => Promise<Sender>, keepsSuppressions: boolean): Sender {
  const sender = load();
  // A failed load shows at the first message (which the queue retries and logs), not as a crash.
  sender.catch(() => {});
  return {
    provider,
    send: async (message) => (await sender).send(message),
    ...(keepsSuppressions && { reactivate: async (address: string) => (await sender).reactivate!(address) }),
  };
}

/** The installed package's folder (dist/ holds the built widget, demo/ the admin page's files), from source or from lib/. */
function packageRoot(): string {
  for (let dir = import.meta.dirname; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'otp-login') return dir;
    if (dirname(dir) === dir) throw new Error('otp-login: cannot find its own package folder (package.json named "otp-login").');
  }
}
