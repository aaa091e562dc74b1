import pg from 'pg';
import { StorageUnavailable } from '../index.ts';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Where the numbered migrations are read from: `migrations/` beside this module when it runs from
 * source (tsx) or from lib/ (tsc), and build/migrations/ beside the bundled server, where
 * `npm run build:server` copies them (vite bundles this module into build/main.js and leaves
 * `new URL(…, import.meta.url)` as it is, so the URL is then relative to the bundle).
 */
const MIGRATIONS = new URL('./migrations/', import.meta.url);

/** Numbered `.sql` files, 0001_… upward: append only, a database in the field ran the earlier ones. */
export function readMigrations(folder: URL = MIGRATIONS): Array<{ version: number; name: string; sql: string }> {
  let files: string[];
  try {
    files = readdirSync(folder).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).sort();
  } catch (error) {
    throw new Error(`The PostgreSQL migrations are missing from ${folder.pathname} (${(error as Error).message}); a build must copy server/store/postgres/migrations there.`);
  }
  if (files.length === 0) throw new Error(`No PostgreSQL migrations in ${folder.pathname}.`);
  return files.map((name, i) => {
    const version = Number(name.slice(0, 4));
    if (version !== i + 1) throw new Error(`PostgreSQL migration ${name} is out of sequence: expected ${String(i + 1).padStart(4, '0')}_….sql.`);
    return { version, name, sql: readFileSync(new URL(name, folder), 'utf8') };
  });
}

/** How long any one statement, or the wait for a connection, may take (ms): an outage answers, never hangs. */
export const DEFAULT_TIMEOUT_MS = 2000;

// BIGINT (OID 20, our times and counts) as a JS number rather than pg's default string: every
// value we keep is below 2^53 (times in ms, the code order in µs). Per pool, not pg's global types.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/**
 * A pool whose every step is bounded: connecting (`connectionTimeoutMillis`), each statement on the
 * server (`statement_timeout`, which also bounds waiting for a row lock), and each answer on the
 * client (`query_timeout`, for a server that stopped answering without closing the connection).
 * A transaction left idle by a hung holder is ended after a while, so its row locks are freed.
 */
export function createPool(url: string, { max = 10, timeoutMs = DEFAULT_TIMEOUT_MS }: { max?: number; timeoutMs?: number } = {}) {
  const options = {
    connectionString: url,
    types,
    connectionTimeoutMillis: timeoutMs,
    statement_timeout: timeoutMs,
    query_timeout: timeoutMs + 500,
    idle_in_transaction_session_timeout: 5 * timeoutMs,
    application_name: 'otp-login',
  };
  const pool = new pg.Pool({ ...options, max });
  const lanes = createLanes(options);
  const end = pool.end.bind(pool);
  pool.end = (async () => {
    await lanes.end();
    await end();
  }) as typeof pool.end;
  // An idle connection cut by a server restart: the pool drops it and the next query opens another.
  // Without a listener, Node would end the process on this 'error' event.
  pool.on('error', () => {});
  // Every failure to reach the server becomes StorageUnavailable (a 503 with Retry-After); any
  // other error (a constraint, a bug) stays what it is.
  // Only the promise forms are mapped: pg itself calls these with callbacks, passed through as they are.
  const mapped = (call: (...args: unknown[]) => unknown) => (...args: unknown[]) =>
    typeof args.at(-1) === 'function' ? call(...args) : (call(...args) as Promise<unknown>).catch(unreachable);
  // A single statement (the promise form) goes down a lane; pg's own callback calls stay on the pool.
  const pooled = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  pool.query = mapped((...args: unknown[]) => (typeof args.at(-1) === 'function' ? pooled(...args) : lanes.query(args[0] as string, args[1] as unknown[] | undefined))) as typeof pool.query;
  const connect = pool.connect.bind(pool) as (callback?: unknown) => Promise<pg.PoolClient>;
  // pool.query itself connects with a callback: that form is passed through as it is.
  pool.connect = (async (callback?: unknown) => {
    if (callback) return connect(callback);
    const client = await connect().catch(unreachable);
    if (!(WRAPPED in client)) {
      client.query = mapped(client.query.bind(client) as (...args: unknown[]) => unknown) as typeof client.query;
      // pg-pool listens for 'error' only while a connection is idle: one cut while checked out
      // between two statements of a transaction (PostgreSQL stopping: 57P01) would end the process.
      // Its queries fail on their own (StorageUnavailable); on release the pool drops it (not queryable).
      client.on('error', () => {});
      Object.assign(client, { [WRAPPED]: true });
    }
    return client;
  }) as typeof pool.connect;
  return pool;
}

/** Connections kept in pipeline mode for single statements: enough for PostgreSQL to work on two at once. */
const LANES = 2;

/**
 * Single statements outside transactions, written down a few long-lived connections in pipeline
 * mode: every statement asked for in one turn of the event loop, by every request in flight, goes
 * out in one write and their answers come back in one read. Each round trip on loopback costs the
 * Node process a write system call (~50 µs here, most of a code request's CPU); a code request
 * makes about fourteen. Each statement still has its own Sync, so it runs and commits on its own,
 * as it did alone on a pooled connection: an error ends that statement only.
 *
 * A transaction holds a pooled connection of its own (`transaction`), never a lane, so a statement
 * waiting on a row lock in a lane waits for a transaction that never waits for the lane. A lane
 * cut (a restart, a timeout: pg then destroys it) fails what was on it and is opened again by the
 * next statement.
 */
