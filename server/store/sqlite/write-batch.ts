import type Database from 'better-sqlite3';

/** A write waiting for the next batch, and the promise that hears how it went. */
interface Queued {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the writes of the sign-in's hot path (codes, limits, failure counts, the code
 * and delivery logs). Each SQLite commit writes every page it changed to the WAL again, with its
 * locks: a code request's eight writes, each committed on its own, took ~300 µs of CPU. The
 * writes asked for in one turn of the event loop, by every request in flight, run instead in one
 * IMMEDIATE transaction on the next turn (`setImmediate`), and each caller's promise settles only
 * once that transaction committed: nothing is answered, sent or counted on a write that could
 * still be lost, so R10 holds as before.
 *
 * `work` must be atomic on its own: one statement, or a `db.transaction` function (run nested, it
 * is a savepoint). A work that throws rejects its own promise only; an error that ends the whole
 * transaction (a full disk) rejects every write of the batch. The transaction is open only while
 * the batch runs, synchronously, so no other statement of the server ever joins it.
 */
export function createWriteBatch(db: Database.Database) {
  let queued: Queued[] = [];
  let scheduled: NodeJS.Immediate | null = null;

  const runAll = db.transaction((batch: Queued[]) => {
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    for (const { work } of batch) {
      try {
        outcomes.push({ ok: true, value: work() });
      } catch (error) {
        // SQLite rolled the whole transaction back (SQLITE_FULL, SQLITE_IOERR): nothing of the batch holds.
        if (!db.inTransaction) throw error;
        outcomes.push({ ok: false, error });
      }
    }
    return outcomes;
  });

  function flush() {
    if (scheduled) clearImmediate(scheduled);
    scheduled = null;
    const batch = queued;
    queued = [];
    if (batch.length === 0) return;
    let outcomes;
    try {
      outcomes = runAll.immediate(batch);
    } catch (error) {
      for (const { reject } of batch) reject(error);
      return;
    }
    outcomes.forEach((outcome, i) => (outcome.ok ? batch[i]!.resolve(outcome.value) : batch[i]!.reject(outcome.error)));
  }

  return {
    /** Runs `work` in the next batch; answers its result once the batch is committed. */
    write<T>(work: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queued.push({ work, resolve: resolve as (value: unknown) => void, reject });
        scheduled ??= setImmediate(flush);
      });
    },
    /** Commits what is waiting now (before the database is closed). */
    flush,
  };
}

export type WriteBatch = ReturnType<typeof createWriteBatch>;
