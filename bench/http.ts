/**
 * What people feel, over real HTTP (issue 16): `measureHttp` for `npm run bench`'s part 5, and the
 * command `npm run bench:http` (also `npm run bench:peers`, once it has installed the peer).
 * The product as production runs it (`node build/main.js`, its request log on) against a bare Hono
 * app answering the same JSON and, when `npm run bench:peers` installed it, Better Auth's email-otp
 * plugin (bench/peers/better-auth-server.mjs), each in turn on the same core (taskset -c 0), the load
 * from another (this process, -c 1), 50 connections, alternated so all see the same machine.
 *   GET  /api/session, a remembered browser's cookie (every page load)
 *   POST /api/codes, a new address each (and a new X-Forwarded-For, so no limit is reached);
 *        Better Auth: POST /api/auth/email-otp/send-verification-otp, the same
 *   POST /api/codes/verify, a wrong code, a new address each (one address would be locked after 5);
 *        Better Auth: POST /api/auth/sign-in/email-otp, a wrong code for an address its send run
 *        gave a code, each at most 3 times (its allowed attempts; the 4th is a 403)
 * HTTP_SECONDS sets each run's length (default 5); HTTP_ROUNDS the alternations (default 2);
 * HTTP_ENGINES (the command only) the storage engines, as PARITY_ENGINES does (default sqlite; with
 * --peers, as `npm run bench:peers` runs it, all three, and Better Auth must be installed).
 */
import autocannon, { type Request as LoadRequest } from 'autocannon';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../test/servers.ts';
import { ENGINES, chooseEngines, startEngines, type EngineName } from './engines.ts';

const root = resolve(import.meta.dirname, '..');
const CONNECTIONS = 50;
const twoCores = cpus().length >= 2;
const pin = (core: number) => (twoCores ? ['taskset', '-c', String(core)] : []);
const peerServer = join(root, 'bench/peers/better-auth-server.mjs');

/** Whether `npm run bench:peers` installed Better Auth (never part of `npm ci`). */
export const peerInstalled = () => existsSync(join(root, 'bench/peers/node_modules/better-auth/package.json'));

