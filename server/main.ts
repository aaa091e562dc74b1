/**
 * Starts otp-login from environment variables: the only file that reads process.env.
 * Run with `npm start`: it builds the widget and this server (build/main.js, plain JavaScript: no
 * TypeScript loader in memory) and caps the heap. Production runs that file with node alone (the
 * package's bin, build/cli.js, loads it: `npx otp-login`); `tsx server/main.ts` runs it from source.
 */
import { resolve } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener, serve } from '@hono/node-server';
import { ConfigError, loadConfig } from './config/config.ts';
import { createSecondSite } from './demo-site.ts';
import { otpLoginFor } from './index.ts';
import { bufferedLogger } from './log.ts';

const log = bufferedLogger();

function start() {
  const config = loadConfig(process.env);
  // Development: a second demo site on the next port, on another site (127.0.0.1, not localhost),
  // embedding the widget cross-site; its origin is allowed like a site owner's would be.
  const secondSite = config.production || config.port === 0 ? undefined : { port: config.port + 1, origin: `http://127.0.0.1:${config.port + 1}` };
  const otp = otpLoginFor(config, { env: process.env, demo: true, log, alsoAllowed: secondSite ? [secondSite.origin] : [] });

  // Page loads' session checks are answered before Hono (server/http/page-load.ts).
  const server = createServer(otp.pageLoads(getRequestListener(otp.fetch)));
  server.listen(config.port, () => {
    const url = config.publicUrl?.origin ?? `http://localhost:${(server.address() as AddressInfo).port}`;
    log.info(`otp-login is running at ${url}`);
    const via = (provider: unknown, name: string) =>
      provider ? name : config.production || config.postmark || config.twilio ? 'off (no provider)' : `the development outbox at ${url}/dev/outbox`;
    log.info(`Email: ${via(config.postmark, 'Postmark')}. SMS: ${via(config.twilio, 'Twilio')}.`);
  });

  if (secondSite) {
    const apiOrigin = config.publicUrl?.origin ?? `http://localhost:${config.port}`;
    const demo = serve(
      { fetch: createSecondSite({ apiOrigin, demoDir: resolve(import.meta.dirname, '../demo') }).fetch, port: secondSite.port, hostname: '127.0.0.1' },
      () => log.info(`A second demo site, embedding the sign-in from another site: ${secondSite.origin}`),
    );
    demo.on('error', (error: Error) => log.warn(`The second demo site could not start on port ${secondSite.port}: ${error.message}`));
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal} received: finishing open requests and queued messages, then stopping.`);
    server.close(async () => {
      await otp.close();
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
