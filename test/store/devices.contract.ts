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
  });
}
