/**
 * `npm run migrate-to-postgres`: copies DATA_DIR's SQLite database (contacts, remembered browsers,
 * opt-outs, deliveries, the audit, outgoing events, identity keys, blocked sign-in attempts, and the hot state: waiting
 * codes, limits, locks) into the empty PostgreSQL database at DATABASE_URL, table by table: the
 * PostgreSQL schema has SQLite's tables and columns, so each row goes across as it is, the hot
 * records' digests and binary records byte for byte.
 *
 * All of it in one transaction: a failure copies nothing. Idempotent by refusing rather than
 * merging: a second run finds the database holding exactly what DATA_DIR holds and copies nothing
 * (every row counted as skipped); a database holding anything else (an instance already ran on it,
 * or DATA_DIR changed since) is refused, since a merge would have to choose silently between two
 * versions of a browser, a code or a lock.
 *
 * Like main.ts, an entry point: it reads DATA_DIR, DATABASE_URL and SECRET from the environment.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { systemClock } from '../clock.ts';
import { ConfigError, loadConfig } from '../config/config.ts';
import { createPool, migrate } from './postgres/database.ts';
import { openDatabase } from './sqlite/database.ts';

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters at 14 columns. */
const BATCH = 500;
/** One run at a time on a database ("otpm"). */
const COPY_LOCK = 0x6f74706d;

class Refused extends Error {}
/** What to do when the two schemas do not match. */
const NEXT = ' Run this with the same version of otp-login as the server that last used DATA_DIR (start that server once, so it brings DATA_DIR up to date, and stop it), into an empty database.';

async function main() {
  // DATA_DIR as the server reads it; DATABASE_URL is the target here, not this process's storage
  // (so the configuration's rule that it comes with SECRET does not apply: nothing is keyed here).
  const { dataDir } = loadConfig({ ...process.env, DATABASE_URL: undefined, REDIS_URL: undefined });
  const url = process.env.DATABASE_URL?.trim();
  if (!url || !/^postgres(ql)?:\/\//.test(url)) throw new Refused('Set DATABASE_URL to the PostgreSQL database to copy into (postgres://user:password@host:5432/database).');
  const file = join(dataDir, 'otp-login.sqlite');
  if (!existsSync(file)) throw new Refused(`There is no database in DATA_DIR (${file}): set DATA_DIR to the folder the server used.`);
  // Keys of a version older than the storage's own; the server moves them in on its next start.
  if (existsSync(join(dataDir, 'identity-keys.json'))) {
    throw new Refused(`${join(dataDir, 'identity-keys.json')} is still there: start this version of the server once on DATA_DIR (it moves the keys into the database), stop it, then run this again.`);
  }
  const source = lockedSource(file);
  const pool = createPool(url, { max: 1, timeoutMs: 10_000 });
  try {
    await migrate(pool, systemClock.now());
    const counts = await copy(source, pool);
    const width = Math.max(...counts.map((c) => c.table.length));
    for (const c of counts) console.log(`  ${c.table.padEnd(width)}  ${String(c.copied).padStart(7)} copied  ${String(c.skipped).padStart(7)} skipped`);
    const copied = counts.reduce((n, c) => n + c.copied, 0);
    console.log(
      copied > 0
        ? `Copied ${copied} rows from ${file} into PostgreSQL.`
        : `Nothing to copy: PostgreSQL already holds exactly what ${file} holds (copied by an earlier run).`,
    );
  } finally {
    source.close();
    await pool.end();
  }
  console.log(secretAdvice(dataDir));
}

/**
 * DATA_DIR's database, brought up to this version's schema, then held open in exclusive locking
 * mode: refused while a server still has it open (a running server would go on writing sign-ins
 * that the copy misses), and no server can open it while the copy runs.
 */
function lockedSource(file: string): Database.Database {
  const exclusive = () => {
    const db = new Database(file, { fileMustExist: true });
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      // In WAL mode every open connection holds a shared lock: this fails while any other has it open.
      db.exec('BEGIN EXCLUSIVE; COMMIT');
      return db;
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
        throw new Refused(`${file} is in use: the server (or another process) still has it open. Stop every server using DATA_DIR first, then run this again. Nothing was copied.`);
      }
      throw error;
    }
  };
  exclusive().close();
  // Brings an older DATA_DIR's schema up to this version's, as the server's start would.
  openDatabase(file).close();
  return exclusive();
}

