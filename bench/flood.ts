/**
 * The flood benchmark (issue 13, item 3): `npm run bench:flood`. FLOOD_REQUESTS code requests
 * (default 1,000,000) for distinct, unknown email addresses from many source addresses, against the
 * real server started as its own process, as `npm start` starts it (`node build/main.js`, the server
 * built by `npm run build:server` first), on loopback, with a fresh DATA_DIR. Throughout, it samples the server's memory and times a real person's code request
 * every 2 s; before, it gives one contact a live code and locks another; after, it checks that the
 * code still signs in and the lock still holds, and reports the database's growth.
 *
 * Settings, and why:
 * - SIGNUP=closed: every flood address is unknown, so it gets a decoy code (kept, counted and limited
 *   like a real one, R3) and nothing is sent; only the real people's codes reach the development
 *   outbox. This is the attack the issue describes: it costs the server everything but the send.
 * - TRUST_PROXY=x-forwarded-for, so the load spreads over many source addresses (10.x.y.z).
 *   IP_CODES_PER_HOUR stays at its default (20): each address asks 20 times at most, so no flood
 *   request is refused and the flood needs FLOOD_REQUESTS / 20 source addresses, as an attacker
 *   keeping under the limit would.
 * - FAILURES_BEFORE_LOCK=5 and FAILURES_BEFORE_WAIT=5, so the lock takes five wrong codes, not a hundred.
 * - The answer floor and every other limit at their defaults; NODE_ENV not production (the outbox).
 *
 * A code lives 10 minutes, so one code cannot wait through a longer flood: the live code is a relay.
 * A contact asks for a code before the flood; after 8 minutes of flood (or at its end) that code
 * must sign in (200), and the next contact asks for one, which the next check signs in, and so on.
 * Every moment of the flood is covered by a code waiting.
 *
 * FLOOD_CONNECTIONS (default 32) keep-alive connections carry the flood; the probes use their own.
 * The server is CPU-bound well before 32 (about 1,200 requests/s on 2 cores either way), so more
 * connections only lengthen the queue a real person's request waits in: at 64, that wait alone
 * took the probes' p50 to ~90 ms (a 20,000 run here). Set 64 to see it.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { codeFromOutbox, startServer } from '../test/e2e/server.ts';
import { openDataDir } from '../test/store/data-dir.ts';
import { quantile, sorted } from './stats.ts';

const total = Number(process.env.FLOOD_REQUESTS ?? 1_000_000);
const connections = Number(process.env.FLOOD_CONNECTIONS ?? 32);
if (!Number.isInteger(total) || total < 1 || !Number.isInteger(connections) || connections < 1) {
  throw new Error('FLOOD_REQUESTS and FLOOD_CONNECTIONS must be whole numbers of at least 1.');
}
// The server's node flags as `npm start` passes them (its heap cap), read from package.json so the
// two cannot drift; FLOOD_NODE_FLAGS replaces them, to look into its memory (e.g. --trace-gc).
const startFlags = /\bnode ((?:--\S+ )*)build\/main\.js/.exec((JSON.parse(readFileSync(resolve(import.meta.dirname, '../package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start)?.[1] ?? '';
const nodeFlags = (process.env.FLOOD_NODE_FLAGS ?? startFlags).split(' ').filter(Boolean);
const IP_CODES_PER_HOUR = 20; // the default; see above
const PROBE_EVERY_MS = 2000;
const RELAY_AFTER_MS = 8 * 60_000; // a code lives 10 minutes
const GOALS = { rssMb: 200, probeMs: 100 };

const started = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(5)} s] ${line}`);

// --- HTTP over keep-alive connections (node:http: undici is not installed, and fetch is slow) ---

interface Answer { status: number; body: string; ms: number }

function post(agent: Agent, url: URL, path: string, body: unknown, ip: string): Promise<Answer> {
  const payload = JSON.stringify(body);
  const t = performance.now();
  return new Promise((done, fail) => {
    const req = request(
      { agent, host: url.hostname, port: url.port, path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'x-forwarded-for': ip, origin: url.origin } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done({ status: res.statusCode ?? 0, body: text, ms: performance.now() - t }));
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    req.end(payload);
  });
}

// --- Measurements of the server process and its database ---

/** The server's resident memory, MB: all of it, and the part that is not a mapped file (heap, stacks). */
const memoryOf = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) / 1024;
  return { mb: kb('VmRSS'), anon: kb('RssAnon') };
};
const rssMb = (pid: number) => memoryOf(pid).mb;
const sizeOf = (file: string) => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};
const dbSize = (file: string) => ({ main: sizeOf(file), wal: sizeOf(`${file}-wal`) });
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const summary = (xs: number[]) => {
  if (xs.length === 0) return { n: 0, p50: NaN, p95: NaN, max: NaN };
  const s = sorted(xs);
  return { n: xs.length, p50: quantile(s, 0.5), p95: quantile(s, 0.95), max: s[s.length - 1]! };
};

