/**
 * The scale benchmark (issue 14, item 6): `npm run bench:scale`. Over real HTTP on loopback, in one
 * run, side by side:
 *   (a) one instance on SQLite (no DATABASE_URL), the baseline;
 *   (b) two instances on one PostgreSQL;
 *   (c) two instances on PostgreSQL + Redis.
 * Each instance is `node build/main.js` as `npm start` runs it, behind a simulated load balancer at
 * PUBLIC_URL (TRUST_PROXY=x-forwarded-for, the page's Origin), as test/e2e/faults.test.ts runs them.
 *
 * 1. Steady load: SCALE_USERS virtual users (default 20) each signing in over and over for
 *    SCALE_SECONDS (default 20): POST /api/codes on one instance, the code read from that instance's
 *    development outbox, POST /api/codes/verify on the next instance, GET /api/session with the
 *    cookie on the first; the balancer goes round-robin. Each sign-in is a new person (a new email)
 *    from a new address (X-Forwarded-For 10.x.y.z), so no limit is reached and every limit stays at
 *    its default. Sign-ins/s, p50/p95/p99 per endpoint, the ratio to (a); Redis commands per
 *    sign-in (INFO commandstats) and SQL statements per sign-in (pg_stat_statements).
 * 2. Correctness: double successes (each of 40 codes verified 4 times at once over the instances),
 *    limit overshoot (IP_CODES_PER_HOUR+10 code requests at once from one address, over the
 *    instances), duplicate sends (every message in every instance's outbox, collected while 1 and 2
 *    run, against the code requests answered 202). All must be 0, or the run exits 1.
 * 3. Faults under the same steady load, for (b) and (c): kill -9 of instance A (the balancer notices
 *    after 1 s and sends everything to B, then A is started again), Redis restart (c), PostgreSQL
 *    down for 3 s. A per-second timeline around each fault and the time to recover.
 *
 * The load generator runs on the same machine as the servers (and PostgreSQL and Redis): figures are
 * for comparing set-ups with each other, not absolute capacity.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createClient } from '@redis/client';
import pg from 'pg';
import { startServer, type RunningServer } from '../test/e2e/server.ts';
import { startPostgres, startRedis, type RunningPostgres, type RunningRedis } from '../test/servers.ts';
import { quantile, sorted } from './stats.ts';

const SECONDS = Number(process.env.SCALE_SECONDS ?? 20);
const USERS = Number(process.env.SCALE_USERS ?? 20);
if (!(SECONDS > 0) || !Number.isInteger(USERS) || USERS < 1) throw new Error('SCALE_SECONDS must be a positive number and SCALE_USERS a whole number of at least 1.');
const WARMUP_MS = 2000;
const PUBLIC_URL = 'http://localhost:8080';
const IP_CODES_PER_HOUR = 20; // the default (server/config/config-limits.ts): the overshoot check's limit
const NOTICED_AFTER_MS = 1000; // the balancer's health check notices a dead instance
const PG_DOWN_MS = 3000;
const BEFORE_FAULT_MS = 3000;
const CLEAN_TO_RECOVER_MS = 3000; // recovered: this long with every sign-in succeeding
const MAX_AFTER_FAULT_MS = 30_000;
const PAUSE_AFTER_FAILURE_MS = 100; // a virtual user whose sign-in failed waits this long before its next

const root = resolve(import.meta.dirname, '..');
const started = Date.now();
const log = (line: string) => console.error(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// --- Clean-up of everything started, on success, error or Ctrl-C ---

const cleanups: Array<() => Promise<unknown>> = [];
/** Set by Ctrl-C: nothing more is started. */
let stopping = false;
let cleaning: Promise<void> | undefined;
/** Stops everything started, once: Ctrl-C and the run's own end both wait for the same clean-up. */
function cleanUp() {
  cleaning ??= (async () => {
    for (const step of cleanups.reverse()) await step().catch((error) => log(`clean-up: ${(error as Error).message}`));
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopping = true;
    log(`${signal}: stopping every server started`);
    void cleanUp().finally(() => process.exit(130));
  });
}

// --- The build: build/main.js, rebuilt when server/ or widget/ changed after it ---

