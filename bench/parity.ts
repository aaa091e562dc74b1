import { cryptoRandom, type Random } from '../server/random.ts';
import { createHarness } from '../test/server/harness.ts';
import type { OpenEngine } from './engines.ts';
import { ksTest, quantile, sorted } from './stats.ts';
import { pairedLatencies, type Variant } from './timing.ts';

/** SECURITY-PLAN.md item 20. */
export const THRESHOLDS = { medianMs: 5, p95Ms: 10, ksP: 0.01 };

/** Latencies in nanoseconds of two groups of identifiers, measured interleaved. */
export interface ParityResult {
  name: string;
  /** The answer floor the server kept (config.codes.answerFloorMs); 0 shows the bare work inside it. */
  floorMs: number;
  /** A/A: both groups are unregistered, so any difference found is the bench's or the machine's. */
  control: boolean;
  labels: [string, string];
  a: number[];
  b: number[];
}

// Codes never come out as 000000, so that guess is wrong for every contact, never right by luck.
const neverZero: Random = { int: (max) => 1 + cryptoRandom.int(max - 1), bytes: cryptoRandom.bytes };

/** k: registered; u: unregistered; v and w: two more unregistered sets, for the A/A control. */
type Group = 'k' | 'u' | 'v' | 'w';
const GROUPS: Group[] = ['k', 'u', 'v', 'w'];
const LABEL: Record<Group, string> = { k: 'registered', u: 'unregistered', v: 'unregistered v', w: 'unregistered w' };
// Same length in every group, so body parsing and hashing cost the same.
const email = (group: Group, i: number) => `${group}${String(i).padStart(5, '0')}@example.com`;
// A fresh address per request keeps the per-IP limits (20 sends/h, 60 verifies/10 min) out of the way.
const ipOf = (group: Group, i: number) => {
  const n = 4 * i + GROUPS.indexOf(group);
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
};

/**
 * R3 under SIGNUP=closed: registered emails and unregistered ones, asked for a code and then
 * verified with a wrong code, interleaved request by request. Every request uses a new identifier
 * and a new IP, so no limit is hit and every answer is the one an attacker would compare.
 * The same is done for two unregistered sets (A/A): it must pass, or the machine was too noisy.
 */
export async function measureParity({ samples, warmup, floorMs, lanes = 1, engine }: {
  samples: number;
  warmup: number;
  floorMs: number;
  lanes?: number;
  /** A fresh Storage on another engine (engines.ts); default the harness's SQLite in memory. */
  engine?: OpenEngine;
}): Promise<ParityResult[]> {
  // Codes live in the engine (SQLite, PostgreSQL or Redis), which keeps every subject: nothing is evicted.
  const app = createHarness({ env: { SIGNUP: 'closed' }, random: neverZero, answerFloorMs: floorMs, engine });
  // 50 at a time: over a network engine one by one would take seconds of nothing measured.
  for (let i = 0; i < samples + warmup; i += 50) {
    await Promise.all(Array.from({ length: Math.min(50, samples + warmup - i) }, (_, j) => app.contacts.create({ email: email('k', i + j) })));
  }

  const endpoints = {
    codes: { name: 'POST /api/codes', path: '/api/codes', body: {}, status: 202, code: undefined },
    verify: { name: 'POST /api/codes/verify (wrong code)', path: '/api/codes/verify', body: { code: '000000' }, status: 401, code: 'wrong_code' },
  };
  const call = (endpoint: (typeof endpoints)[keyof typeof endpoints], group: Group): Variant => ({
    name: LABEL[group],
    async run(i) {
      const res = await app.post(endpoint.path, { email: email(group, i), ...endpoint.body }, { ip: ipOf(group, i) });
      const text = await res.text();
      // Any other answer means another path was timed: stop rather than report it.
      if (res.status !== endpoint.status || (endpoint.code && !text.includes(`"code":"${endpoint.code}"`))) {
        throw new Error(`${endpoint.path} for ${email(group, i)} answered ${res.status} ${text}`);
      }
    },
  });
  const compare = async (endpoint: (typeof endpoints)[keyof typeof endpoints], a: Group, b: Group): Promise<ParityResult> => {
    const ns = await pairedLatencies(call(endpoint, a), call(endpoint, b), { samples, warmup, lanes });
    return { name: endpoint.name, floorMs, control: a !== 'k', labels: [LABEL[a], LABEL[b]], ...ns };
  };

  // Codes first for every group: the verifies need a code waiting (a real one or a decoy).
  const results = [
    await compare(endpoints.codes, 'k', 'u'),
    await compare(endpoints.codes, 'v', 'w'),
    await compare(endpoints.verify, 'k', 'u'),
    await compare(endpoints.verify, 'v', 'w'),
  ];
  // The codes' messages still going out would write to a Storage about to be closed.
  await app.queue.idle();
  return results;
}

const ms = (ns: number, sign = false) => `${sign && ns >= 0 ? '+' : ''}${(ns / 1e6).toFixed(3)} ms`;
const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');

/** The report lines for one comparison, with PASS/FAIL per threshold (the last word of a line). */
export function parityReport({ name, floorMs, control, labels, a, b }: ParityResult): string[] {
  const xs = [sorted(a), sorted(b)] as const;
  const median = xs.map((x) => quantile(x, 0.5));
  const p95 = xs.map((x) => quantile(x, 0.95));
  const dMedian = median[0]! - median[1]!;
  const dP95 = p95[0]! - p95[1]!;
  const ks = ksTest(xs[0], xs[1]);
  const row = (i: 0 | 1) =>
    `    ${labels[i].padEnd(15)} n=${xs[i].length}  median ${ms(median[i]!).padStart(9)}  p95 ${ms(p95[i]!).padStart(9)}` +
    `  min ${ms(xs[i][0]!).padStart(9)}  max ${ms(xs[i][xs[i].length - 1]!).padStart(9)}`;
  return [
    `  ${name}${control ? ' — control (A/A): two unregistered sets' : ''}${floorMs ? ` — as answered, ${floorMs} ms floor` : ' — the bare work, no floor (informative)'}`,
    row(0),
    row(1),
    `    |Δ median| ${ms(Math.abs(dMedian)).padStart(9)} (${ms(dMedian, true)})   limit ${THRESHOLDS.medianMs} ms    ${verdict(Math.abs(dMedian) <= THRESHOLDS.medianMs * 1e6)}`,
    `    |Δ p95|    ${ms(Math.abs(dP95)).padStart(9)} (${ms(dP95, true)})   limit ${THRESHOLDS.p95Ms} ms   ${verdict(Math.abs(dP95) <= THRESHOLDS.p95Ms * 1e6)}`,
    `    KS         D=${ks.d.toFixed(4)}  p=${ks.p.toPrecision(3).padEnd(9)}      limit p ≥ ${THRESHOLDS.ksP} ${verdict(ks.p >= THRESHOLDS.ksP)}`,
  ];
}