// --- Setup: the real people, added through the store API before the server starts ---

const dataDir = mkdtempSync(join(tmpdir(), 'otp-flood-'));
const dbFile = join(dataDir, 'otp-login.sqlite');
const probeCount = 4000; // one a 2 s for over two hours; reused after that (a person's limits are per hour)
const holders = (k: number) => `holder-${k}@people.example`;
const probes = (k: number) => `probe-${k % probeCount}@people.example`;
const lockedEmail = 'locked@people.example';
{
  const storage = openDataDir(dataDir);
  await storage.contacts.create({ email: lockedEmail });
  for (let k = 0; k < 20; k++) await storage.contacts.create({ email: holders(k) });
  for (let k = 0; k < probeCount; k++) await storage.contacts.create({ email: probes(k) });
  await storage.close();
}

log('building the server (npm run build:server), as npm start does');
execFileSync('npm', ['run', 'build:server'], { cwd: resolve(import.meta.dirname, '..'), stdio: 'inherit' });
log(`starting the server (DATA_DIR ${dataDir})`);
const server = await startServer({
  command: ['node', ...nodeFlags, 'build/main.js'],
  env: { DATA_DIR: dataDir, SIGNUP: 'closed', TRUST_PROXY: 'x-forwarded-for', FAILURES_BEFORE_LOCK: '5', FAILURES_BEFORE_WAIT: '5' },
});
// startServer keeps all output in a string; the server logs a line per request, so keep the tail only.
let tail = '';
let logLines = 0;
for (const stream of [server.child.stdout!, server.child.stderr!]) {
  stream.removeAllListeners('data');
  stream.on('data', (d: Buffer) => {
    const text = d.toString();
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) logLines++;
    tail = (tail + text).slice(-4000);
  });
}
const pid = server.child.pid!;
const url = new URL(server.url);
const probeAgent = new Agent({ keepAlive: true, maxSockets: 4 });
const floodAgent = new Agent({ keepAlive: true, maxSockets: connections });
const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  if (!ok) failures.push(what);
  log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
};

