import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Delivery } from '../../server/store/index.ts';
import { someone, type MakeEngine } from './engine.ts';

export const deliveryOf = (fields: Partial<Delivery> & { id: string }, now: number): Delivery => ({
  contactId: null, channel: 'email', recipient: 'jo@example.com', destination: 'j•@example.com', provider: null, providerMessageId: null,
  codeNumber: 1, reason: null, status: 'queued', errorCode: null, errorText: null, createdAt: now, updatedAt: now, ...fields,
});

/** What every engine's DeliveryLog, OptOutStore and WebhookEventStore must do. */
export function deliveriesContract(make: MakeEngine) {
  describe('the delivery log', () => {
    test('a delivery is found by id and, once the provider named it, by the provider\'s id', async () => {
      const { storage, clock } = await make();
      const jo = await someone(storage);
      const d = deliveryOf({ id: 'd1', contactId: jo.id, reason: 'cookies_cleared' }, clock.now());
      await storage.deliveries.create(d);
      assert.deepEqual(await storage.deliveries.findById('d1'), d);
      assert.equal(await storage.deliveries.advance('d1', { status: 'sent', at: clock.now() + 1, provider: 'postmark', providerMessageId: 'pm-1' }), true);
      const sent = await storage.deliveries.findByProviderId('postmark', 'pm-1');
      assert.deepEqual(sent, { ...d, status: 'sent', provider: 'postmark', providerMessageId: 'pm-1', updatedAt: clock.now() + 1 });
      assert.equal(await storage.deliveries.findByProviderId('twilio', 'pm-1'), undefined);
      assert.equal(await storage.deliveries.advance('nope', { status: 'sent', at: 1 }), false);
    });

    test('a status only moves forward: a late "sent" or a replay changes nothing', async () => {
      const { storage, clock } = await make();
      await storage.deliveries.create(deliveryOf({ id: 'd1' }, clock.now()));
      assert.equal(await storage.deliveries.advance('d1', { status: 'bounced', at: 10, errorCode: 'HardBounce', errorText: 'Mailbox not found' }), true);
      const bounced = await storage.deliveries.findById('d1');
      assert.equal(await storage.deliveries.advance('d1', { status: 'sent', at: 20 }), false);
      assert.equal(await storage.deliveries.advance('d1', { status: 'delivered', at: 30 }), false, 'a final answer is final');
      assert.equal(await storage.deliveries.advance('d1', { status: 'bounced', at: 40 }), false);
      assert.deepEqual(await storage.deliveries.findById('d1'), bounced);
      assert.deepEqual([bounced?.status, bounced?.errorCode, bounced?.updatedAt], ['bounced', 'HardBounce', 10]);
    });

    test('a status that does not move still fills in the provider\'s id the row lacks', async () => {
      const { storage, clock } = await make();
      await storage.deliveries.create(deliveryOf({ id: 'd1', channel: 'sms', recipient: '+14155550123' }, clock.now()));
      assert.equal(await storage.deliveries.advance('d1', { status: 'delivered', at: 10, provider: 'twilio', providerMessageId: 'SM1' }), true);
      assert.equal(await storage.deliveries.advance('d1', { status: 'sent', at: 20, provider: 'twilio', providerMessageId: 'SM1' }), false);
      const row = await storage.deliveries.findById('d1');
      assert.deepEqual([row?.status, row?.providerMessageId, row?.updatedAt], ['delivered', 'SM1', 10]);
      // And when the webhook came first without an id, the send's own late answer brings it.
      await storage.deliveries.create(deliveryOf({ id: 'd2', channel: 'sms', recipient: '+14155550123' }, clock.now()));
      await storage.deliveries.advance('d2', { status: 'delivered', at: 10 });
      assert.equal(await storage.deliveries.advance('d2', { status: 'sent', at: 20, provider: 'twilio', providerMessageId: 'SM2' }), false);
      assert.deepEqual([(await storage.deliveries.findById('d2'))?.status, (await storage.deliveries.findByProviderId('twilio', 'SM2'))?.id], ['delivered', 'd2']);
    });
  });

  describe('opt-outs', () => {
    test('the newest word on an address replaces the one before', async () => {
      const { storage } = await make();
      assert.equal(await storage.optOuts.get('+14155550123'), undefined);
      const stop = { address: '+14155550123', channel: 'sms' as const, optedOut: true, source: 'stop_reply' as const, detail: 'STOP', at: 100 };
      await storage.optOuts.set(stop);
      assert.deepEqual(await storage.optOuts.get('+14155550123'), stop);
      const start = { ...stop, optedOut: false, source: 'start_reply' as const, detail: null, at: 200 };
      await storage.optOuts.set(start);
      assert.deepEqual(await storage.optOuts.get('+14155550123'), start);
      assert.equal(await storage.optOuts.get('jo@example.com'), undefined);
    });
  });

  describe('provider webhook events', () => {
    test('an event id is new once per provider, also when asked at the same moment', async () => {
      const { storage } = await make();
      assert.deepEqual(
        await Promise.all([storage.webhookEvents.firstSeen('twilio', 'SM1'), storage.webhookEvents.firstSeen('twilio', 'SM1')]).then((r) => r.sort()),
        [false, true],
      );
      assert.equal(await storage.webhookEvents.firstSeen('twilio', 'SM1'), false);
      assert.equal(await storage.webhookEvents.firstSeen('postmark', 'SM1'), true, 'another provider\'s ids are its own');
    });
  });
}
