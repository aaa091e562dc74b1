import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cryptoRandom } from '../../server/random.ts';
import { createLinks } from '../../server/links/links.ts';
import { createTokenHasher } from '../../server/contacts/token-hash.ts';
import type { StoredLink } from '../../server/store/index.ts';
import { someone, type MakeEngine } from './engine.ts';

const MINUTE = 60_000;

/** What every engine's LinkStore must do, and what server/links/links.ts builds on it. */
export function linksContract(make: MakeEngine) {
  describe('sign-in links', () => {
    const linkOf = (fields: Partial<StoredLink> & { contactId: string; createdBy: string }, now: number) => ({
      tokenHash: 'hash-1', channel: 'email' as const, kind: 'link' as const, address: 'jo@example.com', createdAt: now, expiresAt: now + 15 * MINUTE, ...fields,
    });

    test('a link is kept by its digest and used once, even by two at the same moment', async () => {
      const { storage, clock } = await make();
      const jo = await someone(storage);
      const link = linkOf({ contactId: jo.id, createdBy: jo.id }, clock.now());
      await storage.links.create(link);
      assert.deepEqual(await storage.links.find('hash-1'), { ...link, usedAt: null });
      assert.equal(await storage.links.find('hash-2'), undefined);
      const used = await Promise.all([storage.links.use('hash-1', clock.now()), storage.links.use('hash-1', clock.now())]);
      assert.deepEqual(used.sort(), [false, true]);
      assert.equal((await storage.links.find('hash-1'))!.usedAt, clock.now());
    });

    test('through links/links.ts: redeemed once, refused once expired, and refused once the contact no longer has the address it went to', async () => {
      const { storage, clock } = await make();
      const jo = await someone(storage);
      const links = createLinks({ store: storage.links, contacts: storage.contacts, clock, random: cryptoRandom, hashes: createTokenHasher(Buffer.from('x'.repeat(32))), invitationDays: 7 });
      const first = await links.create({ contactId: jo.id, channel: 'email', kind: 'link', address: 'jo@example.com', createdBy: jo.id });
      assert.deepEqual(await links.peek(first.token), { ok: true, contact: jo, kind: 'link', channel: 'email', address: 'jo@example.com' });
      assert.equal((await links.redeem(first.token)).ok, true);
      assert.deepEqual(await links.redeem(first.token), { ok: false, reason: 'used', kind: 'link' });
      // A sign-in link lasts 15 minutes; an invitation INVITATION_DAYS (here 7).
      const late = await links.create({ contactId: jo.id, channel: 'email', kind: 'link', address: 'jo@example.com', createdBy: jo.id });
      const invitation = await links.create({ contactId: jo.id, channel: 'email', kind: 'invitation', address: 'jo@example.com', createdBy: jo.id });
      clock.advance(15 * MINUTE);
      assert.deepEqual(await links.redeem(late.token), { ok: false, reason: 'expired', kind: 'link' });
      assert.equal((await links.peek(invitation.token)).ok, true, 'an invitation still works after 15 minutes');
      clock.advance(7 * 24 * 60 * MINUTE);
      assert.deepEqual(await links.redeem(invitation.token), { ok: false, reason: 'expired', kind: 'invitation' });
      await storage.contacts.update(jo.id, { email: 'jo@example.com', phone: '+14155550123', name: null });
      const moved = await links.create({ contactId: jo.id, channel: 'email', kind: 'link', address: 'jo@example.com', createdBy: jo.id });
      const texted = await links.create({ contactId: jo.id, channel: 'sms', kind: 'link', address: '+14155550123', createdBy: jo.id });
      await storage.contacts.update(jo.id, { email: 'jo.new@example.com', phone: '+14155550123', name: null });
      assert.deepEqual(await links.peek(moved.token), { ok: false, reason: 'cancelled' });
      assert.deepEqual(await links.redeem(moved.token), { ok: false, reason: 'cancelled' });
      assert.equal((await links.redeem(texted.token)).ok, true, 'the phone it was texted to is still on file');
      assert.deepEqual(await links.peek('not-a-token'), { ok: false, reason: 'unknown' });
    });
  });
}
