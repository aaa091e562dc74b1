import { createApp } from './app.ts';
import { createWebhooks } from './delivery/provider-webhooks.ts';
import type { Clock } from './clock.ts';
import type { Random } from './random.ts';
import { createCodeService } from './sign-in/codes.ts';
import type { CodeStore } from './store/codes.ts';
import type { Config } from './config/config.ts';
import { createDeviceService } from './contacts/devices.ts';
import { DeliveryError, type Sender } from './delivery/messages.ts';
import { createDevOutbox } from './delivery/outbox.ts';
import { createChannelHealth, createDeliveryQueue } from './delivery/queue.ts';
import { createLimits } from './sign-in/limits.ts';
import { createSmsGuard } from './sign-in/sms-guard.ts';
import { createSmsPauses } from './sign-in/sms-pause.ts';
import type { Logger } from './log.ts';
import { createSignIn } from './sign-in/sign-in.ts';
import { createAttemptRecorder } from './sign-in/attempts.ts';
import type { Storage } from './store/index.ts';
import { createAdmin } from './admin/admin-routes.ts';
import { createLinks } from './links/links.ts';
import { createTokenHasher } from './contacts/token-hash.ts';
import { createOutgoingWebhooks } from './site-events/outgoing-webhooks.ts';
import { withOutgoingEvents } from './site-events/events-from-stores.ts';
import { createIdentityTokens } from './identity/identity-tokens.ts';
import { createIdentityRoutes } from './identity/identity-routes.ts';
import { storedIdentityKeys, type IdentityKeys } from './identity/identity-keys.ts';
import { createLinkRoutes } from './links/link-routes.ts';
import { originPolicy } from './http/origins.ts';
import { cookieJars } from './http/session-cookies.ts';
import type { Channel } from './identifiers.ts';

