/**
 * `npm run rotate-keys`: a new key signs identity tokens from now on. The previous key stays
 * published at /.well-known/jwks.json, so tokens already handed out (five minutes at most) still
 * verify; every running server picks the new key up within ten seconds. With `-- --replace`, the
 * keys there are dropped instead of kept (when they were sealed under a SECRET that is lost).
 * Like main.ts, an entry point: it reads DATA_DIR, SECRET and SECRET_PREVIOUS from the environment.
 */
import { join } from 'node:path';
import { systemClock } from '../clock.ts';
import { loadPreviousSecret, loadSecret } from '../config/secret.ts';
import { cryptoRandom } from '../random.ts';
import { createSqliteStorage, openDatabase } from '../store/sqlite/index.ts';
import { IdentityKeysUnreadable, rotateIdentityKeys } from './identity-keys.ts';

const dataDir = process.env.DATA_DIR || './data';
const replace = process.argv.includes('--replace');
const storage = createSqliteStorage(openDatabase(join(dataDir, 'otp-login.sqlite')), systemClock, cryptoRandom);
try {
  const kid = await rotateIdentityKeys({
    store: storage.identityKeys,
    secret: loadSecret(process.env.SECRET, dataDir),
    previousSecret: loadPreviousSecret(process.env.SECRET_PREVIOUS),
    clock: systemClock,
    keyFile: join(dataDir, 'identity-keys.json'),
    replace,
  });
  console.log(
    replace
      ? `A new key (kid ${kid}) now signs identity tokens, and the keys before it are gone: tokens they signed no longer verify.`
      : `A new key (kid ${kid}) now signs identity tokens; the previous one stays published for the tokens it signed. Running servers use it within ten seconds.`,
  );
} catch (error) {
  if (!(error instanceof IdentityKeysUnreadable)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await storage.close();
}