interface Count {
  table: string;
  copied: number;
  skipped: number;
}

interface Column {
  name: string;
  type: string;
  identity: boolean;
}

async function copy(source: Database.Database, pool: pg.Pool): Promise<Count[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SET LOCAL statement_timeout = 0`);
    await client.query('SELECT pg_advisory_xact_lock($1)', [COPY_LOCK]);
    const tables = await targetTables(client, source);
    const counts: Count[] = [];
    const filled = await Promise.all(tables.map(async ({ name }) => Number((await client.query(`SELECT count(*) AS n FROM "${name}"`)).rows[0].n)));
    if (filled.every((n) => n === 0)) {
      for (const table of tables) counts.push({ table: table.name, copied: await copyTable(source, client, table), skipped: 0 });
    } else {
      const differ: string[] = [];
      for (const table of tables) {
        const { same, here, there } = await compare(source, client, table);
        if (!same) differ.push(`${table.name} (${there} rows in DATA_DIR, ${here} in PostgreSQL)`);
        counts.push({ table: table.name, copied: 0, skipped: there });
      }
      if (differ.length > 0) {
        throw new Refused(
          `PostgreSQL is not empty and does not hold what DATA_DIR holds: ${differ.join(', ')}. ` +
            'Either a server already ran on it, or DATA_DIR changed since the last copy. Nothing was copied. ' +
            'To copy again, point DATABASE_URL at a new, empty database (or empty this one), with every server stopped.',
        );
      }
    }
    await client.query('COMMIT');
    return counts;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/**
 * PostgreSQL's tables with the columns they share with SQLite's, contacts first (every other
 * table's foreign keys name it). A column of either side that the other lacks stops the copy,
 * unless it is PostgreSQL's own `seq` (SQLite's rowid), filled in the order rows are inserted.
 */
async function targetTables(client: pg.PoolClient, source: Database.Database): Promise<Array<{ name: string; columns: Column[]; withRowid: boolean }>> {
  const { rows } = await client.query<{ table_name: string; column_name: string; data_type: string; is_identity: string }>(
    `SELECT table_name, column_name, data_type, is_identity FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name <> 'schema_migrations' ORDER BY table_name, ordinal_position`,
  );
  const names = [...new Set(rows.map((r) => r.table_name))].sort((a, b) => (a === 'contacts' ? -1 : b === 'contacts' ? 1 : a.localeCompare(b)));
  const sqliteTables = new Set(source.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
  const missing = [...sqliteTables].filter((t) => !names.includes(t));
  if (missing.length > 0) throw new Refused(`PostgreSQL's schema has no table for ${missing.join(', ')}: this version cannot copy them. Nothing was copied.${NEXT}`);
  return names.map((name) => {
    if (!sqliteTables.has(name)) throw new Refused(`DATA_DIR's database has no table ${name}. Nothing was copied.${NEXT}`);
    const inSqlite = new Set((source.pragma(`table_info("${name}")`) as Array<{ name: string }>).map((c) => c.name));
    const columns = rows.filter((r) => r.table_name === name).map((r) => ({ name: r.column_name, type: r.data_type, identity: r.is_identity === 'YES' }));
    for (const c of inSqlite) if (!columns.some((p) => p.name === c)) throw new Refused(`PostgreSQL's ${name} has no column ${c}. Nothing was copied.${NEXT}`);
    for (const c of columns) if (!inSqlite.has(c.name) && !(c.name === 'seq' && c.identity)) throw new Refused(`DATA_DIR's ${name} has no column ${c.name}. Nothing was copied.${NEXT}`);
    const withRowid = (source.prepare('SELECT wr FROM pragma_table_list WHERE name = ?').pluck().get(name) as number) === 0;
    return { name, columns: columns.filter((c) => inSqlite.has(c.name)), withRowid };
  });
}

/** A SQLite value as PostgreSQL's column takes it: SQLite's 0/1 flags become booleans. */
const toTarget = (column: Column, value: unknown) => (column.type === 'boolean' && value !== null ? value === 1 || value === 1n : value);

