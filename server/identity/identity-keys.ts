import { createCipheriv, createDecipheriv, createHash, generateKeyPairSync, hkdfSync, randomBytes, type JsonWebKey } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import type { Clock } from '../clock.ts';
import type { IdentityKeyStore, SealedKey } from '../store/identity-keys.ts';

/** A P-256 private key as a JWK, named by its thumbprint (`kid`) and meant for ES256 signatures. */
export type SigningJwk = JsonWebKey & { kty: 'EC'; crv: 'P-256'; x: string; y: string; d: string; kid: string; alg: 'ES256'; use: 'sig' };
/** The same key without its private part: what /.well-known/jwks.json publishes. */
export type PublicJwk = Omit<SigningJwk, 'd'>;

/** The keys that sign identity tokens: the newest signs, the older one is still published. */
export interface IdentityKeys {
  signing(): Promise<SigningJwk>;
  published(): Promise<PublicJwk[]>;
}

/** The identity keys can't be read: a sentence for the log that says what to do. */
export class IdentityKeysUnreadable extends Error {}

/** How many keys are kept: the one signing now and the one before it, whose tokens may still be live. */
export const KEEP = 2;

/** RFC 7638: the key's thumbprint, so the same key always has the same `kid`. */
const thumbprint = ({ crv, kty, x, y }: { crv: string; kty: string; x: string; y: string }) =>
  createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest('base64url');

/** A new ES256 key. */
export function newSigningKey(): SigningJwk {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' }) as { kty: 'EC'; crv: 'P-256'; x: string; y: string; d: string };
  return { ...jwk, kid: thumbprint(jwk), alg: 'ES256', use: 'sig' };
}

const toPublic = ({ d: _, ...rest }: SigningJwk): PublicJwk => rest;

/** Keys held in memory only (tests). */
export function memoryIdentityKeys(keys: SigningJwk[] = [newSigningKey()]): IdentityKeys & { rotate(): void } {
  return {
    signing: async () => keys[0]!,
    published: async () => keys.map(toPublic),
    rotate() {
      keys = [newSigningKey(), ...keys].slice(0, KEEP);
    },
  };
}

/**
 * AES-256-GCM under a key derived from SECRET (HKDF), the `kid` bound in as associated data, so a
 * sealed key can be neither read nor moved to another kid without SECRET.
 */
function sealerOf(secret: Buffer) {
  const key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'otp-login identity keys v1', 32));
  return {
    seal(jwk: SigningJwk): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(jwk.kid));
      const text = Buffer.concat([cipher.update(JSON.stringify(jwk)), cipher.final()]);
      return ['v1', iv, text, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
    },
    /** The key, or undefined when it was not sealed under this SECRET. */
    unseal({ kid, sealed }: Pick<SealedKey, 'kid' | 'sealed'>): SigningJwk | undefined {
      const [version, iv, text, tag] = sealed.split('.');
      if (version !== 'v1' || !iv || !text || !tag) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url')).setAAD(Buffer.from(kid)).setAuthTag(Buffer.from(tag, 'base64url'));
        return JSON.parse(Buffer.concat([decipher.update(Buffer.from(text, 'base64url')), decipher.final()]).toString('utf8')) as SigningJwk;
      } catch {
        return undefined;
      }
    },
  };
}

export interface StoredIdentityKeysOptions {
  store: IdentityKeyStore;
  secret: Buffer;
  /** SECRET_PREVIOUS: keys sealed under it are read, and sealed again under SECRET. */
  previousSecret?: Buffer;
  clock: Clock;
  /** How often the store is read again for a key put in front by `npm run rotate-keys`. */
  recheckMs?: number;
  /** identity-keys.json of an earlier version, moved into the store on first use and then deleted. */
  keyFile?: string;
  onMoved?: (file: string) => void;
}

/**
 * The signing keys in the storage, sealed under SECRET, so every instance signs with the same
 * key and publishes the same ones. The first use makes the first key (one, however many instances
 * start at once); `npm run rotate-keys` puts a new key in front, and a running server notices
 * within `recheckMs` and signs with it, while still publishing the previous key for its tokens.
 */
export function storedIdentityKeys({ store, secret, previousSecret, clock, recheckMs = 10_000, keyFile, onMoved }: StoredIdentityKeysOptions): IdentityKeys {
  const current = sealerOf(secret);
  const previous = previousSecret && sealerOf(previousSecret);
  let keys: SigningJwk[] | undefined;
  let readAt = -Infinity;
  let reading: Promise<SigningJwk[]> | undefined;

  async function read(): Promise<SigningJwk[]> {
    let sealed = await store.list();
    if (sealed.length === 0) {
      const moved = keyFile ? keysInFile(keyFile) : undefined;
      const first = moved ?? [newSigningKey()];
      // Oldest first, so the newest ends up in front, as it was in the file.
      for (const [i, key] of [...first].reverse().entries()) {
        await store.add({ kid: key.kid, sealed: current.seal(key), createdAt: clock.now() }, { keep: KEEP, onlyIfNone: i === 0 });
      }
      sealed = await store.list();
      if (moved && sealed.some((s) => s.kid === moved[0]!.kid)) {
        rmSync(keyFile!, { force: true });
        onMoved?.(keyFile!);
      }
    }
    const resealed: Array<Pick<SealedKey, 'kid' | 'sealed'>> = [];
    const opened = sealed.map((s) => {
      const mine = current.unseal(s);
      const key = mine ?? previous?.unseal(s);
      if (key && !mine) resealed.push({ kid: s.kid, sealed: current.seal(key) });
      return key;
    });
    if (opened.some((key) => !key)) {
      throw new IdentityKeysUnreadable(
        'The identity keys in the database were sealed under another SECRET, so no identity token can be signed. Set SECRET to the one this database was used with (while rotating SECRET, set SECRET_PREVIOUS to the old one). To start over with new keys instead, run: npm run rotate-keys -- --replace',
      );
    }
    if (resealed.length > 0) await store.reseal(resealed);
    return opened as SigningJwk[];
  }

  async function fresh(): Promise<SigningJwk[]> {
    if (keys && clock.now() - readAt < recheckMs) return keys;
    reading ??= read().finally(() => (reading = undefined));
    keys = await reading;
    readAt = clock.now();
    return keys;
  }

  return {
    signing: async () => (await fresh())[0]!,
    published: async () => (await fresh()).map(toPublic),
  };
}

/** The keys of identity-keys.json, newest first; undefined when there is no such file. */
function keysInFile(file: string): SigningJwk[] | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as { keys?: SigningJwk[] };
  if (!Array.isArray(parsed.keys) || parsed.keys.length === 0 || parsed.keys.some((k) => !k.d || !k.kid)) {
    throw new IdentityKeysUnreadable(`${file} holds no usable signing key. Restore it from a backup, or delete it to make a new one (identity tokens signed before then stop verifying).`);
  }
  return parsed.keys.slice(0, KEEP);
}

/**
 * Puts a new signing key in front of the kept ones; answers its `kid`. With `replace`, the keys
 * already there are dropped (for keys sealed under a SECRET that is lost).
 */
export async function rotateIdentityKeys({ replace = false, ...options }: StoredIdentityKeysOptions & { replace?: boolean }): Promise<string> {
  const { store, secret, clock } = options;
  // The keys there are read first: one sealed under another SECRET is not silently dropped.
  if (!replace) await storedIdentityKeys(options).signing();
  const key = newSigningKey();
  await store.add({ kid: key.kid, sealed: sealerOf(secret).seal(key), createdAt: clock.now() }, { keep: replace ? 1 : KEEP });
  return key.kid;
}
