/**
 * npm run bench's HTTP table (issue 16, item 1): goals judged against the right reference, shown as
 * met or not met, and Better Auth kept out of what `npm ci` installs (only `npm run bench:peers`
 * puts it in bench/peers).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { goalMet, httpReport, type HttpResult, type HttpRow } from '../../bench/http.ts';

const row = (endpoint: HttpRow['endpoint'], ours: number, bare: number, peer?: number): HttpRow => ({ endpoint, ours, bare, peer, p99: 10, unexpected: 0, peerUnexpected: 0 });

test('the session check is judged against the bare app: 0.60 of it meets the goal, less does not', () => {
  assert.equal(goalMet(row('session', 600, 1000)), true);
  assert.equal(goalMet(row('session', 599, 1000)), false);
});

test('codes and wrong verifies are judged against Better Auth, and not at all without it', () => {
  assert.equal(goalMet(row('codes', 1500, 100_000, 100)), true);
  assert.equal(goalMet(row('codes', 1499, 100_000, 100)), false);
  assert.equal(goalMet(row('verify', 2500, 100, 100)), true);
  assert.equal(goalMet(row('verify', 2499, 100_000, 100)), false);
  assert.equal(goalMet(row('codes', 1500, 100_000)), undefined);
});

test('the table shows each figure, the ratios and whether each goal is met', () => {
  const result: HttpResult = { engine: 'sqlite', seconds: 5, rounds: 2, peer: true, peerRateLimit: false, rows: [row('session', 3000, 10_000), row('codes', 1500, 20_000, 100), row('verify', 1000, 20_000, 100)] };
  const lines = httpReport(result);
  const [session, codes, verify] = lines.filter((line) => line.startsWith('| GET') || line.startsWith('| POST'));
  assert.match(session!, /\| 3,000 \| 10,000 \| 0\.300 \| — \| — \| ≥ 0\.60 of bare Hono \| not met \|/);
  assert.match(codes!, /\| 1,500 \| 20,000 \| 0\.075 \| 100 \| 15\.0× \| ≥ 15× Better Auth email-otp send \| met \|/);
  assert.match(verify!, /\| 10\.0× \| ≥ 25× Better Auth wrong OTP \| not met \|/);
  assert.match(lines[0]!, /rate limiter off/);
});

test('without Better Auth the table says how to add it, and judges only the session check', () => {
  const lines = httpReport({ engine: 'postgres', seconds: 5, rounds: 2, peer: false, peerRateLimit: false, rows: [row('session', 7000, 10_000), row('codes', 1500, 20_000)] });
  assert.match(lines[0]!, /^PostgreSQL: .*npm run bench:peers/);
  assert.match(lines.join('\n'), /\| met \|/);
  assert.match(lines.join('\n'), /\| — \(no peer\) \|/);
});

test('npm ci never installs Better Auth: it is in neither the package nor its lock, only in bench/peers', () => {
  const root = new URL('../../', import.meta.url);
  for (const file of ['package.json', 'package-lock.json']) assert.doesNotMatch(readFileSync(new URL(file, root), 'utf8'), /better-auth/, file);
  assert.equal(JSON.parse(readFileSync(new URL('bench/peers/package.json', root), 'utf8')).dependencies['better-auth'], '1.7.29');
});
