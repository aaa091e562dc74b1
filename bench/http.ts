/**
 * `npm run bench:http` (issue 16): what people feel, over real HTTP. The product as production runs
 * it (`node build/main.js`, its request log on) against a bare Hono app answering the same JSON,
 * each in turn on the same core (taskset -c 0), the load from another (this process, -c 1), 50
 * connections, alternated so both see the same machine. Figures are ratios to the bare app.
 *   GET  /api/session, a remembered browser's cookie (every page load)
 *   POST /api/codes, a new address each (and a new X-Forwarded-For, so no limit is reached)
 *   POST /api/codes/verify, a wrong code, a new address each (one address would be locked after 5)
 * HTTP_SECONDS sets each run's length (default 5); HTTP_ROUNDS the alternations (default 2).
 */
import autocannon, { type Request as LoadRequest } from 'autocannon';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../test/servers.ts';

const root = resolve(import.meta.dirname, '..');
const SECONDS = Number(process.env.HTTP_SECONDS) || 5;
const ROUNDS = Number(process.env.HTTP_ROUNDS) || 2;
const CONNECTIONS = 50;
const twoCores = cpus().length >= 2;
const pin = (core: number) => (twoCores ? ['taskset', '-c', String(core)] : []);
if (twoCores) execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });

if (!existsSync(join(root, 'build/main.js'))) {
  console.error('bench:http runs build/main.js: run `npm run build && npm run build:server` first.');
  process.exit(1);
}

interface Running { url: string; child: ChildProcess; stop(): Promise<void> }

async function start(command: string[], env: Record<string, string>, ready: string): Promise<Running> {
  const port = await freePort();
  const [cmd, ...args] = [...pin(0), ...command];
  // Its output goes down a pipe that is read, as under systemd or a container runtime.
  const child = spawn(cmd!, args, { cwd: root, env: { ...process.env, NODE_ENV: '', ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout!.resume();
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}${ready}`)).status < 500) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, child, stop: () => new Promise((done) => { child.once('exit', () => done()); child.kill('SIGTERM'); }) };
}

const ip = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

/** Signs in on `url` through its development outbox: the cookie, and the session's JSON. */
async function signedIn(url: string) {
  const post = (path: string, body: object) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://localhost:3000', 'x-forwarded-for': '192.0.2.1' }, body: JSON.stringify(body) });
  await post('/api/codes', { email: 'reader@example.com' });
  await new Promise((r) => setTimeout(r, 100));
  const { messages } = await (await fetch(`${url}/dev/outbox.json?to=reader%40example.com`)).json() as { messages: Array<{ text: string }> };
  const res = await post('/api/codes/verify', { email: 'reader@example.com', code: /\b\d{6}\b/.exec(messages[0]!.text)![0] });
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const session = await (await fetch(`${url}/api/session`, { headers: { cookie } })).text();
  return { cookie, session };
}

type Endpoint = 'session' | 'codes' | 'verify';
const TITLE: Record<Endpoint, string> = {
  session: 'GET /api/session, a valid cookie',
  codes: 'POST /api/codes, a new address each',
  verify: 'POST /api/codes/verify, a wrong code (new address each)',
};

/** Requests a second, p99, and how many answers were not the one asked for (200, 202, or 401 for a wrong code) or failed. */
async function load(url: string, endpoint: Endpoint, cookie: string): Promise<{ rps: number; p99: number; unexpected: number }> {
  let n = Math.floor(Math.random() * 1e6);
  const headers = { 'content-type': 'application/json', origin: 'http://localhost:3000' };
  const request: LoadRequest =
    endpoint === 'session'
      ? { method: 'GET' as const, path: '/api/session', headers: { cookie } }
      : {
          method: 'POST' as const,
          path: endpoint === 'codes' ? '/api/codes' : '/api/codes/verify',
          setupRequest: (req: LoadRequest) => {
            const i = n++;
            // A new address each (with no code, answered as a wrong one, R3): one address would soon be locked (429).
            const body = endpoint === 'codes' ? { email: `p${i}@bench.example` } : { email: `w${i}@bench.example`, code: '000000' };
            return { ...req, headers: { ...headers, 'x-forwarded-for': ip(i) }, body: JSON.stringify(body) };
          },
        };
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, requests: [request] });
  const expected = endpoint === 'session' ? 200 : endpoint === 'codes' ? 202 : 401;
  const answered = Object.entries(result.statusCodeStats ?? {}).reduce((n, [status, { count = 0 }]) => n + (Number(status) === expected ? 0 : count), 0);
  return { rps: result.requests.average, p99: result.latency.p99, unexpected: answered + result.errors + result.timeouts };
}

const dataDir = mkdtempSync(join(tmpdir(), 'otp-bench-http-'));
const product = await start(['node', '--max-old-space-size=128', 'build/main.js'], { DATA_DIR: dataDir, TRUST_PROXY: 'x-forwarded-for', PUBLIC_URL: 'http://localhost:3000' }, '/healthz');
const { cookie, session } = await signedIn(product.url);
const bare = await start(['node', 'bench/bare-hono.mjs'], { SESSION_JSON: session }, '/api/session');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(`bench:http — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}, ${twoCores ? 'servers on core 0, load on core 1' : 'one core: not pinned'}, ${CONNECTIONS} connections, ${ROUNDS} × ${SECONDS} s each, alternated\n`);
console.log('| endpoint | otp-login req/s | bare Hono req/s | ratio | otp-login p99 ms | other answers or errors |');
console.log('|---|---:|---:|---:|---:|---:|');
try {
  for (const endpoint of ['session', 'codes', 'verify'] as const) {
    const ours: number[] = [];
    const theirs: number[] = [];
    let p99 = 0;
    let odd = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const a = await load(product.url, endpoint, cookie);
      const b = await load(bare.url, endpoint, cookie);
      ours.push(a.rps);
      theirs.push(b.rps);
      p99 = Math.max(p99, a.p99);
      odd += a.unexpected;
    }
    const [o, t] = [median(ours), median(theirs)];
    console.log(`| ${TITLE[endpoint]} | ${o.toFixed(0)} | ${t.toFixed(0)} | ${(o / t).toFixed(3)} | ${p99} | ${odd} |`);
  }
} finally {
  await Promise.all([product.stop(), bare.stop()]);
  rmSync(dataDir, { recursive: true, force: true });
}
