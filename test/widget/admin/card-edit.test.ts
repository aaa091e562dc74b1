import '../../../widget/admin/contact-card.ts';
import type { OtpCardChangedEvent, OtpContactCard, OtpOpenContactEvent } from '../../../widget/admin/contact-card.ts';
import { assert, assertDeepEqual, assertEqual, assertIncludes, checkA11y, deferred, record, waitFor } from '../helpers.ts';
import { buttonNamed, cleanUp, contact, focused, inShadow, live, mountCard, note, sectionText, serve, textIn } from './fixtures.ts';

const field = (el: OtpContactCard, name: 'email' | 'phone' | 'name') => inShadow<HTMLInputElement>(el, `#edit-${name}`)!;
const formError = (el: OtpContactCard) => textIn(inShadow(el, '#edit-error'));
const saved = (overrides: Parameters<typeof contact>[0]) => ({ status: 200, body: { contact: contact(overrides) } });
const refusal = (status: number, code: string, message: string, extra: Record<string, unknown> = {}) => ({ status, body: { error: { code, message, ...extra } } });

/** Opens the form, replaces the fields given, and presses Save. */
async function edit(el: OtpContactCard, values: Partial<Record<'email' | 'phone' | 'name', string>>): Promise<void> {
  if (!inShadow(el, '#edit-form')) {
    buttonNamed(el, 'Edit details')!.click();
    await el.updateComplete;
  }
  for (const [name, value] of Object.entries(values)) field(el, name as 'email').value = value;
  buttonNamed(el, 'Save')!.click();
}

