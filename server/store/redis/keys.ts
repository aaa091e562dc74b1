import { createHash, createHmac } from 'node:crypto';

/**
 * The names of the hot state's keys. A key the services give (an identifier such as
 * `email:jo@example.com`, an IP, an identifier and asker) never reaches Redis: only 16 bytes of
 * its SHA-256, as the SQLite engine keeps its hot rows (sqlite/hot-records.ts rowKey), or of its
 * HMAC under `secret` when one is given, so that not even a guessed address can be looked up in a
 * copy of Redis. The digest sits in braces, Redis' hash tag: one identifier's records would share
 * a slot; a request's limits span identifiers, which is why a single primary (with Sentinel), not
 * Cluster, is what this engine supports.
 */
export function keyNames(prefix: string, secret?: Buffer) {
  const digest = (key: string) => (secret ? createHmac('sha256', secret) : createHash('sha256')).update(key).digest('hex').slice(0, 32);
  return {
    prefix,
    /** An identifier's code record (a string: version, expiry, record; scripts.ts). */
    codes: (subject: string) => `${prefix}{${digest(subject)}}:codes`,
    /** Every limit's recent hits for one key (a hash: a field per limit). */
    hits: (key: string) => `${prefix}{${digest(key)}}:limits`,
    /** Failures in a row for one key (a hash: a field per counter; scripts.ts). */
    failures: (key: string) => `${prefix}{${digest(key)}}:fail`,
    /** The order of codes, one for every instance. */
    order: `${prefix}code-order`,
    /** Every digest by the latest expiry of its records under the injected clock, for the purge (scripts.ts). */
    expiry: `${prefix}expiry`,
  };
}

export type KeyNames = ReturnType<typeof keyNames>;

/** What kind of record a key of `names` holds, by the names the SQLite engine's tables use. */
export function kindOf(names: KeyNames, key: string): 'codes' | 'limit_hits' | 'failure_counts' | 'sequences' | 'index' {
  if (key === names.order) return 'sequences';
  if (key === names.expiry) return 'index';
  if (key.endsWith(':codes')) return 'codes';
  if (key.endsWith(':limits')) return 'limit_hits';
  if (key.endsWith(':fail')) return 'failure_counts';
  throw new Error(`A key under the hot state's prefix that it did not make: ${key}`);
}
