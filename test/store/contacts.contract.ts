import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ContactExists } from '../../server/store/index.ts';
import type { MakeEngine } from './engine.ts';

/** What every engine's ContactStore must do. */
export function contactsContract(make: MakeEngine) {
  describe('contacts', () => {
    test('a new contact is found by id, email and phone, active, with nothing verified', async () => {
      const { storage, clock } = await make();
      const made = await storage.contacts.create({ email: 'jo@example.com', phone: '+14155550123', name: 'Jo' });
      assert.match(made.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.deepEqual(
        [made.status, made.role, made.roleSource, made.createdAt, made.emailVerifiedAt, made.phoneVerifiedAt],
        ['active', 'contact', null, clock.now(), null, null],
      );
      assert.deepEqual(await storage.contacts.findById(made.id), made);
      assert.deepEqual(await storage.contacts.findByIdentifier({ kind: 'email', value: 'jo@example.com' }), made);
      assert.deepEqual(await storage.contacts.findByIdentifier({ kind: 'phone', value: '+14155550123' }), made);
      assert.equal(await storage.contacts.findByIdentifier({ kind: 'email', value: 'ann@example.com' }), undefined);
      assert.equal(await storage.contacts.findById('no-such-id'), undefined);
    });

    test('an email or phone another contact has is refused with ContactExists, on create, import and edit', async () => {
      const { storage } = await make();
      const jo = await storage.contacts.create({ email: 'jo@example.com', phone: '+14155550123' });
      const ann = await storage.contacts.create({ email: 'ann@example.com' });
      await assert.rejects(storage.contacts.create({ email: 'jo@example.com' }), (e) => e instanceof ContactExists && e.kind === 'email');
      await assert.rejects(storage.contacts.create({ phone: '+14155550123' }), (e) => e instanceof ContactExists && e.kind === 'phone');
      await assert.rejects(storage.contacts.update(ann.id, { email: 'ann@example.com', phone: '+14155550123', name: null }), (e) => e instanceof ContactExists && e.kind === 'phone');
      assert.equal((await storage.contacts.findById(ann.id))!.phone, null, 'the refused edit changed nothing');
      // An import is all or none: one duplicate and nobody in the batch is created.
      await assert.rejects(
        storage.contacts.createMany([
          { email: 'new@example.com', phone: null, name: null },
          { email: 'jo@example.com', phone: null, name: null },
        ]),
        ContactExists,
      );
      assert.equal(await storage.contacts.findByIdentifier({ kind: 'email', value: 'new@example.com' }), undefined);
      assert.ok(await storage.contacts.findById(jo.id));
    });

    test('createMany makes every contact, each with its own id', async () => {
      const { storage } = await make();
      const made = await storage.contacts.createMany([
        { email: 'a@example.com', phone: null, name: 'A' },
        { email: null, phone: '+14155550100', name: null },
      ]);
      assert.equal(new Set(made.map((c) => c.id)).size, 2);
      for (const contact of made) assert.deepEqual(await storage.contacts.findById(contact.id), contact);
    });

    test('a verified address stays verified through an edit that keeps it, and is cleared by one that changes it', async () => {
      const { storage, clock } = await make();
      const jo = await storage.contacts.create({ email: 'jo@example.com', phone: '+14155550123' });
      await storage.contacts.markVerified(jo.id, { kind: 'email', value: 'jo@example.com' });
      await storage.contacts.markVerified(jo.id, { kind: 'phone', value: '+14155550123' });
      const verifiedAt = clock.now();
      clock.advance(1000);
      await storage.contacts.update(jo.id, { email: 'jo@example.com', phone: '+14155550999', name: 'Jo' });
      const after = (await storage.contacts.findById(jo.id))!;
      assert.deepEqual([after.email, after.phone, after.name, after.emailVerifiedAt, after.phoneVerifiedAt], ['jo@example.com', '+14155550999', 'Jo', verifiedAt, null]);
    });

    test('markVerified does nothing when the contact no longer has that address', async () => {
      const { storage } = await make();
      const jo = await storage.contacts.create({ email: 'jo@example.com' });
      await storage.contacts.update(jo.id, { email: 'new@example.com', phone: null, name: null });
      await storage.contacts.markVerified(jo.id, { kind: 'email', value: 'jo@example.com' });
      assert.equal((await storage.contacts.findById(jo.id))!.emailVerifiedAt, null);
    });

    test('roles keep where an admin role came from; status deactivates and activates', async () => {
      const { storage } = await make();
      const boss = await storage.contacts.create({ email: 'boss@example.com', role: 'admin' });
      assert.deepEqual([boss.role, boss.roleSource], ['admin', 'admin_emails']);
      const jo = await storage.contacts.create({ email: 'jo@example.com' });
      await storage.contacts.setRole(jo.id, 'admin', 'admin');
      assert.deepEqual([(await storage.contacts.findById(jo.id))!.role, (await storage.contacts.findById(jo.id))!.roleSource], ['admin', 'admin']);
      await storage.contacts.setRole(jo.id, 'contact');
      assert.deepEqual([(await storage.contacts.findById(jo.id))!.role, (await storage.contacts.findById(jo.id))!.roleSource], ['contact', null]);
      await storage.contacts.setStatus(jo.id, 'deactivated');
      assert.equal((await storage.contacts.findById(jo.id))!.status, 'deactivated');
      await storage.contacts.setStatus(jo.id, 'active');
      assert.equal((await storage.contacts.findById(jo.id))!.status, 'active');
    });
  });
}
