import '../../../widget/admin/contact-card.ts';
import type { ContactCard, OptOutState } from '../../../widget/admin/admin-api.ts';
import type { OtpCardChangedEvent, OtpContactCard } from '../../../widget/admin/contact-card.ts';
import { assert, assertDeepEqual, assertEqual, assertIncludes, checkA11y, deferred, record, waitFor } from '../helpers.ts';
import { alertText, buttonNamed, card, cleanUp, contact, focused, inShadow, live, mountCard, note, notOptedOut, serve, textIn } from './fixtures.ts';

const AT = '2026-11-22T14:05:09.000Z';
const adminOptOut = (): OptOutState => ({ optedOut: true, source: 'admin', at: AT, detail: null, lift: 'admin' });
const bounce = (): OptOutState => ({ optedOut: true, source: 'bounce', at: AT, detail: 'Mailbox not found', lift: 'after_confirming' });

/** Jo's card with these opt-outs (SMS: not opted out unless given). */
const withOptOuts = (optOut: Partial<ContactCard['optOut']>) => card({ optOut: { email: notOptedOut(), sms: notOptedOut(), ...optOut } });

/** The text of one channel's entry in the Opt-outs section. */
function channelText(el: OtpContactCard, channel: 'Email' | 'SMS'): string {
  const dt = [...inShadow(el, '#optout-heading')!.closest('section')!.querySelectorAll('dt')].find((d) => d.textContent?.trim() === channel);
  assert(dt, `an entry for ${channel}`);
  return textIn(dt.parentElement);
}

const question = (el: OtpContactCard) => textIn(inShadow(el, '#confirm-question'));
const optOutPath = '/api/admin/contacts/c_1/opt-out';
const liftPath = '/api/admin/contacts/c_1/opt-out/lift';

