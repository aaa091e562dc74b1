import type Database from 'better-sqlite3';
import type { OptOutStore } from '../deliveries.ts';
import { toOptOut } from '../rows.ts';
import { one } from './database.ts';

/** Opt-outs in SQLite, one row per address. */
export function createSqliteOptOuts(db: Database.Database): OptOutStore {
  const q = {
    get: db.prepare('SELECT * FROM opt_outs WHERE address = ?'),
    set: db.prepare(
      `INSERT INTO opt_outs (address, channel, opted_out, source, detail, at) VALUES (@address, @channel, @optedOut, @source, @detail, @at)
       ON CONFLICT (address) DO UPDATE SET opted_out = excluded.opted_out, source = excluded.source, detail = excluded.detail, at = excluded.at`,
    ),
  };
  return {
    async get(address) {
      const r = one(q.get, address);
      return r && toOptOut(r);
    },
    async set(o) {
      q.set.run({ ...o, optedOut: o.optedOut ? 1 : 0 });
    },
  };
}
