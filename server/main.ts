/**
 * Starts otp-login from environment variables: the only file that reads process.env.
 * Run with `npm start` (builds the widget first) or `tsx server/main.ts`.
 */
import { serve } from '@hono/node-server';
import { join, resolve } from 'node:path';
import { systemClock } from './clock.ts';
import { cryptoRandom } from './random.ts';
import { composeServer } from './compose.ts';
import { createSecondSite } from './demo-site.ts';
import { isCrossSite } from './sites.ts';
import { ConfigError, loadConfig, publicAddress, type Config } from './config.ts';
import type { Sender } from './delivery/messages.ts';
import type { Channel } from './identifiers.ts';
import { consoleLogger as log } from './log.ts';
import { loadPreviousSecret, loadSecret } from './secret.ts';
import { fileIdentityKeys } from './identity-keys.ts';
import { openDatabase } from './store/sqlite.ts';

const root = resolve(import.meta.dirname, '..');

/** Postmark and Twilio, each loaded only when configured, so start-up stays fast without them. */
async function providers(config: Config): Promise<Partial<Record<Channel, Sender>>> {
  const senders: Partial<Record<Channel, Sender>> = {};
  if (config.postmark) {
    const { createPostmarkSender } = await import('./delivery/postmark.ts');
    senders.email = await createPostmarkSender(config.postmark);
  }
  if (config.twilio) {
    const { createTwilioSender } = await import('./delivery/twilio.ts');
    senders.sms = await createTwilioSender({
      ...config.twilio,
      statusCallback: config.publicUrl && publicAddress(config.publicUrl, '/webhooks/twilio/status'),
    });
  }
  return senders;
}

async function start() {
  const loaded = loadConfig(process.env);
  // Development: a second demo site on the next port, on another site (127.0.0.1, not localhost),
  // embedding the widget cross-site; its origin is allowed like a site owner's would be.
  const secondSite = loaded.production || loaded.port === 0 ? undefined : { port: loaded.port + 1, origin: `http://127.0.0.1:${loaded.port + 1}` };
  const config = secondSite ? { ...loaded, allowedOrigins: [...loaded.allowedOrigins, secondSite.origin] } : loaded;
  if (config.production && !config.postmark && !config.twilio) {
    throw new ConfigError(
      'NODE_ENV=production needs a provider: set POSTMARK_SERVER_TOKEN (email) or TWILIO_ACCOUNT_SID (SMS). Without NODE_ENV=production, codes go to the development outbox.',
    );
  }
  const senders = await providers(config);
  const secret = loadSecret(process.env.SECRET, config.dataDir);
  const db = openDatabase(join(config.dataDir, 'otp-login.sqlite'));
  const { app, queue, outgoing } = composeServer({
    config,
    secret,
    previousSecret: loadPreviousSecret(process.env.SECRET_PREVIOUS),
    identityKeys: fileIdentityKeys(config.dataDir),
    clock: systemClock,
    random: cryptoRandom,
    log,
    db,
    paths: { dist: join(root, 'dist'), demo: join(root, 'demo') },
    senders,
  });

  // The embed check for site owners: a page on another site works only through a partitioned cookie.
  const serverOrigin = config.publicUrl?.origin ?? `http://localhost:${config.port}`;
  for (const origin of loaded.allowedOrigins) {
    if (isCrossSite(origin, serverOrigin)) {
      log.warn(
        `ALLOWED_ORIGINS: ${origin} is another site than ${serverOrigin}. Browsers remember sign-ins there only through a partitioned cookie, ` +
          'and Safari before 26.2 and some private modes will ask for a code on every visit. To avoid it, serve this server under that ' +
          "site's own domain (README: Deploying on your own domain).",
      );
    }
  }

  const server = serve({ fetch: app.fetch, port: config.port }, (info) => {
    const url = config.publicUrl?.origin ?? `http://localhost:${info.port}`;
    log.info(`otp-login is running at ${url}`);
    const via = (channel: Channel, name: string) =>
      senders[channel] ? name : config.production ? 'off (no provider)' : `the development outbox at ${url}/dev/outbox`;
    log.info(`Email: ${via('email', 'Postmark')}. SMS: ${via('sms', 'Twilio')}.`);
  });

  if (secondSite) {
    const apiOrigin = config.publicUrl?.origin ?? `http://localhost:${config.port}`;
    const demo = serve(
      { fetch: createSecondSite({ apiOrigin, demoDir: join(root, 'demo') }).fetch, port: secondSite.port, hostname: '127.0.0.1' },
      () => log.info(`A second demo site, embedding the sign-in from another site: ${secondSite.origin}`),
    );
    demo.on('error', (error: Error) => log.warn(`The second demo site could not start on port ${secondSite.port}: ${error.message}`));
  }

  // Events for WEBHOOK_URL go out within two seconds of the change; retries wait their turn.
  const webhookTimer = outgoing.enabled ? setInterval(() => void outgoing.deliverDue(), 2000) : undefined;
  webhookTimer?.unref();
  if (outgoing.enabled) log.info(`Events about contacts go to ${config.webhook!.url.origin}, signed with WEBHOOK_SECRET.`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal} received: finishing open requests and queued messages, then stopping.`);
    server.close(async () => {
      clearInterval(webhookTimer);
      await Promise.all([queue.idle(), outgoing.deliverDue()]);
      db.close();
      process.exit(0);
    });
    // Keep-alive connections would hold close() open; give them a moment, then go.
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

start().catch((error: unknown) => {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`otp-login cannot start: ${error.message}`);
  process.exit(1);
});
