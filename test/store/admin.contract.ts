import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deliveryOf } from './deliveries.contract.ts';
import { deviceOf } from './devices.contract.ts';
import { someone, type MakeEngine } from './engine.ts';

/** What every engine's AdminStore must do: the contact list, the card's queries, the audit log. */
export function adminContract(make: MakeEngine) {
  describe('the admin\'s queries and the audit log', () => {
    test('search finds a part of an email, phone or name, newest first, a page at a time, with the total', async () => {
      const { storage, clock } = await make();
      const jo = await storage.contacts.create({ email: 'jo@example.com', name: 'Jo Smith' });
      clock.advance(1);
      const ann = await storage.contacts.create({ phone: '+14155550123', name: 'Ann' });
      clock.advance(1);
      const imported = await storage.contacts.createMany(['a', 'b', 'c'].map((x) => ({ email: `${x}@import.test`, phone: null, name: null })));
      const ids = async (q: string, limit = 10, offset = 0) => {
        const { contacts, total } = await storage.admin.search(q, { limit, offset });
        return { ids: contacts.map((c) => c.id), total };
      };
      const newestFirst = [...imported.map((c) => c.id), ann.id, jo.id];
      assert.deepEqual(await ids(''), { ids: newestFirst, total: 5 }, 'those imported together in the order imported');
      assert.deepEqual(await ids('', 2, 0), { ids: newestFirst.slice(0, 2), total: 5 });
      assert.deepEqual(await ids('', 2, 2), { ids: newestFirst.slice(2, 4), total: 5 });
      assert.deepEqual(await ids('', 2, 4), { ids: newestFirst.slice(4), total: 5 });
      assert.deepEqual(await ids('smith'), { ids: [jo.id], total: 1 }, 'any case');
      assert.deepEqual(await ids('5550123'), { ids: [ann.id], total: 1 });
      assert.deepEqual(await ids('import.test', 1), { ids: [imported[0]!.id], total: 3 });
      assert.deepEqual(await ids('%'), { ids: newestFirst, total: 5 }, 'a wildcard is no wildcard: it is dropped');
      assert.deepEqual(await ids('nobody'), { ids: [], total: 0 });
    });

    test('a contact\'s devices (last seen first), deliveries (also those by address before they were a contact), and active admins', async () => {
      const { storage, clock } = await make();
      const jo = await storage.contacts.create({ email: 'jo@example.com', phone: '+14155550123' });
      const ann = await someone(storage, 'ann@example.com');
      const now = clock.now();
      await storage.devices.create({ ...deviceOf(jo.id, now, 'old'), lastSeenAt: now - 10 });
      await storage.devices.create(deviceOf(jo.id, now, 'new'));
      await storage.devices.create(deviceOf(ann.id, now, 'anns'));
      assert.deepEqual((await storage.admin.devicesOf(jo.id)).map((d) => d.id), ['new', 'old']);
      await storage.deliveries.create(deliveryOf({ id: 'before', createdAt: now - 20 }, now));
      await storage.deliveries.create(deliveryOf({ id: 'text', channel: 'sms', recipient: '+14155550123', createdAt: now - 10 }, now));
      await storage.deliveries.create(deliveryOf({ id: 'mine', contactId: jo.id, recipient: 'old@example.com', createdAt: now }, now));
      await storage.deliveries.create(deliveryOf({ id: 'anns', contactId: ann.id, recipient: 'ann@example.com' }, now));
      assert.deepEqual((await storage.admin.deliveriesOf(jo, 10)).map((d) => d.id), ['mine', 'text', 'before']);
      assert.deepEqual((await storage.admin.deliveriesOf(jo, 2)).map((d) => d.id), ['mine', 'text']);
      assert.equal(await storage.admin.activeAdmins(), 0);
      await storage.contacts.setRole(jo.id, 'admin', 'admin_emails');
      await storage.contacts.setRole(ann.id, 'admin', 'admin');
      await storage.contacts.setStatus(ann.id, 'deactivated');
      assert.equal(await storage.admin.activeAdmins(), 1);
    });

    test('the audit log: newest first (the later of two at one moment first), with the admin\'s email, and the server\'s own entries', async () => {
      const { storage, clock } = await make();
      const boss = await someone(storage, 'boss@example.com');
      const jo = await someone(storage);
      await storage.admin.audit({ adminId: boss.id, contactId: jo.id, action: 'edit', detail: 'email' });
      await storage.admin.audit({ adminId: boss.id, contactId: jo.id, action: 'deactivate' });
      clock.advance(1000);
      await storage.admin.audit({ adminId: null, contactId: jo.id, action: 'admin_role_ended', detail: 'ADMIN_EMAILS no longer lists jo@example.com' });
      await storage.admin.audit({ adminId: boss.id, contactId: null, action: 'import', detail: '3 contacts' });
      assert.deepEqual(await storage.admin.auditOf(jo.id, 10), [
        { adminId: null, adminEmail: null, action: 'admin_role_ended', detail: 'ADMIN_EMAILS no longer lists jo@example.com', at: clock.now() },
        { adminId: boss.id, adminEmail: 'boss@example.com', action: 'deactivate', detail: null, at: clock.now() - 1000 },
        { adminId: boss.id, adminEmail: 'boss@example.com', action: 'edit', detail: 'email', at: clock.now() - 1000 },
      ]);
      assert.equal((await storage.admin.auditOf(jo.id, 1)).length, 1);
    });
  });
}
