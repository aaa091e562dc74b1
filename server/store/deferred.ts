import type { CounterRule, FailureCounter } from './limits.ts';
import { StorageUnavailable, type Storage } from './index.ts';

/** How long a request waits for an engine still connecting before it is told to come back (SPEC R11: within 2 s). */
const WAIT_FOR_OPEN_MS = 1500;

export interface DeferredStorageOptions {
  /** The engine's name for the log and the error: "PostgreSQL". */
  engine: string;
  /** Connects (and migrates); tried again after a failure until it succeeds. */
  open: () => Promise<Storage>;
  /** How long after a failed open the next try starts. */
  retryMs?: number;
  onOpenFailed?: (error: Error) => void;
}

/**
 * A Storage usable at once, for an engine that must connect first (PostgreSQL, Redis), so the app
 * can be built and mounted the moment it is made. Until the engine is open, each call waits for it
 * at most 1.5 s and then fails with StorageUnavailable (a 503 with Retry-After, never a hang);
 * an open that fails is tried again every `retryMs`, so a server started while its database is
 * down comes up by itself when it is back.
 */
export function deferredStorage({ engine, open, retryMs = 2000, onOpenFailed }: DeferredStorageOptions): Storage & { opened: Promise<Storage> } {
  let storage: Storage | undefined;
  let lastError: Error | undefined;
  let closed = false;
  let markOpened!: (storage: Storage) => void;
  const opened = new Promise<Storage>((resolve) => (markOpened = resolve));
  // Only callers wait for it; a failed open must not be an unhandled rejection.
  opened.catch(() => {});

  const attempt = async (): Promise<void> => {
    try {
      const ready = await open();
      if (closed) return void (await ready.close());
      storage = ready;
      markOpened(ready);
    } catch (error) {
      lastError = error as Error;
      onOpenFailed?.(lastError);
      if (!closed) setTimeout(() => void attempt(), retryMs).unref();
    }
  };
  void attempt();

  const current = async (): Promise<Storage> => {
    if (storage) return storage;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new StorageUnavailable(engine, lastError ? lastError.message : `not connected within ${WAIT_FOR_OPEN_MS} ms`)), WAIT_FOR_OPEN_MS);
    });
    try {
      return await Promise.race([opened, late]);
    } finally {
      clearTimeout(timer);
    }
  };

  /** A store whose every method waits for the engine, then calls its own store's. */
  const store = <K extends keyof Storage>(name: K) =>
    new Proxy({} as Storage[K], {
      // Not a promise itself: `await store` must not call a method named "then".
      get: (_, method: string) => method === 'then' ? undefined : async (...args: unknown[]) => {
        const target = (await current())[name] as unknown as Record<string, (...a: unknown[]) => unknown>;
        return target[method]!(...args);
      },
    });

  return {
    opened,
    contacts: store('contacts'),
    devices: store('devices'),
    deliveries: store('deliveries'),
    optOuts: store('optOuts'),
    webhookEvents: store('webhookEvents'),
    codeLog: store('codeLog'),
    links: store('links'),
    outgoingEvents: store('outgoingEvents'),
    admin: store('admin'),
    identityKeys: store('identityKeys'),
    smsTexts: store('smsTexts'),
    attempts: store('attempts'),
    codes: store('codes'),
    limits: store('limits'),
    // `counter(rule)` answers at once (the limits are built at start); its counts wait like the rest.
    counters: {
      counter: (rule: CounterRule) => {
        let counter: FailureCounter | undefined;
        const open = async () => (counter ??= (await current()).counters.counter(rule));
        return {
          check: async (key) => (await open()).check(key),
          fail: async (key) => (await open()).fail(key),
          reset: async (key) => (await open()).reset(key),
          count: async (key) => (await open()).count(key),
        } satisfies FailureCounter;
      },
    },
    purge: async () => (await current()).purge(),
    dump: async () => (await current()).dump(),
    counts: async () => (await current()).counts(),
    ping: async () => (await current()).ping(),
    async close() {
      closed = true;
      await storage?.close();
    },
  };
}