describe('<otp-contact-card> opt-out actions', () => {
  afterEach(cleanUp);

  it('offers "Opt out of email" and asks first, naming the address; Cancel sends nothing and returns focus', async () => {
    const { calls } = serve({});
    const el = await mountCard(withOptOuts({}));
    assertIncludes(channelText(el, 'Email'), 'Opt out of email', 'the email button');
    assertIncludes(channelText(el, 'SMS'), 'Opt out of SMS', 'the SMS button');
    buttonNamed(el, 'Opt out of email')!.click();
    await el.updateComplete;
    assertEqual(question(el), 'Stop sending codes and links to jo@example.com by email? The contact can’t sign in by email until an admin lifts this.', 'the question');
    assertEqual(inShadow(el, '[role="group"]')!.getAttribute('aria-labelledby'), 'confirm-question', 'a group named by its question');
    assertEqual(el.shadowRoot!.activeElement?.textContent?.trim(), 'Yes, opt out', 'focus on the answer');
    buttonNamed(el, 'Cancel')!.click();
    await el.updateComplete;
    assertEqual(calls.length, 0, 'requests');
    assertEqual(focused(el), 'optout-email', 'focus back on the button');
  });

  it('opts out with a POST of the channel, shows the new state, announces it and fires otp-card-changed', async () => {
    const { calls } = serve({ [`POST ${optOutPath}`]: { status: 200, body: { optOut: adminOptOut(), changed: true } } });
    const el = await mountCard(withOptOuts({}));
    const changed = record<OtpCardChangedEvent>(document, 'otp-card-changed');
    buttonNamed(el, 'Opt out of SMS')!.click();
    await el.updateComplete;
    assertIncludes(question(el), 'to +44 7700 900123 by SMS?', 'the question names the number');
    buttonNamed(el, 'Yes, opt out')!.click();
    await waitFor(() => changed.length === 1, 'otp-card-changed');
    assertDeepEqual(calls.map((c) => [c.method, c.path, c.credentials, c.contentType, c.body]), [['POST', optOutPath, 'include', 'application/json', { channel: 'sms' }]], 'the request');
    assertDeepEqual(changed[0]!.detail, { contactId: 'c_1', action: 'opt_out' }, 'the event');
    await el.updateComplete;
    assertDeepEqual(note(el, 'optout-sms-note'), { text: 'Opted out of SMS: no codes or links go to +44 7700 900123 until an admin lifts it.', refused: false }, 'the result');
    assertEqual(inShadow(el, '#optout-sms-note')!.parentElement, inShadow(el, '#optout-sms')!.parentElement, 'beside the button');
    assertIncludes(channelText(el, 'SMS'), 'Opted out — an admin opted them out', 'the new state');
    assertIncludes(channelText(el, 'SMS'), 'Lift the opt-out', 'the way back');
    assertEqual(focused(el), 'optout-sms', 'focus stays on the channel’s button, now "Lift the opt-out"');
  });

  it('says nothing changed when the channel was already opted out', async () => {
    serve({ [`POST ${optOutPath}`]: { status: 200, body: { optOut: bounce(), changed: false } } });
    const el = await mountCard(withOptOuts({}));
    buttonNamed(el, 'Opt out of email')!.click();
    await el.updateComplete;
    buttonNamed(el, 'Yes, opt out')!.click();
    await waitFor(() => live(el), 'the live region');
    assertEqual(note(el, 'optout-email-note').text, 'Already opted out of email: nothing changed.', 'the result');
    assertIncludes(channelText(el, 'Email'), 'the address bounced', 'the state the server has');
  });

  it('lifts an admin’s opt-out after "Yes, lift it"', async () => {
    const { calls } = serve({ [`POST ${liftPath}`]: { status: 200, body: { optOut: notOptedOut() } } });
    const el = await mountCard(withOptOuts({ email: adminOptOut() }));
    const changed = record<OtpCardChangedEvent>(document, 'otp-card-changed');
    const lift = buttonNamed(el, 'Lift the opt-out')!;
    assertEqual(lift.getAttribute('aria-label'), 'Lift the opt-out of email', 'its name says which channel');
    lift.click();
    await el.updateComplete;
    assertEqual(question(el), 'Lift the opt-out? Codes and links will go to jo@example.com by email again.', 'the question');
    assertEqual(inShadow(el, '#confirm-check'), null, 'no box to tick for an admin’s own opt-out');
    buttonNamed(el, 'Yes, lift it')!.click();
    await waitFor(() => changed.length === 1, 'otp-card-changed');
    assertDeepEqual(calls.map((c) => [c.method, c.path, c.contentType, c.body]), [['POST', liftPath, 'application/json', { channel: 'email' }]], 'the request');
    assertDeepEqual(changed[0]!.detail, { contactId: 'c_1', action: 'lift_opt_out' }, 'the event');
    await el.updateComplete;
    assertEqual(note(el, 'optout-email-note').text, 'The opt-out is lifted: codes and links can go to jo@example.com by email again.', 'the result');
    assertIncludes(channelText(el, 'Email'), 'Not opted out', 'the new state');
    assertEqual(focused(el), 'optout-email', 'focus on the channel’s button, now "Opt out of email"');
    assertEqual(el.shadowRoot!.activeElement?.textContent?.trim(), 'Opt out of email', 'the button');
  });

  it('reactivates a bounced address only once the admin ticks that they confirmed with the contact', async () => {
    const { calls } = serve({ [`POST ${liftPath}`]: { status: 200, body: { optOut: notOptedOut() } } });
    const el = await mountCard(withOptOuts({ email: bounce() }));
    const changed = record<OtpCardChangedEvent>(document, 'otp-card-changed');
    buttonNamed(el, 'Reactivate email')!.click();
    await el.updateComplete;
    const group = textIn(inShadow(el, '[role="group"]'));
    assertIncludes(group, 'Reactivate email for jo@example.com? Codes and links will go to it again.', 'the question');
    assertIncludes(group, 'This also removes the address from the email provider’s suppression list.', 'what else it does');
    const box = inShadow<HTMLInputElement>(el, '#confirm-check')!;
    assertEqual(textIn(inShadow(el, 'label[for="confirm-check"]')), 'I confirmed with the contact that jo@example.com is right and they want our messages', 'the box’s label');
    assertEqual(box.required, true, 'the box is required');
    assertEqual(focused(el), 'confirm-check', 'focus on the box, the first thing to do');
    const yes = buttonNamed(el, 'Yes, reactivate')!;
    assertEqual(yes.disabled, true, '"Yes" waits for the box');
    yes.click();
    assertEqual(calls.length, 0, 'requests before the box is ticked');
    box.click();
    await el.updateComplete;
    assertEqual(yes.disabled, false, 'ticked: "Yes" can be pressed');
    box.click();
    await el.updateComplete;
    assertEqual(yes.disabled, true, 'unticked again: "Yes" waits again');
    box.click();
    await el.updateComplete;
    yes.click();
    await waitFor(() => changed.length === 1, 'otp-card-changed');
    assertDeepEqual(calls.map((c) => [c.method, c.path, c.body]), [['POST', liftPath, { channel: 'email', confirmed: true }]], 'the request says the admin confirmed');
    assertDeepEqual(changed[0]!.detail, { contactId: 'c_1', action: 'lift_opt_out' }, 'the event');
    await el.updateComplete;
    assertIncludes(channelText(el, 'Email'), 'Not opted out', 'the new state');
    assertEqual(focused(el), 'optout-email', 'focus on the channel’s button');
  });

  it('starts a new question with the box unticked, and says nothing of a suppression list for SMS', async () => {
    const el = await mountCard(withOptOuts({ email: bounce(), sms: { optedOut: true, source: 'provider_suppressed', at: AT, detail: null, lift: 'after_confirming' } }));
    buttonNamed(el, 'Reactivate email')!.click();
    await el.updateComplete;
    inShadow<HTMLInputElement>(el, '#confirm-check')!.click();
    buttonNamed(el, 'Cancel')!.click();
    await el.updateComplete;
    buttonNamed(el, 'Reactivate SMS')!.click();
    await el.updateComplete;
    assertEqual(inShadow<HTMLInputElement>(el, '#confirm-check')!.checked, false, 'the box is unticked');
    assertEqual(buttonNamed(el, 'Yes, reactivate')!.disabled, true, '"Yes" waits');
    assertIncludes(question(el), 'Reactivate SMS for +44 7700 900123?', 'the question');
    assertEqual(textIn(inShadow(el, '[role="group"]')).includes('suppression list'), false, 'no email provider for SMS');
  });

  it('offers no button where only the contact can undo it (STOP, unsubscribe), nor for a channel with no address', async () => {
    const stop = card().optOut.sms;
    const unsubscribed: OptOutState = { optedOut: true, source: 'unsubscribe', at: AT, detail: null, lift: 'contact_only' };
    const el = await mountCard(card({ contact: contact({ phone: '+447700900123' }), optOut: { email: unsubscribed, sms: stop } }));
    assertEqual(inShadow(el, '#optout-heading')!.closest('section')!.querySelectorAll('button').length, 0, 'no opt-out buttons');
    assertIncludes(channelText(el, 'SMS'), 'Only the contact can undo this, by texting START to our number.', 'the STOP sentence stays');
    assertIncludes(channelText(el, 'Email'), 'Only the contact can undo this, by subscribing again.', 'the unsubscribe sentence');
    el.card = withOptOuts({});
    el.card = { ...el.card, contact: contact({ phone: null }) };
    await el.updateComplete;
    assertEqual(buttonNamed(el, 'Opt out of SMS'), null, 'nothing to opt out of without a number');
    assert(buttonNamed(el, 'Opt out of email'), 'email still can be');
  });

  for (const [status, code, message, start, button, yes] of [
    [400, 'confirmation_required', 'Confirm with the contact that the address is right and that they want our messages, then tick the box.', bounce, 'Reactivate email', 'Yes, reactivate'],
    [409, 'cannot_lift', 'Postmark would not reactivate this address: it was marked as spam. Ask the contact for another address.', bounce, 'Reactivate email', 'Yes, reactivate'],
    [409, 'not_reachable', 'This contact cannot be reached on that channel. Check the card’s opt-outs and contact details.', notOptedOut, 'Opt out of email', 'Yes, opt out'],
    [503, 'delivery_unavailable', 'Email can’t be changed right now: the provider is not configured. Try again later.', adminOptOut, 'Lift the opt-out', 'Yes, lift it'],
  ] as const) {
    it(`shows the server’s sentence on ${status} ${code} and keeps the opt-out as it was`, async () => {
      serve({ [`POST ${optOutPath}`]: { status, body: { error: { code, message } } }, [`POST ${liftPath}`]: { status, body: { error: { code, message } } } });
      const el = await mountCard(withOptOuts({ email: start() }));
      const before = channelText(el, 'Email');
      const changed = record(document, 'otp-card-changed');
      buttonNamed(el, button)!.click();
      await el.updateComplete;
      inShadow<HTMLInputElement>(el, '#confirm-check')?.click();
      await el.updateComplete;
      buttonNamed(el, yes)!.click();
      await waitFor(() => note(el, 'optout-email-note').text, 'the refusal');
      assertDeepEqual(note(el, 'optout-email-note'), { text: message, refused: true }, 'the server’s sentence, beside the button');
      assertIncludes(channelText(el, 'Email'), before, 'the opt-out as it was');
      assertDeepEqual(changed.map((e) => (e as CustomEvent<{ action: string }>).detail.action), ['refused'], 'the page is told to fetch the card again, nothing changed');
      assertEqual(alertText(el), '', 'not at the top of the card');
      assertEqual(focused(el), 'optout-email', 'focus back on the button, to try again');
    });
  }

  it('lets nothing else start while an opt-out is sent', async () => {
    const answer = deferred();
    serve({ [`POST ${optOutPath}`]: async () => (await answer.promise, { status: 200, body: { optOut: adminOptOut(), changed: true } }) });
    const el = await mountCard(withOptOuts({}));
    buttonNamed(el, 'Opt out of email')!.click();
    await el.updateComplete;
    buttonNamed(el, 'Yes, opt out')!.click();
    await el.updateComplete;
    assertDeepEqual(['Yes, opt out', 'Cancel', 'Opt out of SMS', 'Send sign-in link', 'Edit details'].map((b) => buttonNamed(el, b)?.disabled), [true, true, true, true, true], 'every button waits');
    answer.resolve();
    await waitFor(() => live(el), 'the answer');
    assertEqual(buttonNamed(el, 'Opt out of SMS')!.disabled, false, 'the buttons are back');
  });

  it('has no axe violations with a question open, its box to tick', async () => {
    const el = await mountCard(withOptOuts({ email: bounce(), sms: adminOptOut() }));
    await checkA11y(el);
    buttonNamed(el, 'Reactivate email')!.click();
    await el.updateComplete;
    await checkA11y(el);
  });
});
