import { randomInt } from 'node:crypto';
import { createClient } from '@redis/client';
import type { Logger } from '../../log.ts';
import { scripts } from './scripts.ts';

/**
 * How long a command may take, sent or not, before it fails (ms). A sign-in touches the hot state
 * a few times; an outage must turn into a 503 within 2 s (SPEC R11), never a request that hangs
 * (ioredis' defaults let one wait 72 s).
 */
export const COMMAND_TIMEOUT_MS = 1_000;

/** The wait before the n-th reconnection: 50 ms doubling to 2 s, with up to a quarter of jitter so instances do not knock in step. */
export const reconnectDelay = (retries: number) => {
  const base = Math.min(2_000, 50 * 2 ** Math.min(retries, 6));
  return Math.round(base * (1 - randomInt(250) / 1000));
};

/**
 * A client for the hot state, with the scripts it runs:
 * - no offline queue: while the connection is down a command fails at once instead of waiting
 *   for a reconnection that may take minutes;
 * - every command bounded by COMMAND_TIMEOUT_MS, also once sent (`rejectInFlight`): a Redis that
 *   accepts the connection but does not answer (paused, swapping) fails the same way. Such a
 *   command may still have run, so nothing here retries one blindly;
 * - reconnection by itself, forever, with a capped back-off: Redis back means the server works
 *   again without a restart. There is no fallback to per-process state: a limit counted in one
 *   process's memory would multiply by the number of instances.
 */
export async function connectRedis(url: string, log: Logger) {
  const client = createClient({
    url,
    scripts,
    disableOfflineQueue: true,
    commandOptions: { timeout: COMMAND_TIMEOUT_MS, rejectInFlight: true },
    socket: { connectTimeout: COMMAND_TIMEOUT_MS, reconnectStrategy: reconnectDelay },
  });
  // Said once per outage, not once per reconnection attempt.
  let down = false;
  const where = new URL(url).host;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    log.warn(`Redis at ${where} is unreachable (${error.message}): sign-ins fail until it answers again.`);
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    log.info(`Redis at ${where} answers again.`);
  });
  // Connected, or the first try failed: either way the server can start. Until Redis answers,
  // each operation fails at once (no offline queue) and the client keeps trying by itself, as
  // after any outage; waiting here instead would hang a start-up for as long as Redis is away.
  const connecting = client.connect();
  await new Promise<void>((settle) => {
    const done = () => {
      client.off('error', done);
      settle();
    };
    client.once('error', done);
    connecting.then(done, done);
  });
  return client;
}

export type HotClient = Awaited<ReturnType<typeof connectRedis>>;
