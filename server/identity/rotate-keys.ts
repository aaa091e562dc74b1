/**
 * `npm run rotate-keys`: a new key signs identity tokens from now on. The previous key stays
 * published at /.well-known/jwks.json, so tokens already handed out (five minutes at most) still
 * verify; every running server picks the new key up within ten seconds. With `-- --replace`, the
 * keys there are dropped instead of kept (when they were sealed under a SECRET that is lost).
 * Like main.ts, an entry point: it reads DATA_DIR, SECRET and SECRET_PREVIOUS from the environment.
 */
import { join } from 'node:path';
import { systemClock } from '../clock.ts';
import { loadConfig } from '../config/config.ts';
import { loadPreviousSecret, loadSecret } from '../config/secret.ts';
import { consoleLogger } from '../log.ts';
import { cryptoRandom } from '../random.ts';
import { deferredStorage } from '../store/deferred.ts';
import { openStorage } from '../store/open.ts';
import { IdentityKeysUnreadable, rotateIdentityKeys } from './identity-keys.ts';

// The storage the server uses (SQLite in DATA_DIR, or DATABASE_URL's PostgreSQL for every instance).
const config = loadConfig(process.env);
const { dataDir } = config;
const replace = process.argv.includes('--replace');
const storage = openStorage(config, { clock: systemClock, random: cryptoRandom, log: consoleLogger });
// A networked engine opens in the background (trying again while it is down); this command waits
// for it 10 seconds at most.
if ('opened' in storage) {
  let timer: NodeJS.Timeout | undefined;
  const waited = await Promise.race([(storage as ReturnType<typeof deferredStorage>).opened, new Promise((done) => (timer = setTimeout(done, 10_000)))]);
  clearTimeout(timer);
  if (!waited) {
    console.error('The database did not answer within 10 seconds (the line above says why). Nothing was changed. Check that DATABASE_URL (and REDIS_URL) reach a running server from this machine, then run npm run rotate-keys again.');
    process.exit(1);
  }
}
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