function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return t;
}
const mainJs = join(root, 'build/main.js');
if (!existsSync(mainJs) || statSync(mainJs).mtimeMs < Math.max(newest(join(root, 'server')), newest(join(root, 'widget')))) {
  log('build/main.js is missing or older than server/ or widget/: npm run build && npm run build:server');
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  execFileSync('npm', ['run', 'build:server'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}
// The server's node flags as `npm start` passes them (its heap cap), read from package.json so they cannot drift.
const startFlags = (/\bnode ((?:--\S+ )*)build\/main\.js/.exec((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start)?.[1] ?? '').split(' ').filter(Boolean);

// --- HTTP over keep-alive connections (node:http: fetch costs the load generator more CPU) ---

interface Answer { status: number; body: string; cookie: string; ms: number }

/** One instance as the balancer sees it. */
interface Instance {
  name: string;
  server: RunningServer;
  agent: Agent;
  env: Record<string, string>;
  /** In the balancer's rotation: false from NOTICED_AFTER_MS after its death until it is back. */
  inRotation: boolean;
}

function call(to: Instance, method: 'GET' | 'POST', path: string, { body, ip, cookie }: { body?: object; ip?: string; cookie?: string } = {}): Promise<Answer> {
  const url = new URL(to.server.url);
  const payload = body && JSON.stringify(body);
  const headers: Record<string, string | number> = { origin: PUBLIC_URL };
  if (ip) headers['x-forwarded-for'] = ip;
  if (cookie) headers.cookie = cookie;
  if (payload) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  const t = performance.now();
  return new Promise((done, fail) => {
    const req = request({ agent: to.agent, host: '127.0.0.1', port: url.port, path, method, headers, timeout: 10_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: text, cookie: (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; '), ms: performance.now() - t }));
      res.on('error', fail);
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', fail);
    req.end(payload);
  });
}

// --- Servers ---

/** Starts `node build/main.js` (on `port`, for a restart) and keeps only the tail of its log (it logs every request). */
async function startInstance(name: string, env: Record<string, string>, port?: number): Promise<Instance> {
  if (stopping) throw new Error('stopping');
  const starting = startServer({ command: ['node', ...startFlags, 'build/main.js'], env, ...(port && { port }) });
  // Registered before it answers, so a Ctrl-C while it starts stops it too.
  let instance: Instance | undefined;
  cleanups.push(async () => {
    instance?.agent.destroy();
    const current = instance?.server ?? (await starting.catch(() => undefined));
    if (current && current.child.exitCode === null && current.child.signalCode === null) await current.stop();
  });
  const server = await starting;
  let tail = '';
  for (const stream of [server.child.stdout!, server.child.stderr!]) {
    stream.removeAllListeners('data');
    stream.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-4000)));
  }
  server.output = () => tail;
  instance = { name, server, env, agent: new Agent({ keepAlive: true, maxSockets: USERS * 2 }), inRotation: true };
  return instance;
}

// --- Load ---

type Endpoint = 'POST /api/codes' | 'outbox read (dev)' | 'POST /api/codes/verify' | 'GET /api/session' | 'full sign-in';
const ENDPOINTS: Endpoint[] = ['POST /api/codes', 'outbox read (dev)', 'POST /api/codes/verify', 'GET /api/session', 'full sign-in'];

interface Outcome {
  /** ms since the load started, when the sign-in began and ended. */
  start: number;
  end: number;
  kind: 'ok' | '503' | 'error';
  detail?: string;
  email: string;
  askedOn?: Instance;
  accepted: boolean;
  /** Its code came after CODE_WAIT_MS (a storage outage delayed the delivery), or never within LATE_CODE_MS. */
  code?: 'late' | 'lost';
}

let personSerial = 0;
const nextPerson = () => {
  const n = personSerial++;
  return { email: `person-${n}@scale.example`, ip: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` };
};

/**
 * The balancer: round-robin over the instances in rotation. A request it sends to an instance that
 * died but is still in rotation finds no one (connection refused or reset): a failure, as in
 * faults.test.ts, until the health check takes the instance out.
 */
function balancer(instances: Instance[]) {
  let turn = 0;
  return {
    pick(): [Instance, Instance] {
      const live = instances.filter((i) => i.inRotation);
      const first = live[turn++ % live.length]!;
      return [first, live[(live.indexOf(first) + 1) % live.length]!];
    },
  };
}

/** How long a code normally takes to reach the outbox; and how long one delayed by a storage outage may (its writes retry for ~30 s). */
const CODE_WAIT_MS = 2_000;
const LATE_CODE_MS = 35_000;

/** The newest code in `on`'s development outbox for `email`, read every 10 ms for up to `ms`. */
async function codeIn(on: Instance, email: string, ms: number): Promise<string | undefined> {
  for (let i = 0; i < ms / 10; i++) {
    const read = await call(on, 'GET', `/dev/outbox.json?to=${encodeURIComponent(email)}`);
    const code = /\b(\d{6})\b/.exec((JSON.parse(read.body) as { messages: Array<{ text: string }> }).messages[0]?.text ?? '')?.[1];
    if (code) return code;
    await sleep(10);
  }
  return undefined;
}

/** One full sign-in; latencies of answered requests go into `latency`. */
async function signIn(lb: ReturnType<typeof balancer>, t0: number, latency: Map<Endpoint, number[]>): Promise<Outcome> {
  const { email, ip } = nextPerson();
  const start = performance.now() - t0;
  const [on, then] = lb.pick();
  let late: Outcome['code'];
  const outcome = (kind: Outcome['kind'], detail?: string, accepted = false): Outcome => ({ start, end: performance.now() - t0, kind, detail, email, askedOn: on, accepted, ...(late && { code: late }) });
  const record = (what: Endpoint, ms: number) => latency.get(what)!.push(ms);
  const fail = (step: string, a: Answer) => outcome(a.status === 503 ? '503' : 'error', `${step} ${a.status}`, step !== 'code');
  try {
    const asked = await call(on, 'POST', '/api/codes', { body: { email }, ip });
    record('POST /api/codes', asked.ms);
    if (asked.status !== 202) return fail('code', asked);
    // The code from the outbox of the instance that sent it (each instance's outbox is its own, in memory).
    const readStarted = performance.now();
    let code = await codeIn(on, email, CODE_WAIT_MS);
    if (!code) {
      // Not a failure yet: a code answered 202 just before an outage is sent once the storage is back.
      late = 'late';
      code = await codeIn(on, email, LATE_CODE_MS - CODE_WAIT_MS);
      if (!code) late = 'lost';
    }
    record('outbox read (dev)', performance.now() - readStarted);
    if (!code) return outcome('error', `no code in the outbox within ${LATE_CODE_MS / 1000} s (lost)`, true);
    const verified = await call(then, 'POST', '/api/codes/verify', { body: { email, code }, ip });
    record('POST /api/codes/verify', verified.ms);
    if (verified.status !== 200) return fail('verify', verified);
    const session = await call(on, 'GET', '/api/session', { ip, cookie: verified.cookie });
    record('GET /api/session', session.ms);
    if (session.status !== 200) return fail('session', session);
    if ((JSON.parse(session.body) as { signedIn?: boolean }).signedIn !== true) return outcome('error', 'session not signed in', true);
    const done = outcome('ok', undefined, true);
    record('full sign-in', done.end - done.start);
    return done;
  } catch (error) {
    return outcome('error', `no answer (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** USERS virtual users signing in until `stop()`; every sign-in's outcome, times from `t0`. */
function runLoad(instances: Instance[]) {
  const lb = balancer(instances);
  const t0 = performance.now();
  const latency = new Map(ENDPOINTS.map((e) => [e, [] as number[]]));
  const outcomes: Outcome[] = [];
  let running = true;
  const users = Array.from({ length: USERS }, async () => {
    while (running) {
      const o = await signIn(lb, t0, latency);
      outcomes.push(o);
      if (o.kind !== 'ok') await sleep(PAUSE_AFTER_FAILURE_MS);
    }
  });
  return {
    t0,
    outcomes,
    latency,
    now: () => performance.now() - t0,
    /** Stops starting sign-ins and waits for those under way. */
    async stop() {
      running = false;
      await Promise.all(users);
      return performance.now() - t0;
    },
  };
}

// --- Counters in PostgreSQL and Redis ---

async function redisCounter(url: string) {
  const client = createClient({ url });
  client.on('error', () => {}); // a restart in the fault runs: it reconnects
  await client.connect();
  cleanups.push(() => client.close());
  /** Calls so far of each command but the INFO this counter sends itself. */
  return async () => {
    const info = await client.info('commandstats');
    return new Map([...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].filter((m) => m[1] !== 'info').map((m) => [m[1]!, Number(m[2])]));
  };
}

async function sqlCounter(url: string) {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {}); // PostgreSQL goes down in the fault runs; this client is not used after them
  await client.connect();
  cleanups.push(() => client.end());
  await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  const ours = "query NOT LIKE '%pg_stat_%'";
  return {
    reset: async () => void (await client.query('SELECT pg_stat_statements_reset()')),
    /** Statements executed in this database (calls in pg_stat_statements), the busiest first; and its committed transactions. */
    async read() {
      const rows = (await client.query(`SELECT calls::int AS calls, query FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND ${ours} ORDER BY calls DESC`)).rows as Array<{ calls: number; query: string }>;
      // pg_stat_database is flushed by each backend at most once a second: the caller waits before reading.
      const xacts = Number((await client.query('SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()')).rows[0].xact_commit);
      return { statements: rows.reduce((s, r) => s + r.calls, 0), rows, xacts };
    },
  };
}

// --- Outbox collector, for duplicate sends ---

/** Every message in every instance's outbox (each keeps its newest 500), read every 500 ms. */
function collectOutboxes(instances: Instance[]) {
  const seen = new Map<string, Set<string>>(); // address → distinct messages (instance, time, text)
  let running = true;
  const collect = async () => {
    for (const instance of instances) {
      const read = await call(instance, 'GET', '/dev/outbox.json');
      for (const m of (JSON.parse(read.body) as { messages: Array<{ to: string; text: string; sentAt: string }> }).messages) {
        if (!seen.has(m.to)) seen.set(m.to, new Set());
        seen.get(m.to)!.add(`${instance.name} ${m.sentAt} ${m.text}`);
      }
    }
  };
  // An error (an instance gone) ends the loop and is thrown by stop(), not left unhandled.
  const loop = (async () => {
    while (running) {
      await collect();
      await sleep(500);
    }
  })();
  loop.catch(() => {});
  return {
    async stop() {
      running = false;
      await loop;
      await collect();
      return seen;
    },
  };
}

// --- Report helpers ---

const fmt = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '-');
const pct = (xs: number[], q: number) => (xs.length ? quantile(sorted(xs), q) : NaN);
const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);

interface Steady {
  setup: string;
  signIns: number;
  seconds: number;
  failures: Outcome[];
  /** The addresses whose code request was answered 202. */
  accepted: string[];
  latency: Map<Endpoint, number[]>;
  redis?: { perSignIn: number; top: Array<[string, number]> };
  sql?: { perSignIn: number; xactsPerSignIn: number; top: Array<{ calls: number; query: string }> };
}
interface Correctness { doubleSuccesses: number; overshoot: number; overshootDetail: string; duplicateSends: number; notSeen: number; raceCodes: number }
interface Fault {
  setup: string;
  name: string;
  /** What the fault's end is: "PostgreSQL was up again", … */
  back: string;
  lines: string[];
  recoverMs: number | undefined;
  /** When the fault's own step ended (the server back, the balancer noticed), ms after the fault. */
  backMs: number;
  failed: number;
  ok: number;
  /** Codes answered 202 that reached the outbox late (after CODE_WAIT_MS), or never (lost: a failure of the product). */
  lateCodes: number;
  lostCodes: number;
  /** Instances that ended during the run and were not the one killed. */
  died: string[];
}

// --- The phases ---

async function steady(setup: string, instances: Instance[], counters: { redis?: () => Promise<Map<string, number>>; sql?: Awaited<ReturnType<typeof sqlCounter>> }): Promise<Steady> {
  // Warm-up (JIT, connection pools), not measured.
  const warm = runLoad(instances);
  await sleep(WARMUP_MS);
  await warm.stop();
  await counters.sql?.reset();
  await sleep(1100);
  const sqlBefore = await counters.sql?.read();
  const redisBefore = await counters.redis?.();
  const load = runLoad(instances);
  await sleep(SECONDS * 1000);
  const ms = await load.stop();
  const redisAfter = await counters.redis?.();
  await sleep(1100);
  const sqlAfter = await counters.sql?.read();
  const ok = load.outcomes.filter((o) => o.kind === 'ok').length;
  const result: Steady = { setup, signIns: ok, seconds: ms / 1000, failures: load.outcomes.filter((o) => o.kind !== 'ok'), accepted: load.outcomes.filter((o) => o.accepted).map((o) => o.email), latency: load.latency };
  if (redisBefore && redisAfter) {
    const per = [...redisAfter].map(([cmd, calls]) => [cmd, (calls - (redisBefore.get(cmd) ?? 0)) / ok] as [string, number]).filter(([, n]) => n > 0);
    result.redis = { perSignIn: per.reduce((sum, [, n]) => sum + n, 0), top: per.sort((x, y) => y[1] - x[1]) };
  }
  if (sqlBefore && sqlAfter) result.sql = { perSignIn: (sqlAfter.statements - sqlBefore.statements) / ok, xactsPerSignIn: (sqlAfter.xacts - sqlBefore.xacts) / ok, top: sqlAfter.rows.slice(0, 8) };
  log(`${setup}: ${ok} sign-ins in ${fmt(ms / 1000)} s (${fmt(ok / (ms / 1000))}/s), ${result.failures.length} failed`);
  return result;
}

async function correctness(instances: Instance[]): Promise<Omit<Correctness, 'duplicateSends' | 'notSeen'> & { accepted: string[] }> {
  const accepted: string[] = [];
  // Double successes: each code verified 4 times at once, spread over the instances.
  const RACE = 40;
  let doubleSuccesses = 0;
  await Promise.all(
    Array.from({ length: RACE }, async (_, k) => {
      const { email, ip } = nextPerson();
      const on = instances[k % instances.length]!;
      const asked = await call(on, 'POST', '/api/codes', { body: { email }, ip });
      if (asked.status !== 202) throw new Error(`race: code request answered ${asked.status}: ${asked.body}`);
      accepted.push(email);
      const code = await codeIn(on, email, CODE_WAIT_MS);
      if (!code) throw new Error(`race: no code for ${email}`);
      const answers = await Promise.all(Array.from({ length: 4 }, (_, j) => call(instances[(k + j) % instances.length]!, 'POST', '/api/codes/verify', { body: { email, code }, ip })));
      const wins = answers.filter((a) => a.status === 200).length;
      if (wins !== 1) log(`race: ${email}'s code verified 200 ${wins} times (${answers.map((a) => a.status).join(' ')})`);
      if (wins > 1) doubleSuccesses += wins - 1;
      if (wins === 0) throw new Error(`race: ${email}'s right code never verified: ${answers.map((a) => a.status).join(' ')}`);
    }),
  );
  // Limit overshoot: IP_CODES_PER_HOUR + 10 code requests at once from each of 3 addresses, over the instances.
  let overshoot = 0;
  const perIp: string[] = [];
  for (let k = 0; k < 3; k++) {
    const ip = `192.0.2.${k + 1}`;
    const answers = await Promise.all(
      Array.from({ length: IP_CODES_PER_HOUR + 10 }, async (_, j) => {
        const email = `limit-${k}-${j}@scale.example`;
        const a = await call(instances[j % instances.length]!, 'POST', '/api/codes', { body: { email }, ip });
        if (a.status === 202) accepted.push(email);
        return a.status;
      }),
    );
    const ok = answers.filter((s) => s === 202).length;
    const others = answers.filter((s) => s !== 202 && s !== 429);
    if (others.length) throw new Error(`limit: answers other than 202 and 429: ${others.join(' ')}`);
    overshoot += Math.max(0, ok - IP_CODES_PER_HOUR);
    perIp.push(String(ok));
  }
  return { doubleSuccesses, raceCodes: RACE, overshoot, overshootDetail: `${perIp.join(', ')} of ${IP_CODES_PER_HOUR + 10} accepted (limit ${IP_CODES_PER_HOUR})`, accepted };
}

/** Steady load with `fault` at t = 0 after BEFORE_FAULT_MS; the per-second timeline and time to recover. */
async function underFault(setup: string, name: string, back: string, instances: Instance[], fault: () => Promise<void>, killed?: Instance): Promise<Fault> {
  log(`${setup}: ${name}`);
  const load = runLoad(instances);
  await sleep(BEFORE_FAULT_MS);
  const faultAt = load.now();
  let backMs = NaN;
  const faultDone = fault().then(() => (backMs = load.now() - faultAt));
  // Recovered when every sign-in that ended in the last CLEAN_TO_RECOVER_MS succeeded (and some did).
  const lastFailureEnd = () => load.outcomes.reduce((t, o) => (o.kind !== 'ok' && o.end >= faultAt ? Math.max(t, o.end) : t), faultAt);
  for (;;) {
    await sleep(250);
    const now = load.now();
    if (now - faultAt > MAX_AFTER_FAULT_MS) break;
    const since = Math.max(lastFailureEnd(), faultAt);
    if (now - since >= CLEAN_TO_RECOVER_MS && load.outcomes.some((o) => o.kind === 'ok' && o.start > since)) break;
  }
  await faultDone;
  await load.stop();
  const failures = load.outcomes.filter((o) => o.kind !== 'ok' && o.end >= faultAt);
  const recovered = load.outcomes.some((o) => o.kind === 'ok' && o.start > lastFailureEnd());
  const recoverMs = failures.length === 0 ? 0 : recovered ? lastFailureEnd() - faultAt : undefined;
  // The timeline: second k holds the sign-ins that ended in [k, k+1) s after the fault.
  const first = -Math.floor(BEFORE_FAULT_MS / 1000);
  const last = Math.ceil((load.outcomes.reduce((t, o) => Math.max(t, o.end), 0) - faultAt) / 1000) - 1;
  const lines = [`    ${lpad('s', 4)} ${lpad('ok', 5)} ${lpad('503', 5)} ${lpad('other', 6)} ${lpad('p99 ms', 8)}  failures`];
  for (let s = first; s <= last; s++) {
    const these = load.outcomes.filter((o) => o.end - faultAt >= s * 1000 && o.end - faultAt < (s + 1) * 1000);
    const count = (k: Outcome['kind']) => these.filter((o) => o.kind === k).length;
    const kinds = new Map<string, number>();
    for (const o of these) if (o.kind !== 'ok') kinds.set(o.detail!, (kinds.get(o.detail!) ?? 0) + 1);
    const lateHere = these.filter((o) => o.code === 'late').length;
    if (lateHere) kinds.set('signed in with a code that came late', lateHere);
    const why = [...kinds].map(([d, n]) => `${n} × ${d}`).join(', ');
    lines.push(`    ${lpad(`${s >= 0 ? '+' : ''}${s}`, 4)} ${lpad(String(count('ok')), 5)} ${lpad(String(count('503')), 5)} ${lpad(String(count('error')), 6)} ${lpad(fmt(pct(these.map((o) => o.end - o.start), 0.99), 0), 8)}  ${why}`);
  }
  const ok = load.outcomes.filter((o) => o.kind === 'ok' && o.end >= faultAt).length;
  // An instance that ended by itself (a crash): its log's tail, and it is started again for the next run.
  const died: string[] = [];
  for (const i of instances) {
    if (i === killed || (i.server.child.exitCode === null && i.server.child.signalCode === null)) continue;
    died.push(`${i.name} (exit ${i.server.child.exitCode ?? i.server.child.signalCode})`);
    log(`${setup}: instance ${i.name} ended during "${name}" (exit ${i.server.child.exitCode ?? i.server.child.signalCode}); its log ends:\n${i.server.output()}`);
    await bringBack(i);
  }
  log(`${setup}: ${name}: ${failures.length} failed after the fault, recovered ${recoverMs === undefined ? `NOT within ${MAX_AFTER_FAULT_MS / 1000} s` : `${fmt(recoverMs / 1000)} s after it`}${died.length ? `; ENDED: ${died.join(', ')}` : ''}`);
  const codes = (c: Outcome['code']) => load.outcomes.filter((o) => o.code === c && o.end >= faultAt).length;
  return { setup, name, back, lines, recoverMs, backMs, failed: failures.length, ok, lateCodes: codes('late'), lostCodes: codes('lost'), died };
}

async function kill(a: Instance) {
  void a.server.stop('SIGKILL');
  await sleep(NOTICED_AFTER_MS);
  a.inRotation = false;
}
/** An instance that ended started again on its port and put back in rotation, between fault runs. */
async function bringBack(a: Instance) {
  const port = Number(new URL(a.server.url).port);
  const again = await startInstance(a.name, a.env, port);
  a.agent.destroy();
  Object.assign(a, { server: again.server, agent: again.agent, inRotation: true });
}

// --- The run ---

const report: string[] = [];
const print = (...lines: string[]) => {
  console.log(lines.join('\n'));
  report.push(...lines);
};
let exitCode = 0;
try {
  const loadBefore = loadavg()[0]!;
  log('starting PostgreSQL (with pg_stat_statements) and Redis');
  let postgres: RunningPostgres | undefined;
  let redis: RunningRedis | undefined;
  const starting = [startPostgres({ settings: { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all' } }), startRedis()] as const;
  cleanups.push(async () => (await starting[0].catch(() => undefined))?.stop(), async () => (await starting[1].catch(() => undefined))?.stop());
  [postgres, redis] = await Promise.all(starting);
  const secret = randomBytes(48).toString('base64url');
  const common = { SECRET: secret, PUBLIC_URL, TRUST_PROXY: 'x-forwarded-for' };

  const steadies: Steady[] = [];
  const checks: Array<{ setup: string } & Correctness> = [];
  const faults: Fault[] = [];
  const setups = [
    { setup: '(a) 1 × SQLite', n: 1, db: false, redis: false },
    { setup: '(b) 2 × PostgreSQL', n: 2, db: true, redis: false },
    { setup: '(c) 2 × PostgreSQL + Redis', n: 2, db: true, redis: true },
  ];
  for (const s of setups) {
    const env: Record<string, string> = { ...common };
    if (s.db) env.DATABASE_URL = await postgres.newDatabase(s.redis ? 'scale_c' : 'scale_b');
    if (s.redis) env.REDIS_URL = redis.url;
    log(`${s.setup}: starting ${s.n} instance(s)`);
    const instances: Instance[] = [];
    // One after the other: the first creates the schema.
    for (let k = 0; k < s.n; k++) instances.push(await startInstance('AB'[k]!, env));
    const counters = {
      ...(s.redis && { redis: await redisCounter(redis.url) }),
      ...(s.db && { sql: await sqlCounter(env.DATABASE_URL!) }),
    };
    const collector = collectOutboxes(instances);
    const result = await steady(s.setup, instances, counters);
    steadies.push(result);
    const check = await correctness(instances);
    const seen = await collector.stop();
    // Duplicate sends: more than one message to an address whose code request was accepted. Steady
    // load's addresses each had one request accepted (failures before the 202 aside).
    const acceptedEmails = [...result.accepted, ...check.accepted];
    let duplicateSends = 0;
    let notSeen = 0;
    for (const [to, messages] of seen) if (messages.size > 1 && /@scale\.example$/.test(to)) duplicateSends += messages.size - 1;
    for (const email of acceptedEmails) if (!seen.has(email)) notSeen++;
    checks.push({ setup: s.setup, ...check, duplicateSends, notSeen });
    if (check.doubleSuccesses || check.overshoot || duplicateSends) exitCode = 1;

    if (s.n === 2) {
      const a = instances[0]!;
      faults.push(await underFault(s.setup, 'kill -9 of instance A', 'the balancer took A out', instances, () => kill(a), a));
      await bringBack(a);
      if (s.redis) faults.push(await underFault(s.setup, 'Redis restart', 'Redis answered again', instances, () => redis!.restart()));
      faults.push(await underFault(s.setup, `PostgreSQL down ${PG_DOWN_MS / 1000} s, then up`, 'PostgreSQL was up again', instances, async () => {
        await postgres!.down();
        await sleep(PG_DOWN_MS);
        await postgres!.up();
      }));
    }
    for (const i of instances) {
      i.agent.destroy();
      await i.server.stop();
    }
  }

  // --- Report ---
  const base = steadies[0]!;
  const rate = (r: Steady) => r.signIns / r.seconds;
  print(
    '# Scale benchmark (issue 14, item 6)',
    '',
    `\`${SECONDS === 20 ? '' : `SCALE_SECONDS=${SECONDS} `}${USERS === 20 ? '' : `SCALE_USERS=${USERS} `}npm run bench:scale\` — ${new Date(started).toISOString()}, node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, load average ${fmt(loadBefore, 2)} before, ${fmt(loadavg()[0]!, 2)} at the end.`,
    '',
    `Each instance is \`node ${startFlags.map((f) => `${f} `).join('')}build/main.js\` on loopback, TRUST_PROXY=x-forwarded-for, PUBLIC_URL=${PUBLIC_URL}, every limit at its default;`,
    'PostgreSQL (fsync off, throwaway) and Redis (appendonly yes, appendfsync everysec) on the same machine, and so is the load generator: compare the set-ups, not the absolute figures.',
    `Steady load: ${USERS} virtual users, each signing in again as soon as it has (closed loop), for ${SECONDS} s after ${WARMUP_MS / 1000} s of warm-up. A sign-in: POST /api/codes on one instance (round-robin), the code read from`,
    'that instance\'s development outbox, POST /api/codes/verify on the other instance, GET /api/session with the cookie on the first. Each sign-in is a new email from a new X-Forwarded-For address (10.x.y.z), so no limit is reached.',
    '',
    '## Steady load',
    '',
    `| Set-up | Sign-ins/s | vs (a) | Failed | Redis commands / sign-in | SQL statements / sign-in (committed transactions, single statements included) |`,
    '|---|---:|---:|---:|---:|---:|',
    ...steadies.map((r) => `| ${r.setup} | ${fmt(rate(r))} | ${fmt(rate(r) / rate(base), 2)} | ${r.failures.length} | ${r.redis ? fmt(r.redis.perSignIn) : ''} | ${r.sql ? `${fmt(r.sql.perSignIn)} (${fmt(r.sql.xactsPerSignIn)})` : ''} |`),
    '',
    'Latency, ms (client side, answered requests; "outbox read" is the bench reading the dev outbox until the code is there, not a product endpoint):',
    '',
    `| Endpoint | ${steadies.map((r) => `${r.setup} p50 / p95 / p99`).join(' | ')} | p99 of (b), (c) vs (a) |`,
    `|---|${steadies.map(() => '---:').join('|')}|---:|`,
    ...ENDPOINTS.map((e) => {
      const cells = steadies.map((r) => {
        const xs = r.latency.get(e)!;
        return `${fmt(pct(xs, 0.5))} / ${fmt(pct(xs, 0.95))} / ${fmt(pct(xs, 0.99))}`;
      });
      const p99 = (r: Steady) => pct(r.latency.get(e)!, 0.99);
      return `| ${e} | ${cells.join(' | ')} | ${steadies.slice(1).map((r) => fmt(p99(r) / p99(base), 2)).join(', ')} |`;
    }),
    '',
  );
  for (const r of steadies) {
    if (r.failures.length) print(`Failures under steady load in ${r.setup}: ${[...new Map(r.failures.map((o) => [o.detail, r.failures.filter((x) => x.detail === o.detail).length]))].map(([d, n]) => `${n} × ${d}`).join(', ')}`, '');
    if (r.redis) print(`Redis commands per sign-in in ${r.setup} (INFO commandstats; a script's own commands count under evalsha/fcall and again under their names):`, '', `    ${r.redis.top.map(([cmd, n]) => `${cmd} ${fmt(n, 2)}`).join(', ')}`, '');
    if (r.sql) {
      print(`SQL statements per sign-in in ${r.setup}, the busiest (pg_stat_statements, track=all: statements run by foreign-key checks, and background work such as the purge and outgoing events, included):`, '');
      const total = r.signIns;
      print(...r.sql.top.map((t) => `    ${lpad(fmt(t.calls / total, 2), 6)}  ${t.query.replace(/\s+/g, ' ').slice(0, 110)}`), '');
    }
  }
  print(
    '## Correctness',
    '',
    '| Set-up | Double successes | Limit overshoot | Duplicate sends |',
    '|---|---:|---:|---:|',
    ...checks.map((c) => `| ${c.setup} | ${c.doubleSuccesses} (${c.raceCodes} codes, each verified 4 × at once) | ${c.overshoot} (${c.overshootDetail}) | ${c.duplicateSends}${c.notSeen ? ` (${c.notSeen} accepted code requests not seen in an outbox)` : ''} |`),
    '',
    '## Faults under steady load',
    '',
    '| Set-up | Fault | Sign-ins failed | Codes (202) late / lost | Recovered after the fault | after the fault\'s end |',
    '|---|---|---:|---:|---:|---|',
    ...faults.map((f) => `| ${f.setup} | ${f.name} | ${f.failed} | ${f.lateCodes} / ${f.lostCodes} | ${f.recoverMs === undefined ? 'NOT' : `${fmt(f.recoverMs / 1000)} s`} | ${f.recoverMs === undefined ? '' : `${fmt(Math.max(0, f.recoverMs - f.backMs) / 1000)} s after ${f.back}`} |`),
    '',
    'Every sign-in uses both instances (its code asked on one, verified on the other), so while a dead instance is still in rotation nearly every sign-in fails, not half.',
    `The balancer takes a killed instance out of rotation ${NOTICED_AFTER_MS / 1000} s after the kill; until then requests sent to it find no one (not resent). A virtual user whose sign-in failed waits ${PAUSE_AFTER_FAILURE_MS} ms before its next.`,
    `Timeline: each second from ${BEFORE_FAULT_MS / 1000} s before the fault (at 0) until ${CLEAN_TO_RECOVER_MS / 1000} s of clean sign-ins; the sign-ins that ended that second; p99 of their duration. Recovered: the end of the last failed sign-in.`,
    '',
  );
  for (const f of faults) {
    const recovered = f.recoverMs === undefined ? `NOT within ${MAX_AFTER_FAULT_MS / 1000} s` : `${fmt(f.recoverMs / 1000)} s after the fault, ${fmt(Math.max(0, f.recoverMs - f.backMs) / 1000)} s after ${f.back} (at +${fmt(f.backMs / 1000)} s)`;
    const codes = f.lateCodes || f.lostCodes ? ` ${f.lateCodes} codes answered 202 came late (their delivery waited for the storage), ${f.lostCodes} never came.` : '';
    print(`### ${f.setup}: ${f.name}`, '', `${f.failed} sign-ins failed and ${f.ok} succeeded from the fault on; recovered ${recovered}.${codes}${f.died.length ? ` **Instances that ended by themselves: ${f.died.join(', ')}.**` : ''}`, '', '```', ...f.lines, '```', '');
    if (f.recoverMs === undefined || f.died.length || f.lostCodes) exitCode = 1;
  }
  const bad = checks.filter((c) => c.doubleSuccesses || c.overshoot || c.duplicateSends);
  print(bad.length ? `**FAIL:** correctness counters not 0 in ${bad.map((c) => c.setup).join(', ')}.` : '**Every correctness counter is 0.**', '', `Run time ${fmt((Date.now() - started) / 1000, 0)} s.`);
  const out = resolve(process.env.SCALE_REPORT ?? join(root, 'bench/results/scale.md'));
  mkdirSync(resolve(out, '..'), { recursive: true });
  writeFileSync(out, `${report.join('\n')}\n`);
  log(`written to ${out}`);
} catch (error) {
  console.error(`The scale benchmark stopped: ${(error as Error).stack}`);
  exitCode = 1;
} finally {
  await cleanUp();
}
process.exit(exitCode);
