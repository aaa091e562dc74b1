import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Config } from './config/config.ts';
import { publicContact, type Contact } from './contacts/contacts.ts';
import { embedded, rememberBrowser, type CookieJars } from './http/session-cookies.ts';
import { rethrowPageLoadFailure, sessionAnswer } from './http/page-load.ts';
import { publicDevice, type DeviceService } from './contacts/devices.ts';
import type { DevOutbox } from './delivery/outbox.ts';
import { renderOutboxPage } from './delivery/outbox.ts';
import type { SmsGuard } from './sign-in/sms-guard.ts';
import { API_ANSWER_HEADERS, answerHeaders, nonceOf, securityHeaders } from './http/security-headers.ts';
import { requestLog } from './http/request-log.ts';
import { bodyWithin } from './http/body.ts';
import { apiCors } from './http/cors.ts';
import { localPath, mountOf, mountPoint } from './http/mount.ts';
import { apiError, limitedAnswer, sentences, verifyFailure } from './http/errors.ts';
import { maskIdentifier, parseEmail, parsePhone } from './identifiers.ts';
import { forLog, type Logger } from './log.ts';
import { clientIp, onlyThisMachine, perIpKey, refuseForeignOrigins, type AllowedOrigin, type Env } from './http/origins.ts';
import { parseChannel, parseCode, parseIdentifier, parseJsonObject, parseLanguage, parseReason, parseFlag, parsePreviousSentAt, parseRemember, type Parsed } from './http/requests.ts';
import type { SignIn } from './sign-in/sign-in.ts';
import { adminCardPage } from './admin/admin-page.ts';
import { StorageUnavailable } from './store/index.ts';
import { iso } from './clock.ts';

export interface AppDeps {
  config: Config;
  signIn: SignIn;
  /** Where texts may go (SMS_COUNTRIES, mobile numbers only). */
  sms: Pick<SmsGuard, 'refusal' | 'pauseNotice'>;
  devices: DeviceService;
  log: Logger;
  /** The development outbox; absent when any provider is configured, and always in production. */
  outbox?: DevOutbox | undefined;
  /** Provider webhooks, mounted at /webhooks. */
  webhooks: Hono;
  /** Which pages may use this server (PUBLIC_URL, ALLOWED_ORIGINS): built once, shared with the sub-apps. */
  isAllowedOrigin: AllowedOrigin;
  /** Each request's cookie jar, bound to the same policy. */
  jarOf: CookieJars;
  /** The admin API, mounted at /api/admin. */
  adminApi: Hono<any>;
  /** Identity tokens for the site's backend: JWKS, GET /api/session/token, and tokens in answers. */
  identity: { app: Hono<any>; tokenFor: (c: Context, contact: Contact) => Promise<{ token: string }> };
  /** Sign-in links: the confirm page and the redeem call. */
  linkRoutes: Hono<any>;
  /** Folders served as files: the built widget and the demo site (whose styles the admin page uses). */
  paths: { dist: string; demo: string };
  /** Serve the demo site's pages at `/` (npm start); a site mounting this app has its own. */
  demoSite: boolean;
  /** Whether the storage answers now (Storage.ping), for /readyz. */
  ready: () => Promise<void>;
}


/** How long /readyz waits for the storage, and what a 503 during an outage asks a client to wait (SPEC R11: within 2 s). */
const READY_WITHIN_MS = 1500;
const RETRY_AFTER_OUTAGE_S = 2;
const OUTAGE_LOG_EVERY_MS = 10_000;

