import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './config.ts';
import { ownerOnly } from './owner-only.ts';

/**
 * The key for code digests: SECRET when set, else one generated on first start and kept in
 * DATA_DIR (readable by the server's user only), so codes in flight survive a restart.
 *
 * Unlike every other piece of state, the secret is not in the storage, on purpose: it keys the
 * digests of codes, device tokens and links and seals the identity keys that are there, so a copy
 * of the database alone (a backup, a replica, a dump) must not carry it. Several instances share
 * it by being given the same SECRET.
 */
export function loadSecret(fromEnv: string | undefined, dataDir: string): Buffer {
  if (fromEnv !== undefined) {
    return secretFrom(fromEnv, 'SECRET must be at least 32 characters; generate one with: openssl rand -base64 48');
  }
  const file = join(dataDir, 'secret');
  let kept: Buffer | undefined;
  try {
    kept = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (kept) {
    ownerOnly(file);
    if (kept.length < 32) {
      throw new ConfigError(`${file} holds no usable secret (it is empty or cut short). Restore it from a backup, or delete it to generate a new one (codes in flight then stop working).`);
    }
    return kept;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(48);
  writeFileSync(file, `${secret.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}

/**
 * SECRET_PREVIOUS: during a rotation, the secret being replaced. Codes, remembered browsers and
 * sign-in links made under it keep working; each browser moves to the new SECRET on its next visit.
 */
export function loadPreviousSecret(fromEnv: string | undefined): Buffer | undefined {
  if (!fromEnv) return undefined;
  return secretFrom(fromEnv, 'SECRET_PREVIOUS must be the whole previous SECRET (at least 32 characters).');
}

/**
 * `base64:` and then DATA_DIR/secret's text: the generated secret, which is the bytes that text
 * decodes to, not the text itself. So an installation that began with a generated secret can give
 * the same key to other instances (SECRET="base64:$(cat DATA_DIR/secret)") and keep its codes and
 * remembered browsers.
 */
function secretFrom(fromEnv: string, tooShort: string): Buffer {
  const secret = fromEnv.startsWith('base64:') ? Buffer.from(fromEnv.slice('base64:'.length).trim(), 'base64') : Buffer.from(fromEnv);
  if (secret.length < 32) throw new ConfigError(tooShort);
  return secret;
}
