/**
 * Issue 15 items 2 and 3 on the admin page: a card has an address (the History API keeps the open
 * card and the search in the address bar), and the card is fetched again after each action.
 */
import '../../../widget/admin/admin-app.ts';
import type { OtpAdmin, OtpContactCard } from '../../../widget/admin/admin-app.ts';
import type { AdminContact, DeliveryRow } from '../../../widget/admin/admin-api.ts';
import { assertDeepEqual, assertEqual, bodies, typeInto, waitFor, type Call } from '../helpers.ts';
import { buttonNamed, card, cleanUp, contact, inShadow, note, sectionText, serve, textIn } from './fixtures.ts';

const signedIn = { 'GET /api/session': { status: 200, body: bodies.signedIn() } };
const page = (contacts: AdminContact[]) => ({ status: 200, body: { contacts, total: contacts.length, limit: 50, offset: 0 } });
const ann = contact({ id: 'c_2', name: 'Ann Oar', email: 'ann@example.com', phone: null });
const list = { 'GET /api/admin/contacts': page([contact(), ann]) };
const cards = { 'GET /api/admin/contacts/c_1': { status: 200, body: card() }, 'GET /api/admin/contacts/c_2': { status: 200, body: card({ contact: ann }) } };

/** The test page's own address, put back after each test. */
const testPage = location.href;
const ROOT = '/admin-test';

