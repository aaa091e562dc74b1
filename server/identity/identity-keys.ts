import { createHash, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/config.ts';
import { ownerOnly } from '../config/owner-only.ts';

/** A P-256 private key as a JWK, named by its thumbprint (`kid`) and meant for ES256 signatures. */
export type SigningJwk = JsonWebKey & { kty: 'EC'; crv: 'P-256'; x: string; y: string; d: string; kid: string; alg: 'ES256'; use: 'sig' };
/** The same key without its private part: what /.well-known/jwks.json publishes. */
export type PublicJwk = Omit<SigningJwk, 'd'>;

/** The keys that sign identity tokens: the newest signs, the older one is still published. */
export interface IdentityKeys {
  signing(): SigningJwk;
  published(): PublicJwk[];
}

/** How many keys are kept: the one signing now and the one before it, whose tokens may still be live. */
const KEEP = 2;

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
    signing: () => keys[0]!,
    published: () => keys.map(toPublic),
    rotate() {
      keys = [newSigningKey(), ...keys].slice(0, KEEP);
    },
  };
}

const fileOf = (dataDir: string) => join(dataDir, 'identity-keys.json');

function readKeys(file: string): SigningJwk[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { keys?: SigningJwk[] };
  if (!Array.isArray(parsed.keys) || parsed.keys.length === 0 || parsed.keys.some((k) => !k.d || !k.kid)) {
    throw new ConfigError(`${file} holds no usable signing key. Restore it from a backup, or delete it to make a new one (identity tokens signed before then stop verifying).`);
  }
  return parsed.keys;
}

function writeKeys(dataDir: string, keys: SigningJwk[]) {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = fileOf(dataDir);
  // Written whole and renamed into place, so a running server never reads half a file.
  writeFileSync(`${file}.new`, `${JSON.stringify({ keys }, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.new`, file);
}

/**
 * The signing keys in DATA_DIR/identity-keys.json (readable by the server's user only), made on
 * first start. `npm run rotate-keys` puts a new key in front; a running server notices within
 * `recheckMs` and signs with it, while still publishing the previous key for the tokens it signed.
 */
export function fileIdentityKeys(dataDir: string, { recheckMs = 10_000, now = () => Date.now() } = {}): IdentityKeys {
  const file = fileOf(dataDir);
  let keys: SigningJwk[];
  try {
    keys = readKeys(file);
    ownerOnly(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    keys = [newSigningKey()];
    writeKeys(dataDir, keys);
  }
  let mtime = statSync(file).mtimeMs;
  let checkedAt = now();
  const fresh = () => {
    if (now() - checkedAt < recheckMs) return keys;
    checkedAt = now();
    const changed = statSync(file).mtimeMs;
    if (changed !== mtime) {
      keys = readKeys(file);
      mtime = changed;
    }
    return keys;
  };
  return {
    signing: () => fresh()[0]!,
    published: () => fresh().map(toPublic),
  };
}

/** Puts a new signing key in front of the kept ones; answers its `kid`. */
export function rotateIdentityKeys(dataDir: string): string {
  let keys: SigningJwk[] = [];
  try {
    keys = readKeys(fileOf(dataDir));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = newSigningKey();
  writeKeys(dataDir, [key, ...keys].slice(0, KEEP));
  return key.kid;
}
