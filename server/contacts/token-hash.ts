import { createHash, createHmac, createSecretKey, hash, type KeyObject } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/**
 * How device and link tokens are stored: only as HMAC-SHA256 under SECRET (SECURITY-PLAN 15), so
 * a copy of the database alone matches no cookie. During a rotation (SECRET_PREVIOUS) a token
 * stored under the old key is still found, and a device moves to the new key on its next visit.
 * Tokens stored before digests were keyed (a plain SHA-256) are found the same way.
 * @example const hashes = createTokenHasher(secret); store(hashes.digest(token))
 */
export function createTokenHasher(secret: Buffer, previous?: Buffer) {
  const keyed = (key: KeyObject, token: string) => createHmac('sha256', key).update(`token\n${token}`).digest('hex');
  // Made once: an HMAC under a Buffer makes a key object each time, half its cost on every page load.
  const [current, before] = [createSecretKey(secret), previous && createSecretKey(previous)];
  // A page load's token again and again: its digest remembered under the token's SHA-256 (a twentieth
  // of an HMAC's cost), never under the token itself, so memory holds nothing a cookie could be made from.
  const known = new LRUCache<string, string>({ max: 10_000 });
  return {
    /** The digest to store and to look up first. */
    digest(token: string) {
      const seen = hash('sha256', token);
      const remembered = known.get(seen);
      if (remembered) return remembered;
      const fresh = keyed(current, token);
      known.set(seen, fresh);
      return fresh;
    },
    /** Digests the token may be stored under from before: the previous key, then unkeyed. */
    older: (token: string) => [...(before ? [keyed(before, token)] : []), createHash('sha256').update(token).digest('hex')],
  };
}

export type TokenHasher = ReturnType<typeof createTokenHasher>;
