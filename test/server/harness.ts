import { manualClock } from '../../server/clock.ts';
import { cryptoRandom, type Random } from '../../server/random.ts';
import type { CodeStore, SubjectCodes } from '../../server/store/codes.ts';
import { composeServer } from '../../server/compose.ts';
import { loadConfig, type Config } from '../../server/config/config.ts';
import type { Sender } from '../../server/delivery/messages.ts';
import type { Channel } from '../../server/identifiers.ts';
import type { IdentityKeys } from '../../server/identity/identity-keys.ts';
import { silentLogger, type Logger } from '../../server/log.ts';
import type { Storage } from '../../server/store/index.ts';
import { createSqliteStorage, openDatabase } from '../../server/store/sqlite/index.ts';

export const SECRET = Buffer.from('test-secret-test-secret-test-secret!');

export interface HarnessOptions {
  env?: Record<string, string>;
  random?: Random;
  /** Replaces the outbox as the sender of both channels (e.g. one that never answers). */
  sender?: Sender;
  /** Senders by channel, e.g. the real Postmark and Twilio clients pointed at local fakes. */
  senders?: Partial<Record<Channel, Sender>>;
  dbFile?: string;
  /**
   * A Storage already open on another engine (PostgreSQL, with or without Redis), opened with
   * `clock`: stores take the time from their clock, so the harness must move that same one.
   * Default: SQLite in `dbFile`. The caller closes it.
   */
  engine?: { storage: Storage; clock: ReturnType<typeof manualClock> };
  codeStore?: CodeStore;
  /** The answer floor of code requests and verifies (R3); 0 keeps tests fast, the floor's own test sets it. */
  answerFloorMs?: number;
  /** Changes settings that have no environment variable, such as limits. */
  tune?: (config: Config) => void;
  log?: Logger;
  /** The identity-token signing keys; default: a new key in memory. */
  identityKeys?: IdentityKeys;
  /** SECRET and SECRET_PREVIOUS; default: the test secret alone. */
  secret?: Buffer;
  previousSecret?: Buffer;
  /** The answer floor's timer; default a real one. */
  sleep?: (ms: number) => Promise<void>;
  /** How the delivery queue waits between tries; default: not at all, so retries take no time. */
  wait?: (ms: number) => Promise<void>;
}

/** The whole server built as main.ts builds it, with a manual clock and an in-memory database (or a given Storage). */
export function createHarness({ env = {}, random = cryptoRandom, sender, senders, dbFile = ':memory:', engine, codeStore, answerFloorMs = 0, tune, log = silentLogger, secret = SECRET, previousSecret, identityKeys, sleep, wait = async () => {} }: HarnessOptions = {}) {
  const clock = engine?.clock ?? manualClock();
  const config = loadConfig(env);
  config.codes.answerFloorMs = answerFloorMs;
  tune?.(config);
  const storage = engine?.storage ?? createSqliteStorage(openDatabase(dbFile), clock, random);
  // Production has no outbox; a sender that drops messages stands in for a provider there.
  const dropAll: Sender = { provider: 'none', send: async (m) => ({ provider: 'none', providerMessageId: m.deliveryId }) };
  const one = sender ?? (config.production ? dropAll : undefined);
  const { app, jarOf, isAllowedOrigin, hashes, outgoing, queue, outbox: devOutbox, contacts, deviceStore, codes, devices, deliveries, optOuts, health, attempts } = composeServer({
    config,
    secret,
    previousSecret,
    identityKeys,
    clock,
    random,
    log,
    storage,
    paths: { dist: 'test/server', demo: 'test/server' },
    demoSite: true,
    codeStore,
    senders: senders ?? (one ? { email: one, sms: one } : {}),
    wait,
    ...(sleep && { sleep }),
  });
  const outbox = devOutbox ?? { list: () => [] };

  const base = config.publicUrl?.origin ?? 'http://localhost:3000';

  /** A request as a browser at `ip` would make it, carrying `cookie` when given. */
  function send(method: string, path: string, body?: unknown, opts: { cookie?: string; ip?: string; headers?: Record<string, string> } = {}) {
    // As a browser on the server's own page sends it: an Origin on a POST, none on a same-origin
    // GET. A test passes origin: '' to send none.
    const headers: Record<string, string> = { ...(method === 'POST' && { origin: base }), ...opts.headers };
    if (!headers.origin) delete headers.origin;
    if (body !== undefined || method === 'POST') headers['content-type'] ??= 'application/json';
    if (opts.cookie) headers.cookie = opts.cookie;
    return app.request(
      `${base}${path}`,
      { method, headers, ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }) },
      { incoming: { socket: { remoteAddress: opts.ip ?? '203.0.113.7' } } },
    );
  }

  const h = {
    app, jarOf, isAllowedOrigin, log, hashes, outgoing, clock, config, storage, contacts, deviceStore, outbox, queue, codes, devices, deliveries, optOuts, health, attempts,
    get: (path: string, opts?: Parameters<typeof send>[3]) => send('GET', path, undefined, opts),
    post: (path: string, body?: unknown, opts?: Parameters<typeof send>[3]) => send('POST', path, body, opts),

    /** The deliveries to an address, newest first (the admin card's query, which finds them by recipient). */
    deliveriesTo(address: string) {
      const nobody = { id: '', email: address, phone: address, name: null, status: 'active', role: 'contact', roleSource: null, createdAt: 0, emailVerifiedAt: null, phoneVerifiedAt: null } as const;
      return storage.admin.deliveriesOf(nobody, 100);
    },

    /** The newest code the outbox holds for `to`, once the queue has handed everything over. */
    async latestCode(to: string) {
      await queue.idle();
      const text = outbox.list(to)[0]?.text;
      const code = text?.match(/\b\d{6}\b/)?.[0];
      if (!code) throw new Error(`No code was sent to ${to}`);
      return code;
    },

    /** Asks for a code and enters it; answers the verify response and the cookie to send next. */
    async signIn(identifier: { email: string } | { phone: string }, to = Object.values(identifier)[0] as string) {
      const asked = await h.post('/api/codes', identifier);
      if (asked.status !== 202) throw new Error(`code request answered ${asked.status}`);
      const res = await h.post('/api/codes/verify', { ...identifier, code: await h.latestCode(to) });
      return { res, cookie: cookieHeader(res) };
    },
  };
  return h;
}

export type Harness = ReturnType<typeof createHarness>;

/** The `name=value` pairs a browser would send back after this response. */
export function cookieHeader(res: Response) {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .filter((pair) => !pair.endsWith('='))
    .join('; ');
}

/** A Random that answers `ints` in turn, for codes chosen by the test; bytes stay random. */
export function scriptedRandom(...ints: number[]): Random {
  return { int: () => ints.shift() ?? cryptoRandom.int(1_000_000), bytes: cryptoRandom.bytes };
}

/** A code store over a plain Map, to look at what is stored. */
export function mapCodeStore(records = new Map<string, SubjectCodes>()): CodeStore & { records: typeof records } {
  let order = 0;
  return {
    records,
    async update(key, change) {
      const { next, result } = change(records.get(key));
      if (next) records.set(key, next);
      return result;
    },
    async nextOrder() {
      return ++order;
    },
  };
}
