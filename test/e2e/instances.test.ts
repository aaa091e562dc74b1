import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { startPostgres, startRedis, type RunningPostgres, type RunningRedis } from '../servers.ts';
import { startServer, type RunningServer } from './server.ts';

/**
 * SPEC R11: two instances on one PostgreSQL (and, in the second run, one Redis too), as behind a
 * load balancer at PUBLIC_URL, behave as one server. A is started as a new user does (`npm start`,
 * which builds); B runs the built server as production does (`node build/main.js`).
 */
const PUBLIC_URL = 'http://localhost:8080';
const run = promisify(execFile);
const IP_CODES = 6;

for (const withRedis of [false, true]) {
  describe(`two instances on one PostgreSQL${withRedis ? ' and one Redis' : ''} behave as one server (R11)`, () => {
    let pg: RunningPostgres;
    let redis: RunningRedis | undefined;
    let a: RunningServer;
    let b: RunningServer;
    let ip = 0;
    let databaseUrl: string;
    let sharedEnv: Record<string, string>;

    before(async () => {
      pg = await startPostgres();
      redis = withRedis ? await startRedis() : undefined;
      const env = {
        DATABASE_URL: (databaseUrl = await pg.newDatabase('instances')),
        ...(redis && { REDIS_URL: redis.url }),
        SECRET: randomBytes(48).toString('base64url'),
        PUBLIC_URL,
        TRUST_PROXY: 'x-forwarded-for',
        IP_CODES_PER_HOUR: String(IP_CODES),
        CODE_COOLDOWN_SECONDS: '1',
      };
      a = await startServer({ env });
      b = await startServer({ env, command: ['node', 'build/main.js'] });
      sharedEnv = env;
    });
    after(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      await Promise.all([pg?.stop(), redis?.stop()]);
    });

    /** A request as the load balancer passes it on: the page's Origin, the client's address in X-Forwarded-For. */
    const send = (to: RunningServer, path: string, body?: object, { cookie, from = `203.0.113.${++ip % 250}` }: { cookie?: string; from?: string } = {}) =>
      fetch(`${to.url}${path}`, {
        method: body ? 'POST' : 'GET',
        headers: { origin: PUBLIC_URL, 'x-forwarded-for': from, ...(body && { 'content-type': 'application/json' }), ...(cookie && { cookie }) },
        ...(body && { body: JSON.stringify(body) }),
      });
    /** The newest code in `to`'s development outbox (each instance has its own). */
    const codeIn = async (to: RunningServer, address: string) => {
      for (let i = 0; i < 40; i++) {
        const { messages } = (await (await fetch(`${to.url}/dev/outbox.json?to=${encodeURIComponent(address)}`)).json()) as { messages: Array<{ text: string }> };
        const code = messages[0] && /\b(\d{6})\b/.exec(messages[0].text)?.[1];
        if (code) return code;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`no code for ${address} in ${to.url}'s outbox`);
    };
    const cookieOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');

    test('a code asked for on A signs in on B, exactly once: then A refuses it', async () => {
      assert.equal((await send(a, '/api/codes', { email: 'jo@example.com' })).status, 202);
      const code = await codeIn(a, 'jo@example.com');
      const onB = await send(b, '/api/codes/verify', { email: 'jo@example.com', code });
      assert.equal(onB.status, 200);
      assert.equal(((await onB.json()) as { signedIn: boolean }).signedIn, true);
      const again = await send(a, '/api/codes/verify', { email: 'jo@example.com', code });
      assert.equal(again.status, 401, 'used on B, so refused on A');
    });

    test('a new code asked for on B supersedes the one asked for on A', async () => {
      await send(a, '/api/codes', { email: 'ann@example.com' });
      const first = await codeIn(a, 'ann@example.com');
      await new Promise((resolve) => setTimeout(resolve, 1100)); // CODE_COOLDOWN_SECONDS=1
      await send(b, '/api/codes', { email: 'ann@example.com' });
      const second = await codeIn(b, 'ann@example.com');
      assert.notEqual(second, first);
      const old = await send(a, '/api/codes/verify', { email: 'ann@example.com', code: first });
      assert.deepEqual([old.status, ((await old.json()) as { error: { code: string } }).error.code], [401, 'superseded_code']);
      assert.equal((await send(a, '/api/codes/verify', { email: 'ann@example.com', code: second })).status, 200);
    });

    test(`a per-IP limit of ${IP_CODES} asked for twice that, alternating A and B, lets exactly ${IP_CODES} through`, async () => {
      const statuses = [];
      for (let i = 0; i < 2 * IP_CODES; i++) statuses.push((await send(i % 2 ? b : a, '/api/codes', { email: `ip${i}@example.com` }, { from: '198.51.100.7' })).status);
      assert.deepEqual(statuses.filter((s) => s === 202).length, IP_CODES, statuses.join(' '));
      assert.deepEqual(statuses.slice(IP_CODES), Array(IP_CODES).fill(429));
    });

    test('50 verifies of one code at once, split over A and B: exactly one signs in', async () => {
      await send(a, '/api/codes', { email: 'race@example.com' });
      const code = await codeIn(a, 'race@example.com');
      const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => send(i % 2 ? b : a, '/api/codes/verify', { email: 'race@example.com', code })));
      assert.equal(answers.filter((r) => r.status === 200).length, 1);
    });

    test('a browser signed in on B is remembered on A; signing out on A signs it out on B at once', async () => {
      await send(b, '/api/codes', { email: 'kim@example.com' });
      const code = await codeIn(b, 'kim@example.com');
      const cookie = cookieOf(await send(b, '/api/codes/verify', { email: 'kim@example.com', code }));
      const onA = (await (await send(a, '/api/session', undefined, { cookie })).json()) as { signedIn: boolean; contact?: { email: string } };
      assert.deepEqual([onA.signedIn, onA.contact?.email], [true, 'kim@example.com']);
      assert.equal((await send(a, '/api/session/sign-out', {}, { cookie })).status, 200);
      const onB = (await (await send(b, '/api/session', undefined, { cookie })).json()) as { signedIn: boolean };
      assert.equal(onB.signedIn, false);
    });

    test(withRedis ? 'the codes and limits are in Redis, not in PostgreSQL' : 'the codes and limits are in PostgreSQL', async () => {
      const rows = async (table: string) => Number((await run('psql', [databaseUrl, '-tAc', `SELECT count(*) FROM ${table}`])).stdout.trim());
      const [codes, hits] = [await rows('codes'), await rows('limit_hits')];
      if (!redis) return assert.ok(codes > 0 && hits > 0, `codes ${codes}, limit_hits ${hits}`);
      assert.deepEqual([codes, hits], [0, 0]);
      assert.ok(Number((await run('redis-cli', ['-p', String(redis.port), 'dbsize'])).stdout.trim()) > 0);
    });

    test('both instances publish the same identity keys', async () => {
      const keys = async (to: RunningServer) => ((await (await fetch(`${to.url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid);
      assert.deepEqual(await keys(a), await keys(b));
      assert.equal((await fetch(`${a.url}/readyz`)).status, 200);
      assert.equal((await fetch(`${b.url}/readyz`)).status, 200);
    });

    test('npm run rotate-keys, run once anywhere, reaches both instances within ten seconds', async () => {
      const keys = async (to: RunningServer) => ((await (await fetch(`${to.url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid);
      const { stdout } = await run('npm', ['run', '-s', 'rotate-keys'], { env: { ...process.env, ...sharedEnv, DATA_DIR: '/nonexistent-not-used' } });
      const kid = /kid (\S+)\)/.exec(stdout)![1]!;
      for (let i = 0; i < 60 && ((await keys(a))[0] !== kid || (await keys(b))[0] !== kid); i++) await new Promise((resolve) => setTimeout(resolve, 250));
      assert.equal((await keys(a))[0], kid);
      assert.equal((await keys(b))[0], kid);
    });
  });
}
