import type Database from 'better-sqlite3';
import type { IdentityKeyStore, SealedKey } from '../identity-keys.ts';

/** The identity keys in SQLite; their order is the order they were added in. */
export function createSqliteIdentityKeys(db: Database.Database): IdentityKeyStore {
  const q = {
    list: db.prepare('SELECT kid, sealed, created_at AS createdAt FROM identity_keys ORDER BY position DESC'),
    any: db.prepare('SELECT 1 FROM identity_keys LIMIT 1').pluck(),
    insert: db.prepare('INSERT INTO identity_keys (kid, sealed, created_at) VALUES (@kid, @sealed, @createdAt)'),
    trim: db.prepare('DELETE FROM identity_keys WHERE position NOT IN (SELECT position FROM identity_keys ORDER BY position DESC LIMIT ?)'),
    reseal: db.prepare('UPDATE identity_keys SET sealed = @sealed WHERE kid = @kid'),
  };
  const add = db.transaction((key: SealedKey, keep: number, onlyIfNone: boolean) => {
    if (onlyIfNone && q.any.get()) return;
    q.insert.run(key);
    q.trim.run(keep);
  });
  const reseal = db.transaction((keys: Array<Pick<SealedKey, 'kid' | 'sealed'>>) => {
    for (const key of keys) q.reseal.run(key);
  });
  return {
    async list() {
      return q.list.all() as SealedKey[];
    },
    async add(key, { keep, onlyIfNone = false }) {
      add(key, keep, onlyIfNone);
    },
    async reseal(keys) {
      reseal(keys);
    },
  };
}