/** The newest modification time under a folder (the build is older than its sources when a file changed since). */
function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** Builds build/main.js when it is missing or older than the server's sources: a stale build would be measured otherwise. */
export function ensureBuilt(): void {
  const main = join(root, 'build/main.js');
  if (existsSync(main) && statSync(main).mtimeMs >= Math.max(newest(join(root, 'server')), statSync(join(root, 'package.json')).mtimeMs)) return;
  console.log('  build/main.js is missing or older than server/: building it (npm run build && npm run build:server)…');
  for (const script of ['build', 'build:server']) execFileSync('npm', ['run', '--silent', script], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

interface Running { url: string; child: ChildProcess; stop(): Promise<void> }

async function start(command: string[], env: Record<string, string>, ready: string): Promise<Running> {
  const port = await freePort();
  const [cmd, ...args] = [...pin(0), ...command];
  // Its output goes down a pipe that is read, as under systemd or a container runtime.
  const child = spawn(cmd!, args, { cwd: root, env: { ...process.env, NODE_ENV: '', ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout!.resume();
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = `http://127.0.0.1:${port}`;
  let up = false;
  for (let i = 0; i < 400 && !up && child.exitCode === null; i++) {
    // From an address, as every request the bench makes (Better Auth warns of a request without one).
    up = await fetch(`${url}${ready}`, { headers: { 'x-forwarded-for': '192.0.2.2' } }).then((res) => res.status < 500, () => false);
    if (!up) await new Promise((r) => setTimeout(r, 50));
  }
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  if (!up) {
    await stop();
    throw new Error(`${command.join(' ')} did not answer ${ready} within 20 s (its errors are above).`);
  }
  return { url, child, stop };
}

const ip = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

/** Signs in on `url` through its development outbox: the cookie, and the session's JSON. */
async function signedIn(url: string) {
  const post = (path: string, body: object) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://localhost:3000', 'x-forwarded-for': '192.0.2.1' }, body: JSON.stringify(body) });
  await post('/api/codes', { email: 'reader@example.com' });
  let messages: Array<{ text: string }> = [];
  // Sending is off the request path: the code is in the outbox a moment later.
  for (let i = 0; i < 50 && !messages.length; i++) {
    await new Promise((r) => setTimeout(r, 100));
    ({ messages } = await (await fetch(`${url}/dev/outbox.json?to=reader%40example.com`)).json() as { messages: Array<{ text: string }> });
  }
  const res = await post('/api/codes/verify', { email: 'reader@example.com', code: /\b\d{6}\b/.exec(messages[0]!.text)![0] });
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const session = await (await fetch(`${url}/api/session`, { headers: { cookie } })).text();
  return { cookie, session };
}

export type Endpoint = 'session' | 'codes' | 'verify';
const TITLE: Record<Endpoint, string> = {
  session: 'GET /api/session, a valid cookie',
  codes: 'POST /api/codes, a new address each',
  verify: 'POST /api/codes/verify, a wrong code (new address each)',
};
/** The goals of issue 16: the session check against the bare app, the others against Better Auth. */
const GOAL: Record<Endpoint, { of: 'bare' | 'peer'; ratio: number; text: string }> = {
  session: { of: 'bare', ratio: 0.6, text: '≥ 0.60 of bare Hono' },
  codes: { of: 'peer', ratio: 15, text: '≥ 15× Better Auth email-otp send' },
  verify: { of: 'peer', ratio: 25, text: '≥ 25× Better Auth wrong OTP' },
};

type Target = 'ours' | 'bare' | 'peer';
const json = { 'content-type': 'application/json', origin: 'http://localhost:3000' };

/** What one target is asked, per endpoint, and the status that is the answer asked for. */
function requestFor(target: Target, endpoint: Endpoint, cookie: string, peer: PeerAddresses): { request: LoadRequest; expected: number } | undefined {
  let n = Math.floor(Math.random() * 1e9);
  const post = (path: string, body: (i: number) => object): LoadRequest => ({
    method: 'POST',
    path,
    setupRequest: (req: LoadRequest) => {
      const i = n++;
      return { ...req, headers: { ...json, 'x-forwarded-for': ip(i) }, body: JSON.stringify(body(i)) };
    },
  });
  if (target === 'peer') {
    // Its session check is not part of the goals (the bare app is the reference there).
    if (endpoint === 'session') return undefined;
    if (endpoint === 'codes') {
      return { request: post('/api/auth/email-otp/send-verification-otp', (i) => ({ email: peer.add(`s${i}@bench.example`), type: 'sign-in' })), expected: 200 };
    }
    return { request: post('/api/auth/sign-in/email-otp', () => ({ email: peer.next(), otp: '000000' })), expected: 400 };
  }
  if (endpoint === 'session') return { request: { method: 'GET', path: '/api/session', headers: { cookie } }, expected: 200 };
  // A new address each (with no code, answered as a wrong one, R3): one address would soon be locked (429).
  if (endpoint === 'codes') return { request: post('/api/codes', (i) => ({ email: `p${i}@bench.example` })), expected: 202 };
  return { request: post('/api/codes/verify', (i) => ({ email: `w${i}@bench.example`, code: '000000' })), expected: 401 };
}

/**
 * The addresses Better Auth was sent codes for, handed out for wrong tries in turn: the whole list,
 * then again, three passes (its allowed attempts), so no two tries at once meet on one address.
 */
class PeerAddresses {
  private list: string[] = [];
  private used = 0;
  add(email: string) {
    this.list.push(email);
    return email;
  }
  next() {
    const email = this.list[this.used % Math.max(1, this.list.length)] ?? 'none@bench.example';
    this.used++;
    return email;
  }
}

interface Load { rps: number; p99: number; unexpected: number }

/** Requests a second, p99, and how many answers were not the one asked for, or failed. */
async function load(url: string, request: LoadRequest, expected: number, seconds: number): Promise<Load> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds, requests: [request] });
  const others = Object.entries(result.statusCodeStats ?? {}).filter(([status, { count = 0 }]) => Number(status) !== expected && count > 0);
  const failed = [...others.map(([status, { count = 0 }]) => `${count} × ${status}`), ...(result.errors ? [`${result.errors} errors`] : []), ...(result.timeouts ? [`${result.timeouts} timeouts`] : [])];
  if (failed.length) console.error(`  ${url}${request.path}: ${failed.join(', ')} (asked for ${expected})`);
  const answered = others.reduce((n, [, { count = 0 }]) => n + count, 0);
  return { rps: result.requests.average, p99: result.latency.p99, unexpected: answered + result.errors + result.timeouts };
}

export interface HttpRow {
  endpoint: Endpoint;
  ours: number;
  bare: number;
  /** Better Auth's requests a second; undefined when it is not installed or not asked this. */
  peer: number | undefined;
  p99: number;
  /** Answers other than the one asked for, or errors: otp-login's, then the peer's. */
  unexpected: number;
  peerUnexpected: number;
}

export interface HttpResult { engine: EngineName; seconds: number; rounds: number; peer: boolean; peerRateLimit: boolean; rows: HttpRow[] }

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Runs the three endpoints against otp-login, the bare app and (when installed) Better Auth, on one
 * engine: `env` is the engine's (EngineServers.env), for the product, `peerEnv` a database of its
 * own for Better Auth. This process is pinned to core 1 meanwhile, and given every core back after.
 */
export async function measureHttp({ engine = 'sqlite', env = {}, peerEnv = {}, seconds = 5, rounds = 2, peer = peerInstalled() }: {
  engine?: EngineName;
  env?: Record<string, string>;
  peerEnv?: Record<string, string>;
  seconds?: number;
  rounds?: number;
  peer?: boolean;
}): Promise<HttpResult> {
  ensureBuilt();
  if (twoCores) execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });
  const dataDir = mkdtempSync(join(tmpdir(), 'otp-bench-http-'));
  const peerRateLimit = process.env.PEER_RATE_LIMIT === 'on';
  const running: Running[] = [];
  try {
    const product = await start(['node', '--max-old-space-size=128', 'build/main.js'], { DATA_DIR: dataDir, TRUST_PROXY: 'x-forwarded-for', PUBLIC_URL: 'http://localhost:3000', ...env }, '/healthz');
    running.push(product);
    const { cookie, session } = await signedIn(product.url);
    const bare = await start(['node', 'bench/bare-hono.mjs'], { SESSION_JSON: session }, '/api/session');
    running.push(bare);
    const other = peer ? await start(['node', peerServer], { DATA_DIR: dataDir, PEER_RATE_LIMIT: peerRateLimit ? 'on' : 'off', ...peerEnv }, '/api/auth/ok') : undefined;
    if (other) running.push(other);
    const url: Record<Target, string | undefined> = { ours: product.url, bare: bare.url, peer: other?.url };
    const addresses = new PeerAddresses();
    const rows: HttpRow[] = [];
    for (const endpoint of ['session', 'codes', 'verify'] as const) {
      const rps: Record<Target, number[]> = { ours: [], bare: [], peer: [] };
      const odd: Record<Target, number> = { ours: 0, bare: 0, peer: 0 };
      let p99 = 0;
      for (let r = 0; r < rounds; r++) {
        for (const target of ['ours', 'bare', 'peer'] as const) {
          const asked = requestFor(target, endpoint, cookie, addresses);
          if (!url[target] || !asked) continue;
          const result = await load(url[target]!, asked.request, asked.expected, seconds);
          rps[target].push(result.rps);
          odd[target] += result.unexpected;
          if (target === 'ours') p99 = Math.max(p99, result.p99);
        }
      }
      rows.push({ endpoint, ours: median(rps.ours), bare: median(rps.bare), peer: rps.peer.length ? median(rps.peer) : undefined, p99, unexpected: odd.ours, peerUnexpected: odd.peer });
    }
    return { engine, seconds, rounds, peer: Boolean(other), peerRateLimit, rows };
  } finally {
    await Promise.all(running.map((r) => r.stop()));
    rmSync(dataDir, { recursive: true, force: true });
    if (twoCores) execFileSync('taskset', ['-cp', `0-${cpus().length - 1}`, String(process.pid)], { stdio: 'ignore' });
  }
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** Whether each row reaches its goal: undefined when its reference (Better Auth) was not measured. */
export function goalMet(row: HttpRow): boolean | undefined {
  const goal = GOAL[row.endpoint];
  const reference = goal.of === 'bare' ? row.bare : row.peer;
  return reference === undefined ? undefined : row.ours / reference >= goal.ratio;
}

/** The table, as Markdown lines, with what it was measured on. */
export function httpReport(result: HttpResult): string[] {
  const peerNote = result.peer
    ? `Better Auth 1.x email-otp on ${result.engine === 'sqlite' ? 'SQLite (better-sqlite3, WAL)' : 'PostgreSQL (its own database on the same server)'}, its rate limiter ${result.peerRateLimit ? 'on (PEER_RATE_LIMIT=on, as in production)' : 'off (its default outside production; PEER_RATE_LIMIT=on turns it on)'}; otp-login keeps its limits on, and both are asked with a new address and X-Forwarded-For each`
    : 'Better Auth not installed: `npm run bench:peers` installs it in bench/peers and measures it too';
  const lines = [
    `${ENGINES[result.engine]}: ${result.rounds} × ${result.seconds} s each, alternated. ${peerNote}.`,
    '',
    '| endpoint | otp-login req/s | bare Hono req/s | ratio | Better Auth req/s | × Better Auth | goal | goal met | otp-login p99 ms | other answers or errors |',
    '|---|---:|---:|---:|---:|---:|---|---|---:|---:|',
  ];
  for (const row of result.rows) {
    const met = goalMet(row);
    const times = row.peer === undefined ? '—' : `${(row.ours / row.peer).toFixed(1)}×`;
    const odd = result.peer && row.peer !== undefined ? `${count(row.unexpected)} / ${count(row.peerUnexpected)}` : count(row.unexpected);
    lines.push(`| ${TITLE[row.endpoint]} | ${count(row.ours)} | ${count(row.bare)} | ${(row.ours / row.bare).toFixed(3)} | ${row.peer === undefined ? '—' : count(row.peer)} | ${times} | ${GOAL[row.endpoint].text} | ${met === undefined ? '— (no peer)' : met ? 'met' : 'not met'} | ${row.p99} | ${odd} |`);
  }
  if (result.peer) lines.push('', 'Other answers or errors: otp-login’s / Better Auth’s.');
  return lines;
}

/** The line above the tables: the machine and how the load is placed. */
export function httpHeading(): string {
  return `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}, ${twoCores ? 'servers on core 0, load on core 1' : 'one core: not pinned'}, ${CONNECTIONS} connections, ${new Date().toISOString()}`;
}

// The command: `npm run bench:http` (and bench:peers), on the engines HTTP_ENGINES names.
if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(import.meta.filename)) {
  const seconds = Number(process.env.HTTP_SECONDS) || 5;
  const rounds = Number(process.env.HTTP_ROUNDS) || 2;
  const peers = process.argv.includes('--peers');
  if (peers && !peerInstalled()) {
    console.error('Better Auth is not in bench/peers/node_modules: `npm run bench:peers` installs it (npm ci --prefix bench/peers) before measuring.');
    process.exit(1);
  }
  const chosen = chooseEngines(process.env.HTTP_ENGINES || (peers ? '' : 'sqlite'));
  const engines = await startEngines(chosen);
  const stopOnSignal = (signal: NodeJS.Signals) => void engines.stop().finally(() => process.kill(process.pid, signal));
  process.once('SIGINT', stopOnSignal).once('SIGTERM', stopOnSignal);
  console.log(`bench:http — ${httpHeading()}\n`);
  try {
    for (const engine of chosen) {
      const [env, peerEnv] = [await engines.env(engine), await engines.env(engine)];
      const result = await measureHttp({ engine, env, peerEnv: peerEnv.DATABASE_URL ? { DATABASE_URL: peerEnv.DATABASE_URL } : {}, seconds, rounds });
      console.log([...httpReport(result), ''].join('\n'));
    }
  } finally {
    await engines.stop();
    process.off('SIGINT', stopOnSignal).off('SIGTERM', stopOnSignal);
  }
}
