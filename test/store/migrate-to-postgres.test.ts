import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { serve } from '@hono/node-server';
import { createOtpLogin, type OtpLogin } from '../../server/index.ts';
import { silentLogger } from '../../server/log.ts';
import { startPostgres, type RunningPostgres } from '../servers.ts';
import { openDataDir } from './data-dir.ts';

/**
 * `npm run migrate-to-postgres`, run as a user would (a child process), on a DATA_DIR a real
 * server filled: afterwards a server on PostgreSQL, given the secret as the command says, still
 * remembers the browser, takes the waiting code and keeps the lock.
 */
const run = promisify(execFile);
const ORIGIN = 'http://localhost:8080';
const LIMITS = { FAILURES_BEFORE_LOCK: '2', FAILURES_BEFORE_WAIT: '2', PUBLIC_URL: ORIGIN };

let pg: RunningPostgres;
let dataDir: string;
let otherDir: string;
before(async () => {
  pg = await startPostgres();
  dataDir = mkdtempSync(join(tmpdir(), 'otp-move-'));
  otherDir = mkdtempSync(join(tmpdir(), 'otp-moved-'));
});
after(async () => {
  await pg?.stop();
  for (const dir of [dataDir, otherDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The app on a loopback port, as main.ts serves it (the development outbox answers this machine only). */
type Served = { app: OtpLogin; url: string; close(): Promise<void> };
const served = (env: Record<string, string>): Promise<Served> => {
  const app = createOtpLogin({ env, log: silentLogger });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve({ app, url: `http://127.0.0.1:${info.port}`, close: async () => (await new Promise((done) => server.close(done)), await app.close()) }),
    );
  });
};

const send = async (app: Served, path: string, body?: object, cookie?: string) => {
  // A networked engine opens in the background: 503 until it is in.
  for (let tries = 0; ; tries++) {
    const res = await fetch(`${app.url}${path}`, {
        method: body ? 'POST' : 'GET',
        headers: { origin: ORIGIN, ...(body && { 'content-type': 'application/json' }), ...(cookie && { cookie }) },
        ...(body && { body: JSON.stringify(body) }),
      });
    if (res.status !== 503 || tries > 100) return res;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};
const codeFor = async (app: Served, to: string) => {
  for (let i = 0; i < 100; i++) {
    const { messages } = (await (await send(app, `/dev/outbox.json?to=${encodeURIComponent(to)}`)).json()) as { messages: Array<{ text: string }> };
    const code = messages[0] && /\b(\d{6})\b/.exec(messages[0].text)?.[1];
    if (code) return code;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no code for ${to}`);
};
const migrateCommand = (env: Record<string, string>) =>
  run('npx', ['tsx', 'server/store/migrate-to-postgres.ts'], { env: { ...process.env, SECRET: '', ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
/** The table of counts the command prints: table → [copied, skipped]. */
const countsIn = (stdout: string) =>
  Object.fromEntries([...stdout.matchAll(/^\s+(\w+)\s+(\d+) copied\s+(\d+) skipped$/gm)].map((m) => [m[1]!, [Number(m[2]), Number(m[3])]]));

describe('npm run migrate-to-postgres', () => {
  let cookie: string;
  let waiting: string;
  let sqliteCounts: Record<string, number>;
  let databaseUrl: string;

  test('refuses while the SQLite server still has DATA_DIR open, copying nothing', async () => {
    databaseUrl = await pg.newDatabase('moved');
    const env = { DATA_DIR: dataDir, ...LIMITS };
    const sqlite = await served(env);
    try {
      // A contact signed in on a remembered browser (a contact, a device, a delivery, a code event).
      assert.equal((await send(sqlite, '/api/codes', { email: 'jo@example.com' })).status, 202);
      const signedIn = await send(sqlite, '/api/codes/verify', { email: 'jo@example.com', code: await codeFor(sqlite, 'jo@example.com') });
      assert.equal(signedIn.status, 200);
      cookie = signedIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      assert.equal(((await (await send(sqlite, '/api/session', undefined, cookie)).json()) as { signedIn: boolean }).signedIn, true);
      // A code waiting to be used.
      assert.equal((await send(sqlite, '/api/codes', { email: 'wait@example.com' })).status, 202);
      waiting = await codeFor(sqlite, 'wait@example.com');
      // A lock: two wrong codes.
      assert.equal((await send(sqlite, '/api/codes', { email: 'lock@example.com' })).status, 202);
      const right = await codeFor(sqlite, 'lock@example.com');
      const wrong = right === '000000' ? '111111' : '000000';
      for (let i = 0; i < 2; i++) await send(sqlite, '/api/codes/verify', { email: 'lock@example.com', code: wrong });
      const locked = await send(sqlite, '/api/codes', { email: 'lock@example.com' });
      assert.equal(((await locked.json()) as { error: { locked?: boolean } }).error.locked, true);
      // Identity keys (made at start), published.
      assert.equal((await send(sqlite, '/.well-known/jwks.json')).status, 200);

      const refused = await migrateCommand({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl });
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /still has it open\. Stop every server using DATA_DIR first/);
    } finally {
      await sqlite.close();
    }
  });

  test('copies every kind of record, with counts, and tells how to set SECRET without printing it', async () => {
    // What the API does not make here: an opt-out, an audit entry, an outgoing event.
    const stores = openDataDir(dataDir);
    try {
      const contact = (await stores.contacts.findByIdentifier({ kind: 'email', value: 'jo@example.com' }))!;
      await stores.optOuts.set({ address: 'no@example.com', channel: 'email', optedOut: true, source: 'spam_complaint', detail: 'spam', at: Date.now() });
      await stores.admin.audit({ adminId: null, contactId: contact.id, action: 'demoted', detail: 'no longer in ADMIN_EMAILS' });
      await stores.outgoingEvents.add({ id: 'evt-1', type: 'contact.signed_in', contactId: contact.id, body: '{"type":"contact.signed_in"}', createdAt: Date.now() });
      sqliteCounts = await stores.counts();
    } finally {
      await stores.close();
    }
    for (const kind of ['contacts', 'devices', 'deliveries', 'opt_outs', 'admin_actions', 'outgoing_events', 'identity_keys', 'codes', 'limit_hits', 'failure_counts', 'code_events']) {
      assert.ok(sqliteCounts[kind]! > 0, `the DATA_DIR holds ${kind}`);
    }

    const first = await migrateCommand({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl });
    assert.equal(first.code, 0, first.stderr);
    const printed = countsIn(first.stdout);
    for (const [kind, n] of Object.entries(sqliteCounts)) assert.deepEqual(printed[kind], [n, 0], `${kind}: ${n} copied`);
    assert.match(first.stdout, /Copied \d+ rows/);
    const secretText = readFileSync(join(dataDir, 'secret'), 'utf8').trim();
    assert.ok(!first.stdout.includes(secretText) && !first.stderr.includes(secretText), 'the secret itself is never printed');
    assert.ok(first.stdout.includes(`SECRET="base64:$(cat ${join(dataDir, 'secret')})"`));
  });

  test('a second run copies nothing and says so; a database that changed since is refused', async () => {
    const second = await migrateCommand({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /Nothing to copy/);
    const printed = countsIn(second.stdout);
    for (const [kind, n] of Object.entries(sqliteCounts)) assert.deepEqual(printed[kind], [0, n], `${kind}: ${n} skipped`);

    // DATA_DIR moved on since the copy (a server ran on it again): refused, nothing merged.
    const stores = openDataDir(dataDir);
    await stores.optOuts.set({ address: 'later@example.com', channel: 'email', optedOut: true, source: 'spam_complaint', detail: null, at: Date.now() });
    await stores.close();
    const changed = await migrateCommand({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl });
    assert.equal(changed.code, 1);
    assert.match(changed.stderr, /opt_outs \(2 rows in DATA_DIR, 1 in PostgreSQL\)/);
  });

  test('on PostgreSQL with the SECRET set as told: the browser is remembered, the waiting code signs in, the lock holds', async () => {
    const secret = readFileSync(join(dataDir, 'secret'), 'utf8').trim();
    const moved = await served({ DATA_DIR: otherDir, DATABASE_URL: databaseUrl, SECRET: `base64:${secret}`, ...LIMITS });
    try {
      const session = (await (await send(moved, '/api/session', undefined, cookie)).json()) as { signedIn: boolean; contact?: { email: string } };
      assert.equal(session.signedIn, true);
      assert.equal(session.contact?.email, 'jo@example.com');
      const verified = await send(moved, '/api/codes/verify', { email: 'wait@example.com', code: waiting });
      assert.equal(verified.status, 200);
      const locked = await send(moved, '/api/codes', { email: 'lock@example.com' });
      assert.equal(((await locked.json()) as { error: { locked?: boolean } }).error.locked, true);
      // The keys copied (sealed under the same secret) are the ones published.
      assert.equal((await send(moved, '/.well-known/jwks.json')).status, 200);
    } finally {
      await moved.close();
    }
    // The file's text itself is not the key (it is the base64 of it): given as SECRET without
    // `base64:`, the remembered browser is not recognised. Hence the prefix the command prints.
    const wrong = await served({ DATA_DIR: otherDir, DATABASE_URL: databaseUrl, SECRET: secret, ...LIMITS });
    try {
      assert.equal(((await (await send(wrong, '/api/session', undefined, cookie)).json()) as { signedIn: boolean }).signedIn, false);
    } finally {
      await wrong.close();
    }
  });
});