try {
  // (a) a live code, asked for and not yet used
  let ipSerial = 0;
  const personIp = () => `172.${16 + ((ipSerial >> 16) & 15)}.${(ipSerial >> 8) & 255}.${ipSerial++ & 255}`;
  const askCode = async (email: string) => {
    const asked = await post(probeAgent, url, '/api/codes', { email }, personIp());
    if (asked.status !== 202) throw new Error(`A code for ${email} answered ${asked.status}: ${asked.body}`);
    return { email, code: await codeFromOutbox(server.url, email), at: Date.now(), floodDone: 0 };
  };

  // (b) a locked identifier: five wrong codes in a row (FAILURES_BEFORE_LOCK=5), then 429 locked
  const { code: lockedCode } = await askCode(lockedEmail);
  const wrong = lockedCode === '000000' ? '111111' : '000000';
  const lockerIp = personIp();
  for (let k = 0; k < 5; k++) {
    const answer = await post(probeAgent, url, '/api/codes/verify', { email: lockedEmail, code: wrong }, lockerIp);
    if (answer.status !== 401) throw new Error(`Wrong code ${k + 1} for ${lockedEmail} answered ${answer.status}: ${answer.body}`);
  }
  const isLocked = (a: Answer) => a.status === 429 && (JSON.parse(a.body) as { error?: { locked?: boolean } }).error?.locked === true;
  const lockedBefore = await post(probeAgent, url, '/api/codes/verify', { email: lockedEmail, code: lockedCode }, personIp());
  check(isLocked(lockedBefore), `before the flood, ${lockedEmail} answers 429 locked, even to its right code (${lockedBefore.status})`);

  let holder = await askCode(holders(0));
  let holderIndex = 0;
  const relay: Array<{ email: string; heldS: number; floodDuring: number; status: number }> = [];

  const storage = openDataDir(dataDir);
  const countsBefore = await storage.counts();
  await storage.close();
  const sizeBefore = dbSize(dbFile);
  const rssBefore = rssMb(pid);
  const load = { before: loadavg()[0]! };
  log(`before the flood: RSS ${rssBefore.toFixed(1)} MB, database ${mb(sizeBefore.main)} + WAL ${mb(sizeBefore.wal)}`);

  // --- The flood ---
  const statuses = new Map<number, number>();
  const floodMs = new Float64Array(total);
  const ipCount = Math.ceil(total / IP_CODES_PER_HOUR);
  let next = 0;
  let done = 0;
  let transportErrors = 0;
  const floodStarted = performance.now();
  async function worker() {
    for (let i = next++; i < total; i = next++) {
      const j = i % ipCount; // each source address asks IP_CODES_PER_HOUR times at most
      try {
        const answer = await post(floodAgent, url, '/api/codes', { email: `flood-${i}@flood.example` }, `10.${(j >> 16) & 255}.${(j >> 8) & 255}.${j & 255}`);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        floodMs[i] = answer.ms;
      } catch {
        transportErrors++;
      }
      done++;
    }
  }
  const workers = Array.from({ length: connections }, worker);
  let flooding = true;
  const finished = Promise.all(workers).then(() => (flooding = false));

  // Memory every second, and a progress line every 30 s
  const rss: Array<{ s: number; done: number; mb: number; anon: number }> = [];
  const sampler = setInterval(() => {
    try {
      rss.push({ s: (performance.now() - floodStarted) / 1000, done, ...memoryOf(pid) });
    } catch {
      /* the server is gone: the checks below will say so */
    }
    if (rss.length % 30 === 0) {
      const last = rss.at(-1)!;
      const size = dbSize(dbFile);
      log(`${done.toLocaleString('en')} / ${total.toLocaleString('en')} (${(done / last.s).toFixed(0)}/s), RSS ${last.mb.toFixed(1)} MB, database ${mb(size.main)} + WAL ${mb(size.wal)}`);
    }
  }, 1000);

  // A real person every 2 s: the answer's time, and how long until the code is in the outbox
  const probeAnswers: number[] = [];
  const probeTimes: Array<{ s: number; done: number; ms: number }> = [];
  const probeDelivered: number[] = [];
  const probeRefused = new Map<number, number>();
  let probeIndex = 0;
  while (flooding) {
    const due = Date.now() + PROBE_EVERY_MS;
    const email = probes(probeIndex++);
    const answer = await post(probeAgent, url, '/api/codes', { email }, personIp());
    if (answer.status === 202) {
      probeAnswers.push(answer.ms);
      probeTimes.push({ s: (performance.now() - floodStarted) / 1000, done, ms: answer.ms });
      const t = performance.now();
      try {
        await codeFromOutbox(server.url, email);
        probeDelivered.push(performance.now() - t + answer.ms);
      } catch {
        probeRefused.set(-1, (probeRefused.get(-1) ?? 0) + 1); // no code reached the outbox
      }
    } else probeRefused.set(answer.status, (probeRefused.get(answer.status) ?? 0) + 1);

    // The live code relay: sign in with the waiting code before it expires, then start the next one.
    if (Date.now() - holder.at > RELAY_AFTER_MS && flooding) {
      const verified = await post(probeAgent, url, '/api/codes/verify', { email: holder.email, code: holder.code }, personIp());
      relay.push({ email: holder.email, heldS: (Date.now() - holder.at) / 1000, floodDuring: done - holder.floodDone, status: verified.status });
      check(verified.status === 200, `the code ${holder.email} asked for ${relay.at(-1)!.heldS.toFixed(0)} s and ${relay.at(-1)!.floodDuring.toLocaleString('en')} flood requests ago signs in (${verified.status})`);
      holder = { ...(await askCode(holders(++holderIndex % 20))), floodDone: done };
    }
    const wait = due - Date.now();
    if (wait > 0 && flooding) await Promise.race([new Promise((r) => setTimeout(r, wait)), finished]);
  }
  await finished;
  const floodS = (performance.now() - floodStarted) / 1000;
  clearInterval(sampler);
  const load1 = loadavg()[0]!;
  log(`flood done: ${total.toLocaleString('en')} requests in ${floodS.toFixed(1)} s`);

  // --- After ---
  const lastVerify = await post(probeAgent, url, '/api/codes/verify', { email: holder.email, code: holder.code }, personIp());
  relay.push({ email: holder.email, heldS: (Date.now() - holder.at) / 1000, floodDuring: done - holder.floodDone, status: lastVerify.status });
  check(lastVerify.status === 200, `after the flood, the code ${holder.email} asked for ${relay.at(-1)!.heldS.toFixed(0)} s and ${relay.at(-1)!.floodDuring.toLocaleString('en')} flood requests ago signs in (${lastVerify.status})`);
  const lockedAfter = await post(probeAgent, url, '/api/codes/verify', { email: lockedEmail, code: lockedCode }, personIp());
  check(isLocked(lockedAfter), `after the flood, ${lockedEmail} still answers 429 locked to its right code (${lockedAfter.status})`);
  const lockedAsk = await post(probeAgent, url, '/api/codes', { email: lockedEmail }, personIp());
  check(isLocked(lockedAsk), `after the flood, ${lockedEmail} asking for a code answers 429 locked (${lockedAsk.status})`);

  const sizeRunning = dbSize(dbFile);
  const during = await openDataDir(dataDir);
  const countsAfter = await during.counts();
  await during.close();
  const rssEnd = rssMb(pid);
  floodAgent.destroy();
  probeAgent.destroy();
  const exitCode = await server.stop();
  const sizeStopped = dbSize(dbFile);
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  const pages = { count: db.pragma('page_count', { simple: true }) as number, free: db.pragma('freelist_count', { simple: true }) as number, size: db.pragma('page_size', { simple: true }) as number };
  const bytesPerTable = Object.fromEntries(
    (db.prepare('SELECT m.tbl_name AS name, sum(s.pgsize) AS bytes FROM dbstat s JOIN sqlite_master m ON m.name = s.name GROUP BY m.tbl_name').all() as Array<{ name: string; bytes: number }>).map((r) => [r.name, r.bytes]),
  );
  db.close();

  // --- Report ---
  const peak = rss.reduce((m, r) => Math.max(m, r.mb), rssBefore);
  const peakAt = rss.find((r) => r.mb === peak);
  const probe = summary(probeAnswers);
  const delivered = summary(probeDelivered);
  const flood = summary(Array.from(floodMs));
  const accepted = statuses.get(202) ?? 0;
  const notAccepted = [...statuses].filter(([s]) => s !== 202).map(([s, n]) => `${n} × ${s}`);
  const growth = sizeRunning.main + sizeRunning.wal - sizeBefore.main - sizeBefore.wal;
  const growthStopped = sizeStopped.main - sizeBefore.main - sizeBefore.wal;
  const n = (x: number) => x.toLocaleString('en');
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const goal = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  const memoryOk = peak < GOALS.rssMb;
  const probeOk = probe.n > 0 && probe.max < GOALS.probeMs && probeRefused.size === 0;
  const relayOk = relay.every((r) => r.status === 200);
  const lockOk = isLocked(lockedAfter) && isLocked(lockedAsk);
  const errorsOk = accepted === total && transportErrors === 0;
  if (!memoryOk) failures.push(`peak RSS ${peak.toFixed(1)} MB ≥ ${GOALS.rssMb} MB`);
  if (!probeOk) failures.push(`a real person's code request took ${probe.max.toFixed(1)} ms at worst (goal < ${GOALS.probeMs} ms), refused: ${[...probeRefused].map(([s, c]) => `${c} × ${s}`).join(', ') || 'none'}`);
  if (!errorsOk) failures.push(`flood answers other than 202: ${notAccepted.join(', ') || 'none'}, transport errors ${transportErrors}`);

  const tables = [...new Set([...Object.keys(countsBefore), ...Object.keys(countsAfter)])].sort();
  const lines = [
    `# Flood benchmark (issue 13, item 3)`,
    '',
    `\`FLOOD_REQUESTS=${total}${connections === 32 ? '' : ` FLOOD_CONNECTIONS=${connections}`}${process.env.FLOOD_NODE_FLAGS !== undefined ? ` FLOOD_NODE_FLAGS="${nodeFlags.join(' ')}"` : ''} npm run bench:flood\` — ${new Date(started).toISOString()}, node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, load average ${load.before.toFixed(2)} before, ${load1.toFixed(2)} at the end of the flood (the load generator runs on the same machine).`,
    '',
    `The real server (\`node ${nodeFlags.map((f) => `${f} `).join('')}build/main.js\`, as \`npm start\` runs it) on loopback, fresh DATA_DIR, SIGNUP=closed (flood addresses get decoys, nothing is sent), TRUST_PROXY=x-forwarded-for,`,
    `IP_CODES_PER_HOUR at its default 20 (so ${n(ipCount)} source addresses 10.x.y.z, each asking ≤ 20 times), FAILURES_BEFORE_LOCK=5, FAILURES_BEFORE_WAIT=5, answer floor at its default (10 ms).`,
    `${n(total)} code requests for distinct unknown addresses over ${connections} keep-alive connections; a real contact asks for a code every 2 s on its own connections.`,
    '',
    '| What | Figure | Goal |',
    '|---|---|---|',
    `| Flood requests | ${n(total)} in ${floodS.toFixed(1)} s: **${(total / floodS).toFixed(0)} requests/s** | |`,
    `| Flood answers | ${n(accepted)} × 202${notAccepted.length ? `, ${notAccepted.join(', ')}` : ''}; transport errors ${transportErrors} | all 202: ${goal(errorsOk)} |`,
    `| Flood request latency (client side) | p50 ${ms(flood.p50)}, p95 ${ms(flood.p95)}, max ${ms(flood.max)} | |`,
    `| Server RSS | ${rssBefore.toFixed(1)} MB before, **peak ${peak.toFixed(1)} MB** (at ${n(peakAt?.done ?? 0)} requests), ${rssEnd.toFixed(1)} MB after; ${rss.length} samples, 1/s | < ${GOALS.rssMb} MB: ${goal(memoryOk)} |`,
    `| Real person's code request, answered (${probe.n} probes, one per 2 s) | p50 ${ms(probe.p50)}, p95 ${ms(probe.p95)}, **max ${ms(probe.max)}**${probeRefused.size ? `; refused or undelivered: ${[...probeRefused].map(([s, c]) => `${c} × ${s === -1 ? 'no code in outbox' : s}`).join(', ')}` : ''} | < ${GOALS.probeMs} ms: ${goal(probeOk)} |`,
    `| Real person's code, in the outbox (answer + delivery) | p50 ${ms(delivered.p50)}, p95 ${ms(delivered.p95)}, max ${ms(delivered.max)} | |`,
    `| Live code of a real person | ${relay.map((r) => `${r.status} after ${r.heldS.toFixed(0)} s / ${n(r.floodDuring)} flood requests`).join('; ')} | all 200: ${goal(relayOk)} |`,
    `| Locked identifier | verify with its right code: ${lockedAfter.status}${isLocked(lockedAfter) ? ' locked' : ''}; new code: ${lockedAsk.status}${isLocked(lockedAsk) ? ' locked' : ''} | 429 locked: ${goal(lockOk)} |`,
    `| Database, server running | ${mb(sizeBefore.main)} + WAL ${mb(sizeBefore.wal)} before → ${mb(sizeRunning.main)} + WAL ${mb(sizeRunning.wal)} after: **+${mb(growth)}, ${n(Math.round((growth / total) * 1000))} bytes per 1,000 requests** | |`,
    `| Database, server stopped (WAL checkpointed) | ${mb(sizeStopped.main)}${sizeStopped.wal ? ` + WAL ${mb(sizeStopped.wal)}` : ''}: +${mb(growthStopped)}, ${n(Math.round((growthStopped / total) * 1000))} bytes per 1,000 requests; ${n(pages.count)} pages of ${pages.size} B, ${n(pages.free)} free | |`,
    `| Server exit | ${exitCode === 0 ? '0 (clean SIGTERM)' : String(exitCode)}; ${n(logLines)} log lines | |`,
    '',
    '| Table | Rows before | Rows after | Bytes after (dbstat, with its indexes) |',
    '|---|---:|---:|---:|',
    ...tables.map((t) => `| ${t} | ${n(countsBefore[t] ?? 0)} | ${n(countsAfter[t] ?? 0)} | ${bytesPerTable[t] ? mb(bytesPerTable[t]) : ''} |`),
    '',
    'Server RSS over the flood (about 30 of the samples):',
    '',
    '| s | requests done | RSS MB | of which anonymous (heap, stacks) MB |',
    '|---:|---:|---:|---:|',
    ...rss.filter((_, i) => i % Math.max(1, Math.floor(rss.length / 30)) === 0).map((r) => `| ${r.s.toFixed(0)} | ${n(r.done)} | ${r.mb.toFixed(1)} | ${r.anon.toFixed(1)} |`),
    '',
    `The slowest real person's code requests: ${[...probeTimes].sort((a, b) => b.ms - a.ms).slice(0, 5).map((p) => `${ms(p.ms)} at ${p.s.toFixed(0)} s (${n(p.done)} done)`).join('; ')}.`,
    '',
    failures.length ? `**Goals failed:** ${failures.join('; ')}` : '**Every goal met.**',
  ];
  const report = lines.join('\n');
  console.log(`\n${report}`);
  // FLOOD_REPORT: another file, for a trial run that must not replace the recorded one.
  const out = resolve(process.env.FLOOD_REPORT ?? resolve(import.meta.dirname, 'results/flood.md'));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${report}\n`);
  log(`written to ${out}`);
  if (failures.length) process.exitCode = 1;
} catch (error) {
  console.error(`The flood benchmark stopped: ${(error as Error).stack}\nServer output (tail):\n${tail}`);
  process.exitCode = 1;
  if (server.child.exitCode === null) await server.stop();
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
