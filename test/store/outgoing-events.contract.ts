import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { OutgoingEventStore } from '../../server/store/index.ts';
import { someone, type MakeEngine } from './engine.ts';

const LEASE = 60_000;

/** What every engine's OutgoingEventStore must do: a queue several processes can send from. */
export function outgoingEventsContract(make: MakeEngine) {
  describe('outgoing events', () => {
    const add = (events: OutgoingEventStore, id: string, contactId: string | null, at: number) =>
      events.add({ id, type: 'contact.created', contactId, body: `{"id":"${id}"}`, createdAt: at });

    test('a new event is due at once, claimed oldest first, and not claimed again while leased', async () => {
      const { storage, clock } = await make();
      const jo = await someone(storage);
      for (const id of ['e1', 'e2', 'e3']) await add(storage.outgoingEvents, id, jo.id, clock.now());
      const first = await storage.outgoingEvents.claimDue(2, LEASE);
      assert.deepEqual(first.map((c) => c.event.id), ['e1', 'e2'], 'those added together, in the order added');
      assert.deepEqual(first[0]!.event, { id: 'e1', type: 'contact.created', contactId: jo.id, body: '{"id":"e1"}', createdAt: clock.now(), status: 'pending', attempts: 0, nextAttemptAt: clock.now(), lastStatus: null, lastError: null, deliveredAt: null });
      assert.equal(first[0]!.leasedUntil, clock.now() + LEASE);
      assert.notEqual(first[0]!.lease, first[1]!.lease);
      assert.deepEqual((await storage.outgoingEvents.claimDue(10, LEASE)).map((c) => c.event.id), ['e3']);
      clock.advance(LEASE - 1);
      assert.deepEqual(await storage.outgoingEvents.claimDue(10, LEASE), [], 'all leased');
    });

    test('two claimers at the same moment never get the same event', async () => {
      const { storage, clock, again } = await make();
      const other = again ? await again() : storage;
      for (let i = 0; i < 40; i++) await add(storage.outgoingEvents, `e${String(i).padStart(2, '0')}`, null, clock.now());
      const claims = await Promise.all([0, 1, 2, 3].map((i) => (i % 2 ? other : storage).outgoingEvents.claimDue(15, LEASE)));
      const ids = claims.flat().map((c) => c.event.id);
      assert.equal(ids.length, 40);
      assert.equal(new Set(ids).size, 40, 'no event claimed twice');
      if (other !== storage) await other.close();
    });

    test('four senders on two instances working one queue until it is empty: every event claimed and delivered exactly once', async () => {
      const { storage, clock, again } = await make();
      const other = again ? await again() : storage;
      for (let i = 0; i < 300; i++) await add(storage.outgoingEvents, `e${String(i).padStart(3, '0')}`, null, clock.now());
      const claimed: string[] = [];
      const settled: boolean[] = [];
      const sender = async (events: OutgoingEventStore) => {
        for (let batch = await events.claimDue(3, LEASE); batch.length > 0; batch = await events.claimDue(3, LEASE)) {
          for (const { event, lease } of batch) {
            claimed.push(event.id);
            settled.push(await events.delivered(event.id, lease, { status: 200, at: clock.now() }));
          }
        }
      };
      await Promise.all([storage, other, storage, other].map((s) => sender(s.outgoingEvents)));
      assert.equal(claimed.length, 300, 'no event claimed twice');
      assert.equal(new Set(claimed).size, 300, 'every event claimed');
      assert.ok(settled.every(Boolean), 'each settled by its one holder');
    });

    test('an expired lease is claimable again, and then only the new holder can settle the event', async () => {
      const { storage, clock } = await make();
      await add(storage.outgoingEvents, 'e1', null, clock.now());
      const [stale] = await storage.outgoingEvents.claimDue(1, LEASE);
      clock.advance(LEASE);
      const [fresh] = await storage.outgoingEvents.claimDue(1, LEASE);
      assert.equal(fresh?.event.id, 'e1');
      assert.equal(await storage.outgoingEvents.delivered('e1', stale!.lease, { status: 200, at: clock.now() }), false);
      assert.equal(await storage.outgoingEvents.failed('e1', stale!.lease, { status: 500, error: 'answered 500', nextAttemptAt: clock.now() }), false);
      assert.equal(await storage.outgoingEvents.failed('e1', 'made-up', { status: 500, error: 'answered 500', nextAttemptAt: clock.now() }), false);
      assert.equal(await storage.outgoingEvents.delivered('e1', fresh!.lease, { status: 204, at: clock.now() }), true);
      assert.equal(await storage.outgoingEvents.delivered('e1', fresh!.lease, { status: 204, at: clock.now() }), false, 'settled once');
      clock.advance(LEASE);
      assert.deepEqual(await storage.outgoingEvents.claimDue(1, LEASE), [], 'a delivered event is never due again');
    });

    test('a failed try counts, is due again when told, and is given up when told: newest first on the card', async () => {
      const { storage, clock } = await make();
      const jo = await someone(storage);
      await add(storage.outgoingEvents, 'e1', jo.id, clock.now());
      clock.advance(1);
      await add(storage.outgoingEvents, 'e2', jo.id, clock.now());
      const [c1, c2] = await storage.outgoingEvents.claimDue(2, LEASE);
      assert.equal(await storage.outgoingEvents.failed('e1', c1!.lease, { status: 503, error: 'answered 503', nextAttemptAt: clock.now() + 60_000 }), true);
      assert.equal(await storage.outgoingEvents.failed('e2', c2!.lease, { status: null, error: 'could not connect', nextAttemptAt: null }), true);
      assert.deepEqual(await storage.outgoingEvents.claimDue(10, LEASE), [], 'not due yet, and given up');
      clock.advance(60_000);
      const [retry] = await storage.outgoingEvents.claimDue(10, LEASE);
      assert.deepEqual([retry?.event.id, retry?.event.attempts, retry?.event.lastError], ['e1', 1, 'answered 503']);
      await storage.outgoingEvents.delivered('e1', retry!.lease, { status: 200, at: clock.now() });
      const card = await storage.outgoingEvents.ofContact(jo.id, 10);
      assert.deepEqual(
        card.map((e) => [e.id, e.status, e.attempts, e.lastStatus, e.lastError, e.nextAttemptAt, e.deliveredAt]),
        [
          ['e2', 'failed', 1, null, 'could not connect', null, null],
          ['e1', 'delivered', 2, 200, null, null, clock.now()],
        ],
      );
      assert.equal((await storage.outgoingEvents.ofContact(jo.id, 1)).length, 1);
    });
  });
}
