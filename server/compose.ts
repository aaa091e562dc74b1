import type Database from 'better-sqlite3';
import { createApp } from './app.ts';
import type { Clock } from './clock.ts';
import type { Random } from './random.ts';
import { createCodeService, type CodeStore } from './codes.ts';
import type { Config } from './config.ts';
import { createDeviceService } from './devices.ts';
import type { Sender } from './delivery/messages.ts';
import { createDevOutbox } from './delivery/outbox.ts';
import { createDeliveryQueue } from './delivery/queue.ts';
import { createLimits } from './limits.ts';
import type { Logger } from './log.ts';
import { createSignIn } from './signin.ts';
import { createLruCodeStore } from './store/lru.ts';
import { createSqliteStores } from './store/sqlite.ts';

export interface ComposeOptions {
  config: Config;
  secret: Buffer;
  clock: Clock;
  random: Random;
  log: Logger;
  db: Database.Database;
  paths: { dist: string; demo: string };
  /** Default: lru-cache bounded by the configuration. */
  codeStore?: CodeStore;
  /** Default: the development outbox for both channels. */
  sender?: Sender;
}

/**
 * Builds the whole server from its parts: the one place that wires stores, services and the app,
 * used by server/main.ts and by the tests alike.
 */
export function composeServer({ config, secret, clock, random, log, db, paths, codeStore, sender }: ComposeOptions) {
  const { contacts, devices: deviceStore } = createSqliteStores(db, clock);
  const outbox = config.production ? undefined : createDevOutbox({ clock, log });
  const via = sender ?? outbox?.sender;
  if (!via) throw new Error('No sender: production needs an email or SMS provider.');
  const queue = createDeliveryQueue({ senders: { email: via, sms: via }, log });
  const codes = createCodeService({
    store: codeStore ?? createLruCodeStore({ max: config.codes.maxSubjects, ttlMs: config.codes.historyMs, clock }),
    secret,
    clock,
    random,
    ttlMs: config.codes.ttlMs,
    maxAttempts: config.codes.maxAttempts,
  });
  const devices = createDeviceService({ devices: deviceStore, clock, random, ...config.devices });
  const limits = createLimits(clock, config.limits);
  const signIn = createSignIn({ config, contacts, codes, devices, queue, limits });
  const app = createApp({ config, signIn, devices, log, outbox, paths });
  return { app, queue, outbox, contacts, deviceStore, codes, devices };
}
