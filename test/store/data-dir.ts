import { join } from 'node:path';
import { systemClock } from '../../server/clock.ts';
import { cryptoRandom } from '../../server/random.ts';
import { createSqliteStorage, openDatabase } from '../../server/store/sqlite/index.ts';

/**
 * The stores of a server's DATA_DIR, opened beside the running server (a separate process) so a
 * test can set up a scenario through the store API, as an admin or the passing of time would.
 * Close it when done.
 */
export function openDataDir(dataDir: string) {
  return createSqliteStorage(openDatabase(join(dataDir, 'otp-login.sqlite')), systemClock, cryptoRandom);
}
