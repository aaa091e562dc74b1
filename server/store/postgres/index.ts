import { DAY, type Clock } from '../../clock.ts';
import type { Random } from '../../random.ts';
import type { Storage } from '../index.ts';
import { createPostgresAdmin } from './admin.ts';
import { createPostgresCodeLog } from './code-log.ts';
import { createPostgresContacts } from './contacts.ts';
import { createPool, migrate } from './database.ts';
import { createPostgresDeliveries, createPostgresOptOuts, createPostgresWebhookEvents } from './deliveries.ts';
import { createPostgresDevices } from './devices.ts';
import { createPostgresHotStores } from './hot.ts';
import { createPostgresIdentityKeys } from './identity-keys.ts';
import { createPostgresLinks } from './links.ts';
import { createPostgresOutgoingEvents } from './outgoing-events.ts';
import { createPostgresSmsTexts } from './sms-texts.ts';
import { createPostgresSignInAttempts } from './sign-in-attempts.ts';

export { DEFAULT_TIMEOUT_MS } from './database.ts';

export interface PostgresOptions {
  /** postgres://user:password@host:port/database (DATABASE_URL). */
  url: string;
  clock: Clock;
  random: Random;
  /** How long an identifier's code record is kept after its last change (CODE_HISTORY). */
  codesKeptMs?: number;
  /** Connections this instance opens at most (10). */
  max?: number;
  /** The longest any statement, or the wait for a connection, may take (2000 ms): an outage answers quickly. */
  timeoutMs?: number;
}

/**
 * Every store in one PostgreSQL database, shared by every instance pointed at it (R10, R11).
 * Connects and brings the schema up to date (migrations/, once, whoever starts first) before it
 * answers. Ids and times come from `random` and `clock`, never from the database.
 *
 * @example
 * const storage = await createPostgresStorage({ url: process.env.DATABASE_URL!, clock: systemClock, random: cryptoRandom });
 */
export async function createPostgresStorage({ url, clock, random, codesKeptMs = DAY, max, timeoutMs }: PostgresOptions): Promise<Storage> {
  const pool = createPool(url, { ...(max !== undefined && { max }), ...(timeoutMs !== undefined && { timeoutMs }) });
  try {
    await migrate(pool, clock.now());
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  const hot = createPostgresHotStores(pool, clock, { codesKeptMs });
  const sms = createPostgresSmsTexts(pool, clock);
  const tried = createPostgresSignInAttempts(pool, clock);
  // The stores' tables, as kinds for dump() and counts(): the migrations' own record is not one.
  const tables = async () =>
    (
      await pool.query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations' ORDER BY 1`,
      )
    ).rows.map((r) => r.name);
  let closed = false;
  return {
    codes: hot.codes,
    limits: hot.limits,
    counters: hot.counters,
    smsTexts: sms.smsTexts,
    attempts: tried.attempts,
    async purge() {
      return (await hot.purge()) + (await sms.purge()) + (await tried.purge());
    },
    contacts: createPostgresContacts(pool, clock, random),
    devices: createPostgresDevices(pool),
    deliveries: createPostgresDeliveries(pool),
    optOuts: createPostgresOptOuts(pool),
    webhookEvents: createPostgresWebhookEvents(pool, clock),
    codeLog: createPostgresCodeLog(pool, clock),
    links: createPostgresLinks(pool),
    outgoingEvents: createPostgresOutgoingEvents(pool, clock, random),
    admin: createPostgresAdmin(pool, clock),
    identityKeys: createPostgresIdentityKeys(pool),
    async dump() {
      const names = await tables();
      const rows = await Promise.all(names.map(async (name) => (await pool.query(`SELECT * FROM "${name}"`)).rows));
      return Object.fromEntries(names.map((name, i) => [name, rows[i]!]));
    },
    async counts() {
      const names = await tables();
      const { rows } = await pool.query<{ name: string; n: number }>(names.map((name) => `SELECT '${name}' AS name, count(*)::int AS n FROM "${name}"`).join(' UNION ALL '));
      return Object.fromEntries(rows.map((r) => [r.name, r.n]));
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
