import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, Socket, type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { manualClock } from '../../server/clock.ts';
import { cryptoRandom } from '../../server/random.ts';
import { StorageUnavailable, type Storage } from '../../server/store/index.ts';
import { createPostgresStorage } from '../../server/store/postgres/index.ts';
import { createPool, migrate, readMigrations, transaction } from '../../server/store/postgres/database.ts';
import { startPostgres, type RunningPostgres } from '../servers.ts';
import { contracts } from './contracts.ts';
import type { MakeEngine } from './engine.ts';

// One throwaway PostgreSQL for the file; a fresh database per test (CREATE DATABASE takes ~20 ms).
let server: RunningPostgres;
let databases = 0;
const opened: Storage[] = [];
const closeAll = async () => {
  for (const storage of opened.splice(0)) await storage.close().catch(() => {});
};
before(async () => {
  server = await startPostgres();
});
after(async () => {
  await closeAll();
  await server?.stop();
});

const open = async (url: string, clock: ReturnType<typeof manualClock>) => {
  const storage = await createPostgresStorage({ url, clock, random: cryptoRandom });
  opened.push(storage);
  return storage;
};

const postgres: MakeEngine = async () => {
  // The test before is done with its Storages: close their connections (the server allows 100).
  await closeAll();
  const url = await server.newDatabase(`contract_${++databases}`);
  const clock = manualClock();
  return { storage: await open(url, clock), clock, again: () => open(url, clock) };
};

describe('PostgreSQL', () => {
  for (const contract of contracts) contract(postgres);
});

