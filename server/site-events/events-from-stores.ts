import type { ContactStore } from '../contacts/contacts.ts';
import type { OptOutStore } from '../store/deliveries.ts';
import type { DeviceStore } from '../contacts/devices.ts';
import type { OutgoingWebhooks } from './outgoing-webhooks.ts';

/**
 * `store` with some methods replaced. Not `{ ...store }`: deferredStorage's stores (PostgreSQL) are
 * Proxies whose methods are no own properties, so a spread copied none (every other call failed).
 */
const overlay = <T extends object>(store: T, methods: Partial<T>): T =>
  new Proxy(store, { get: (target, name) => (Object.hasOwn(methods, name) ? methods[name as keyof T] : Reflect.get(target, name)) });

/**
 * The stores, each change that the site owner's backend hears about turned into an event at the
 * one place it happens: a contact created (open signup, an admin, a CSV import), a browser
 * remembered (every sign-in, by code or link), an opt-out or opt-in recorded (STOP and START,
 * bounces, complaints, admins), a contact deactivated. No route has to remember to emit.
 */
export function withOutgoingEvents<S extends { contacts: ContactStore; devices: DeviceStore; optOuts: OptOutStore }>(stores: S, hooks: OutgoingWebhooks): S {
  if (!hooks.enabled) return stores;
  const { contacts, devices, optOuts } = stores;
  return {
    ...stores,
    contacts: overlay(contacts, {
      async create(input) {
        const contact = await contacts.create(input);
        await hooks.emit('contact.created', contact);
        return contact;
      },
      async createMany(inputs) {
        const created = await contacts.createMany(inputs);
        for (const contact of created) await hooks.emit('contact.created', contact);
        return created;
      },
      async setStatus(id, status) {
        await contacts.setStatus(id, status);
        const contact = status === 'deactivated' ? await contacts.findById(id) : undefined;
        if (contact) await hooks.emit('contact.deactivated', contact);
      },
    }),
    devices: overlay(devices, {
      async create(device) {
        const contact = await contacts.findById(device.contactId);
        const event = contact && hooks.event('contact.signed_in', contact, { device: { id: device.id, userAgent: device.userAgent, sessionOnly: device.sessionOnly } });
        await devices.create(device, event ? [event] : []);
      },
    }),
    optOuts: overlay(optOuts, {
      async set(change) {
        await optOuts.set(change);
        const contact = await contacts.findByIdentifier({ kind: change.channel === 'email' ? 'email' : 'phone', value: change.address });
        if (contact) {
          await hooks.emit(change.optedOut ? 'contact.channel.opted_out' : 'contact.channel.opted_in', contact, {
            channel: change.channel,
            source: change.source,
            at: new Date(change.at).toISOString(),
          });
        }
      },
    }),
  };
}
