import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { manualClock } from '../../server/clock.ts';
import { cryptoRandom } from '../../server/random.ts';
import { deferredStorage } from '../../server/store/deferred.ts';
import { StorageUnavailable } from '../../server/store/index.ts';
import { createSqliteStorage, openDatabase } from '../../server/store/sqlite/index.ts';

test('an engine that cannot open yet: each call is refused within 2 s as StorageUnavailable, opening is tried again, and it works once the engine can open', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'otp-deferred-'));
  try {
    // The database's folder is a file for now: opening fails for real, as an unreachable server would.
    const folder = join(dir, 'db');
    writeFileSync(folder, 'in the way');
    const failures: string[] = [];
    const storage = deferredStorage({
      engine: 'SQLite',
      open: async () => createSqliteStorage(openDatabase(join(folder, 'otp-login.sqlite')), manualClock(), cryptoRandom),
      retryMs: 50,
      onOpenFailed: (error) => failures.push(error.message),
    });
    const started = Date.now();
    await assert.rejects(storage.contacts.create({ email: 'jo@example.com' }), (e) => e instanceof StorageUnavailable && e.engine === 'SQLite' && /EEXIST|ENOTDIR|not a directory|file already exists/i.test(e.message));
    assert.ok(Date.now() - started < 2000, 'refused within 2 s, not left hanging');
    await assert.rejects(storage.ping(), StorageUnavailable);
    assert.ok(failures.length >= 2, 'opening was tried again');
    rmSync(folder);
    mkdirSync(folder);
    // The retry timer does not hold the process open (a server's socket does); this test's must.
    const alive = setInterval(() => {}, 1000);
    await storage.opened.finally(() => clearInterval(alive));
    const jo = await storage.contacts.create({ email: 'jo@example.com' });
    assert.deepEqual(await storage.contacts.findById(jo.id), jo);
    await storage.ping();
    await storage.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
