import assert from 'node:assert/strict';
import type { CodeStore } from '../../server/codes.ts';
import type { OutgoingMessage, Sender } from '../../server/delivery/messages.ts';
import { mapCodeStore, type Harness } from '../server/harness.ts';

/** Row counts of every SQLite table, so a new table is covered without editing the tests. */
export function rowCounts(h: Harness) {
  const tables = h.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
  assert.ok(tables.length >= 5, 'the schema is there to count');
  return Object.fromEntries(tables.map(({ name }) => [name, (h.db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
}

/** A code store that counts its writes: a refused request must not reach it. */
export function countingCodeStore() {
  const inner = mapCodeStore();
  const store: CodeStore & { writes: number } = {
    writes: 0,
    update: (key, change) =>
      inner.update(key, (current) => {
        const out = change(current);
        if (out.next) store.writes++;
        return out;
      }),
    nextOrder: () => inner.nextOrder(),
  };
  return store;
}

/** A provider that keeps every message handed to it (the outbox keeps only the newest 500). */
export function recordingSender() {
  const sent: OutgoingMessage[] = [];
  const sender: Sender = {
    provider: 'recorder',
    send: async (message) => {
      sent.push(message);
      return { provider: 'recorder', providerMessageId: message.deliveryId };
    },
  };
  return { sender, sent };
}
