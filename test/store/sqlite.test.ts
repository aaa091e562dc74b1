import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { manualClock } from '../../server/clock.ts';
import { cryptoRandom } from '../../server/random.ts';
import type { Storage } from '../../server/store/index.ts';
import { deferredStorage } from '../../server/store/deferred.ts';
import { createSqliteStorage, openDatabase } from '../../server/store/sqlite/index.ts';
import { OTHERS_SEEN_WITHIN_MS } from '../../server/store/sqlite/device-cache.ts';
import { contracts } from './contracts.ts';
import type { MakeEngine } from './engine.ts';

const HOUR = 3_600_000;
const dirs: string[] = [];
const opened: Storage[] = [];
after(async () => {
  for (const storage of opened) await storage.close().catch(() => {});
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function sqlite(file: () => string): MakeEngine {
  return async () => {
    const clock = manualClock();
    const path = file();
    const open = () => {
      const storage = createSqliteStorage(openDatabase(path), clock, cryptoRandom);
      opened.push(storage);
      return storage;
    };
    // Another process's change reaches the device cache within OTHERS_SEEN_WITHIN_MS.
    return { storage: open(), clock, ...(path !== ':memory:' && { again: async () => open(), othersSeeWithinMs: OTHERS_SEEN_WITHIN_MS }) };
  };
}

const freshFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'otp-store-'));
  dirs.push(dir);
  return join(dir, 'otp-login.sqlite');
};

/** The same engine behind deferredStorage, as PostgreSQL and Redis are used: every call goes through its proxy. */
function deferred(file: () => string): MakeEngine {
  const make = sqlite(file);
  return async () => {
    const engine = await make();
    const wrap = (storage: Storage) => {
      const late = deferredStorage({ engine: 'SQLite', open: async () => storage });
      opened.push(late);
      return late;
    };
    return { ...engine, storage: wrap(engine.storage), ...(engine.again && { again: async () => wrap(await engine.again!()) }) };
  };
}

for (const [name, make] of [['in memory', sqlite(() => ':memory:')], ['in a file', sqlite(freshFile)], ['in a file, behind deferredStorage', deferred(freshFile)]] as const) {
  describe(`SQLite ${name}`, () => {
    for (const contract of contracts) contract(make);
  });
}

