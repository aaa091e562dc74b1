/**
 * The package's `bin`, `otp-login`: built to build/cli.js (plain JavaScript, run by `node`), so an
 * installed package needs neither tsx nor vite. `npx otp-login` serves; `npx otp-login rotate-keys`
 * and `npx otp-login migrate-to-postgres` are the maintenance commands `npm run …` runs from source.
 */
const USAGE = `Usage: otp-login [command]

  (none), serve          serve the sign-in (settings from the environment: see the README)
  rotate-keys            sign identity tokens with a new key; add --replace to drop unreadable keys
  migrate-to-postgres    copy DATA_DIR's SQLite database into the empty PostgreSQL at DATABASE_URL
  help                   show this`;

// An ES module (for its top-level await) that exports nothing.
export {};

const command = process.argv[2];
// Each command is a module of its own that runs when loaded, as under `tsx` from source.
if (command === undefined || command === 'serve') await import('./main.ts');
else if (command === 'rotate-keys') await import('./identity/rotate-keys.ts');
else if (command === 'migrate-to-postgres') await import('./store/migrate-to-postgres.ts');
else if (command === 'help' || command === '--help' || command === '-h') console.log(USAGE);
else {
  console.error(`otp-login has no command "${command}".\n\n${USAGE}`);
  process.exitCode = 2;
}
