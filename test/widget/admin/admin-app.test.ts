import '../../../widget/admin/admin-app.ts';
import type { OtpAdmin, OtpContactCard, OtpImportContacts } from '../../../widget/admin/admin-app.ts';
import type { AdminContact } from '../../../widget/admin/admin-api.ts';
import { assert, assertDeepEqual, assertEqual, assertIncludes, bodies, checkA11y, typeInto, waitFor, type Call } from '../helpers.ts';
import { buttonNamed, card, chooseFile, cleanUp, contact, inShadow, serve, textIn } from './fixtures.ts';

const signedIn = { 'GET /api/session': { status: 200, body: bodies.signedIn() } };
const page = (contacts: AdminContact[], more: { total?: number; limit?: number; offset?: number } = {}) => ({
  status: 200,
  body: { contacts, total: contacts.length, limit: 50, offset: 0, ...more },
});
const ann = contact({ id: 'c_2', name: 'Ann Oar', email: 'ann@example.com', phone: null });
const twoContacts = page([contact(), ann]);

async function mountApp(): Promise<OtpAdmin> {
  const el = document.createElement('otp-admin');
  el.api = 'http://otp.test';
  el.lang = 'en-GB';
  document.body.append(el);
  await el.updateComplete;
  return el;
}

/** The GETs of `path` among `calls`, with their queries. */
const gets = (calls: Call[], path = '/api/admin/contacts') => calls.filter((c) => c.method === 'GET' && c.path === path).map((c) => new URLSearchParams(c.search));
const status = (el: OtpAdmin) => textIn(inShadow(el, '[role="status"]'));
const rows = (el: OtpAdmin) => [...el.shadowRoot!.querySelectorAll('tbody tr')].map((tr) => textIn(tr));

