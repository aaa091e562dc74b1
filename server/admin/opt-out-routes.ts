import type { Context, Hono } from 'hono';
import type { Config } from '../config/config.ts';
import { iso, type Clock } from '../clock.ts';
import type { Contact, ContactStore } from '../contacts/contacts.ts';
import type { AdminEnv } from './admin-contact.ts';
import type { OptOut, OptOutStore } from '../store/deliveries.ts';
import { DeliveryError } from '../delivery/messages.ts';
import { apiError } from '../http/errors.ts';
import type { Channel } from '../identifiers.ts';
import { isOptOutSource, liftOf, recordOptOut } from '../delivery/opt-out-rules.ts';
import type { OptOutChange, OptOutLifted, OptOutState } from '../../api/admin.ts';

const channelWord = (channel: Channel) => (channel === 'email' ? 'email' : 'SMS');

/** While `channel` stays opted out: the contact's other way in, or how the admin gives them one. */
function meanwhile(contact: Contact, channel: Channel) {
  const other: Channel = channel === 'email' ? 'sms' : 'email';
  if (other === 'email' ? contact.email : contact.phone) return `Meanwhile they can sign in by ${channelWord(other)}.`;
  return `Meanwhile add their ${other === 'email' ? 'email address' : 'mobile number'} under Edit details, so they can sign in by ${channelWord(other)}.`;
}

/**
 * A channel's opt-out as the card shows it: the state, its source and time, the provider's
 * detail, and who may lift it (`lift`); after a STOP, the number the contact texts START to.
 */
export function optOutView(o: OptOut | undefined, config: Config): OptOutState {
  if (!o?.optedOut || !isOptOutSource(o.source)) return { optedOut: false, source: null, at: o ? iso(o.at) : null, detail: null, lift: null };
  const replyTo = o.source === 'stop_reply' ? config.twilio?.from : undefined;
  return { optedOut: true, source: o.source, at: iso(o.at), detail: o.detail, lift: liftOf[o.source], ...(replyTo && { replyTo }) };
}

/**
 * The card's opt-out actions (R4): an admin opts a contact out of a channel, and lifts an opt-out
 * where an admin may — their own at once; a bounce, spam complaint or provider suppression only
 * once they confirmed the address with the contact, and for email only after Postmark took the
 * address off its suppression list (else Postmark would refuse every code). A STOP or an
 * unsubscribe only the contact can undo. A refused request changes nothing.
 */
export function addOptOutRoutes(app: Hono<AdminEnv>, { config, contacts, optOuts, clock, reactivateEmail, audit, noSuchContact }: {
  config: Config;
  contacts: ContactStore;
  optOuts: OptOutStore;
  clock: Clock;
  /** The email provider's suppression-list removal (Postmark); absent when it keeps none. */
  reactivateEmail: ((address: string) => Promise<void>) | undefined;
  audit: (c: Context<AdminEnv>, contactId: string, action: string, detail: string) => Promise<void>;
  noSuchContact: (c: Context) => Response;
}) {
  /** The contact, the channel asked for and its address — or the answer that says what is wrong. */
  async function target(c: Context<AdminEnv>) {
    const contact = await contacts.findById(c.req.param('id') ?? '');
    if (!contact) return { error: noSuchContact(c) };
    const body = c.get('body');
    const asked = body.channel;
    if (asked !== 'email' && asked !== 'sms') return { error: apiError(c, 'invalid_channel', {}, 'Say which channel: "email" or "sms".') };
    const channel: Channel = asked;
    const address = channel === 'email' ? contact.email : contact.phone;
    if (!address) return { error: apiError(c, 'not_reachable', {}, `There is no ${channel === 'email' ? 'email address' : 'mobile number'} on file for this contact.`) };
    return { contact, channel, address, confirmed: body.confirmed === true, current: await optOuts.get(address) };
  }

  app.post('/contacts/:id/opt-out', async (c) => {
    const t = await target(c);
    if ('error' in t) return t.error;
    if (t.current?.optedOut) return c.json({ optOut: optOutView(t.current, config), changed: false } satisfies OptOutChange);
    const at = Math.max(clock.now(), t.current?.at ?? 0);
    await recordOptOut(optOuts, { address: t.address, channel: t.channel, optedOut: true, source: 'admin', detail: null, at });
    await audit(c, t.contact.id, 'opt_out', channelWord(t.channel));
    return c.json({ optOut: optOutView(await optOuts.get(t.address), config), changed: true } satisfies OptOutChange);
  });

  app.post('/contacts/:id/opt-out/lift', async (c) => {
    const t = await target(c);
    if ('error' in t) return t.error;
    const { current } = t;
    if (!current?.optedOut || !isOptOutSource(current.source)) {
      return apiError(c, 'cannot_lift', {}, `The contact is not opted out of ${channelWord(t.channel)}: codes can already be sent.`);
    }
    const lift = liftOf[current.source];
    if (lift === 'contact_only') {
      const number = config.twilio?.from;
      return apiError(
        c,
        'cannot_lift',
        {},
        current.source === 'stop_reply'
          ? `Only the contact can undo a STOP, by texting START to ${number ?? 'the number our texts come from'}. ${meanwhile(t.contact, t.channel)}`
          : `Only the contact can undo an unsubscribe. ${meanwhile(t.contact, t.channel)}`,
      );
    }
    if (lift === 'after_confirming' && !t.confirmed) return apiError(c, 'confirmation_required');
    if (lift === 'after_confirming' && t.channel === 'email' && reactivateEmail) {
      try {
        await reactivateEmail(t.address);
      } catch (error) {
        if (error instanceof DeliveryError && error.failure.kind === 'rejected') {
          return apiError(c, 'cannot_lift', {}, `Postmark would not reactivate this address: ${error.failure.text} Nothing was changed. ${meanwhile(t.contact, t.channel)}`);
        }
        return apiError(c, 'delivery_unavailable', {}, 'We could not reach Postmark to reactivate this address. Nothing was changed; try again in a few minutes.');
      }
    }
    const at = Math.max(clock.now(), current.at);
    await recordOptOut(optOuts, { address: t.address, channel: t.channel, optedOut: false, source: 'admin', detail: null, at });
    await audit(c, t.contact.id, 'lift_opt_out', `${channelWord(t.channel)}, after ${current.source.replace('_', ' ')}`);
    return c.json({ optOut: optOutView(await optOuts.get(t.address), config) } satisfies OptOutLifted);
  });
}
