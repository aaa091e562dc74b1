/**
 * The benchmarks: `npm run bench`. Everything runs in this one process through `app.request()`
 * (no network), on the app built as main.ts builds it (test/server/harness.ts). Speeds are ratios
 * to a baseline measured alongside, variants interleaved, so they mean much the same on any machine.
 *   1. Timing parity (R3, SECURITY-PLAN item 20): registered vs unregistered, PASS/FAIL per threshold.
 *   2. The hot path: GET /api/session against a bare Hono app.
 *   3. Full sign-ins per second.
 *   4. Sustained load (SECURITY-PLAN 48): a steady rate of sign-ins, latency percentiles; LOAD_SECONDS sets
 *      the length (default 20; the plan's run is 600).
 * Exits 1 when a parity threshold or the sustained load fails (the A/A controls aside: they judge the machine).
 */
import { cpus } from 'node:os';
import { defaults } from '../server/config/config.ts';
import { measureParity, parityReport } from './parity.ts';
import { measureSession, measureSignIn, throughputReport } from './throughput.ts';
import { loadPassed, loadReport, measureLoad } from './load.ts';

const started = process.hrtime.bigint();
const took = () => `   (${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s so far)`;
const print = (...lines: string[]) => console.log(lines.join('\n'));

print(
  'otp-login benchmarks',
  `  node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${new Date().toISOString()}`,
  '',
  '1. Enumeration timing parity (R3), SIGNUP=closed: registered vs unregistered emails, interleaved (ABBA…),',
  '   a new email and IP per request, in process (no network jitter to blur differences).',
  '   a) The bare work, with no answer floor: microseconds a KS test on 1,000 pairs can see. Informative only.',
  '   b) As the server answers, with its floor (config.codes.answerFloorMs): the verdict.',
  '',
);
const { answerFloorMs } = defaults.codes;
const failed = { real: [] as string[], control: [] as string[] };
for (const result of await measureParity({ samples: 1000, warmup: 1000, floorMs: 0 })) {
  print(...parityReport(result).map((line) => line.replace(/\s+(PASS|FAIL)$/, '')), '');
}
for (const result of await measureParity({ samples: 1000, warmup: 200, floorMs: answerFloorMs, lanes: 16 })) {
  const lines = parityReport(result);
  print(...lines, '');
  if (lines.some((line) => line.endsWith('FAIL'))) failed[result.control ? 'control' : 'real'].push(result.name);
}
print(took(), '');

print('2. Hot path');
print(...throughputReport(await measureSession({ rounds: 30, batch: 500 }), 'req'), took(), '');

print('3. Full sign-in');
print(...throughputReport(await measureSignIn({ rounds: 10, batch: 150 }), 'sign-ins'), took(), '');

print('4. Sustained load');
const load = await measureLoad({ rate: 50, seconds: Number(process.env.LOAD_SECONDS) || 20, floorMs: answerFloorMs });
print(...loadReport(load), took(), '');

print(
  'Summary',
  `  timing parity: ${failed.real.length ? `FAIL (${failed.real.join('; ')})` : 'PASS'}`,
  `  sustained load: ${loadPassed(load) ? 'PASS' : 'FAIL'}`,
  `  A/A controls:  ${failed.control.length ? `FAIL (${failed.control.join('; ')}): the machine was too noisy to judge parity; run again` : 'PASS (the method finds no difference where there is none)'}`,
);
if (failed.real.length || !loadPassed(load)) process.exitCode = 1;