function createLanes(options: pg.ClientConfig) {
  const lanes: Array<Promise<pg.Client> | undefined> = new Array<Promise<pg.Client> | undefined>(LANES);
  const clients = new Set<pg.Client>();
  let current = 0;
  let flushing: NodeJS.Immediate | null = null;
  let ending = false;
  const open = (i: number) => {
    const client = new pg.Client({ ...options, pipeline: true } as pg.ClientConfig);
    const ready = client.connect().then(() => client);
    const drop = () => {
      if (lanes[i] === ready) lanes[i] = undefined;
      clients.delete(client);
    };
    // Without a listener, a connection cut while idle would end the process.
    client.on('error', drop);
    client.on('end', drop);
    ready.catch(drop);
    clients.add(client);
    lanes[i] = ready;
    return ready;
  };
  return {
    async query(text: string, values?: unknown[]) {
      if (ending) throw new Error('Client was closed and is not queryable');
      const i = current;
      const client = await (lanes[i] ?? open(i));
      const stream = (client as unknown as { connection: { stream: NodeJS.WritableStream & { cork(): void; uncork(): void } } }).connection.stream;
      // The first statement of a turn corks the lane; the next turn writes what gathered in one go
      // and turns to the other lane.
      if (!flushing) {
        stream.cork();
        flushing = setImmediate(() => {
          flushing = null;
          current = (i + 1) % LANES;
          stream.uncork();
        });
      }
      // A statement that waited for its lane to connect may find another lane corked: its own is
      // written as it comes.
      return client.query(text, values);
    },
    async end() {
      ending = true;
      if (flushing) clearImmediate(flushing);
      await Promise.all([...clients].map((client) => client.end().catch(() => {})));
    },
  };
}

const WRAPPED = Symbol('errors mapped');

/** SQLSTATEs of a server that is going away or cannot take connections, and of a statement cut by statement_timeout. */
const UNREACHABLE_STATES = new Set(['08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03', '57014', '53300']);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
const UNREACHABLE_TEXT = /timeout exceeded when trying to connect|Connection terminated|Query read timeout|Client has encountered a connection error|connection is closed/i;

function unreachable(error: unknown): never {
  const e = error as { code?: string; message?: string };
  if ((e.code && (UNREACHABLE_STATES.has(e.code) || UNREACHABLE_CODES.has(e.code))) || UNREACHABLE_TEXT.test(e.message ?? '')) {
    throw new StorageUnavailable('PostgreSQL', e.message ?? String(error));
  }
  throw error;
}

export type Queryable = pg.Pool | pg.PoolClient;
export type Row = Record<string, unknown>;

/**
 * Runs `work` in one transaction on one connection: committed when it resolves, rolled back when
 * it throws or calls `rollback()`. A connection that cannot even roll back (cut, timed out) is
 * destroyed rather than handed to the next request in an unknown state.
 */
export async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient, rollback: () => void) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    let undo = false;
    const result = await work(client, () => (undo = true));
    await client.query(undo ? 'ROLLBACK' : 'COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((cut: Error) => (broken = cut));
    throw error;
  } finally {
    client.release(broken);
  }
}

/** The one lock every instance takes to migrate: two starting together migrate once. ("otpl") */
const MIGRATION_LOCK = 0x6f74706c;

/**
 * Applies the migrations not yet recorded in `schema_migrations`, all in one transaction under a
 * transaction-scoped advisory lock: an instance starting while another migrates waits, then finds
 * them applied. `at` (the injected clock's time) is recorded with each.
 */
export async function migrate(pool: pg.Pool, at: number, migrations = readMigrations()): Promise<number[]> {
  return transaction(pool, async (client) => {
    // Waiting for another instance's migration, and the DDL itself, may take longer than a request.
    await client.query(`SET LOCAL statement_timeout = '60s'`);
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, at]);
      applied.push(m.version);
    }
    return applied;
  });
}

/** Rows deleted per statement by the purge, as in SQLite: a few milliseconds' work, then other requests run. */
export const PURGE_BATCH = 500;

/**
 * Runs each purge statement (a DELETE of at most PURGE_BATCH rows expired at $1) until it deletes
 * fewer. Each batch is its own statement, so no purge holds locks on many rows, or a connection,
 * for long. Answers how many rows went.
 */
export async function purgeInBatches(pool: pg.Pool, statements: string[], now: number): Promise<number> {
  let deleted = 0;
  for (const statement of statements) {
    for (;;) {
      const { rowCount } = await pool.query(statement, [now]);
      deleted += rowCount ?? 0;
      if ((rowCount ?? 0) < PURGE_BATCH) break;
    }
  }
  return deleted;
}

/**
 * A purge statement for `table`: the oldest batch expired at $1, skipping rows a request holds
 * right now. The expiry is checked again on the row deleted, so a row renewed while the batch was
 * chosen (a code just re-issued) stays.
 */
export const purgeStatement = (table: string, key: string) =>
  `DELETE FROM ${table} WHERE (${key}) IN (
     SELECT ${key} FROM ${table} WHERE expires_at <= $1 ORDER BY expires_at LIMIT ${PURGE_BATCH} FOR UPDATE SKIP LOCKED
   ) AND expires_at <= $1`;
