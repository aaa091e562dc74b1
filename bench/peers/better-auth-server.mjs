// The peer `npm run bench:peers` measures otp-login against: Better Auth with its email-otp plugin,
// as its documentation sets it up, served by @hono/node-server on PORT like the bare Hono app.
//   DATABASE_URL: PostgreSQL (a pg Pool), as otp-login runs on it; else SQLite (better-sqlite3) in
//   DATA_DIR, WAL as otp-login's. Its tables are made at start by its own migrations (getMigrations).
//   PEER_RATE_LIMIT=on: its rate limiter on, as in production; otherwise off, its default outside
//   production. Either way the bench asks from a new X-Forwarded-For each time (which it trusts when
//   the header holds one address), as it asks otp-login, whose limits stay on.
// Codes are recorded, not sent (as otp-login's development outbox does): the last 1,000 by address.
// better-sqlite3, pg and @hono/node-server come from the repository's node_modules (Node looks up the
// folders), so only Better Auth itself is installed here.
import { serve } from '@hono/node-server';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { emailOTP } from 'better-auth/plugins';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

const port = Number(process.env.PORT);
const baseURL = `http://127.0.0.1:${port}`;

async function database() {
  if (process.env.DATABASE_URL) {
    const { default: pg } = await import('pg');
    return new pg.Pool({ connectionString: process.env.DATABASE_URL });
  }
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(join(process.env.DATA_DIR ?? '.', 'better-auth.sqlite'));
  db.pragma('journal_mode = WAL');
  return db;
}

const sent = new Map();
const options = {
  baseURL,
  secret: process.env.BETTER_AUTH_SECRET ?? randomBytes(32).toString('base64'),
  database: await database(),
  trustedOrigins: ['http://localhost:3000'],
  rateLimit: { enabled: process.env.PEER_RATE_LIMIT === 'on' },
  telemetry: { enabled: false },
  plugins: [
    emailOTP({
      async sendVerificationOTP({ email, otp }) {
        sent.delete(email);
        sent.set(email, otp);
        if (sent.size > 1000) sent.delete(sent.keys().next().value);
      },
    }),
  ],
};

const { runMigrations } = await getMigrations(options);
await runMigrations();
const auth = betterAuth(options);

serve({ fetch: (request) => auth.handler(request), port, hostname: '127.0.0.1' }, () => console.log(`Better Auth on ${baseURL}`));