describe('<otp-contact-card> Edit details', () => {
  afterEach(cleanUp);

  it('opens a form in the details, prefilled, with labelled fields and focus on the first', async () => {
    const el = await mountCard();
    assertIncludes(sectionText(el, 'Details'), 'Edit details', 'the button sits in the details');
    buttonNamed(el, 'Edit details')!.click();
    await el.updateComplete;
    assertDeepEqual(['email', 'phone', 'name'].map((n) => field(el, n as 'email').value), ['jo@example.com', '+44 7700 900123', 'Jo Rower'], 'the values: the number in international format');
    const labels = [...el.shadowRoot!.querySelectorAll('#edit-form label')].map((l) => [l.getAttribute('for'), l.textContent?.trim()]);
    assertDeepEqual(labels, [['edit-email', 'Email'], ['edit-phone', 'Mobile number'], ['edit-name', 'Name (optional)']], 'a real label for each field');
    assertDeepEqual(['email', 'phone', 'name'].map((n) => field(el, n as 'email').autocomplete), ['off', 'off', 'off'], 'no autofill of the admin’s own details');
    assertDeepEqual([field(el, 'email').inputMode, field(el, 'phone').inputMode], ['email', 'tel'], 'the keyboards');
    assertEqual(focused(el), 'edit-email', 'focus on the first field');
    assertEqual(buttonNamed(el, 'Edit details'), null, 'the button gives way to the form');
  });

  it('saves all three fields with a POST ("" clears one), shows the new details, announces it and fires otp-card-changed', async () => {
    const { calls } = serve({ 'POST /api/admin/contacts/c_1': saved({ name: 'Jo Oar', phone: null }) });
    const el = await mountCard();
    const changed = record<OtpCardChangedEvent>(document, 'otp-card-changed');
    await edit(el, { name: '  Jo Oar ', phone: '' });
    await waitFor(() => changed.length === 1, 'otp-card-changed');
    assertDeepEqual(calls.map((c) => [c.method, c.path, c.credentials, c.contentType, c.body]), [
      ['POST', '/api/admin/contacts/c_1', 'include', 'application/json', { email: 'jo@example.com', phone: '', name: 'Jo Oar' }],
    ], 'the request');
    assertDeepEqual(changed[0]!.detail, { contactId: 'c_1', action: 'edit' }, 'the event');
    await el.updateComplete;
    assertEqual(note(el, 'edit-note').text, 'Saved. A changed email or phone is unverified until the contact next signs in with it; the old one was told of the change.', 'the result, beside "Edit details"');
    assertEqual(inShadow(el, '#edit-form'), null, 'the form closed');
    assertIncludes(sectionText(el, 'Details'), 'Mobile number None on file', 'the cleared phone');
    assertEqual(textIn(inShadow(el, 'h2')), 'Jo Oar', 'the heading has the new name');
    await waitFor(() => focused(el) === 'edit-details', 'focus back on "Edit details"');
  });

  for (const [code, name, message] of [
    ['invalid_email', 'email', 'This email address is not valid. Check it for typos.'],
    ['invalid_phone', 'phone', 'This mobile number is not valid. Give it with the country code, like +44 7911 123456.'],
  ] as const) {
    it(`keeps the form open with what was typed on ${code}, the field marked and described by the server’s sentence`, async () => {
      serve({ 'POST /api/admin/contacts/c_1': refusal(400, code, message) });
      const el = await mountCard();
      const changed = record(document, 'otp-card-changed');
      await edit(el, { [name]: 'not-valid', name: 'Typed name' });
      await waitFor(() => formError(el), 'the form’s alert');
      assertEqual(formError(el), message, 'the server’s sentence');
      assertEqual(inShadow(el, '#edit-error')!.getAttribute('role'), 'alert', 'an alert');
      assertEqual(field(el, name).getAttribute('aria-invalid'), 'true', 'the field is marked');
      assertIncludes(field(el, name).getAttribute('aria-describedby'), 'edit-error', 'the field is described by the sentence');
      const other = name === 'email' ? 'phone' : 'email';
      assertEqual(field(el, other).getAttribute('aria-invalid'), 'false', 'the other field is not');
      assertDeepEqual([field(el, name).value, field(el, 'name').value], ['not-valid', 'Typed name'], 'what was typed is kept');
      assertEqual(focused(el), `edit-${name}`, 'focus on the field to fix');
      assertEqual(changed.length, 0, 'events');
      assertEqual(live(el), '', 'nothing announced as saved');
      await checkA11y(el);
    });
  }

  it('shows a refusal about no one field (missing_identifier, invalid_request) above the form and marks no field', async () => {
    const message = 'Give an email address or a mobile number: a contact needs one to sign in.';
    serve({ 'POST /api/admin/contacts/c_1': [refusal(400, 'missing_identifier', message), refusal(400, 'invalid_request', 'The request was not understood. Reload the page.')] });
    const el = await mountCard();
    await edit(el, { email: '', phone: '' });
    await waitFor(() => formError(el) === message, 'the first refusal');
    assertDeepEqual(['email', 'phone'].map((n) => field(el, n as 'email').getAttribute('aria-invalid')), ['false', 'false'], 'no field marked');
    assertEqual(focused(el), 'edit-save', 'focus back on Save');
    await edit(el, {});
    await waitFor(() => formError(el) === 'The request was not understood. Reload the page.', 'the second refusal');
  });

  it('offers to open the contact that already has the address (409 contact_exists)', async () => {
    serve({ 'POST /api/admin/contacts/c_1': refusal(409, 'contact_exists', 'A contact with this email address already exists. Open it instead.', { contactId: 'c_9' }) });
    const el = await mountCard();
    const opened = record<OtpOpenContactEvent>(document, 'otp-open-contact');
    await edit(el, { email: 'ann@example.com' });
    const openIt = await waitFor(() => buttonNamed(el, 'Open it'), 'Open it');
    assertIncludes(formError(el), 'already exists', 'the server’s sentence');
    assert(inShadow(el, '#edit-form'), 'the form stays open');
    openIt.click();
    assertDeepEqual(opened.map((e) => e.detail), [{ contactId: 'c_9' }], 'the page is asked to open the other contact');
  });

  it('closes on Cancel, sends nothing and returns focus to "Edit details"', async () => {
    const { calls } = serve({});
    const el = await mountCard();
    buttonNamed(el, 'Edit details')!.click();
    await el.updateComplete;
    field(el, 'name').value = 'Never saved';
    buttonNamed(el, 'Cancel')!.click();
    await el.updateComplete;
    assertEqual(inShadow(el, '#edit-form'), null, 'the form closed');
    assertEqual(focused(el), 'edit-details', 'focus on "Edit details"');
    assertEqual(calls.length, 0, 'requests');
    buttonNamed(el, 'Edit details')!.click();
    await el.updateComplete;
    assertEqual(field(el, 'name').value, 'Jo Rower', 'opened again, the form shows the saved name');
  });

  it('says "Saving…" and lets nothing else start while the edit is sent', async () => {
    const answer = deferred();
    serve({ 'POST /api/admin/contacts/c_1': async () => (await answer.promise, saved({})) });
    const el = await mountCard();
    await edit(el, { name: 'Jo' });
    await waitFor(() => buttonNamed(el, 'Saving…'), '"Saving…"');
    assertEqual(buttonNamed(el, 'Saving…')!.disabled, true, 'Save waits');
    assertEqual(buttonNamed(el, 'Send sign-in link')!.disabled, true, 'the other actions wait');
    assertEqual(inShadow(el, '#edit-form')!.getAttribute('aria-busy'), 'true', 'the form is busy');
    answer.resolve();
    await waitFor(() => buttonNamed(el, 'Edit details'), 'the saved card');
    assertEqual(buttonNamed(el, 'Send sign-in link')!.disabled, false, 'the actions are back');
  });

  it('has no axe violations with the form open', async () => {
    const el = await mountCard();
    buttonNamed(el, 'Edit details')!.click();
    await el.updateComplete;
    await checkA11y(el);
  });
});