describe('<otp-admin>', () => {
  afterEach(cleanUp);

  it('shows only the sign-in until someone signs in', async () => {
    const { calls } = serve({ 'GET /api/session': { status: 200, body: bodies.signedOut('no_cookie') } });
    const el = await mountApp();
    const login = await waitFor(() => inShadow(inShadow(el, 'otp-login'), '#identifier'), 'the sign-in form');
    assert(login, 'the identifier field');
    assertIncludes(textIn(el), 'Sign in with an admin’s email address or mobile number', 'the lead');
    assertEqual(inShadow(el, '#search'), null, 'no search before the sign-in');
    assertEqual(gets(calls).length, 0, 'contact list requests');
  });

  it('loads the contacts once signed in', async () => {
    serve({ ...signedIn, 'GET /api/admin/contacts': twoContacts });
    const el = await mountApp();
    await waitFor(() => rows(el).length === 2, 'two rows');
    assertDeepEqual(rows(el), ['Jo Rower jo@example.com +44 7700 900123 Active', 'Ann Oar ann@example.com Active'], 'the rows');
    assertEqual(status(el), 'Showing 1–2 of 2 contacts.', 'the summary');
  });

  it('tells a signed-in contact who is not an admin who they are and what to do (403)', async () => {
    serve({ ...signedIn, 'GET /api/admin/contacts': { status: 403, body: bodies.error('forbidden') } });
    const el = await mountApp();
    const alert = await waitFor(() => textIn(inShadow(el, 'p[role="alert"]')), 'the alert');
    assertEqual(alert, 'You’re signed in as jo@example.com, who is not an admin. Sign out and sign in with an admin’s email.', 'the sentence');
    assertEqual(inShadow(el, '#search'), null, 'no contacts');
  });

  it('asks to sign in again when the server answers 401', async () => {
    serve({ ...signedIn, 'GET /api/admin/contacts': { status: 401, body: bodies.error('unauthorized') } });
    const el = await mountApp();
    assertEqual(await waitFor(() => textIn(inShadow(el, 'p[role="alert"]')), 'the alert'), 'Your sign-in has ended. Sign in again to see the contacts.', 'the sentence');
  });

  it('searches with ?q= once typing pauses, not for every letter, and says what to try when nothing matches', async () => {
    const { calls } = serve({ ...signedIn, 'GET /api/admin/contacts': [twoContacts, page([ann]), page([])] });
    const el = await mountApp();
    await waitFor(() => rows(el).length === 2, 'the first list');
    typeInto(inShadow<HTMLInputElement>(el, '#search')!, 'ann');
    await waitFor(() => rows(el).length === 1, 'the search result');
    assertDeepEqual(gets(calls).map((q) => q.get('q')), ['', 'ann'], 'the searches sent');
    assertEqual(rows(el)[0], 'Ann Oar ann@example.com Active', 'the match');
    typeInto(inShadow<HTMLInputElement>(el, '#search')!, 'z');
    await waitFor(() => rows(el).length === 0, 'no match');
    assertEqual(status(el), 'No contact matches “annz”. Try part of a name, email or number, or add them as a contact.', 'what to try next');
  });

  it('a search for an address no contact has but someone tried says so, and "Add it" fills in “Add a contact”', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const tried = {
      ...page([]).body,
      unknownAddress: {
        address: 'jo@old-mail.com', kind: 'email', triesToday: 2, tries: 2,
        attempts: [{ day: today, channel: 'email', block: 'not_a_contact', detail: null, tries: 2, firstAt: `${today}T09:00:00.000Z`, lastAt: `${today}T09:05:00.000Z` }],
      },
    };
    const added = contact({ id: 'c_9', name: 'Jo', email: 'jo@old-mail.com', phone: null });
    const { calls } = serve({
      ...signedIn,
      'GET /api/admin/contacts': [twoContacts, { status: 200, body: tried }, page([added, ...twoContacts.body.contacts])],
      'POST /api/admin/contacts': { status: 201, body: { contact: added } },
      'GET /api/admin/contacts/c_9': { status: 200, body: card({ contact: added }) },
    });
    const el = await mountApp();
    await waitFor(() => rows(el).length === 2, 'the first list');
    typeInto(inShadow<HTMLInputElement>(el, '#search')!, 'jo@old-mail.com');
    const notice = await waitFor(() => inShadow(el, '.unknown-address'), 'the notice');
    assertIncludes(textIn(notice), 'jo@old-mail.com tried to sign in twice today; no contact has this address — add it, or find the contact and update their email.', 'the sentence');
    assertIncludes(textIn(notice), '2 tries today by email, blocked: no contact has this address', 'the tries');
    await checkA11y(el);
    buttonNamed(el, 'Add jo@old-mail.com as a contact')!.click();
    const form = inShadow(el, 'otp-add-contact')!;
    await waitFor(() => inShadow<HTMLInputElement>(form, '#new-email')?.value === 'jo@old-mail.com', 'the email filled in');
    assertEqual(form.shadowRoot!.activeElement?.id, 'new-name', 'focus in the name, for the admin to finish');
    assertIncludes(textIn(inShadow(form, '[role="status"]')), 'jo@old-mail.com is in the form under “Add a contact”', 'said where it went');
    typeInto(inShadow<HTMLInputElement>(form, '#new-name')!, 'Jo');
    buttonNamed(form, 'Add contact')!.click();
    await waitFor(() => calls.some((c) => c.method === 'POST'), 'the add');
    assertDeepEqual(calls.find((c) => c.method === 'POST')!.body, { email: 'jo@old-mail.com', name: 'Jo' }, 'the address as searched');
  });

  it('pages with Previous and Next from total, limit and offset', async () => {
    const many = (offset: number) => page([contact({ id: `c_${offset}`, name: `Row ${offset}` })], { total: 120, limit: 50, offset });
    const { calls } = serve({ ...signedIn, 'GET /api/admin/contacts': [many(0), many(50)] });
    const el = await mountApp();
    await waitFor(() => buttonNamed(el, 'Next'), 'paging');
    assert(buttonNamed(el, 'Previous')!.disabled, 'no Previous on the first page');
    buttonNamed(el, 'Next')!.click();
    await waitFor(() => rows(el)[0]?.startsWith('Row 50'), 'the second page');
    assertEqual(gets(calls)[1]!.get('offset'), '50', 'the offset asked');
    assert(!buttonNamed(el, 'Previous')!.disabled, 'Previous on the second page');
  });

  it('opens a contact’s card when its name is clicked, and moves focus to it', async () => {
    serve({ ...signedIn, 'GET /api/admin/contacts': twoContacts, 'GET /api/admin/contacts/c_1': { status: 200, body: card() } });
    const el = await mountApp();
    await waitFor(() => buttonNamed(el, 'Jo Rower'), 'the row');
    buttonNamed(el, 'Jo Rower')!.click();
    const cardEl = await waitFor(() => inShadow<OtpContactCard>(el, 'otp-contact-card'), 'the card');
    await cardEl.updateComplete;
    assertIncludes(textIn(cardEl), 'Only the contact can undo this, by texting START to our number.', 'the card’s content');
    await waitFor(() => cardEl.shadowRoot!.activeElement?.tagName === 'H2', 'focus on the card’s heading');
    await checkA11y(el);
  });

  it('reloads the card after the card changed the contact', async () => {
    const { calls } = serve({
      ...signedIn,
      'GET /api/admin/contacts': twoContacts,
      'GET /api/admin/contacts/c_1': [{ status: 200, body: card() }, { status: 200, body: card({ devices: [] }) }],
      'POST /api/admin/contacts/c_1/devices/d_1/revoke': { status: 200, body: { revoked: true } },
    });
    const el = await mountApp();
    await waitFor(() => buttonNamed(el, 'Jo Rower'), 'the row');
    buttonNamed(el, 'Jo Rower')!.click();
    const cardEl = await waitFor(() => buttonNamed(inShadow(el, 'otp-contact-card'), 'Revoke') && inShadow(el, 'otp-contact-card'), 'the card');
    buttonNamed(cardEl, 'Revoke')!.click();
    await waitFor(() => textIn(cardEl).includes('No remembered browsers.'), 'the reloaded card');
    assertEqual(gets(calls, '/api/admin/contacts/c_1').length, 2, 'card requests');
  });

  it('adds a contact and opens it; a duplicate offers "Open it"', async () => {
    const { calls } = serve({
      ...signedIn,
      'GET /api/admin/contacts': twoContacts,
      'POST /api/admin/contacts': [
        { status: 409, body: { error: { code: 'contact_exists', message: 'A contact with this email address already exists. Open it instead.', contactId: 'c_1' } } },
      ],
      'GET /api/admin/contacts/c_1': { status: 200, body: card() },
    });
    const el = await mountApp();
    const form = await waitFor(() => inShadow(el, 'otp-add-contact'), 'the add form');
    await waitFor(() => inShadow(form, '#new-email'), 'the email field');
    typeInto(inShadow<HTMLInputElement>(form, '#new-email')!, 'jo@example.com');
    buttonNamed(form, 'Add contact')!.click();
    await waitFor(() => buttonNamed(form, 'Open it'), 'Open it');
    assertIncludes(textIn(inShadow(form, '[role="alert"]')), 'A contact with this email address already exists.', 'the server’s sentence');
    assertDeepEqual(calls.find((c) => c.method === 'POST')!.body, { email: 'jo@example.com' }, 'the body sent');
    buttonNamed(form, 'Open it')!.click();
    await waitFor(() => inShadow(el, 'otp-contact-card'), 'the existing contact’s card');
  });

  it('reloads the card after an opt-out, so its diagnosis is fresh', async () => {
    const email = { optedOut: false, source: null, at: null, detail: null, lift: null };
    const optedOut = { optedOut: true, source: 'admin' as const, at: '2026-11-23T09:00:00.000Z', detail: null, lift: 'admin' as const };
    const fresh = card({ diagnosis: [{ cause: 'opted_out', channel: 'email', fact: 'Email: opted out by an admin; an admin may lift it.' }], optOut: { ...card().optOut, email: optedOut } });
    const { calls } = serve({
      ...signedIn,
      'GET /api/admin/contacts': twoContacts,
      'GET /api/admin/contacts/c_1': [{ status: 200, body: card({ optOut: { ...card().optOut, email } }) }, { status: 200, body: fresh }],
      'POST /api/admin/contacts/c_1/opt-out': { status: 200, body: { optOut: optedOut, changed: true } },
    });
    const el = await mountApp();
    await waitFor(() => buttonNamed(el, 'Jo Rower'), 'the row');
    buttonNamed(el, 'Jo Rower')!.click();
    const cardEl = await waitFor(() => buttonNamed(inShadow(el, 'otp-contact-card'), 'Opt out of email') && inShadow<OtpContactCard>(el, 'otp-contact-card'), 'the card');
    buttonNamed(cardEl, 'Opt out of email')!.click();
    await cardEl.updateComplete;
    buttonNamed(cardEl, 'Yes, opt out')!.click();
    await waitFor(() => textIn(cardEl).includes('Email: opted out by an admin; an admin may lift it.'), 'the fresh diagnosis');
    assertEqual(gets(calls, '/api/admin/contacts/c_1').length, 2, 'card requests');
    assertIncludes(textIn(cardEl), 'Opted out of email: no codes or links go to jo@example.com until an admin lifts it.', 'the announcement outlives the reload');
  });

  it('offers the CSV download and import beside the list, and reloads the list after an import', async () => {
    const { calls } = serve({
      ...signedIn,
      'GET /api/admin/contacts': [twoContacts, page([contact(), ann, contact({ id: 'c_3', name: 'Cy New', email: 'cy@example.com' })])],
      'POST /api/admin/contacts/import': { status: 200, body: { imported: 1, rejected: [] } },
    });
    const el = await mountApp();
    await waitFor(() => rows(el).length === 2, 'the list');
    const csv = await waitFor(() => inShadow<OtpImportContacts>(el, 'otp-import-contacts'), 'the import and export');
    await waitFor(() => inShadow(csv, '#csv-file'), 'its form');
    assertEqual(inShadow<HTMLAnchorElement>(csv, 'a[download]')!.href, 'http://otp.test/api/admin/contacts.csv', 'the download, from the page’s api');
    chooseFile(inShadow<HTMLInputElement>(csv, '#csv-file')!, 'email,phone,name\ncy@example.com,,Cy New\n');
    await csv.updateComplete;
    inShadow<HTMLButtonElement>(csv, '#csv-import')!.click();
    await waitFor(() => rows(el).length === 3, 'the reloaded list');
    assertEqual(calls.filter((c) => c.path === '/api/admin/contacts/import').length, 1, 'imports');
    assertEqual(gets(calls).length, 2, 'list requests');
  });

  it('has no axe violations with the list and the add form', async () => {
    serve({ ...signedIn, 'GET /api/admin/contacts': twoContacts });
    const el = await mountApp();
    await waitFor(() => rows(el).length === 2, 'the list');
    await checkA11y(el);
  });
});
