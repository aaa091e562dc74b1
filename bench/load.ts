import { cookieHeader, createHarness } from '../test/server/harness.ts';
import { quantile, sorted } from './stats.ts';

export interface LoadResult {
  rate: number;
  seconds: number;
  pairs: number;
  /** Milliseconds per request, by endpoint. */
  latency: Record<'send' | 'verify', { p50: number; p99: number; max: number }>;
  /** Sign-ins whose email got more than one message: must be 0. */
  doubleSends: number;
  failures: number;
  /** How far behind schedule the last pair started (the server could not keep up if large). */
  lagMs: number;
}

/**
 * SECURITY-PLAN 48: a steady `rate` of sign-ins a second (code request, then verify with the code
 * from the outbox) for `seconds`, each with its own email and IP, with the production answer floor
 * and limits on. Started on a fixed schedule whether or not earlier ones finished (an open model),
 * so a slow server shows as growing latency and lag rather than as a politely lower rate.
 */
export async function measureLoad({ rate, seconds, floorMs }: { rate: number; seconds: number; floorMs: number }): Promise<LoadResult> {
  const h = createHarness({ env: { SIGNUP: 'closed' }, answerFloorMs: floorMs });
  const total = rate * seconds;
  const email = (i: number) => `load${i}@example.com`;
  for (let i = 0; i < total; i++) await h.contacts.create({ email: email(i) });
  const send: number[] = [];
  const verify: number[] = [];
  let failures = 0;
  let lagMs = 0;

  async function pair(i: number) {
    const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    let t = performance.now();
    const asked = await h.post('/api/codes', { email: email(i) }, { ip });
    send.push(performance.now() - t);
    if (asked.status !== 202) return void failures++;
    // The message is handed over after the answer floor; wait for it as a person waits for email.
    let code: string | undefined;
    for (let tries = 0; !code && tries < 200; tries++) {
      code = h.outbox.list(email(i))[0]?.text.match(/\b\d{6}\b/)?.[0];
      if (!code) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    if (!code) return void failures++;
    t = performance.now();
    const verified = await h.post('/api/codes/verify', { email: email(i), code }, { ip });
    verify.push(performance.now() - t);
    if (verified.status !== 200 || !cookieHeader(verified)) failures++;
  }

  const started = performance.now();
  const running: Array<Promise<void>> = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    lagMs = Math.max(lagMs, performance.now() - due);
    running.push(pair(i));
  }
  await Promise.all(running);
  await h.queue.idle();
  const doubleSends = Array.from({ length: total }, (_, i) => h.outbox.list(email(i)).length).filter((n) => n > 1).length;
  // No samples (every request failed) reads as NaN, so the report says FAIL instead of throwing.
  const summary = (xs: number[]) => {
    if (xs.length === 0) return { p50: NaN, p99: NaN, max: NaN };
    const s = sorted(xs);
    return { p50: quantile(s, 0.5), p99: quantile(s, 0.99), max: s[s.length - 1] ?? 0 };
  };
  return { rate, seconds, pairs: total, latency: { send: summary(send), verify: summary(verify) }, doubleSends, failures, lagMs };
}

/** SECURITY-PLAN 48's bar: verify p99 under 300 ms, no double sends, no failures. */
export const loadPassed = (r: LoadResult): boolean => r.latency.verify.p99 < 300 && r.doubleSends === 0 && r.failures === 0;

export function loadReport(r: LoadResult): string[] {
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const verdict = loadPassed(r) ? 'PASS' : 'FAIL';
  return [
    `  ${r.rate} sign-ins a second for ${r.seconds} s (${r.pairs} pairs, open model, answer floor on)`,
    `    POST /api/codes         p50 ${ms(r.latency.send.p50)}  p99 ${ms(r.latency.send.p99)}  max ${ms(r.latency.send.max)}`,
    `    POST /api/codes/verify  p50 ${ms(r.latency.verify.p50)}  p99 ${ms(r.latency.verify.p99)}  max ${ms(r.latency.verify.max)}`,
    `    double sends ${r.doubleSends}, failures ${r.failures}, worst start lag ${ms(r.lagMs)}`,
    `    verify p99 < 300 ms, no double sends, no failures: ${verdict}`,
  ];
}
