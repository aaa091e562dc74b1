/**
 * The benchmarks: `npm run bench`. Parts 1–4 run in this one process through `app.request()`
 * (no network), on the app built as main.ts builds it (test/server/harness.ts); part 5 crosses real
 * sockets to servers started on their own. Speeds are ratios
 * to a baseline measured alongside, variants interleaved, so they mean much the same on any machine.
 *   1. Timing parity (R3, SECURITY-PLAN item 20): registered vs unregistered, PASS/FAIL per threshold,
 *      on each storage engine (SQLite in memory, PostgreSQL, PostgreSQL + Redis, the last two on
 *      throwaway servers started and stopped here); PARITY_ENGINES=sqlite,postgres,redis picks some.
 *   2. The hot path: GET /api/session against a bare Hono app.
 *   3. Full sign-ins per second.
 *   4. Sustained load (SECURITY-PLAN 48): a steady rate of sign-ins, latency percentiles; LOAD_SECONDS sets
 *      the length (default 20; the plan's run is 600).
 *   5. Over real HTTP (bench/http.ts, issue 16): `node build/main.js` against a bare Hono app and, when
 *      `npm run bench:peers` installed it, Better Auth, on each engine; the goals are informative.
 *      HTTP_SECONDS (default 5) and HTTP_ROUNDS (default 2) set its length; HTTP_SECONDS=0 skips it.
 * Exits 1 when a parity threshold or the sustained load fails (the A/A controls aside: they judge the machine).
 */
import { cpus } from 'node:os';
import { defaults } from '../server/config/config.ts';
import { ENGINES, chooseEngines, startEngines } from './engines.ts';
import { measureParity, parityReport } from './parity.ts';
import { measureSession, measureSignIn, throughputReport } from './throughput.ts';
import { loadPassed, loadReport, measureLoad } from './load.ts';
import { goalMet, httpHeading, httpReport, measureHttp, peerInstalled, type HttpResult } from './http.ts';

const started = process.hrtime.bigint();
const took = () => `   (${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s so far)`;
const print = (...lines: string[]) => console.log(lines.join('\n'));
const chosen = chooseEngines(process.env.PARITY_ENGINES);

print(
  'otp-login benchmarks',
  `  node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${new Date().toISOString()}`,
  '',
  '1. Enumeration timing parity (R3), SIGNUP=closed: registered vs unregistered emails, interleaved (ABBA…),',
  '   a new email and IP per request, in process (no HTTP in between to blur differences), on each engine:',
  `   ${chosen.map((n) => ENGINES[n]).join(', ')} (PARITY_ENGINES picks some).`,
  '   a) The bare work, with no answer floor: microseconds a KS test on 1,000 pairs (500 on a networked engine) can see. Informative only.',
  '   b) As the server answers, with its floor (config.codes.answerFloorMs): the verdict.',
  '',
);
const { answerFloorMs } = defaults.codes;
/** The parity comparisons that failed, with their engine: real ones fail the run, A/A controls judge the machine. */
const failed = { real: [] as string[], control: [] as string[] };
const engines = await startEngines(chosen);
// The throwaway servers go with this process however it ends: an error below, or Ctrl-C.
const stopOnSignal = (signal: NodeJS.Signals) => void engines.stop().finally(() => process.kill(process.pid, signal));
process.once('SIGINT', stopOnSignal).once('SIGTERM', stopOnSignal);
const verdicts: string[] = [];
try {
  for (const name of chosen) {
    const engine = ENGINES[name];
    const started = process.hrtime.bigint();
    print(`  ── ${engine}${name === 'sqlite' ? ' (in memory)' : ' (a throwaway server on loopback)'} ──`, '');
    // The bare work is informative, and on a networked engine each request is milliseconds of
    // round trips, not microseconds: 500 pairs there (a KS test still sees a gap of D > 0.10), after
    // a warmup of 100 (the process is warm from SQLite's run; only the pool's connections are new).
    // The verdict below keeps the plan's 1,000 pairs on every engine.
    const bare = name === 'sqlite' ? { samples: 1000, warmup: 1000 } : { samples: 500, warmup: 100 };
    for (const result of await measureParity({ ...bare, floorMs: 0, engine: await engines.open(name) })) {
      print(...parityReport(result).map((line) => line.replace(/\s+(PASS|FAIL)$/, '')), '');
    }
    const before = failed.real.length;
    for (const result of await measureParity({ samples: 1000, warmup: 200, floorMs: answerFloorMs, lanes: 16, engine: await engines.open(name) })) {
      const lines = parityReport(result);
      print(...lines, '');
      if (lines.some((line) => line.endsWith('FAIL'))) failed[result.control ? 'control' : 'real'].push(`${engine}: ${result.name}`);
    }
    verdicts.push(`${engine} ${failed.real.length > before ? 'FAIL' : 'PASS'}`);
    print(`  ${engine}: ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`, '');
  }
} finally {
  await engines.stop();
  process.off('SIGINT', stopOnSignal).off('SIGTERM', stopOnSignal);
}
print(took(), '');

