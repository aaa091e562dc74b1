import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { LEASE_MS, signature } from '../../server/site-events/outgoing-webhooks.ts';
import { listen } from '../fakes/http.ts';
import { startPostgres, startRedis, type RunningPostgres, type RunningRedis } from '../servers.ts';
import { balancedClient } from './balancer.ts';
import { startServer, type RunningServer } from './server.ts';

/**
 * SPEC R11 under faults: two instances A (`npm start`) and B (`node build/main.js`) on one
 * PostgreSQL and one Redis, as behind a load balancer at PUBLIC_URL. A is
 * killed with SIGKILL under load, Redis and PostgreSQL go down and come back, and the SMS budget
 * is spent over both: nothing signs in twice, no event about a sign-in is lost, an outage answers
 * 503 within 2 s and passes by itself.
 */
const PUBLIC_URL = 'http://localhost:8080';
const SMS_HOURLY_LIMIT = 3;
const FAILURES_BEFORE_WAIT = 3;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const errorCode = async (res: Response) => ((await res.json()) as { error?: { code: string } }).error?.code;

for (const withRedis of [true, false]) {
  describe(`two instances on one PostgreSQL${withRedis ? ' and one Redis' : ''}, under faults (R11)`, () => {
    let pg: RunningPostgres;
    let redis: RunningRedis | undefined;
    let a: RunningServer;
    let b: RunningServer;
    let receiver: Awaited<ReturnType<typeof listen>>;
    const webhookSecret = randomBytes(32).toString('base64url');
    /** Every event the site's backend received, in order, duplicates included; and how many had a bad signature. */
    const received: Array<{ id: string; type: string; email: string }> = [];
    let badSignatures = 0;
    const { send, outbox, codeIn, cookieOf } = balancedClient(PUBLIC_URL);

    before(async () => {
      [pg, redis] = await Promise.all([startPostgres(), withRedis ? startRedis() : undefined]);
      receiver = await listen((req, body, res) => {
        const header = String(req.headers['otp-login-signature'] ?? '');
        const t = Number(/t=(\d+)/.exec(header)?.[1]);
        if (header !== signature(webhookSecret, body, t)) badSignatures++;
        const event = JSON.parse(body) as { id: string; type: string; data: { contact: { email: string } } };
        received.push({ id: event.id, type: event.type, email: event.data.contact.email });
        res.writeHead(200).end();
      });
      const env = {
        DATABASE_URL: await pg.newDatabase('faults'),
        ...(redis && { REDIS_URL: redis.url }),
        SECRET: randomBytes(48).toString('base64url'),
        PUBLIC_URL,
        TRUST_PROXY: 'x-forwarded-for',
        CODE_COOLDOWN_SECONDS: '1',
        FAILURES_BEFORE_WAIT: String(FAILURES_BEFORE_WAIT),
        SMS_COUNTRIES: 'US',
        SMS_HOURLY_LIMIT: String(SMS_HOURLY_LIMIT),
        WEBHOOK_URL: new URL('/hooks/otp-login', receiver.url).href,
        WEBHOOK_SECRET: webhookSecret,
      };
      // A as a new user starts it (`npm start` builds build/main.js, once per file), then B from that build.
      a = await startServer({ env, ...(!withRedis && { command: ['node', 'build/main.js'] }) });
      b = await startServer({ env, command: ['node', 'build/main.js'] });
    });
    after(async () => {
      // FAULTS_LOG=/tmp/f keeps each instance's output and how it ended (/tmp/f-a.log, /tmp/f-b.log): a crash shows there.
      if (process.env.FAULTS_LOG) for (const [name, s] of [['a', a], ['b', b]] as const) writeFileSync(`${process.env.FAULTS_LOG}-${name}.log`, `${s?.output()}\nexit ${s?.child.exitCode} ${s?.child.signalCode}\n`);
      await Promise.all([a?.stop(), b?.stop()]);
      await Promise.all([pg?.stop(), redis?.stop(), receiver?.close()]);
    });

    /** Asks for a code on `on` and signs in with it on `then`: the cookie's answer. */
    const signIn = async (email: string, on: RunningServer, then: RunningServer) => {
      const before = (await outbox(on, email)).length;
      assert.equal((await send(on, '/api/codes', { email })).status, 202);
      return send(then, '/api/codes/verify', { email, code: await codeIn(on, email, before) });
    };

    test(`SMS_HOURLY_LIMIT=${SMS_HOURLY_LIMIT} is one budget over both instances: ${SMS_HOURLY_LIMIT} texts in all, then 503 delivery_unavailable on either`, async () => {
      const phones = Array.from({ length: 8 }, (_, i) => `+1415555${String(170 + i).padStart(4, '0')}`);
      // All at once, alternating A and B: the count is one atomic step in the shared store, not check-then-act.
      const answers = await Promise.all(phones.map((phone, i) => send(i % 2 ? b : a, '/api/codes', { phone })));
      const statuses = answers.map((r) => r.status);
      assert.equal(statuses.filter((s) => s === 202).length, SMS_HOURLY_LIMIT, statuses.join(' '));
      for (const [i, r] of answers.entries()) if (r.status !== 202) assert.deepEqual([r.status, await errorCode(r)], [503, 'delivery_unavailable'], phones[i]);
      for (const [i, to] of [a, b].entries()) {
        const late = await send(to, '/api/codes', { phone: `+1415555${String(190 + i).padStart(4, '0')}` });
        assert.deepEqual([late.status, await errorCode(late)], [503, 'delivery_unavailable'], `the ${i ? 'B' : 'A'} instance, after the budget`);
      }
      let texts = 0;
      for (const to of [a, b]) for (const phone of phones) texts += (await outbox(to, phone)).filter((m) => m.channel === 'sms').length;
      assert.equal(texts, SMS_HOURLY_LIMIT, 'texts in the two development outboxes');
    });

    /**
     * During an outage every request answers 503 service_unavailable with Retry-After within 2 s,
     * /readyz too; afterwards both instances recover by themselves. Returns the slowest answer.
     */
    const duringOutage = async () => {
      let slowest = 0;
      for (let round = 0; round < 3; round++) {
        for (const to of [a, b]) {
          const requests: Array<[string, object | undefined]> = [
            ['/api/codes', { email: `outage${round}@example.com` }],
            ['/api/codes/verify', { email: `outage${round}@example.com`, code: '123456' }],
            ['/readyz', undefined],
          ];
          for (const [path, body] of requests) {
            const started = performance.now();
            const res = await send(to, path, body);
            const took = performance.now() - started;
            slowest = Math.max(slowest, took);
            assert.ok(took < 2000, `${path} on ${to.url} answered in ${Math.round(took)} ms`);
            assert.equal(res.status, 503, `${path} on ${to.url}`);
            if (path === '/readyz') assert.deepEqual(await res.json(), { ready: false });
            else {
              assert.equal(await errorCode(res), 'service_unavailable');
              assert.ok(Number(res.headers.get('retry-after')) > 0, 'Retry-After');
            }
          }
        }
      }
      return slowest;
    };
    /** Waits until both instances' /readyz answer 200 again (nothing restarts them): how long it took. */
    const recovery = async () => {
      const started = performance.now();
      for (const to of [a, b]) {
        for (let i = 0; (await fetch(`${to.url}/readyz`)).status !== 200; i++) {
          assert.ok(i < 150, `${to.url} not ready within 15 s of the outage's end`);
          await sleep(100);
        }
      }
      return performance.now() - started;
    };

    if (withRedis) test('Redis down: 503 with Retry-After within 2 s on both; back up, both recover by themselves and a waiting code and a lock from before are still there', async () => {
      // Before: a code waiting to be used (asked on A), and an address made to wait by wrong codes (on B).
      assert.equal((await send(a, '/api/codes', { email: 'waiting@example.com' })).status, 202);
      const waiting = await codeIn(a, 'waiting@example.com');
      assert.equal((await send(b, '/api/codes', { email: 'locked@example.com' })).status, 202);
      const locked = await codeIn(b, 'locked@example.com');
      const wrong = locked === '000000' ? '111111' : '000000';
      for (let i = 0; i < FAILURES_BEFORE_WAIT; i++) await send(i % 2 ? a : b, '/api/codes/verify', { email: 'locked@example.com', code: wrong });
      assert.equal((await send(a, '/api/codes/verify', { email: 'locked@example.com', code: locked })).status, 429, 'made to wait before the outage');

      await redis!.down();
      const slowest = await duringOutage();
      await redis!.up();
      const took = await recovery();
      console.log(`Redis outage: slowest 503 ${Math.round(slowest)} ms; both ready ${Math.round(took)} ms after Redis was back`);

      assert.equal((await send(b, '/api/codes/verify', { email: 'locked@example.com', code: locked })).status, 429, 'still made to wait after the restart');
      const signedIn = await send(b, '/api/codes/verify', { email: 'waiting@example.com', code: waiting });
      assert.equal(signedIn.status, 200, 'the code asked on A before the restart signs in on B after it');
      assert.equal((await signIn('after-redis@example.com', b, a)).status, 200);
    });

    test('PostgreSQL down: 503 with Retry-After within 2 s on both; back up, both recover by themselves and a sign-in works across them', async () => {
      const cookie = cookieOf(await signIn('before-pg@example.com', a, b));
      await pg.down();
      const slowest = await duringOutage();
      await pg.up();
      const took = await recovery();
      console.log(`PostgreSQL outage: slowest 503 ${Math.round(slowest)} ms; both ready ${Math.round(took)} ms after PostgreSQL was back`);
      assert.equal((await signIn('after-pg@example.com', a, b)).status, 200);
      const session = (await (await send(a, '/api/session', undefined, { cookie })).json()) as { signedIn: boolean };
      assert.equal(session.signedIn, true, 'a browser remembered before the outage still is');
    });

    /** One sign-in of the load: where its code was asked and verified, and what came back. */
    interface Attempt {
      email: string;
      askedOn?: RunningServer;
      asked?: number | 'no answer';
      code?: string;
      /** Each verify of `code`: the instance and its status (or no answer: the instance died). */
      verifies: Array<{ on: RunningServer; status: number | 'no answer'; afterKill: boolean }>;
      startedAfterKill: boolean;
    }
    const attempts: Attempt[] = [];

    test('kill -9 of A under steady load: sign-ins in flight to A fail, the rest finish on B, none signs in twice, none is lost', async () => {
      const COUNT = 120;
      const EVERY_MS = 50; // 20 sign-ins a second for 6 s
      let killed = false;
      let dead = false; // A is killed (`killed`: the balancer knows)
      const NOTICED_AFTER_MS = 500;
      // The load balancer: alternate A and B until its health check notices A is gone
      // (NOTICED_AFTER_MS after the kill), then only B. Until then requests to A find no one.
      const pick = (i: number) => (!killed && i % 2 === 0 ? a : b);
      const other = (to: RunningServer) => (to === a ? b : killed ? b : a);
      const verify = async (attempt: Attempt, on: RunningServer) => {
        const afterKill = dead;
        const status = await send(on, '/api/codes/verify', { email: attempt.email, code: attempt.code })
          .then((r) => r.status)
          .catch(() => 'no answer' as const);
        attempt.verifies.push({ on, status, afterKill });
        return status;
      };
      const one = async (i: number) => {
        const attempt: Attempt = { email: `load${i}@example.com`, verifies: [], startedAfterKill: killed };
        attempts.push(attempt);
        attempt.askedOn = pick(i);
        attempt.asked = await send(attempt.askedOn, '/api/codes', { email: attempt.email })
          .then((r) => r.status)
          .catch(() => 'no answer' as const);
        if (attempt.asked !== 202) return;
        attempt.code = await codeIn(attempt.askedOn, attempt.email).catch(() => undefined);
        if (!attempt.code) return; // A died before its outbox was read: asked again below
        await sleep(300); // a person typing: codes asked on A before the kill are used after it
        const status = await verify(attempt, other(attempt.askedOn));
        // A balancer sends a request whose connection failed to another instance.
        if (status === 'no answer') await verify(attempt, b);
      };
      const running: Promise<void>[] = [];
      for (let i = 0; i < COUNT; i++) {
        if (i === COUNT / 2) {
          dead = true;
          void a.stop('SIGKILL');
          setTimeout(() => (killed = true), NOTICED_AFTER_MS);
        }
        running.push(one(i));
        await sleep(EVERY_MS);
      }
      await Promise.all(running);

      const ok = (t: Attempt) => t.verifies.some((v) => v.status === 200);
      // No code signs in twice, on one instance or over both.
      for (const t of attempts) assert.ok(t.verifies.filter((v) => v.status === 200).length <= 1, t.email);
      // Everything started after the kill went to B and finished.
      for (const t of attempts.filter((t) => t.startedAfterKill)) assert.ok(t.askedOn === b && ok(t), `${t.email}: ${JSON.stringify(t.verifies.map((v) => v.status))}`);
      // A code asked on A before the kill signed in on B after it.
      const carriedOver = attempts.filter((t) => t.askedOn === a && t.verifies.some((v) => v.on === b && v.afterKill && v.status === 200));
      assert.ok(carriedOver.length > 0, 'no code asked on A was used on B after the kill');
      // Nothing but A's death failed: every answer B gave was 200, except a 401 for a code whose verify on A was cut off (it may have been used there).
      for (const t of attempts) {
        for (const [n, v] of t.verifies.entries()) {
          if (v.status === 'no answer') assert.equal(v.on, a, `${t.email}: B did not answer`);
          else if (v.status !== 200) assert.ok(v.on === b && v.status === 401 && t.verifies[n - 1]?.status === 'no answer', `${t.email}: ${JSON.stringify(t.verifies.map((x) => x.status))}`);
        }
      }
      // Every sign-in whose code request was answered 202 signed in or still can on B: its code is
      // refused now (used once), and a new code asked on B signs in.
      // A code request A never answered is asked again by its person, on B (the balancer does not resend it).
      const unfinished = attempts.filter((t) => (t.asked === 202 || t.asked === 'no answer') && !ok(t));
      await sleep(1100); // CODE_COOLDOWN_SECONDS=1
      for (const t of attempts.filter((t) => t.asked === 202)) {
        if (t.code) assert.equal((await send(b, '/api/codes/verify', { email: t.email, code: t.code })).status, 401, `${t.email}: its code, used once, is refused`);
      }
      for (const t of unfinished) assert.equal((await signIn(t.email, b, b)).status, 200, `${t.email} signs in on B after the kill`);
      const inFlight = attempts.filter((t) => t.asked === 'no answer' || t.verifies.some((v) => v.status === 'no answer')).length;
      assert.ok(inFlight > 0, 'no request reached A while it was dead: the kill was not under load');
      console.log(
        `kill -9 under load: ${attempts.length} sign-ins, ${attempts.filter(ok).length} signed in, ${inFlight} cut off in flight to A, ` +
          `${carriedOver.length} asked on A before the kill and signed in on B after it, ${unfinished.length} asked again on B`,
      );
    });

    test('every contact.signed_in of a successful sign-in reaches the site at least once, despite the kill', async () => {
      const signedIn = new Set(attempts.filter((t) => t.verifies.some((v) => v.status === 200)).map((t) => t.email));
      assert.ok(signedIn.size > 0);
      const started = performance.now();
      const missing = () => [...signedIn].filter((email) => !received.some((e) => e.type === 'contact.signed_in' && e.email === email));
      // B delivers every 2 s; an event A claimed and was killed sending is B's once A's lease runs out.
      while (missing().length > 0 && performance.now() - started < LEASE_MS + 10_000) await sleep(250);
      assert.deepEqual(missing(), []);
      const ids = received.map((e) => e.id);
      const duplicates = ids.length - new Set(ids).size;
      console.log(`events: ${ids.length} received, ${duplicates} duplicates (receivers dedupe by id), all signed-in ones within ${Math.round(performance.now() - started)} ms of the load's end`);
      assert.equal(badSignatures, 0);
    });
  });
}
