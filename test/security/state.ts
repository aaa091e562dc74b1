import assert from 'node:assert/strict';
import type { CodeStore } from '../../server/store/codes.ts';
import type { OutgoingMessage, Sender } from '../../server/delivery/messages.ts';
import { mapCodeStore, type Harness } from '../server/harness.ts';

/** How many records of each kind the storage holds (storage.counts()), so a new kind is covered without editing the tests. */
export async function rowCounts(h: Harness) {
  const counts = await h.storage.counts();
  assert.ok(Object.keys(counts).length >= 5, 'the storage is there to count');
  return counts;
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
