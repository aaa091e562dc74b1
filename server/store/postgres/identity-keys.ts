import type pg from 'pg';
import type { IdentityKeyStore, SealedKey } from '../identity-keys.ts';
import { transaction } from './database.ts';

/** The identity keys in PostgreSQL, where every instance reads them; their order is the order added. */
export function createPostgresIdentityKeys(pool: pg.Pool): IdentityKeyStore {
  return {
    async list() {
      const { rows } = await pool.query<SealedKey>('SELECT kid, sealed, created_at AS "createdAt" FROM identity_keys ORDER BY position DESC');
      return rows;
    },
    add: (key, { keep, onlyIfNone = false }) =>
      transaction(pool, async (client) => {
        // Adders take turns (the mode conflicts with itself; readers go on): of instances starting
        // together on an empty database, the first adds its key and the others then see it.
        await client.query('LOCK TABLE identity_keys IN SHARE ROW EXCLUSIVE MODE');
        if (onlyIfNone && (await client.query('SELECT 1 FROM identity_keys LIMIT 1')).rowCount) return;
        await client.query('INSERT INTO identity_keys (kid, sealed, created_at) VALUES ($1, $2, $3)', [key.kid, key.sealed, key.createdAt]);
        await client.query('DELETE FROM identity_keys WHERE position NOT IN (SELECT position FROM identity_keys ORDER BY position DESC LIMIT $1)', [keep]);
      }),
    reseal: (keys) =>
      transaction(pool, async (client) => {
        for (const { kid, sealed } of keys) await client.query('UPDATE identity_keys SET sealed = $1 WHERE kid = $2', [sealed, kid]);
      }),
  };
}