describe('the PostgreSQL engine', () => {
  test('while PostgreSQL is down every call fails fast as StorageUnavailable (a 503, not a hang or a 500), and the same Storage works again once it is back', async () => {
    const own = await startPostgres();
    try {
      const storage = await createPostgresStorage({ url: own.url, clock: manualClock(), random: cryptoRandom });
      const jo = await storage.contacts.create({ email: 'jo@example.com' });
      await own.down();
      for (const call of [() => storage.contacts.findById(jo.id), () => storage.ping(), () => storage.codes.nextOrder(), () => storage.limits.consume([[{ name: 'l', limit: 1, windowMs: 1000 }, 'k']])]) {
        const started = Date.now();
        await assert.rejects(call(), (e) => e instanceof StorageUnavailable && e.engine === 'PostgreSQL');
        assert.ok(Date.now() - started < 2500, 'within the timeout');
      }
      await own.up();
      assert.deepEqual(await storage.contacts.findById(jo.id), jo, 'recovered by itself');
      await storage.close();
    } finally {
      await own.stop();
    }
  });

  test('PostgreSQL stopping while a transaction holds a connection between two statements: the next statement fails as StorageUnavailable and the process lives on', async () => {
    // The connection's 'error' event (57P01, administrator command) arrives while it is checked
    // out and no query runs: pg-pool listens only on idle ones, and an unheard 'error' ends Node.
    const own = await startPostgres();
    const pool = createPool(own.url);
    try {
      let resume = () => {};
      let begun = () => {};
      const stopped = new Promise<void>((resolve) => (resume = resolve));
      const inside = new Promise<void>((resolve) => (begun = resolve));
      const held = transaction(pool, async (client) => {
        await client.query('SELECT 1');
        begun();
        await stopped;
        await client.query('SELECT 1');
      });
      const failed = assert.rejects(held, (e) => e instanceof StorageUnavailable);
      await inside;
      await own.down();
      await new Promise((resolve) => setTimeout(resolve, 100)); // the FATAL message reaches the idle-in-transaction client
      resume();
      await failed;
      await own.up();
      assert.equal((await pool.query('SELECT 1 AS one')).rows[0].one, 1, 'the pool dropped the cut connection and opened another');
    } finally {
      await pool.end();
      await own.stop();
    }
  });

  test('two instances starting together on an empty database migrate it once', async () => {
    const url = await server.newDatabase('migrate_together');
    const clock = manualClock();
    const [a, b] = await Promise.all([open(url, clock), open(url, clock)]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT version, name FROM schema_migrations ORDER BY version');
      assert.deepEqual(rows, readMigrations().map(({ version, name }) => ({ version, name })), 'each migration recorded once');
    } finally {
      await client.end();
    }
    const jo = await a.contacts.create({ email: 'jo@example.com' });
    assert.deepEqual(await b.contacts.findById(jo.id), jo, 'both work on the one schema');
    const third = await open(url, clock);
    assert.equal((await third.counts()).contacts, 1, 'a later start changes nothing');
  });

  test('the same kinds as SQLite in dump() and counts(), which agree, and no address in the hot tables', async () => {
    const { storage } = await postgres();
    await storage.contacts.create({ email: 'jo@example.com' });
    await storage.codes.update('email:jo@example.com', () => ({ next: { lastNumber: 1, active: null, tombstones: [] }, result: undefined }));
    await storage.limits.consume([[{ name: 'per_minute', limit: 1, windowMs: 60_000 }, 'email:jo@example.com']]);
    const dump = await storage.dump();
    assert.deepEqual(Object.keys(dump).sort(), ['admin_actions', 'code_events', 'codes', 'contacts', 'deliveries', 'devices', 'failure_counts', 'identity_keys', 'limit_hits', 'opt_outs', 'outgoing_events', 'sequences', 'sign_in_attempts', 'sign_in_links', 'sms_pauses', 'sms_texts', 'webhook_events']);
    assert.deepEqual(await storage.counts(), Object.fromEntries(Object.entries(dump).map(([kind, rows]) => [kind, rows.length])), 'counts() agrees with dump()');
    const hot = JSON.stringify([dump.codes, dump.limit_hits]);
    assert.ok(!hot.includes('jo@example.com') && !hot.includes(Buffer.from('jo@example.com').toString('hex')), 'keys only as digests');
    assert.equal((dump.codes as Array<{ key: Buffer }>)[0]!.key.length, 16);
  });

  test('a server that takes the connection but never answers is given up on within the timeout', async () => {
    const silent = createServer(() => {}).listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const { port } = silent.address() as AddressInfo;
    try {
      const started = performance.now();
      await assert.rejects(createPostgresStorage({ url: `postgres://otp@127.0.0.1:${port}/otp`, clock: manualClock(), random: cryptoRandom, timeoutMs: 500 }), /timeout/i);
      const took = performance.now() - started;
      assert.ok(took >= 450 && took < 1500, `${took.toFixed(0)} ms`);
    } finally {
      silent.close();
    }
  });

  test('a later start applies only the migrations the database has not run', async () => {
    const url = await server.newDatabase('upgrade');
    const pool = createPool(url);
    try {
      const all = readMigrations();
      assert.deepEqual(await migrate(pool, 1, all.slice(0, 1)), [1]);
      const next = { version: all.length + 1, name: 'test_extra.sql', sql: 'CREATE TABLE extra (x INTEGER); INSERT INTO extra VALUES (1);' };
      assert.deepEqual(await migrate(pool, 2, [...all, next]), [...all.slice(1).map((m) => m.version), next.version]);
      assert.deepEqual(await migrate(pool, 3, [...all, next]), [], 'nothing twice');
      assert.equal((await pool.query('SELECT count(*)::int AS n FROM extra')).rows[0].n, 1);
      const broken = { version: all.length + 2, name: 'test_broken.sql', sql: 'CREATE TABLE half (x INTEGER); SELECT no_such_function();' };
      await assert.rejects(migrate(pool, 4, [...all, next, broken]));
      assert.equal((await pool.query(`SELECT to_regclass('half') AS t`)).rows[0].t, null, 'a failed migration leaves nothing behind');
    } finally {
      await pool.end();
    }
  });

  test('the writes of a code request are one or two round trips each, not a transaction of four', async () => {
    // Round trips were most of a code request's cost on PostgreSQL (each BEGIN and COMMIT one too).
    const storage = await open(await server.newDatabase('round_trips'), manualClock(1_000_000));
    // What reaches the wire: a statement with parameters is parsed (unnamed), one without is a simple query.
    const sent: string[] = [];
    const connection = pg.Connection.prototype as unknown as Record<'parse' | 'query', (first: { text: string } | string, ...rest: unknown[]) => unknown>;
    const { parse, query } = connection;
    const counted = async (work: () => Promise<unknown>) => {
      sent.length = 0;
      const note = (text: string) => sent.push(text.trim().split(/\s+/)[0]!);
      connection.parse = function (this: unknown, statement, ...rest) {
        note(typeof statement === 'string' ? statement : statement.text);
        return parse.call(this, statement, ...rest);
      };
      connection.query = function (this: unknown, text, ...rest) {
        note(typeof text === 'string' ? text : text.text);
        return query.call(this, text, ...rest);
      };
      try {
        await work();
      } finally {
        Object.assign(connection, { parse, query });
      }
      return [...sent];
    };
    const minute = { name: 'per-minute', limit: 5, windowMs: 60_000 };
    assert.deepEqual(await counted(() => storage.limits.consume([[minute, 'ip']])), ['SELECT', 'INSERT'], 'a first hit');
    assert.deepEqual(await counted(() => storage.limits.consume([[minute, 'ip']])), ['SELECT', 'UPDATE'], 'a later one');
    assert.deepEqual(await counted(() => storage.codes.update('jo', () => ({ next: { lastNumber: 1, active: null, tombstones: [] }, result: undefined }))), ['SELECT', 'INSERT']);
    assert.deepEqual(await counted(() => storage.codes.update('jo', (c) => ({ next: c, result: undefined }))), ['SELECT', 'UPDATE']);
    assert.deepEqual(await counted(() => storage.codeLog.issued({ subject: 'jo', number: 1, contactId: null, channel: 'email', destination: 'j•@example.com', reason: null, issuedAt: 1_000_000, expiresAt: 1_600_000 })), ['WITH']);
    await storage.deliveries.create({ id: 'd1', contactId: null, channel: 'email', recipient: 'jo@example.com', destination: 'j•@example.com', provider: null, providerMessageId: null, codeNumber: 1, reason: null, status: 'queued', errorCode: null, errorText: null, createdAt: 1, updatedAt: 1 });
    assert.deepEqual(await counted(() => storage.deliveries.advance('d1', { status: 'sent', at: 2, provider: 'postmark', providerMessageId: 'pm-1' })), ['WITH']);
    assert.equal((await storage.deliveries.findById('d1'))?.status, 'sent');
  });

  test('single statements asked for in one turn, by many callers, go out in one write', async () => {
    // Each write to the socket was a system call of ~50 µs on loopback, most of a code request's CPU.
    const storage = await open(await server.newDatabase('one_write'), manualClock(1_000_000));
    // Both lanes connected first: connecting is a write of its own.
    await storage.ping();
    await storage.ping();
    const socket = Socket.prototype as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>;
    const { _write, _writev } = socket;
    let writes = 0;
    socket._write = function (this: unknown, ...args: unknown[]) {
      writes++;
      return _write.apply(this, args);
    };
    socket._writev = function (this: unknown, ...args: unknown[]) {
      writes++;
      return _writev.apply(this, args);
    };
    try {
      const found = await Promise.all(Array.from({ length: 20 }, (_, i) => storage.contacts.findByIdentifier({ kind: 'email', value: `p${i}@example.com` })));
      assert.deepEqual(found, new Array(20).fill(undefined));
    } finally {
      Object.assign(socket, { _write, _writev });
    }
    assert.equal(writes, 1, '20 lookups, one write');
  });

  test('a statement that takes longer than the timeout is cancelled by the server', async () => {
    const url = await server.newDatabase('slow');
    const storage = await createPostgresStorage({ url, clock: manualClock(), random: cryptoRandom, timeoutMs: 300 });
    opened.push(storage);
    // Another connection holds the code row's lock, as a hung instance would.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await storage.codes.update('jo', () => ({ next: { lastNumber: 1, active: null, tombstones: [] }, result: undefined }));
      await holder.query('BEGIN');
      await holder.query('SELECT * FROM codes FOR UPDATE');
      const started = performance.now();
      // A change that writes: a read alone answers from the last committed row without waiting.
      await assert.rejects(storage.codes.update('jo', (c) => ({ next: c, result: c })), /statement timeout/);
      const took = performance.now() - started;
      assert.ok(took >= 250 && took < 1500, `${took.toFixed(0)} ms`);
      await holder.query('ROLLBACK');
      assert.equal(await storage.codes.update('jo', (c) => ({ next: undefined, result: c?.lastNumber })), 1, 'and the next request works');
    } finally {
      await holder.end();
    }
  });
});
