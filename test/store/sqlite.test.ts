import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { manualClock } from '../../server/clock.ts';
import { cryptoRandom } from '../../server/random.ts';
import type { Storage } from '../../server/store/index.ts';
import { createSqliteStorage, openDatabase } from '../../server/store/sqlite/index.ts';
import { adminContract } from './admin.contract.ts';
import { codeLogContract } from './code-log.contract.ts';
import { contactsContract } from './contacts.contract.ts';
import { deliveriesContract } from './deliveries.contract.ts';
import { devicesContract } from './devices.contract.ts';
import type { MakeEngine } from './engine.ts';
import { linksContract } from './links.contract.ts';
import { outgoingEventsContract } from './outgoing-events.contract.ts';
import { hotContract } from './hot.contract.ts';
import { identityKeysContract } from './identity-keys.contract.ts';
import { smsTextsContract } from './sms-texts.contract.ts';

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
    return { storage: open(), clock, ...(path !== ':memory:' && { again: async () => open() }) };
  };
}

const freshFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'otp-store-'));
  dirs.push(dir);
  return join(dir, 'otp-login.sqlite');
};

const contracts = [contactsContract, devicesContract, deliveriesContract, codeLogContract, linksContract, outgoingEventsContract, adminContract, hotContract, identityKeysContract, smsTextsContract];

for (const [name, make] of [['in memory', sqlite(() => ':memory:')], ['in a file', sqlite(freshFile)]] as const) {
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
    assert.deepEqual(tables, ['admin_actions', 'code_events', 'codes', 'contacts', 'deliveries', 'devices', 'failure_counts', 'identity_keys', 'limit_hits', 'opt_outs', 'outgoing_events', 'sequences', 'sign_in_links', 'sms_pauses', 'sms_texts', 'webhook_events']);
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

  test('dump() holds every table\'s rows, so a test can prove what is (not) at rest', async () => {
    const storage = createSqliteStorage(openDatabase(':memory:'), manualClock(), cryptoRandom);
    opened.push(storage);
    const jo = await storage.contacts.create({ email: 'jo@example.com' });
    const dump = await storage.dump();
    assert.deepEqual(Object.keys(dump).sort(), ['admin_actions', 'code_events', 'codes', 'contacts', 'deliveries', 'devices', 'failure_counts', 'identity_keys', 'limit_hits', 'opt_outs', 'outgoing_events', 'sequences', 'sign_in_links', 'sms_pauses', 'sms_texts', 'webhook_events']);
    assert.equal((dump.contacts as Array<{ id: string }>)[0]?.id, jo.id);
    assert.equal(dump.devices!.length, 0);
    assert.deepEqual(await storage.counts(), Object.fromEntries(Object.entries(dump).map(([kind, rows]) => [kind, rows.length])), 'counts() agrees with dump()');
  });
});