print('2. Hot path');
print(...throughputReport(await measureSession({ rounds: 30, batch: 500 }), 'req'), took(), '');

print('3. Full sign-in');
print(...throughputReport(await measureSignIn({ rounds: 10, batch: 150 }), 'sign-ins'), took(), '');

print('4. Sustained load');
const load = await measureLoad({ rate: 50, seconds: Number(process.env.LOAD_SECONDS) || 20, floorMs: answerFloorMs });
print(...loadReport(load), took(), '');

const httpSeconds = process.env.HTTP_SECONDS === undefined ? 5 : Number(process.env.HTTP_SECONDS);
const http: HttpResult[] = [];
if (httpSeconds > 0) {
  print(
    '5. Over real HTTP: node build/main.js (its log down a pipe, as under systemd) against a bare Hono app answering the same JSON',
    `   ${peerInstalled() ? 'and Better Auth (bench/peers)' : '(Better Auth too after `npm run bench:peers`)'}, each on core 0 in turn, the load on core 1. Goals are informative: they do not decide the exit code.`,
    `   ${httpHeading()}`,
    '',
  );
  // Servers of their own: each engine's product gets a fresh database, and so does Better Auth.
  const servers = await startEngines(chosen);
  const stopServersOnSignal = (signal: NodeJS.Signals) => void servers.stop().finally(() => process.kill(process.pid, signal));
  process.once('SIGINT', stopServersOnSignal).once('SIGTERM', stopServersOnSignal);
  try {
    for (const name of chosen) {
      const [env, peer] = [await servers.env(name), await servers.env(name)];
      const result = await measureHttp({ engine: name, env, peerEnv: peer.DATABASE_URL ? { DATABASE_URL: peer.DATABASE_URL } : {}, seconds: httpSeconds, rounds: Number(process.env.HTTP_ROUNDS) || 2 });
      http.push(result);
      print(...httpReport(result).map((line) => `  ${line}`), '');
    }
  } finally {
    await servers.stop();
    process.off('SIGINT', stopServersOnSignal).off('SIGTERM', stopServersOnSignal);
  }
  print(took(), '');
}

/** Each engine's goals as "SQLite 1/3 met" (of those measured: without Better Auth, only the session check's). */
const goals = http.map((result) => {
  const judged = result.rows.map(goalMet).filter((met) => met !== undefined);
  return `${ENGINES[result.engine]} ${judged.filter(Boolean).length}/${judged.length} met`;
});
print(
  'Summary',
  `  timing parity: ${verdicts.join(', ')}${failed.real.length ? ` (${failed.real.join('; ')})` : ''}`,
  `  sustained load: ${loadPassed(load) ? 'PASS' : 'FAIL'}`,
  ...(goals.length ? [`  HTTP goals:    ${goals.join(', ')} (informative${peerInstalled() ? '' : '; npm run bench:peers adds Better Auth'})`] : []),
  `  A/A controls:  ${failed.control.length ? `FAIL (${failed.control.join('; ')}): the machine was too noisy to judge parity; run again` : 'PASS (the method finds no difference where there is none)'}`,
);
if (failed.real.length || !loadPassed(load)) process.exitCode = 1;
