import '../../../widget/admin/contact-card.ts';
import type { OtpCardChangedEvent, OtpContactCard } from '../../../widget/admin/contact-card.ts';
import { formatWhen } from '../../../widget/admin/when.ts';
import type { OutgoingEventRow } from '../../../api/admin.ts';
import { assert, assertDeepEqual, assertEqual, assertIncludes, bodies, checkA11y, deferred, record, waitFor } from '../helpers.ts';
import { alertText, buttonNamed, card, cleanUp, contact, inShadow, live, mountCard, note, notOptedOut, sectionText, serve, textIn } from './fixtures.ts';

/** The 202 of a sign-in link or invitation: where it went, never the link. */
const sent = (overrides: Record<string, unknown> = {}) => ({ sent: true, channel: 'email', destination: 'j•••@example.com', expiresAt: '2026-11-22T14:20:00.000Z', ...overrides });

/** The fixture's browsers, both signed in. */
const twoSignedIn = () => card().devices.map((d) => ({ ...d, status: 'active' as const }));

describe('<otp-contact-card>', () => {
  afterEach(cleanUp);

  it('shows the diagnosis first, then details, opt-outs, codes, deliveries, browsers, actions and the audit log', async () => {
    const el = await mountCard();
    const headings = [...el.shadowRoot!.querySelectorAll('h2, h3')].map((h) => `${h.tagName} ${h.textContent?.trim()}`);
    assertDeepEqual(headings, [
      'H2 Jo Rower',
      'H3 Why they may not be able to sign in',
      'H3 Details',
      'H3 Opt-outs',
      'H3 Code history',
      'H3 Delivery log',
      'H3 Remembered browsers',
      'H3 Actions',
      'H3 Audit log',
    ], 'the sections, in order');
    const facts = [...el.shadowRoot!.querySelectorAll('.diagnosis li')].map((li) => li.textContent?.trim());
    assertDeepEqual(facts, card().diagnosis.map((c) => c.fact), 'each cause’s fact, in the server’s order (most likely first)');
  });

  it('shows the events sent to the site’s backend, each with how its delivery went, when WEBHOOK_URL is set', async () => {
    const event = (overrides: Partial<OutgoingEventRow>): OutgoingEventRow => ({
      id: 'evt_1', type: 'contact.signed_in', status: 'delivered', attempts: 1, createdAt: '2026-11-22T14:00:00.000Z',
      nextAttemptAt: null, lastStatus: 200, lastError: null, deliveredAt: '2026-11-22T14:00:01.000Z', ...overrides,
    });
    const el = await mountCard(card({
      outgoingEvents: [
        event({ id: 'evt_3', type: 'contact.deactivated', status: 'failed', attempts: 7, lastStatus: 500, lastError: 'answered 500' }),
        event({ id: 'evt_2', type: 'contact.channel.opted_out', status: 'pending', attempts: 1, lastStatus: 503, lastError: 'answered 503', nextAttemptAt: '2026-11-22T14:01:00.000Z' }),
        event({}),
      ],
    }));
    const text = sectionText(el, 'Events sent to your backend');
    assertIncludes(text, 'contact.deactivated', 'the type');
    assertIncludes(text, 'Given up: answered 500', 'a failed one');
    assertIncludes(text, 'answered 503; next try', 'a pending retry');
    assertIncludes(text, 'Delivered (200)', 'a delivered one');
    await checkA11y(el);
    cleanUp();
    const without = await mountCard();
    assert(![...without.shadowRoot!.querySelectorAll('h3')].some((h) => h.textContent?.includes('Events sent')), 'no section without WEBHOOK_URL');
  });

  it('shows the sign-in tries that sent nothing, newest first, today’s as today’s, and no such section when there were none', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const el = await mountCard(card({
      attempts: [
        { day: today, channel: 'sms', block: 'opted_out', detail: 'stop_reply', tries: 3, firstAt: `${today}T09:00:00.000Z`, lastAt: `${today}T09:20:00.000Z` },
        { day: '2026-11-20', channel: 'email', block: 'rate_limited', detail: 'network', tries: 1, firstAt: '2026-11-20T08:00:00.000Z', lastAt: '2026-11-20T08:00:00.000Z' },
      ],
    }));
    const lines = [...el.shadowRoot!.querySelectorAll('.attempts li')].map((li) => textIn(li));
    assertDeepEqual(lines, [
      `${formatWhen(`${today}T09:20:00.000Z`, 'en-GB')} — 3 tries today by SMS, blocked: replied STOP`,
      `${formatWhen('2026-11-20T08:00:00.000Z', 'en-GB')} — 1 try that day by email, blocked: too many code requests from their network`,
    ], 'each day’s tries, with the last one’s time');
    assertIncludes(sectionText(el, 'Sign-in tries that sent nothing'), 'Only admins see these.', 'the lead');
    const headings = [...el.shadowRoot!.querySelectorAll('h3')].map((h) => textIn(h));
    assertEqual(headings.indexOf('Sign-in tries that sent nothing'), headings.indexOf('Code history') + 1, 'right after the code history');
    await checkA11y(el);
    cleanUp();
    const without = await mountCard(card({ attempts: [] }));
    assert(![...without.shadowRoot!.querySelectorAll('h3')].some((h) => h.textContent?.includes('sent nothing')), 'no section without tries');
  });

  it('shows when each address was verified, or that it is not yet', async () => {
    const el = await mountCard(card({ contact: contact({ email: 'jo@example.com', phone: '+14155550123', emailVerifiedAt: '2026-11-20T10:00:00.000Z', phoneVerifiedAt: null }) }));
    const text = textIn(el.shadowRoot);
    assertIncludes(text, 'jo@example.com ( verified 20 Nov 2026', 'email verified');
    assertIncludes(text, '+1 415 555 0123 ( not verified yet', 'phone not verified, in international format');
  });

  it('says nothing stands in the way when the diagnosis is empty', async () => {
    const el = await mountCard(card({ diagnosis: [] }));
    assertEqual(sectionText(el, 'Why they may not be able to sign in'), 'Why they may not be able to sign in Nothing stands in the way: this contact can sign in. If they still cannot, send them a sign-in link.', 'the diagnosis');
  });

  it('shows who the contact is, with times in the page’s language, or "never signed in"', async () => {
    const el = await mountCard();
    const details = sectionText(el, 'Details');
    for (const part of ['Jo Rower', 'jo@example.com', '+44 7700 900123', 'Active', 'Contact', formatWhen('2026-11-01T09:00:00.000Z', 'en-GB')]) {
      assertIncludes(details, part, 'details');
    }
    assertIncludes(details, `Last signed in ${formatWhen('2026-11-02T08:00:00.000Z', 'en-GB')}`, 'last sign-in');
    assertIncludes(formatWhen('2026-11-02T08:00:00.000Z', 'en-GB'), 'Nov 2026', 'en-GB dates read day month year');
    el.card = card({ lastSignedInAt: null, devices: [] });
    await el.updateComplete;
    assertIncludes(sectionText(el, 'Details'), 'Never signed in', 'no sign-in yet');
  });

  it('shows a STOP as "replied STOP", when, the detail, and that only the contact can undo it', async () => {
    const el = await mountCard();
    const optOuts = sectionText(el, 'Opt-outs');
    assertIncludes(optOuts, `SMS Opted out — replied STOP on ${formatWhen('2026-11-20T10:00:00.000Z', 'en-GB')}.`, 'the SMS opt-out');
    assertIncludes(optOuts, 'Provider detail: Replied STOP', 'the provider detail');
    assertIncludes(optOuts, 'Only the contact can undo this, by texting START to our number.', 'what lifts it');
    assertIncludes(optOuts, 'Email Not opted out: codes can be sent.', 'email is fine');
  });

  it('names the number to text START to when the server gives it', async () => {
    const stop = card().optOut.sms;
    const el = await mountCard(card({ optOut: { ...card().optOut, sms: { ...stop, replyTo: '+14155550100' } } }));
    const optOuts = sectionText(el, 'Opt-outs');
    assertIncludes(optOuts, 'Only the contact can undo this, by texting START to +1 415 555 0100.', 'what lifts it, with the number');
    assertEqual(optOuts.includes('our number'), false, 'no vague "our number" beside it');
  });

  it('tells the admin to confirm with the contact before lifting a bounce', async () => {
    const el = await mountCard(card({ optOut: { email: { optedOut: true, source: 'bounce', at: '2026-11-22T14:05:09.000Z', detail: 'Mailbox not found', lift: 'after_confirming' }, sms: notOptedOut() } }));
    const optOuts = sectionText(el, 'Opt-outs');
    assertIncludes(optOuts, 'Opted out — the address bounced on', 'the source in words');
    assertIncludes(optOuts, 'Reactivate only after confirming with the contact.', 'what lifts it');
  });

  it('lists codes by number with outcome and reason in words — and no 6-digit code appears anywhere', async () => {
    const el = await mountCard();
    const rows = [...inShadow(el, '#codes-heading')!.closest('section')!.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.querySelectorAll('td')].slice(1).map((td) => td.textContent?.trim()),
    );
    assertDeepEqual(rows, [
      ['Email', 'No. 2', 'j•••@example.com', 'Still valid', 'Not given'],
      ['Email', 'No. 1', 'j•••@example.com', 'Replaced by a newer code', 'Cookies were cleared'],
    ], 'the code history');
    const text = textIn(el).replaceAll('+44 7700 900123', '');
    assertEqual(/\d{6}/.exec(text)?.[0], undefined, 'a run of six digits on the card (other than the phone number)');
  });

  it('logs each delivery with provider, status and error', async () => {
    const el = await mountCard();
    const deliveries = sectionText(el, 'Delivery log');
    assertIncludes(deliveries, 'postmark Bounced HardBounce: Mailbox not found', 'the bounce');
    assertIncludes(deliveries, 'postmark Delivered None', 'the delivered one');
  });

  it('names remembered browsers from their user agent and offers Revoke only for signed-in ones', async () => {
    const el = await mountCard();
    const browsers = sectionText(el, 'Remembered browsers');
    assertIncludes(browsers, 'Chrome on Windows', 'the Chrome');
    assertIncludes(browsers, 'Safari on iOS', 'the iPhone');
    const revokes = [...inShadow(el, '#devices-heading')!.closest('section')!.querySelectorAll('button')];
    assertDeepEqual(revokes.map((b) => b.getAttribute('aria-label')), [`Revoke Chrome on Windows, last seen ${formatWhen('2026-11-21T18:30:00.000Z', 'en-GB')}`], 'one Revoke, named for its browser');
  });

  it('revokes a browser with a POST to its path, announces it and fires otp-card-changed', async () => {
    const { calls } = serve({ 'POST /api/admin/contacts/c_1/devices/d_1/revoke': { status: 200, body: { revoked: true, deviceId: 'd_1' } } });
    const el = await mountCard();
    const changed = record<OtpCardChangedEvent>(document, 'otp-card-changed');
    buttonNamed(el, 'Revoke')!.click();
    await waitFor(() => changed.length === 1, 'otp-card-changed');
    assertDeepEqual(calls.map((c) => [c.method, c.path, c.credentials, c.contentType]), [['POST', '/api/admin/contacts/c_1/devices/d_1/revoke', 'include', 'application/json']], 'the request');
    assertDeepEqual(changed[0]!.detail, { contactId: 'c_1', action: 'revoke_device' }, 'the event');
    await el.updateComplete;
    assertDeepEqual(note(el, 'devices-note'), { text: 'Chrome on Windows is signed out: it will need a new code.', refused: false }, 'the note under the browsers');
    assertEqual(buttonNamed(el, 'Revoke'), null, 'no Revoke left for a revoked browser');
  });

  it('shows the server’s sentence under the browsers when a revoke fails, and has the card fetched again', async () => {
    serve({ 'POST /api/admin/contacts/c_1/devices/d_1/revoke': { status: 404, body: bodies.error('not_found') } });
    const el = await mountCard();
    const changed = record(document, 'otp-card-changed');
    buttonNamed(el, 'Revoke')!.click();
    await waitFor(() => note(el, 'devices-note').text, 'the refusal');
    assertDeepEqual(note(el, 'devices-note'), { text: 'Server says not_found.', refused: true }, 'the refusal');
    assertDeepEqual(changed.map((e) => (e as CustomEvent<{ action: string }>).detail.action), ['refused'], 'the page is told to fetch the card again, nothing changed');
  });

  it('deactivates only after "Yes, deactivate"; Cancel changes nothing', async () => {
    const answer = deferred();
    const { calls } = serve({
      'POST /api/admin/contacts/c_1/deactivate': async () => {
        await answer.promise;
        return { status: 200, body: { contact: { ...card().contact, status: 'deactivated' }, revokedDevices: 1 } };
      },
    });
    const el = await mountCard();
    const changed = record<OtpCardChangedEvent>(document, 'otp-card-changed');

    buttonNamed(el, 'Deactivate contact')!.click();
    await el.updateComplete;
    assertIncludes(sectionText(el, 'Actions'), 'Are you sure? Jo Rower will be signed out of every browser and get no more codes.', 'the question');
    assertEqual(el.shadowRoot!.activeElement?.textContent?.trim(), 'Yes, deactivate', 'focus on the answer');
    buttonNamed(el, 'Cancel')!.click();
    await el.updateComplete;
    assertEqual(calls.length, 0, 'requests after Cancel');
    assert(buttonNamed(el, 'Deactivate contact'), 'the Deactivate button is back');

    buttonNamed(el, 'Deactivate contact')!.click();
    await el.updateComplete;
    assertEqual(calls.length, 0, 'requests before the answer');
    buttonNamed(el, 'Yes, deactivate')!.click();
    await waitFor(() => calls.length === 1, 'the request');
    answer.resolve();
    await waitFor(() => changed.length === 1, 'otp-card-changed');
    assertDeepEqual([calls[0]!.method, calls[0]!.path], ['POST', '/api/admin/contacts/c_1/deactivate'], 'the request');
    assertDeepEqual(changed[0]!.detail, { contactId: 'c_1', action: 'deactivate' }, 'the event');
    await el.updateComplete;
    assertDeepEqual(note(el, 'status-note'), { text: 'Jo Rower is deactivated and signed out of 1 browser: each will need a new code after activating.', refused: false }, 'the result');
    assertEqual(inShadow(el, '#status-note')!.parentElement, inShadow(el, '#status-action')!.parentElement, 'beside the button');
    assertEqual(inShadow(el, '#status-action')!.getAttribute('aria-describedby'), 'status-note', 'the button is described by it');
    assertEqual(live(el), note(el, 'status-note').text, 'said nowhere else');
    assertIncludes(sectionText(el, 'Details'), 'Deactivated', 'the status');
    assert(buttonNamed(el, 'Activate contact'), 'the way back');
    // The browser that was signed in is listed as revoked at once, with why; no Revoke button is left.
    const browsers = sectionText(el, 'Remembered browsers');
    assertIncludes(browsers, 'Chrome on Windows 2 Nov 2026', 'the browser');
    assertIncludes(browsers, 'Revoked when the contact was deactivated', 'why it is revoked');
    assertIncludes(browsers, 'Revoked by an admin', 'the one revoked before keeps its reason');
    assertEqual(el.shadowRoot!.querySelectorAll('button[aria-label^="Revoke "]').length, 0, 'no browser left to revoke');
  });

  it('names a browser revoked by a deactivation, as the server reports it, and an audit row the server wrote itself', async () => {
    const el = await mountCard(card({
      devices: card().devices.map((d) => ({ ...d, status: 'revoked' as const, revokedReason: d.id === 'd_1' ? ('deactivated' as const) : ('admin' as const) })),
      audit: [{ adminId: null, adminEmail: null, action: 'admin_role_ended', detail: 'ADMIN_EMAILS no longer lists jo@example.com', at: '2026-11-10T12:00:00.000Z' }],
    }));
    const browsers = sectionText(el, 'Remembered browsers');
    assertIncludes(browsers, 'Revoked when the contact was deactivated', 'd_1');
    assertIncludes(browsers, 'Revoked by an admin', 'd_2');
    assertIncludes(sectionText(el, 'Audit log'), 'The server (ADMIN_EMAILS) Ended the admin role (ADMIN_EMAILS no longer lists jo@example.com)', 'the audit row');
  });

  it('makes a contact admin after confirming, and shows the result next to the button', async () => {
    const { calls } = serve({ 'POST /api/admin/contacts/c_1/make-admin': { status: 200, body: { contact: { ...card().contact, role: 'admin' }, changed: true } } });
    const el = await mountCard();
    const changed = record<OtpCardChangedEvent>(document, 'otp-card-changed');
    buttonNamed(el, 'Make admin')!.click();
    await el.updateComplete;
    assertIncludes(sectionText(el, 'Actions'), 'Make Jo Rower an admin?', 'the question');
    assertEqual(calls.length, 0, 'nothing sent before Yes');
    buttonNamed(el, 'Yes, make admin')!.click();
    await waitFor(() => changed.length === 1, 'otp-card-changed');
    await el.updateComplete;
    assertDeepEqual([calls[0]!.method, calls[0]!.path], ['POST', '/api/admin/contacts/c_1/make-admin'], 'the request');
    assertDeepEqual(changed[0]!.detail, { contactId: 'c_1', action: 'make_admin' }, 'the event');
    assertEqual(textIn(inShadow(el, '#role-note')), 'Jo Rower is an admin now.', 'the result, next to the button');
    assertEqual(inShadow(el, '#role-note')!.nextElementSibling, null, 'nothing after it in the row');
    assertEqual(inShadow(el, '#role-action')!.textContent?.trim(), 'Remove admin role', 'the way back');
    assertEqual(el.shadowRoot!.activeElement?.id, 'role-action', 'focus on the button');
    assertIncludes(sectionText(el, 'Details'), 'Admin', 'the role');
    await checkA11y(el);
  });

  it('shows why the admin role cannot be removed next to the button, and changes nothing', async () => {
    const refusal = 'You are the only admin: without you, nobody could open the admin. Make another contact an admin first, then remove your own role.';
    serve({ 'POST /api/admin/contacts/c_1/remove-admin': { status: 409, body: { error: { code: 'cannot_change_role', message: refusal } } } });
    const el = await mountCard(card({ contact: contact({ role: 'admin' }) }));
    const changed = record<OtpCardChangedEvent>(document, 'otp-card-changed');
    buttonNamed(el, 'Remove admin role')!.click();
    await el.updateComplete;
    assertIncludes(sectionText(el, 'Actions'), 'Remove Jo Rower’s admin role?', 'the question');
    buttonNamed(el, 'Yes, remove the role')!.click();
    await waitFor(() => textIn(inShadow(el, '#role-note')) !== '', 'the refusal');
    assertEqual(textIn(inShadow(el, '#role-note')), refusal, 'the server’s reason, next to the button');
    assertEqual(inShadow(el, '#role-note')!.className, 'alert', 'shown as a refusal');
    assertEqual(alertText(el), '', 'not at the top of the card');
    assertEqual(changed.length, 0, 'nothing changed');
    assertIncludes(sectionText(el, 'Details'), 'Admin', 'still an admin');
    assertEqual(el.shadowRoot!.activeElement?.id, 'role-action', 'focus back on the button');
  });

  it('sends a sign-in link by email with a POST and says where it went, never the link', async () => {
    const { calls } = serve({ 'POST /api/admin/contacts/c_1/sign-in-link': { status: 202, body: sent() } });
    const el = await mountCard();
    const changed = record<OtpCardChangedEvent>(document, 'otp-card-changed');
    assertEqual(buttonNamed(el, 'Send invitation'), null, 'no invitation for a contact who signed in before');
    buttonNamed(el, 'Send sign-in link')!.click();
    await waitFor(() => changed.length === 1, 'otp-card-changed');
    assertDeepEqual(calls.map((c) => [c.method, c.path, c.credentials, c.contentType, c.body]), [
      ['POST', '/api/admin/contacts/c_1/sign-in-link', 'include', 'application/json', { channel: 'email' }],
    ], 'the request');
    assertDeepEqual(changed[0]!.detail, { contactId: 'c_1', action: 'send_sign_in_link' }, 'the event');
    await el.updateComplete;
    assertDeepEqual(note(el, 'send-note'), { text: 'Sent a sign-in link to j•••@example.com; it works once, for 15 minutes.', refused: false }, 'the result, with the answer’s destination');
    assertEqual(inShadow(el, '#send-note')!.parentElement, inShadow(el, '#send-link')!.parentElement, 'beside the button');
    assertEqual(live(el), note(el, 'send-note').text, 'said nowhere else');
    assertEqual(el.shadowRoot!.activeElement?.id, 'send-link', 'focus stays on the button');
  });

  it('sends by SMS when the contact has no email', async () => {
    const { calls } = serve({ 'POST /api/admin/contacts/c_1/sign-in-link': { status: 202, body: sent({ channel: 'sms', destination: '+44•••••••123' }) } });
    const el = await mountCard(card({ contact: contact({ email: null }), optOut: { ...card().optOut, sms: notOptedOut() } }));
    buttonNamed(el, 'Send sign-in link')!.click();
    await waitFor(() => note(el, 'send-note').text, 'the result');
    assertDeepEqual(calls[0]!.body, { channel: 'sms' }, 'the channel');
    assertEqual(note(el, 'send-note').text, 'Sent a sign-in link to +44•••••••123; it works once, for 15 minutes.', 'the result');
  });

  it('shows the server’s refusal beside the button when the card was older than the server’s facts, and has the card fetched again', async () => {
    const message = 'The contact opted out of SMS: use the other channel.';
    serve({ 'POST /api/admin/contacts/c_1/sign-in-link': { status: 409, body: { error: { code: 'not_reachable', message } } } });
    const el = await mountCard();
    const changed = record(document, 'otp-card-changed');
    buttonNamed(el, 'Send sign-in link')!.click();
    await waitFor(() => note(el, 'send-note').text, 'the refusal');
    assertDeepEqual(note(el, 'send-note'), { text: message, refused: true }, 'the server’s sentence, beside the button');
    assertEqual(alertText(el), '', 'not at the top of the card');
    assertEqual(el.shadowRoot!.activeElement?.id, 'send-link', 'focus back on the button');
    assertDeepEqual(changed.map((e) => (e as CustomEvent<{ action: string }>).detail.action), ['refused'], 'the page is told to fetch the card again, nothing changed');
  });

  it('offers an invitation to a contact who never signed in, and posts it to /invite', async () => {
    const { calls } = serve({ 'POST /api/admin/contacts/c_1/invite': { status: 202, body: sent({ expiresAt: '2026-11-29T14:05:00.000Z' }) } });
    const el = await mountCard(card({ devices: [], lastSignedInAt: null }));
    const changed = record<OtpCardChangedEvent>(document, 'otp-card-changed');
    const invite = buttonNamed(el, 'Send invitation')!;
    assertEqual(invite.disabled, false, 'the invitation can be sent');
    invite.click();
    await waitFor(() => changed.length === 1, 'otp-card-changed');
    assertDeepEqual(calls.map((c) => [c.method, c.path, c.credentials, c.contentType, c.body]), [
      ['POST', '/api/admin/contacts/c_1/invite', 'include', 'application/json', { channel: 'email' }],
    ], 'the request');
    assertDeepEqual(changed[0]!.detail, { contactId: 'c_1', action: 'send_invitation' }, 'the event');
    await el.updateComplete;
    assertEqual(note(el, 'send-note').text, `Sent an invitation to j•••@example.com; it works once, until ${formatWhen('2026-11-29T14:05:00.000Z', undefined)}.`, 'the result: an invitation lasts days');
    assert(/Nov 29, 2026|29 Nov 2026/.test(note(el, 'send-note').text), 'the day it stops working');
  });

  it('disables "Send sign-in link" for an SMS-only contact who replied STOP, with the reason beside it, and sends nothing', async () => {
    const { calls } = serve({});
    const el = await mountCard(card({ contact: contact({ email: null }) }));
    const link = buttonNamed(el, 'Send sign-in link')!;
    assertEqual(link.disabled, true, 'the link button is disabled');
    assertEqual(link.getAttribute('aria-describedby'), 'send-why', 'the button is described by its reason');
    assertEqual(textIn(inShadow(el, '#send-why')), 'No sign-in link: the contact opted out of SMS, the only channel on file. Add an email address with “Edit details”.', 'the reason');
    assertEqual(inShadow(el, '#send-why')!.parentElement, link.parentElement, 'beside the button');
    link.click();
    await el.updateComplete;
    assertEqual(calls.length, 0, 'nothing sent');
    // Once the server's facts allow it (the contact texted START), the button works again.
    el.card = card({ contact: contact({ email: null }), optOut: { ...card().optOut, sms: notOptedOut() } });
    await el.updateComplete;
    assertEqual(buttonNamed(el, 'Send sign-in link')!.disabled, false, 'enabled when the contact can be reached');
    assertEqual(inShadow(el, '#send-why'), null, 'no reason left');
    await checkA11y(el);
  });

  it('disables the sign-in link and the invitation, with the reason beside them, when the server would refuse them', async () => {
    const stop = card().optOut.sms;
    const reasonOf = (el: OtpContactCard) => {
      const reasons = ['Send sign-in link', 'Send invitation'].map((name) => {
        const button = buttonNamed(el, name)!;
        assertEqual(button.disabled, true, `"${name}" is disabled`);
        const id = button.getAttribute('aria-describedby');
        assert(id, `"${name}" is described by its reason`);
        return textIn(inShadow(el, `#${id}`));
      });
      assertEqual(reasons[0], reasons[1], 'one reason for both');
      return reasons[0];
    };
    const smsOnly = await mountCard(card({ devices: [], contact: contact({ email: null }) }));
    assertEqual(reasonOf(smsOnly), 'No sign-in link or invitation: the contact opted out of SMS, the only channel on file. Add an email address with “Edit details”.', 'opted out of the only channel');
    assertIncludes(sectionText(smsOnly, 'Actions'), 'Send invitation No sign-in link or invitation: the contact opted out of SMS', 'the reason is shown next to them');

    smsOnly.card = card({ devices: [], optOut: { email: { optedOut: true, source: 'bounce', at: null, detail: null, lift: 'after_confirming' }, sms: stop } });
    await smsOnly.updateComplete;
    assertEqual(reasonOf(smsOnly), 'No sign-in link or invitation: the contact opted out of both email and SMS. “Opt-outs” above says what lifts each.', 'both opted out');

    smsOnly.card = card({ devices: [], contact: contact({ email: null, phone: null }) });
    await smsOnly.updateComplete;
    assertEqual(reasonOf(smsOnly), 'No sign-in link or invitation: there is no email address or mobile number on file. Add one with “Edit details”.', 'nothing on file');

    smsOnly.card = card({ devices: [], contact: contact({ status: 'deactivated' }) });
    await smsOnly.updateComplete;
    assertEqual(reasonOf(smsOnly), 'No sign-in link or invitation: the contact is deactivated. Activate them first.', 'deactivated');
    await checkA11y(smsOnly);
  });

  it('offers "Revoke all browsers" only when more than one is signed in', async () => {
    const el = await mountCard();
    assertEqual(buttonNamed(el, 'Revoke all browsers'), null, 'one signed-in browser: Revoke is enough');
    el.card = card({ devices: twoSignedIn() });
    await el.updateComplete;
    assert(buttonNamed(el, 'Revoke all browsers'), 'two signed in: Revoke all');
    assertIncludes(sectionText(el, 'Remembered browsers'), 'Revoke all browsers', 'in the remembered-browsers section');
  });

  it('revokes all browsers only after "Yes, revoke all"; Cancel changes nothing', async () => {
    const { calls } = serve({ 'POST /api/admin/contacts/c_1/devices/revoke-all': { status: 200, body: { revoked: 2 } } });
    const el = await mountCard(card({ devices: twoSignedIn() }));
    const changed = record<OtpCardChangedEvent>(document, 'otp-card-changed');

    buttonNamed(el, 'Revoke all browsers')!.click();
    await el.updateComplete;
    assertIncludes(sectionText(el, 'Remembered browsers'), 'Are you sure? Jo Rower will be signed out of all 2 browsers and need a new code on each.', 'the question');
    assertEqual(el.shadowRoot!.activeElement?.textContent?.trim(), 'Yes, revoke all', 'focus on the answer');
    await checkA11y(el);
    buttonNamed(el, 'Cancel')!.click();
    await el.updateComplete;
    assertEqual(calls.length, 0, 'requests after Cancel');
    assertEqual(el.shadowRoot!.activeElement?.textContent?.trim(), 'Revoke all browsers', 'focus back on the button');

    buttonNamed(el, 'Revoke all browsers')!.click();
    await el.updateComplete;
    assertEqual(calls.length, 0, 'requests before the answer');
    buttonNamed(el, 'Yes, revoke all')!.click();
    await waitFor(() => changed.length === 1, 'otp-card-changed');
    assertDeepEqual(calls.map((c) => [c.method, c.path, c.credentials, c.contentType]), [['POST', '/api/admin/contacts/c_1/devices/revoke-all', 'include', 'application/json']], 'the request');
    assertDeepEqual(changed[0]!.detail, { contactId: 'c_1', action: 'revoke_all_devices' }, 'the event');
    await el.updateComplete;
    assertEqual(note(el, 'devices-note').text, 'Jo Rower is signed out of 2 browsers: each will need a new code.', 'the result, under the browsers');
    assertEqual(buttonNamed(el, 'Revoke'), null, 'no Revoke left');
    assertEqual(buttonNamed(el, 'Revoke all browsers'), null, 'no Revoke all left');
  });

  it('writes the numbers in an audit entry as everywhere else in the admin (+44 7700 900123), not as the server stored them', async () => {
    const el = await mountCard(card({
      audit: [{ adminId: 'admin-1', adminEmail: 'boss@example.com', action: 'create', detail: 'jo@example.com, +447700900123', at: '2026-11-10T12:00:00.000Z' }],
    }));
    assertIncludes(sectionText(el, 'Audit log'), '(jo@example.com, +44 7700 900123)', 'the number in international format');
  });

  it('shows the audit log: who, what, when', async () => {
    const el = await mountCard();
    assertIncludes(sectionText(el, 'Audit log'), 'boss@example.com Revoked a remembered browser (Safari on iOS)', 'the entry, the browser in words');
    assertIncludes(sectionText(el, 'Audit log'), formatWhen('2026-11-10T12:00:00.000Z', 'en-GB'), 'when');
  });

  it('has no axe violations, on a narrow screen (tables scroll) and with the confirm step open', async () => {
    const el = await mountCard();
    await checkA11y(el);
    el.parentElement!.style.width = '20rem';
    await checkA11y(el);
    buttonNamed(el, 'Deactivate contact')!.click();
    await el.updateComplete;
    await checkA11y(el);
  });
});