/** `promise`, or a StorageUnavailable after `ms`. */
const within = <T>(ms: number, promise: Promise<T>) => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new StorageUnavailable('The storage', `no answer within ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
};

/**
 * The HTTP server: SPEC's API, the widget script, the demo site and the development outbox.
 * @example serve({ fetch: createApp(deps).fetch, port: 3000 })
 */
export function createApp({ config, signIn, sms, devices, log, outbox, webhooks, isAllowedOrigin, jarOf, adminApi, linkRoutes, identity, paths, demoSite, ready }: AppDeps) {
  const app = new Hono<Env>();

  const readBody = async (c: Context): Promise<Parsed<Record<string, unknown>>> => parseJsonObject(await c.req.text());

  app.use(mountPoint(), requestLog(log), securityHeaders(config));

  const apiLimit = bodyWithin(8 * 1024, (c) => apiError(c, 'payload_too_large'));
  const importLimit = bodyWithin(1024 * 1024, (c) =>
    apiError(c, 'payload_too_large', {}, 'That file is too large to import at once: the limit is 1 MB, about 10,000 contacts. Split it into smaller files and import each one.'),
  );
  const allowCors = apiCors(isAllowedOrigin);
  app.use(
    '/api/*',
    async (c, next) => {
      await next();
      // Set after the handlers, so it is on refusals (403, 413) too.
      const headers = answerHeaders(c);
      for (const [name, value] of API_ANSWER_HEADERS) headers.set(name, value);
    },
    allowCors,
    refuseForeignOrigins(isAllowedOrigin),
    // 8 KB for everything but the admin's CSV import (1 MB, about 10,000 contacts), read once here.
    (c, next) => (localPath(c) === '/api/admin/contacts/import' ? importLimit : apiLimit)(c, next),
  );

  app.route('/', identity.app);
  // The widget asks for an identity token with the session (`?token=1`) and the verify (`"token":true`);
  // without asking, the answers keep SPEC's exact shape.
  const asked = (c: Context, flag: string) => c.req.query(flag) === '1';
  const withToken = async (c: Context, contact: Contact, wanted: boolean) => (wanted ? { token: (await identity.tokenFor(c, contact)).token } : {});

  // A server serving this app at its root answers most of these before Hono (server/http/page-load.ts).
  app.get('/api/session', async (c) => {
    rethrowPageLoadFailure(c.env?.incoming);
    const { answer, contact } = await sessionAnswer(jarOf(c), devices);
    return c.json(contact ? { ...answer, ...(await withToken(c, contact, asked(c, 'token'))) } : answer);
  });

  app.post('/api/codes', async (c) => {
    const body = await readBody(c);
    if (!body.ok) return apiError(c, body.code, {}, body.message);
    const identifier = parseIdentifier(body.value, config.defaultCountry);
    if (!identifier.ok) return apiError(c, identifier.code, identifier.extra, identifier.message);
    c.set('who', maskIdentifier(identifier.value));
    const channel = parseChannel(body.value);
    if (!channel.ok) return apiError(c, channel.code);
    const reason = parseReason(body.value);
    if (!reason.ok) return apiError(c, reason.code, {}, reason.message);
    const language = parseLanguage(body.value);
    if (!language.ok) return apiError(c, language.code, {}, language.message);
    const previousSentAt = parsePreviousSentAt(body.value);
    if (!previousSentAt.ok) return apiError(c, previousSentAt.code, {}, previousSentAt.message);
    // A typed number texts go to: SMS_COUNTRIES and mobile numbers only (SMS pumping).
    const texting = identifier.value.kind === 'phone' && (channel.value ?? 'sms') === 'sms' ? identifier.value.value : null;
    const refusal = texting && sms.refusal(texting);
    if (refusal) {
      // `reason` (and `country`) let the widget say it in the page's language.
      const { message, ...extra } = refusal;
      return apiError(c, 'invalid_phone', extra, message);
    }
    // refuseForeignOrigins let only our own or an allowed Origin through, so its host is configured.
    const origin = c.req.header('origin');
    const pageHost = origin ? new URL(origin).hostname : undefined;
    const result = await signIn.requestCode({ identifier: identifier.value, channel: channel.value, ip: perIpKey(clientIp(c, config.trustProxy)), pageHost, reason: reason.value, language: language.value, previousSentAt: previousSentAt.value });
    if (!result.ok && result.reason === 'unavailable') {
      return apiError(c, 'delivery_unavailable', {}, sentences.unavailable(result.channel));
    }
    if (!result.ok) return limitedAnswer(c, result, identifier.value.kind, 'send');
    return c.json(
      {
        status: 'sent_if_registered',
        channel: result.channel,
        destination: result.destination,
        resendAfter: Math.ceil(config.limits.resendCooldownMs / 1000),
        expiresIn: Math.round((result.expiresAt - result.sentAt) / 1000),
        sentAt: iso(result.sentAt),
        // Texts to new numbers here are paused (SECURITY-PLAN 25): a number that signed in before
        // still gets its code, so every typed number is answered alike, with a word about the pause (R3).
        ...(result.smsPaused && { smsPaused: { until: iso(result.smsPaused.until), message: sms.pauseNotice(result.smsPaused) } }),
        ...(result.notSent && {
          notSent: { ...result.notSent, ...(result.channel === 'sms' && config.twilio?.from && { replyTo: config.twilio.from }) },
        }),
      },
      202,
    );
  });

  app.post('/api/codes/verify', async (c) => {
    const body = await readBody(c);
    if (!body.ok) return apiError(c, body.code, {}, body.message);
    const identifier = parseIdentifier(body.value, config.defaultCountry);
    if (!identifier.ok) return apiError(c, identifier.code, identifier.extra, identifier.message);
    c.set('who', maskIdentifier(identifier.value));
    const code = parseCode(body.value);
    if (!code.ok) return apiError(c, code.code, {}, code.message);
    const remember = parseRemember(body.value);
    if (!remember.ok) return apiError(c, remember.code, {}, remember.message);
    const wantsToken = parseFlag(body.value, 'token', false);
    if (!wantsToken.ok) return apiError(c, wantsToken.code, {}, wantsToken.message);

    const result = await signIn.verify({
      identifier: identifier.value,
      code: code.value,
      ip: perIpKey(clientIp(c, config.trustProxy)),
      userAgent: c.req.header('user-agent') ?? '',
      sessionOnly: !remember.value,
    });
    if (!result.ok) return verifyFailure(c, result, identifier.value.kind);
    const jar = jarOf(c);
    await rememberBrowser(jar, devices, result.device, result.token);
    return c.json({
      signedIn: true,
      contact: publicContact(result.contact),
      device: publicDevice(result.device),
      ...embedded(jar),
      ...(await withToken(c, result.contact, wantsToken.value)),
    });
  });

  app.post('/api/session/sign-out', async (c) => {
    const jar = jarOf(c);
    const session = await devices.check(jar.deviceToken());
    if (session.device) await devices.signOut(session.device);
    jar.signOut(config.devices.ttlMs / 1000);
    return c.json({ signedIn: false, reason: 'signed_out', ...embedded(jar) });
  });

  app.route('/webhooks', webhooks);
  app.route('/', linkRoutes);
  app.route('/api/admin', adminApi);

  if (outbox) {
    // The outbox holds working codes: it answers only a person on this machine.
    app.use('/dev/*', onlyThisMachine());
    // A `+` in a query string arrives as a space; read "?to= 15551234567" as the phone it was.
    const normalise = (to: string) => parseEmail(to) ?? parsePhone(to.replace(/^ /, '+'), config.defaultCountry) ?? to;
    app.get('/dev/outbox.json', (c) => {
      const to = c.req.query('to');
      const messages = outbox.list(to === undefined ? undefined : normalise(to));
      return c.json({ messages: messages.map(({ to, channel, text, sentAt }) => ({ to, channel, text, sentAt })) });
    });
    app.get('/dev/outbox', (c) => {
      const to = c.req.query('to');
      return c.html(renderOutboxPage(outbox.list(to === undefined ? undefined : normalise(to)), to, nonceOf(c), mountOf(c)));
    });
  }

  app.use('/otp-login*', async (c, next) => {
    await next();
    // A module script from another site's page is a CORS fetch without credentials.
    const headers = answerHeaders(c);
    headers.set('Access-Control-Allow-Origin', '*');
    headers.set('Cross-Origin-Resource-Policy', 'cross-origin');
    headers.set('Cache-Control', 'no-cache');
  });
  // Files by their path inside this app, also when it is mounted under /auth.
  const files = (root: string, path?: string) => serveStatic(path ? { root, path } : { root, rewriteRequestPath: (requested, c) => requested.slice(mountOf(c).length) });
  app.get('/otp-login*', files(paths.dist));
  // For load balancers (before the static files, which would look on disk first): /healthz says the process runs; /readyz that its storage answers too.
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/readyz', async (c) => {
    try {
      await within(READY_WITHIN_MS, ready());
      return c.json({ ready: true });
    } catch (error) {
      outage(error);
      return c.json({ ready: false }, 503);
    }
  });

  // The admin: the same sign-in widget, then the contact list and cards (widget/admin/).
  app.get('/otp-admin.js*', files(paths.dist));
  app.get('/admin', files(paths.demo, 'admin.html'));
  app.get('/admin/contacts/:id', adminCardPage(paths.demo));
  if (demoSite) app.get('/*', files(paths.demo));
  else app.get('/:file{(demo|admin)\\.css}', files(paths.demo));

  app.notFound((c) => {
    if (localPath(c) === '/otp-login.js') {
      return c.text('The widget is not built yet. Run "npm run build" (npm start does it for you).', 404);
    }
    return apiError(c, 'not_found');
  });

  // What is down goes to the log once a while, not once per request of an outage.
  let outageLoggedAt = -Infinity;
  const outage = (error: unknown) => {
    if (Date.now() - outageLoggedAt < OUTAGE_LOG_EVERY_MS) return;
    outageLoggedAt = Date.now();
    log.error(`${(error as Error).message}. Answering 503 (service_unavailable) until it is back; nothing is counted in this process instead. Check that it runs and that this server reaches it (DATABASE_URL, REDIS_URL, or DATA_DIR's disk); GET /readyz answers 200 once it does.`);
  };

  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    if (error instanceof StorageUnavailable) {
      outage(error);
      return apiError(c, 'service_unavailable', { retryAfter: RETRY_AFTER_OUTAGE_S });
    }
    log.error(`Unexpected error on ${forLog(c.req.method)} ${forLog(c.req.path)}: ${error.stack ?? error.message}`);
    return apiError(c, 'internal_error');
  });

  return app;
}
