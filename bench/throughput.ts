import { Hono } from 'hono';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { cookieHeader, createHarness } from '../test/server/harness.ts';
import { interleavedBatches, timeRatio, type BatchResult, type Variant } from './timing.ts';

const BASE = 'http://localhost:3000';
// What the harness hands app.request as the Node bindings; the baselines get the same.
const bindings = (ip: string) => ({ incoming: { socket: { remoteAddress: ip } } });
const ipOf = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

function expect(res: Response, status: number, what: string) {
  if (res.status !== status) throw new Error(`${what} answered ${res.status}, expected ${status}`);
}

export interface ThroughputResult {
  title: string;
  note: string;
  results: BatchResult[];
}

/**
 * GET /api/session with a remembered browser's cookie, as every page load makes it, against a bare
 * Hono app answering the same bytes with `c.json`, and against the app with no cookie at all.
 * The clock does not move, so the device is never touched (the common case: once an hour).
 */
export async function measureSession({ rounds, batch }: { rounds: number; batch: number }): Promise<ThroughputResult> {
  const h = createHarness();
  const { cookie } = await h.signIn({ email: 'reader@example.com' });
  const first = await h.get('/api/session', { cookie });
  const answer = await first.json() as { signedIn: boolean };
  if (!answer.signedIn) throw new Error('the signed-in cookie was not recognised');

  const bare = new Hono();
  bare.get('/api/session', (c) => c.json(answer));
  const baseline: Variant = {
    name: 'bare Hono, same JSON (baseline)',
    async run() {
      const res = await bare.request(`${BASE}/api/session`, { method: 'GET', headers: { cookie } }, bindings('203.0.113.7'));
      await res.text();
    },
  };
  const signedIn: Variant = {
    name: 'app, valid device cookie',
    async run() {
      const res = await h.get('/api/session', { cookie });
      expect(res, 200, 'GET /api/session');
      await res.text();
    },
  };
  // What the widget sends on each page load: the answer carries an identity token (cached a minute).
  const withToken: Variant = {
    name: 'app, valid cookie, ?token=1',
    async run() {
      const res = await h.get('/api/session?token=1', { cookie });
      expect(res, 200, 'GET /api/session?token=1');
      await res.text();
    },
  };
  const noCookie: Variant = {
    name: 'app, no cookie',
    async run() {
      const res = await h.get('/api/session');
      expect(res, 200, 'GET /api/session');
      await res.text();
    },
  };
  const bytes = new TextEncoder().encode(JSON.stringify(answer)).length;
  return {
    title: 'GET /api/session (the hot path: every page load)',
    note: `${bytes}-byte JSON answer; ${rounds} rounds × ${batch} sequential requests per variant, order rotating`,
    results: await interleavedBatches([baseline, signedIn, withToken, noCookie], { rounds, batch, warmupRounds: 2 }),
  };
}

/**
 * A whole sign-in of a registered contact on a new browser: ask for a code, read it from the
 * development outbox once the delivery queue is idle, enter it, then load a page with the cookie.
 * The baseline makes the same three requests to a bare Hono app answering fixed JSON, and waits
 * the same one event-loop turn the delivery queue takes.
 */
export async function measureSignIn({ rounds, batch }: { rounds: number; batch: number }): Promise<ThroughputResult> {
  const h = createHarness({ env: { SIGNUP: 'closed' } });
  const warmupRounds = 1;
  const total = (rounds + warmupRounds) * batch;
  const email = (i: number) => `p${String(i).padStart(6, '0')}@example.com`;
  for (let i = 0; i < total; i++) await h.contacts.create({ email: email(i) });

  const signIn: Variant = {
    name: 'app, full sign-in',
    async run(i) {
      const ip = ipOf(i);
      const asked = await h.post('/api/codes', { email: email(i) }, { ip });
      expect(asked, 202, 'POST /api/codes');
      await asked.text();
      const verified = await h.post('/api/codes/verify', { email: email(i), code: await h.latestCode(email(i)) }, { ip });
      expect(verified, 200, 'POST /api/codes/verify');
      await verified.text();
      const session = await h.get('/api/session', { cookie: cookieHeader(verified), ip });
      expect(session, 200, 'GET /api/session');
      if (!((await session.json()) as { signedIn: boolean }).signedIn) throw new Error('not signed in after verify');
    },
  };

  // Fixed answers shaped like the real ones, so both sides build and read similar bodies.
  const sent = { status: 'sent_if_registered', channel: 'email', destination: 'p•••@example.com', resendAfter: 30, expiresIn: 600, codeNumber: 1, sentAt: new Date().toISOString() };
  const session = {
    signedIn: true,
    contact: { id: crypto.randomUUID(), email: 'p000000@example.com', phone: null },
    device: { id: 'AAAAAAAAAAAAAAAA', expiresAt: new Date().toISOString() },
  };
  const bare = new Hono();
  bare.post('/api/codes', (c) => c.json(sent, 202));
  bare.post('/api/codes/verify', (c) => c.json(session));
  bare.get('/api/session', (c) => c.json(session));
  const post = (path: string, body: object, ip: string) =>
    bare.request(`${BASE}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, bindings(ip));
  const baseline: Variant = {
    name: 'bare Hono, 3 requests (baseline)',
    async run(i) {
      const ip = ipOf(i);
      await (await post('/api/codes', { email: email(i) }, ip)).text();
      await nextTurn();
      await (await post('/api/codes/verify', { email: email(i), code: '123456' }, ip)).text();
      const res = await bare.request(`${BASE}/api/session`, { method: 'GET', headers: { cookie: 'otp-device=x' } }, bindings(ip));
      await res.json();
    },
  };
  return {
    title: 'Full sign-in (code request + verify + session check)',
    note: `SIGNUP=closed, no answer floor (its wait costs no CPU), ${total} registered contacts, a new email and IP per sign-in; ${rounds} rounds × ${batch} sign-ins, order alternating`,
    results: await interleavedBatches([baseline, signIn], { rounds, batch, warmupRounds }),
  };
}

/** The report lines: calls per second and time per call relative to the first (baseline) variant. */
export function throughputReport({ title, note, results }: ThroughputResult, unit: string): string[] {
  const [baseline] = results;
  const lines = [`  ${title}`, `    ${note}`];
  for (const r of results) {
    const perSecond = r.calls / (r.totalNs / 1e9);
    const each = r.totalNs / r.calls / 1e3;
    const ratio = timeRatio(r, baseline!);
    const vs = r === baseline ? 'baseline' : `${ratio.median.toFixed(2)}× baseline time (rounds ${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})`;
    lines.push(`    ${r.name.padEnd(34)} ${perSecond.toFixed(0).padStart(8)} ${unit}/s  ${each.toFixed(1).padStart(8)} µs each   ${vs}`);
  }
  return lines;
}