async function mountApp(href = ROOT): Promise<OtpAdmin> {
  const el = document.createElement('otp-admin');
  el.api = 'http://otp.test';
  el.href = href;
  el.lang = 'en-GB';
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const openCard = (el: OtpAdmin) => inShadow<OtpContactCard>(el, 'otp-contact-card');
const heading = (el: OtpAdmin) => textIn(inShadow(openCard(el), 'h2'));
const gets = (calls: Call[], path: string) => calls.filter((c) => c.method === 'GET' && c.path === path);
const here = () => `${location.pathname}${location.search}`;
/** A contact's name in the list: a link to its card when the element keeps the address bar. */
const linkNamed = (el: OtpAdmin, text: string) => [...(el.shadowRoot?.querySelectorAll('a') ?? [])].find((a) => a.textContent?.trim() === text) ?? null;

describe('<otp-admin href>: a card has an address', () => {
  afterEach(() => {
    cleanUp();
    history.replaceState(null, '', testPage);
  });

  it('opens the card and the search its address names, once signed in', async () => {
    history.replaceState(null, '', `${ROOT}/contacts/c_2?q=oar`);
    const { calls } = serve({ ...signedIn, ...list, ...cards });
    const el = await mountApp();
    await waitFor(() => heading(el) === 'Ann Oar', 'Ann’s card');
    assertDeepEqual(gets(calls, '/api/admin/contacts').map((c) => new URLSearchParams(c.search).get('q')), ['oar'], 'the search asked');
    assertEqual(inShadow<HTMLInputElement>(el, '#search')!.value, 'oar', 'the search box');
    await waitFor(() => openCard(el)!.shadowRoot!.activeElement?.tagName === 'H2', 'focus on the card’s heading');
    assertEqual(here(), `${ROOT}/contacts/c_2?q=oar`, 'the address is kept');
  });

  it('puts an opened card in the address bar; Back shows the list again and Forward the card', async () => {
    history.replaceState(null, '', ROOT);
    serve({ ...signedIn, ...list, ...cards });
    const el = await mountApp();
    await waitFor(() => linkNamed(el, 'Jo Rower'), 'the list');
    // Each name is a link to its card: a middle-click or "Open in new tab" opens it there.
    assertEqual(new URL(linkNamed(el, 'Jo Rower')!.href).pathname, `${ROOT}/contacts/c_1`, 'the name links to the card');
    const before = history.length;
    linkNamed(el, 'Jo Rower')!.click();
    await waitFor(() => heading(el) === 'Jo Rower', 'Jo’s card');
    assertEqual(here(), `${ROOT}/contacts/c_1`, 'the card’s address');
    linkNamed(el, 'Ann Oar')!.click();
    await waitFor(() => heading(el) === 'Ann Oar', 'Ann’s card');
    assertEqual(history.length, before + 2, 'one step per card opened');

    history.back();
    await waitFor(() => heading(el) === 'Jo Rower', 'Back: Jo’s card');
    assertEqual(here(), `${ROOT}/contacts/c_1`, 'Jo’s address');
    history.back();
    await waitFor(() => !openCard(el), 'Back: no card');
    assertEqual(here(), ROOT, 'the list’s address');
    history.forward();
    await waitFor(() => heading(el) === 'Jo Rower', 'Forward: Jo’s card');

    buttonNamed(el, 'Close the card')!.click();
    await waitFor(() => !openCard(el), 'closed');
    assertEqual(here(), ROOT, 'closing the card is a step too');
  });

  it('keeps the search in the address bar, as one step however many letters are typed', async () => {
    history.replaceState(null, '', ROOT);
    serve({ ...signedIn, ...list });
    const el = await mountApp();
    await waitFor(() => linkNamed(el, 'Jo Rower'), 'the list');
    const before = history.length;
    typeInto(inShadow<HTMLInputElement>(el, '#search')!, 'an');
    typeInto(inShadow<HTMLInputElement>(el, '#search')!, 'n');
    assertEqual(here(), `${ROOT}?q=ann`, 'the search in the address');
    assertEqual(history.length, before, 'no step per letter');
  });

  it('says so when the address names a contact that is not there, and shows no other card', async () => {
    history.replaceState(null, '', `${ROOT}/contacts/c_gone`);
    serve({ ...signedIn, ...list, 'GET /api/admin/contacts/c_gone': { status: 404, body: { error: { code: 'not_found', message: 'There is no contact with this id. Search for them instead.' } } } });
    const el = await mountApp();
    await waitFor(() => textIn(el).includes('There is no contact with this id. Search for them instead.'), 'the sentence');
    assertEqual(openCard(el), null, 'no card');
  });

  it('leaves the address bar alone without href', async () => {
    const { calls } = serve({ ...signedIn, ...list, ...cards });
    const el = await mountApp('');
    await waitFor(() => buttonNamed(el, 'Jo Rower'), 'the list');
    buttonNamed(el, 'Jo Rower')!.click();
    await waitFor(() => heading(el) === 'Jo Rower', 'the card');
    assertEqual(location.href, testPage, 'the address');
    assertEqual(gets(calls, '/api/admin/contacts/c_1').length, 1, 'one card request');
  });
});

describe('<otp-admin>: the card after an action', () => {
  afterEach(() => {
    cleanUp();
    history.replaceState(null, '', testPage);
  });

  it('shows a sign-in link’s result beside its button, and fetches the card again until the delivery log has the message', async function () {
    this.timeout(8000);
    const sentRow: DeliveryRow = { ...card().deliveries[0]!, id: 'dl_3', status: 'sent', errorCode: null, errorText: null, codeNumber: 3, createdAt: '2026-11-23T09:00:00.000Z', updatedAt: '2026-11-23T09:00:01.000Z' };
    const audited = { ...card(), audit: [{ adminId: 'c_boss', adminEmail: 'boss@example.com', action: 'send_sign_in_link', detail: 'email to j•••@example.com', at: '2026-11-23T09:00:00.000Z' }, ...card().audit] };
    const { calls } = serve({
      ...signedIn,
      ...list,
      // Opened; fetched again at once (the audit log has the send, the delivery not yet); then again once the queue handed it over.
      'GET /api/admin/contacts/c_1': [{ status: 200, body: card() }, { status: 200, body: audited }, { status: 200, body: { ...audited, deliveries: [sentRow, ...card().deliveries] } }],
      'POST /api/admin/contacts/c_1/sign-in-link': { status: 202, body: { sent: true, channel: 'email', destination: 'j•••@example.com', expiresAt: '2026-11-23T09:15:00.000Z' } },
    });
    const el = await mountApp('');
    await waitFor(() => buttonNamed(el, 'Jo Rower'), 'the list');
    buttonNamed(el, 'Jo Rower')!.click();
    const cardEl = await waitFor(() => buttonNamed(openCard(el), 'Send sign-in link') && openCard(el), 'the card');
    buttonNamed(cardEl, 'Send sign-in link')!.click();
    await waitFor(() => sectionText(cardEl, 'Audit log').includes('Sent a sign-in link'), 'the audit log, fetched again');
    assertEqual(sectionText(cardEl, 'Delivery log').includes('23 Nov 2026'), false, 'not in the delivery log yet');
    await waitFor(() => sectionText(cardEl, 'Delivery log').includes('23 Nov 2026'), 'the message in the delivery log', 4000);
    assertEqual(gets(calls, '/api/admin/contacts/c_1').length, 3, 'card requests: opened, at once, once more');
    assertEqual(note(cardEl, 'send-note').text, 'Sent a sign-in link to j•••@example.com; it works once, for 15 minutes.', 'the result stays beside the button');
    await new Promise((resolve) => setTimeout(resolve, 1200));
    assertEqual(gets(calls, '/api/admin/contacts/c_1').length, 3, 'no more requests once the message is there');
  });
  it('fetches the card again after a refusal, so a button refused on newer facts shows them (and its reason) at once', async () => {
    const stopped = card({ optOut: { ...card().optOut, email: { optedOut: true, source: 'spam_complaint', detail: null, at: '2026-11-23T09:00:00.000Z', lift: 'after_confirming' } } });
    const { calls } = serve({
      ...signedIn,
      ...list,
      'GET /api/admin/contacts/c_1': [{ status: 200, body: card() }, { status: 200, body: stopped }],
      'POST /api/admin/contacts/c_1/sign-in-link': { status: 409, body: bodies.error('not_reachable') },
    });
    const el = await mountApp('');
    await waitFor(() => buttonNamed(el, 'Jo Rower'), 'the list');
    buttonNamed(el, 'Jo Rower')!.click();
    const cardEl = await waitFor(() => buttonNamed(openCard(el), 'Send sign-in link') && openCard(el), 'the card');
    buttonNamed(cardEl, 'Send sign-in link')!.click();
    await waitFor(() => gets(calls, '/api/admin/contacts/c_1').length === 2, 'the card fetched again after the refusal');
    // Email now opted out too (SMS was already): no channel left, so the button is disabled, with why.
    await waitFor(() => buttonNamed(cardEl, 'Send sign-in link')?.disabled === true, 'the button, refused on the newer facts, now disabled');
    assertEqual(note(cardEl, 'send-note').refused, true, 'the refusal still shown beside it');
  });
});
