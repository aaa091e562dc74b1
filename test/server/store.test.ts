import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openDatabase } from '../../server/store/sqlite.ts';
import { createHarness } from './harness.ts';

describe('the code store', () => {
  test('code numbers start again at 1 a day after the last code', async () => {
    const h = createHarness();
    await h.post('/api/codes', { email: 'jo@example.com' });
    h.clock.advance(24 * 3_600_000 + 1000);
    await h.post('/api/codes', { email: 'jo@example.com' });
    await h.queue.idle();
    assert.deepEqual(h.outbox.list('jo@example.com').map((m) => m.subject.match(/code (\d+)$/)?.[1]), ['1', '1']);
  });
});

describe('the SQLite database', () => {
  test('a new file gets the whole schema, in WAL mode, and opening it again changes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'otp-db-'));
    try {
      const file = join(dir, 'nested', 'otp-login.sqlite');
      const db = openDatabase(file);
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      const version = db.pragma('user_version', { simple: true });
      assert.ok((version as number) >= 1);
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
      assert.deepEqual(tables, ['admin_actions', 'code_events', 'codes', 'contacts', 'deliveries', 'devices', 'failure_counts', 'limit_hits', 'opt_outs', 'outgoing_events', 'sequences', 'sign_in_links', 'webhook_events']);
      db.close();
      const again = openDatabase(file);
      assert.equal(again.pragma('user_version', { simple: true }), version);
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
