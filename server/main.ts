/**
 * Starts otp-login from environment variables: the only file that reads process.env.
 * Run with `npm start` (builds the widget first) or `tsx server/main.ts`.
 */
import { serve } from '@hono/node-server';
import { join, resolve } from 'node:path';
import { systemClock } from './clock.ts';
import { cryptoRandom } from './random.ts';
import { composeServer } from './compose.ts';
import { ConfigError, loadConfig } from './config.ts';
import { consoleLogger as log } from './log.ts';
import { loadSecret } from './secret.ts';
import { openDatabase } from './store/sqlite.ts';

const root = resolve(import.meta.dirname, '..');

function start() {
  const config = loadConfig(process.env);
  if (config.production) {
    // Delivery through Postmark and Twilio is not built yet; the outbox must never serve real people.
    throw new ConfigError(
      'NODE_ENV=production needs an email or SMS provider, and this version only has the development outbox. Run without NODE_ENV=production to try it.',
    );
  }
  const secret = loadSecret(process.env.SECRET, config.dataDir);
  const db = openDatabase(join(config.dataDir, 'otp-login.sqlite'));
  const { app, queue } = composeServer({
    config,
    secret,
    clock: systemClock,
    random: cryptoRandom,
    log,
    db,
    paths: { dist: join(root, 'dist'), demo: join(root, 'demo') },
  });

  const server = serve({ fetch: app.fetch, port: config.port }, (info) => {
    const url = config.publicUrl?.origin ?? `http://localhost:${info.port}`;
    log.info(`otp-login is running at ${url}`);
    log.info(`No email or SMS provider is set up: codes go to the development outbox at ${url}/dev/outbox`);
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal} received: finishing open requests and queued messages, then stopping.`);
    server.close(async () => {
      await queue.idle();
      db.close();
      process.exit(0);
    });
    // Keep-alive connections would hold close() open; give them a moment, then go.
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

try {
  start();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`otp-login cannot start: ${error.message}`);
  process.exit(1);
}
