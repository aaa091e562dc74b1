/**
 * Throwaway PostgreSQL and Redis servers for the tests that need them: each on a free loopback
 * port, in its own temporary folder, stopped (and the folder removed) by `stop()`. Real servers,
 * never a mock (the same binaries CI installs from Debian: `postgresql`, `redis-server`).
 *
 * PostgreSQL refuses to run as root, so as root its commands run as the `postgres` user.
 */
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
    probe.on('error', fail);
  });
}

/** The newest PostgreSQL's binaries Debian installed (/usr/lib/postgresql/<version>/bin), or PG_BIN. */
function postgresBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error('No PostgreSQL found in /usr/lib/postgresql: apt-get install postgresql (or set PG_BIN to the folder of initdb and pg_ctl).');
  return join(base, newest, 'bin');
}

const asRoot = process.getuid?.() === 0;
/** Runs a PostgreSQL binary, as the postgres user when this process is root. */
const pg = (bin: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', join(postgresBin(), bin), ...args]) : run(join(postgresBin(), bin), args));

export interface RunningPostgres {
  /** postgres://otp@127.0.0.1:<port>/otp — a database `otp` made for the caller. */
  url: string;
  port: number;
  /** A URL for another fresh, empty database on the same server (one per test file or engine). */
  newDatabase(name: string): Promise<string>;
  /** Stops the server (fast: open connections are cut) and removes its folder. */
  stop(): Promise<void>;
  /** Stops and starts it again on the same port and data, as an outage and recovery would. */
  restart(): Promise<void>;
  /** Stops it, keeping its data and port, until `up()`: an outage. */
  down(): Promise<void>;
  up(): Promise<void>;
}

/**
 * Starts PostgreSQL with fsync off (throwaway data): about a second. `settings` are more server
 * settings (`-c name=value`), e.g. `{ shared_preload_libraries: 'pg_stat_statements' }` for the
 * scale benchmark's statement counts.
 */
export async function startPostgres({ settings = {} }: { settings?: Record<string, string> } = {}): Promise<RunningPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'otp-pg-'));
  chmodSync(dir, 0o755);
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const port = await freePort();
  const data = join(dir, 'data');
  await pg('initdb', ['-D', data, '-U', 'otp', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const more = Object.entries(settings).map(([name, value]) => ` -c ${name}=${value}`).join('');
  const start = () => pg('pg_ctl', ['-D', data, '-l', join(dir, 'postgres.log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off${more}`, 'start']);
  const stopServer = () => pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  await start();
  const url = (database: string) => `postgres://otp@127.0.0.1:${port}/${database}`;
  const newDatabase = async (name: string) => {
    await run('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'otp', '-d', 'postgres', '-q', '-c', `CREATE DATABASE "${name}"`]);
    return url(name);
  };
  await newDatabase('otp');
  return {
    url: url('otp'),
    port,
    newDatabase,
    async restart() {
      await stopServer();
      await start();
    },
    down: async () => void (await stopServer()),
    up: async () => void (await start()),
    async stop() {
      await stopServer().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RunningRedis {
  /** redis://127.0.0.1:<port> */
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Stops it and starts it again on the same port (its data kept in its append-only file). */
  restart(): Promise<void>;
  /** Stops it, keeping its data and port, until `up()`: an outage. */
  down(): Promise<void>;
  up(): Promise<void>;
}

/** Starts redis-server with an append-only file (as we advise in production): a few tens of ms. */
export async function startRedis(): Promise<RunningRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'otp-redis-'));
  const port = await freePort();
  const pidfile = join(dir, 'redis.pid');
  const start = async () => {
    await run('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction', '--dir', dir, '--daemonize', 'yes', '--pidfile', pidfile]);
    // Ready when it answers PING.
    for (let i = 0; i < 200; i++) {
      const pong = await run('redis-cli', ['-p', String(port), 'ping']).then((r) => r.stdout.trim(), () => '');
      if (pong === 'PONG') return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`redis-server did not answer on port ${port} within 5 s`);
  };
  const stopServer = async () => {
    await run('redis-cli', ['-p', String(port), 'shutdown', 'nosave']).catch(() => {});
    for (let i = 0; i < 200 && existsSync(pidfile); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async restart() {
      await stopServer();
      await start();
    },
    down: stopServer,
    up: start,
    async stop() {
      await stopServer();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