export interface ComposeOptions {
  config: Config;
  secret: Buffer;
  /** SECRET_PREVIOUS, during a rotation of SECRET. */
  previousSecret?: Buffer | undefined;
  clock: Clock;
  random: Random;
  log: Logger;
  /** Every store (store/index.ts), from one engine: SQLite in DATA_DIR by default. */
  storage: Storage;
  paths: { dist: string; demo: string };
  /** Serve the demo site at `/` (npm start); default false: only the widget, the admin and the API. */
  demoSite?: boolean;
  /** Default: lru-cache bounded by the configuration. */
  codeStore?: CodeStore;
  /** Providers by channel (Postmark, Twilio, a test's fake); with none, both use the development outbox (none in production); with one, the other channel is unavailable. */
  senders?: Partial<Record<Channel, Sender>>;
  /** The keys that sign identity tokens; default: those in `storage`, sealed under `secret`. */
  identityKeys?: IdentityKeys;
  /** How the queue waits between retries; tests pass one that does not. */
  wait?: (ms: number) => Promise<void>;
  /** How the answer floor (R3) waits; default a real timer. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Builds the whole server from its parts: the one place that wires stores, services and the app,
 * used by server/main.ts and by the tests alike.
 */
export function composeServer({ config, secret, previousSecret, identityKeys, clock, random, log, storage, paths, demoSite = false, codeStore, senders = {}, wait, sleep }: ComposeOptions) {
  const outgoing = createOutgoingWebhooks({ events: storage.outgoingEvents, clock, random, log, target: config.webhook });
  const { deliveries, codeLog } = storage;
  const { contacts, devices: deviceStore, optOuts } = withOutgoingEvents(storage, outgoing);
  // The outbox stands in for the providers only while none is set up, and never in production. A
  // server with one provider is a deployment (perhaps behind a proxy the outbox cannot tell from
  // this machine), where an outbox would hand out working codes: the other channel is unavailable.
  const outbox = config.production || senders.email || senders.sms ? undefined : createDevOutbox({ clock, log });
  const nobody: Sender = {
    provider: 'none',
    send: async () => {
      throw new DeliveryError({ kind: 'transient', code: 'no_provider', text: 'No provider is set up for this channel.' });
    },
  };
  const via = (channel: Channel) => senders[channel] ?? outbox?.sender;
  const health = createChannelHealth({ clock, ...config.delivery });
  const queue = createDeliveryQueue({
    senders: { email: via('email') ?? nobody, sms: via('sms') ?? nobody },
    deliveries,
    optOuts,
    health,
    clock,
    log,
    retryDelaysMs: config.delivery.retryDelaysMs,
    startAfterMs: config.codes.answerFloorMs,
    ...(wait && { wait }),
  });
  const codes = createCodeService({
    store: codeStore ?? storage.codes,
    secret,
    previousSecret,
    clock,
    random,
    ttlMs: config.codes.ttlMs,
    maxAttempts: config.codes.maxAttempts,
  });
  const hashes = createTokenHasher(secret, previousSecret);
  const devices = createDeviceService({ devices: deviceStore, hashes, clock, random, ...config.devices });
  const limits = createLimits(storage.limits, storage.counters, config.limits);
  const pauses = createSmsPauses({
    texts: storage.smsTexts,
    // Keyed like device tokens, so a copy of the database alone names no number.
    numberKey: (phone) => hashes.digest(`sms-text\n${phone}`),
    minConversionPercent: config.limits.smsMinConversionPercent,
    codeTtlMs: config.codes.ttlMs,
    clock,
    log,
  });
  const sms = createSmsGuard({
    countries: config.smsCountries, store: limits.store, perPrefix: limits.smsPerPrefix, perHour: limits.smsPerHour, perDay: limits.smsPerDay, pauses, clock, log,
  });
  // An address tried for a sign-in is kept only keyed, like device tokens: found again from the full address alone.
  const attemptKey = (address: string) => hashes.digest(`sign-in-attempt\n${address}`);
  const attempts = createAttemptRecorder({ store: storage.attempts, contacts, addressKey: attemptKey, clock, log });
  const signIn = createSignIn({
    config, clock, ...(sleep && { sleep }), contacts, codes, devices, queue, limits, sms, optOuts, health, random,
    deliverable: (channel) => via(channel) !== undefined,
    codeLog,
    attempts,
  });
  const webhooks = createWebhooks({ config, deliveries, optOuts, seen: (provider, eventId) => storage.webhookEvents.firstSeen(provider, eventId), clock, log });
  const adminStore = storage.admin;
  const links = createLinks({ store: storage.links, contacts, clock, random, hashes, invitationDays: config.invitationDays });
  // Which pages may use this server, and the cookie jar each request reads: one policy for every route.
  const isAllowedOrigin = originPolicy(config);
  const jarOf = cookieJars(config, isAllowedOrigin);
  const adminApi = createAdmin({
    config, contacts, deviceStore, admin: adminStore, optOuts, codeLog, clock, links, queue, random,
    reactivateEmail: senders.email?.reactivate?.bind(senders.email),
    failures: limits.failures,
    outgoing,
    smsPauseOf: sms.pauseOf,
    phoneRefusal: sms.refusal,
    attempts: { store: storage.attempts, keyOf: attemptKey },
    sessionOf: (c) => devices.check(jarOf(c).deviceToken(), { touch: false }),
    isAllowedOrigin,
  });
  const linkRoutes = createLinkRoutes({ config, links, contacts, devices, jarOf, signedIn: signIn.forgetFailures });
  const keys = identityKeys ?? storedIdentityKeys({ store: storage.identityKeys, secret, previousSecret, clock });
  const identity = createIdentityRoutes({ config, keys, tokens: createIdentityTokens({ keys, clock }), devices, isAllowedOrigin, jarOf });
  const app = createApp({ config, signIn, sms, devices, identity, isAllowedOrigin, jarOf, log, outbox, webhooks, adminApi, linkRoutes, paths, demoSite, ready: () => storage.ping() });
  return { app, jarOf, isAllowedOrigin, hashes, outgoing, queue, outbox, contacts, deviceStore, codes, devices, deliveries, optOuts, health, codeLog, attempts, purge: storage.purge };
}