/** SQLite's rows in the order made (rowid), so PostgreSQL's `seq` keeps "in the order made". */
function sourceRows(source: Database.Database, table: { name: string; columns: Column[]; withRowid: boolean }) {
  const list = table.columns.map((c) => `"${c.name}"`).join(', ');
  return source.prepare(`SELECT ${list} FROM "${table.name}"${table.withRowid ? ' ORDER BY rowid' : ''}`).raw().iterate() as IterableIterator<unknown[]>;
}

async function copyTable(source: Database.Database, client: pg.PoolClient, table: { name: string; columns: Column[]; withRowid: boolean }): Promise<number> {
  const { name, columns } = table;
  // Ids and positions PostgreSQL would generate are kept as SQLite had them (the audit's ids, the keys' order).
  const overriding = columns.some((c) => c.identity) ? ' OVERRIDING SYSTEM VALUE' : '';
  let batch: unknown[][] = [];
  let copied = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const values = batch.map((_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
    await client.query(`INSERT INTO "${name}" (${columns.map((c) => `"${c.name}"`).join(', ')})${overriding} VALUES ${values}`, batch.flat());
    copied += batch.length;
    batch = [];
  };
  for (const row of sourceRows(source, table)) {
    batch.push(row.map((value, i) => toTarget(columns[i]!, value)));
    if (batch.length === BATCH) await flush();
  }
  await flush();
  // The next id PostgreSQL generates follows the copied ones.
  for (const c of columns.filter((c) => c.identity)) {
    await client.query(`SELECT setval(pg_get_serial_sequence($1, $2), max("${c.name}")) FROM "${name}" HAVING count(*) > 0`, [name, c.name]);
  }
  return copied;
}

/** One row as text both sides agree on: flags as 0/1, binary as hex. */
const canonical = (row: unknown[]) =>
  JSON.stringify(row.map((value) => (Buffer.isBuffer(value) ? `\\x${value.toString('hex')}` : typeof value === 'boolean' || typeof value === 'bigint' ? Number(value) : value)));

/** Whether PostgreSQL's table holds exactly DATA_DIR's rows (as a multiset: no more, no fewer, none changed). */
async function compare(source: Database.Database, client: pg.PoolClient, table: { name: string; columns: Column[]; withRowid: boolean }) {
  const { rows } = await client.query({ text: `SELECT ${table.columns.map((c) => `"${c.name}"`).join(', ')} FROM "${table.name}"`, rowMode: 'array' });
  const left = new Map<string, number>();
  for (const row of rows as unknown[][]) {
    const key = canonical(row);
    left.set(key, (left.get(key) ?? 0) + 1);
  }
  let there = 0;
  let same = true;
  for (const row of sourceRows(source, table)) {
    there++;
    const key = canonical(row);
    const n = left.get(key) ?? 0;
    if (n === 0) same = false;
    else left.set(key, n - 1);
  }
  return { same: same && rows.length === there, here: rows.length, there };
}

/** How to give every instance the key everything copied is keyed with; never the secret itself. */
function secretAdvice(dataDir: string): string {
  const lines = [
    'Before starting any instance on PostgreSQL: every instance needs the SECRET this server used, or remembered browsers, waiting codes, sign-in links and the identity keys stop working (they are keyed and sealed with it, and it is not in the database).',
  ];
  const file = join(dataDir, 'secret');
  if (existsSync(file)) {
    lines.push(`If this server ran without SECRET, it used the one it generated into ${file}: set it on every instance as SECRET="base64:$(cat ${file})"`);
    lines.push('If it ran with SECRET set, give every instance that same SECRET.');
  } else lines.push('This server ran with SECRET set (DATA_DIR has no generated one): give every instance that same SECRET.');
  lines.push('Then start the instances with DATABASE_URL (and that SECRET); keep the SQLite server stopped.');
  return lines.join('\n');
}

try {
  await main();
} catch (error) {
  if (!(error instanceof Refused || error instanceof ConfigError)) throw error;
  console.error(`migrate-to-postgres: ${error.message}`);
  process.exitCode = 1;
}