describe('the SQLite engine', () => {
  test('a new file gets the whole schema, in WAL mode, and opening it again changes nothing', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'otp-db-')), 'nested', 'otp-login.sqlite');
    dirs.push(join(file, '..', '..'));
    const db = openDatabase(file);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    const version = db.pragma('user_version', { simple: true });
    assert.ok((version as number) >= 1);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    assert.deepEqual(tables, ['admin_actions', 'code_events', 'codes', 'contacts', 'deliveries', 'devices', 'failure_counts', 'identity_keys', 'limit_hits', 'opt_outs', 'outgoing_events', 'sequences', 'sign_in_attempts', 'sign_in_links', 'sms_pauses', 'sms_texts', 'webhook_events']);
    db.close();
    const again = openDatabase(file);
    assert.equal(again.pragma('user_version', { simple: true }), version);
    again.close();
  });

  test('what was stored is there after reopening the file', async () => {
    const file = freshFile();
    const clock = manualClock();
    const first = createSqliteStorage(openDatabase(file), clock, cryptoRandom);
    const jo = await first.contacts.create({ email: 'jo@example.com' });
    await first.outgoingEvents.add({ id: 'e1', type: 'contact.created', contactId: jo.id, body: '{}', createdAt: clock.now() });
    await first.close();
    const second = createSqliteStorage(openDatabase(file), clock, cryptoRandom);
    opened.push(second);
    assert.deepEqual(await second.contacts.findById(jo.id), jo);
    assert.deepEqual((await second.outgoingEvents.claimDue(5, 1000)).map((c) => c.event.id), ['e1']);
  });

  test('a flood of code requests for distinct addresses stores under 350 bytes each (it was 860): the code record and the limits\' hits', async () => {
    const file = freshFile();
    const storage = createSqliteStorage(openDatabase(file), manualClock(), cryptoRandom);
    const limiter = (name: string, limit: number, windowMs: number) => ({ name, limit, windowMs });
    const [cooldown, hour, day, ip] = [limiter('resend_cooldown', 1, 60_000), limiter('sends_per_identifier_hour', 5, HOUR), limiter('sends_per_identifier_day', 10, 24 * HOUR), limiter('sends_per_ip', 20, HOUR)];
    const requests = 4_000;
    for (let i = 0; i < requests; i++) {
      // What a code request for an unknown address stores (sign-in.ts): its limits and a decoy.
      const subject = `email:flood-${i}@flood.example`;
      assert.deepEqual(await storage.limits.consume([[ip, `10.0.${(i / 20) >> 8}.${(i / 20) & 255}`]]), { ok: true });
      assert.deepEqual(await storage.limits.consume([[cooldown, subject], [hour, subject], [day, subject]]), { ok: true });
      const order = await storage.codes.nextOrder();
      await storage.codes.update(subject, () => ({
        next: { lastNumber: 1, active: { number: 1, digest: randomBytes(32).toString('hex'), channel: 'email', sentAt: 1_764_000_000_000 + i, order, expiresAt: 1_764_000_600_000 + i, attempts: 0 }, tombstones: [] },
        result: undefined,
      }));
    }
    await storage.close();
    // The bytes of their pages, indexes included (what bench:flood reports), read from the file.
    const db = new Database(file, { readonly: true });
    const bytes = db.prepare("SELECT sum(s.pgsize) FROM dbstat s JOIN sqlite_master m ON m.name = s.name WHERE m.tbl_name IN ('codes', 'limit_hits')").pluck().get() as number;
    db.close();
    const perRequest = bytes / requests;
    assert.ok(perRequest < 350, `${perRequest.toFixed(0)} bytes a request`);
  });

  test('the sign-in writes of requests in flight at once are committed in one transaction, each answered once it is committed', async () => {
    const file = freshFile();
    const db = openDatabase(file);
    // An empty WAL, so its size counts the frames written from here on: every commit appends the pages it changed.
    db.pragma('wal_checkpoint(TRUNCATE)');
    const storage = createSqliteStorage(db, manualClock(), cryptoRandom);
    const walFrames = () => Math.max(0, (statSync(`${file}-wal`).size - 32) / (4096 + 24));
    const ip = { name: 'sends_per_ip', limit: 20, windowMs: HOUR };
    const delivery = (id: string) => ({ id, contactId: null, channel: 'email' as const, recipient: 'jo@example.com', destination: 'j•••@example.com', provider: 'outbox', providerMessageId: null, codeNumber: 1, reason: null, status: 'queued' as const, errorCode: null, errorText: null, createdAt: 1, updatedAt: 1 });
    // Fifty requests at once, and a delivery row whose id is taken: that write fails alone.
    const [limits, twice] = await Promise.all([
      Promise.all(Array.from({ length: 50 }, (_, i) => storage.limits.consume([[ip, `10.0.0.${i}`]]))),
      Promise.allSettled([storage.deliveries.create(delivery('d1')), storage.deliveries.create(delivery('d1')), storage.deliveries.create(delivery('d2'))]),
    ]);
    assert.ok(limits.every((r) => r.ok));
    assert.deepEqual(twice.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    // One commit per write would be 50 frames and more; one transaction writes each changed page once.
    assert.ok(walFrames() < 12, `${walFrames()} WAL frames`);
    // Answered means committed: another connection sees all of it, and a write asked for just before close() is kept.
    const pending = storage.limits.hit(ip, '10.0.0.99');
    await storage.close();
    await pending;
    const other = new Database(file, { readonly: true });
    assert.equal(other.prepare('SELECT count(*) FROM limit_hits').pluck().get(), 51);
    assert.deepEqual(other.prepare('SELECT id FROM deliveries ORDER BY id').pluck().all(), ['d1', 'd2']);
    other.close();
  });

  test('an upgrade keeps the codes, limit hits and locks written before the compact hot tables', async () => {
    const file = freshFile();
    const clock = manualClock();
    // A database as the version before wrote it: the hot tables of that migration, JSON under the key text.
    const current = openDatabase(file);
    const version = current.pragma('user_version', { simple: true }) as number;
    // The migrations after the compaction (issue 15's sign_in_attempts) run again on the upgrade, so their tables go too.
    current.exec(`DROP TABLE sign_in_attempts; DROP TABLE codes; DROP TABLE limit_hits;
      CREATE TABLE codes (subject TEXT PRIMARY KEY, record TEXT NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID;
      CREATE INDEX codes_expiry ON codes (expires_at);
      CREATE TABLE limit_hits (limiter TEXT NOT NULL, key TEXT NOT NULL, hits TEXT NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (limiter, key)) WITHOUT ROWID;
      CREATE INDEX limit_hits_expiry ON limit_hits (expires_at);`);
    const now = clock.now();
    const waiting = { lastNumber: 2, active: { number: 2, digest: 'ab'.repeat(32), channel: 'email', sentAt: now, order: now * 1000, expiresAt: now + 600_000, attempts: 1, sentTo: 'cd'.repeat(32) }, tombstones: [{ number: 1, digest: 'ef'.repeat(32), channel: 'email', sentAt: now - 1000, expiresAt: now + 599_000, attempts: 0, fate: 'superseded' }] };
    current.prepare('INSERT INTO codes VALUES (?, ?, ?)').run('email:jo@example.com', JSON.stringify(waiting), now + 24 * HOUR);
    const hits = current.prepare('INSERT INTO limit_hits VALUES (?, ?, ?, ?)');
    hits.run('resend_cooldown', 'email:jo@example.com', JSON.stringify([now]), now + 60_000);
    hits.run('sends_per_identifier_hour', 'email:jo@example.com', JSON.stringify([now - 1000, now]), now + HOUR);
    current.prepare('INSERT INTO failure_counts VALUES (?, ?, ?, ?, ?)').run('failures', 'email:locked@example.com', 5, now, now + 24 * HOUR);
    current.pragma(`user_version = ${version - 2}`);
    current.close();

    const upgraded = createSqliteStorage(openDatabase(file), clock, cryptoRandom);
    opened.push(upgraded);
    assert.deepEqual(await upgraded.codes.update('email:jo@example.com', (c) => ({ next: undefined, result: c })), waiting, 'the waiting code and its history');
    assert.deepEqual(await upgraded.limits.check({ name: 'resend_cooldown', limit: 1, windowMs: 60_000 }, 'email:jo@example.com'), { ok: false, retryAfter: 60 });
    assert.equal(await upgraded.limits.count({ name: 'sends_per_identifier_hour', limit: 5, windowMs: HOUR }, 'email:jo@example.com'), 2);
    const failures = upgraded.counters.counter({ name: 'failures', backOff: { after: 5, firstWaitMs: 1000, maxWaitMs: 1000, lockAfter: 5 }, keepMs: 24 * HOUR });
    assert.deepEqual(await failures.check('email:locked@example.com'), { ok: false, locked: true });
    assert.deepEqual((await upgraded.dump()).codes!.length, 1);
  });

  test('dump() holds every table\'s rows, so a test can prove what is (not) at rest', async () => {
    const storage = createSqliteStorage(openDatabase(':memory:'), manualClock(), cryptoRandom);
    opened.push(storage);
    const jo = await storage.contacts.create({ email: 'jo@example.com' });
    const dump = await storage.dump();
    assert.deepEqual(Object.keys(dump).sort(), ['admin_actions', 'code_events', 'codes', 'contacts', 'deliveries', 'devices', 'failure_counts', 'identity_keys', 'limit_hits', 'opt_outs', 'outgoing_events', 'sequences', 'sign_in_attempts', 'sign_in_links', 'sms_pauses', 'sms_texts', 'webhook_events']);
    assert.equal((dump.contacts as Array<{ id: string }>)[0]?.id, jo.id);
    assert.equal(dump.devices!.length, 0);
    assert.deepEqual(await storage.counts(), Object.fromEntries(Object.entries(dump).map(([kind, rows]) => [kind, rows.length])), 'counts() agrees with dump()');
  });
});
