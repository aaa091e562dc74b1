import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Device } from '../../server/store/index.ts';
import { someone, type MakeEngine } from './engine.ts';

const DAY = 24 * 3_600_000;

export const deviceOf = (contactId: string, now: number, id = 'dev-1'): Device => ({
  id, contactId, tokenHash: `hash-${id}`, userAgent: 'Firefox', createdAt: now, lastSeenAt: now, expiresAt: now + 400 * DAY,
  signedOutAt: null, revokedAt: null, revokedReason: null, sessionOnly: false,
});

/** What every engine's DeviceStore must do. */
export function devicesContract(make: MakeEngine) {
  describe('devices', () => {
    test('a device is found by its token hash, with its contact as it is now', async () => {
      const { storage, clock } = await make();
      const jo = await someone(storage);
      const device = { ...deviceOf(jo.id, clock.now()), sessionOnly: true };
      await storage.devices.create(device);
      await storage.contacts.setStatus(jo.id, 'deactivated');
      const found = await storage.devices.findByTokenHash(device.tokenHash);
      assert.deepEqual(found, { device, contact: { ...jo, status: 'deactivated' } });
      assert.equal(await storage.devices.findByTokenHash('hash-unknown'), undefined);
    });

    test('a device kept with its events keeps both or, when the device cannot be kept, neither', async () => {
      const { storage, clock } = await make();
      const jo = await someone(storage);
      const event = (id: string) => ({ id, type: 'contact.signed_in' as const, contactId: jo.id, body: `{"id":"${id}"}`, createdAt: clock.now() });
      await storage.devices.create(deviceOf(jo.id, clock.now()), [event('evt-1')]);
      // The same device id again fails (a sign-in that did not happen): its event must not be kept either.
      await assert.rejects(storage.devices.create(deviceOf(jo.id, clock.now()), [event('evt-2')]));
      assert.ok(await storage.devices.findByTokenHash('hash-dev-1'));
      const due = await storage.outgoingEvents.claimDue(10, 60_000);
      assert.deepEqual(due.map((c) => [c.event.id, c.event.type, c.event.body, c.event.createdAt]), [['evt-1', 'contact.signed_in', '{"id":"evt-1"}', clock.now()]]);
    });

    test('touch slides the expiry; rehash moves the token to a new digest', async () => {
      const { storage, clock } = await make();
      const jo = await someone(storage);
      const device = deviceOf(jo.id, clock.now());
      await storage.devices.create(device);
      await storage.devices.touch(device.id, clock.now() + 5, clock.now() + 500 * DAY);
      await storage.devices.rehash(device.id, 'hash-new');
      assert.equal(await storage.devices.findByTokenHash(device.tokenHash), undefined);
      const found = (await storage.devices.findByTokenHash('hash-new'))!.device;
      assert.deepEqual([found.lastSeenAt, found.expiresAt], [clock.now() + 5, clock.now() + 500 * DAY]);
    });

    test('signing out and revoking keep the first time and reason', async () => {
      const { storage, clock } = await make();
      const jo = await someone(storage);
      const device = deviceOf(jo.id, clock.now());
      await storage.devices.create(device);
      await storage.devices.signOut(device.id, 100);
      await storage.devices.signOut(device.id, 200);
      await storage.devices.revoke(device.id, 300, 'deactivated');
      await storage.devices.revoke(device.id, 400);
      const found = (await storage.devices.findByTokenHash(device.tokenHash))!.device;
      assert.deepEqual([found.signedOutAt, found.revokedAt, found.revokedReason], [100, 300, 'deactivated']);
    });

    test('revokeAllOf revokes only the contact\'s browsers still signed in, and says how many', async () => {
      const { storage, clock } = await make();
      const jo = await someone(storage);
      const ann = await someone(storage, 'ann@example.com');
      const now = clock.now();
      const live = deviceOf(jo.id, now, 'live');
      const signedOut = deviceOf(jo.id, now, 'signed-out');
      const expired = { ...deviceOf(jo.id, now, 'expired'), expiresAt: now - 1 };
      const others = deviceOf(ann.id, now, 'anns');
      for (const d of [live, signedOut, expired, others]) await storage.devices.create(d);
      await storage.devices.signOut(signedOut.id, now);
      assert.equal(await storage.devices.revokeAllOf(jo.id, now, 'admin'), 1);
      const state = async (d: Device) => (await storage.devices.findByTokenHash(d.tokenHash))!.device.revokedAt;
      assert.deepEqual([await state(live), await state(signedOut), await state(expired), await state(others)], [now, null, null, null]);
      assert.equal(await storage.devices.revokeAllOf(jo.id, now, 'admin'), 0, 'a second time finds none');
    });

    // The session check may answer from memory (SQLite): each change must be in the very next
    // lookup, on this instance and on another one on the same data (R9, R11), never "soon".
    test('every change to a device or its contact is in the very next lookup, on any instance', async () => {
      const { storage, clock, again, othersSeeWithinMs = 0 } = await make();
      const other = again ? await again() : storage;
      const jo = await someone(storage);
      const device = deviceOf(jo.id, clock.now());
      await storage.devices.create(device);
      // Another process on one SQLite file is seen within a millisecond; every other case at once.
      const afterOthers = () => (othersSeeWithinMs ? new Promise((r) => setTimeout(r, othersSeeWithinMs + 1)) : undefined);
      const seenBy = async (where: typeof storage) => (await where.devices.findByTokenHash(device.tokenHash))!;
      // Each instance has looked it up, as every page load does, before each change.
      const both = async () => [await seenBy(storage), await seenBy(other)];
      const changes: Array<[string, (s: typeof storage) => Promise<unknown>, (f: Awaited<ReturnType<typeof seenBy>>) => unknown, unknown]> = [
        ['touched', (s) => s.devices.touch(device.id, clock.now() + 7, clock.now() + 9 * DAY), (f) => f.device.expiresAt, clock.now() + 9 * DAY],
        ['renamed', (s) => s.contacts.update(jo.id, { email: 'jo@example.com', phone: null, name: 'Jo' }), (f) => f.contact.name, 'Jo'],
        ['made admin', (s) => s.contacts.setRole(jo.id, 'admin', 'admin'), (f) => f.contact.role, 'admin'],
        ['deactivated', (s) => s.contacts.setStatus(jo.id, 'deactivated'), (f) => f.contact.status, 'deactivated'],
        ['active again', (s) => s.contacts.setStatus(jo.id, 'active'), (f) => f.contact.status, 'active'],
        ['revoked with all of the contact\'s', (s) => s.devices.revokeAllOf(jo.id, clock.now() + 8, 'deactivated'), (f) => f.device.revokedAt, clock.now() + 8],
      ];
      for (const [what, change, read, expected] of changes) {
        for (const [by, seen] of [[storage, other], [other, storage]] as const) {
          await both();
          await change(by);
          if (seen !== by) await afterOthers();
          assert.equal(read(await seenBy(seen)), expected, `${what} on one instance, seen by ${seen === by ? 'it' : 'the other'}`);
          assert.equal(read(await seenBy(by)), expected, `${what}, seen by the instance that changed it`);
        }
      }
      const signedOut = deviceOf(jo.id, clock.now(), 'dev-2');
      await storage.devices.create(signedOut);
      await both();
      await other.devices.findByTokenHash(signedOut.tokenHash);
      await storage.devices.findByTokenHash(signedOut.tokenHash);
      await other.devices.signOut(signedOut.id, clock.now() + 3);
      await afterOthers();
      assert.equal((await storage.devices.findByTokenHash(signedOut.tokenHash))!.device.signedOutAt, clock.now() + 3, 'signed out on the other instance');
      await storage.devices.rehash(signedOut.id, 'hash-moved');
      await afterOthers();
      assert.equal(await other.devices.findByTokenHash(signedOut.tokenHash), undefined, 'the old digest finds nothing once moved');
    });
  });
}
