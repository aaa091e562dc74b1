import type Database from 'better-sqlite3';
import { DAY, type Clock } from '../../clock.ts';
import type { Random } from '../../random.ts';
import { StorageUnavailable, type Storage } from '../index.ts';
import { createSqliteAdmin } from './admin.ts';
import { createSqliteCodeLog } from './code-log.ts';
import { createSqliteContacts } from './contacts.ts';
import { all } from './database.ts';
import { createSqliteDeliveries } from './deliveries.ts';
import { createSqliteDevices } from './devices.ts';
import { createSqliteLinks } from './links.ts';
import { createSqliteOutgoingEvents } from './outgoing-events.ts';
import { createSqliteOptOuts } from './opt-outs.ts';
import { createSqliteWebhookEvents } from './webhook-events.ts';
import { createSqliteHotStores } from './hot.ts';
import { createSqliteIdentityKeys } from './identity-keys.ts';
import { createSqliteSmsTexts } from './sms-texts.ts';
import { createSqliteSignInAttempts } from './sign-in-attempts.ts';
import { createWriteBatch } from './write-batch.ts';

export { openDatabase } from './database.ts';

/**
 * Every store in one SQLite database (from openDatabase): the embedded default, DATA_DIR's
 * otp-login.sqlite, or ':memory:' for tests. Ids and times come from `random` and `clock`.
 */
export function createSqliteStorage(db: Database.Database, clock: Clock, random: Random, { codesKeptMs = DAY }: { codesKeptMs?: number } = {}): Storage {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck();
  // The sign-in's hot writes, committed together per turn of the event loop (write-batch.ts).
  const batch = createWriteBatch(db);
  const hot = createSqliteHotStores(db, clock, batch, { codesKeptMs });
  const sms = createSqliteSmsTexts(db, clock);
  const tried = createSqliteSignInAttempts(db, clock);
  return {
    codes: hot.codes,
    limits: hot.limits,
    counters: hot.counters,
    smsTexts: sms.smsTexts,
    attempts: tried.attempts,
    async purge() {
      return (await hot.purge()) + (await sms.purge()) + (await tried.purge());
    },
    contacts: createSqliteContacts(db, clock, random),
    devices: createSqliteDevices(db),
    deliveries: createSqliteDeliveries(db, batch),
    optOuts: createSqliteOptOuts(db),
    webhookEvents: createSqliteWebhookEvents(db, clock),
    codeLog: createSqliteCodeLog(db, clock, batch),
    links: createSqliteLinks(db),
    outgoingEvents: createSqliteOutgoingEvents(db, clock, random),
    admin: createSqliteAdmin(db, clock),
    identityKeys: createSqliteIdentityKeys(db),
    async dump() {
      return Object.fromEntries((tables.all() as string[]).map((name) => [name, all(db.prepare(`SELECT * FROM "${name}"`))]));
    },
    async counts() {
      return Object.fromEntries((tables.all() as string[]).map((name) => [name, db.prepare(`SELECT count(*) FROM "${name}"`).pluck().get() as number]));
    },
    async ping() {
      try {
        db.prepare('SELECT 1').get();
      } catch (error) {
        throw new StorageUnavailable('SQLite', (error as Error).message);
      }
    },
    async close() {
      batch.flush();
      db.close();
    },
  };
}
