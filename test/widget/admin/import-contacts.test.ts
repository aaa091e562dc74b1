import '../../../widget/admin/import-contacts.ts';
import type { OtpContactsImportedEvent } from '../../../widget/admin/admin-events.ts';
import type { OtpImportContacts } from '../../../widget/admin/import-contacts.ts';
import { assertDeepEqual, assertEqual, assertIncludes, checkA11y, deferred, record, waitFor } from '../helpers.ts';
import { alertText, buttonNamed, chooseFile, cleanUp, focused, inShadow, live, serve, textIn } from './fixtures.ts';

const CSV = 'email,phone,name\njo@example.com,,Jo Rower\nnot-an-email,,Bad\nann@example.com,+447700900124,Ann Oar\n';
const importPath = '/api/admin/contacts/import';

async function mountImport(api = 'http://otp.test'): Promise<OtpImportContacts> {
  const el = document.createElement('otp-import-contacts');
  el.api = api;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

/** Chooses a file in the element's file input. */
async function choose(el: OtpImportContacts, text = CSV): Promise<void> {
  chooseFile(inShadow<HTMLInputElement>(el, '#csv-file')!, text);
  await el.updateComplete;
}

const importButton = (el: OtpImportContacts) => inShadow<HTMLButtonElement>(el, '#csv-import')!;
const rejectedList = (el: OtpImportContacts) => [...el.shadowRoot!.querySelectorAll('ul li')].map((li) => textIn(li));
const report = (imported: number, ...reasons: string[]) => ({
  status: 200,
  body: { imported, rejected: reasons.map((reason, i) => ({ line: i + 3, reason })) },
});

describe('<otp-import-contacts>', () => {
  afterEach(cleanUp);

  it('links the CSV download to api/admin/contacts.csv on the server', async () => {
    const el = await mountImport('http://otp.test/login');
    const link = [...el.shadowRoot!.querySelectorAll('a')].find((a) => textIn(a) === 'Download contacts (CSV)');
    assertEqual(link?.href, 'http://otp.test/login/api/admin/contacts.csv', 'the address, under the api base');
    assertEqual(link?.hasAttribute('download'), true, 'a download');
  });

  it('labels the file input, accepts CSV, and keeps Import disabled until a file is chosen', async () => {
    const el = await mountImport();
    const input = inShadow<HTMLInputElement>(el, '#csv-file')!;
    assertEqual(textIn(inShadow(el, 'label[for="csv-file"]')), 'Import contacts from a CSV file (columns: email,phone,name)', 'the label');
    assertEqual(input.accept, '.csv,text/csv,text/tab-separated-values,.tsv,.txt', 'what the picker offers: CSV, and tab separated text');
    assertEqual(importButton(el).disabled, true, 'no file: Import waits');
    assertEqual(textIn(inShadow(el, `#${importButton(el).getAttribute('aria-describedby')}`)), 'Choose a file first.', 'and says why');
    await choose(el);
    assertEqual(importButton(el).disabled, false, 'a file: Import can be pressed');
    assertEqual(importButton(el).hasAttribute('aria-describedby'), false, 'no reason left');
  });

  it('sends the file’s text as text/csv, reports what was imported and each line that was not, and fires otp-contacts-imported', async () => {
    const reasons = ['Line 3 was not imported: “not-an-email” is not an email address.', 'Line 4 was not imported: a contact with this email address already exists.'];
    const { calls } = serve({ [`POST ${importPath}`]: report(1, ...reasons) });
    const el = await mountImport();
    const imported = record<OtpContactsImportedEvent>(document, 'otp-contacts-imported');
    await choose(el);
    importButton(el).click();
    await waitFor(() => imported.length === 1, 'otp-contacts-imported');
    assertDeepEqual(calls.map((c) => [c.method, c.path, c.credentials, c.contentType, c.body]), [['POST', importPath, 'include', 'text/csv', CSV]], 'the request: the file as it is');
    assertDeepEqual(imported[0]!.detail, { imported: 1 }, 'the event');
    await el.updateComplete;
    assertEqual(live(el), 'Imported 1 contact. 2 lines were not imported:', 'the live region');
    assertDeepEqual(rejectedList(el), reasons, 'each line, in the server’s words');
    assertEqual(inShadow<HTMLInputElement>(el, '#csv-file')!.files?.length, 0, 'the file is cleared, so it is not imported twice');
    assertEqual(importButton(el).disabled, true, 'Import waits for another file');
    assertEqual(focused(el), 'csv-file', 'focus on the file input, for the next file');
  });

  it('says "Imported N contacts." and lists nothing when every line was imported', async () => {
    serve({ [`POST ${importPath}`]: report(3) });
    const el = await mountImport();
    await choose(el);
    importButton(el).click();
    await waitFor(() => live(el), 'the live region');
    assertEqual(live(el), 'Imported 3 contacts.', 'the live region');
    assertDeepEqual(rejectedList(el), [], 'no list');
  });

  it('says how many lines were contacts already here, unchanged, as when the downloaded file is imported back', async () => {
    const refused = 'Line 4 was not imported ("+44 20 7946 0018"): This looks like a landline, which can’t receive text messages. Enter a mobile number.';
    serve({ [`POST ${importPath}`]: { status: 200, body: { imported: 0, unchanged: 5, rejected: [{ line: 4, value: '+44 20 7946 0018', reason: refused }] } } });
    const el = await mountImport();
    assertEqual(textIn(inShadow(el, `#${inShadow(el, '#csv-file')!.getAttribute('aria-describedby')}`)), 'Columns named email, phone and name, in any order (others are ignored), separated by commas, semicolons or tabs. A downloaded file imports back as it is.', 'the file input says what it reads');
    await choose(el);
    importButton(el).click();
    await waitFor(() => live(el), 'the live region');
    assertEqual(live(el), 'Imported 0 contacts. 5 lines match contacts already here: unchanged. 1 line was not imported:', 'the live region');
    assertDeepEqual(rejectedList(el), [refused], 'the refused line, its value and why');
  });

  it('shows the server’s sentence when it cannot read the file, and keeps the file to try again', async () => {
    const message = 'The first line must name the columns: email,phone,name. Fix the file and import it again.';
    serve({ [`POST ${importPath}`]: { status: 400, body: { error: { code: 'invalid_request', message } } } });
    const el = await mountImport();
    const imported = record(document, 'otp-contacts-imported');
    await choose(el, 'mail;tel\njo@example.com;\n');
    importButton(el).click();
    await waitFor(() => alertText(el), 'the alert');
    assertEqual(alertText(el), message, 'the alert');
    assertEqual(live(el), '', 'nothing announced as imported');
    assertEqual(imported.length, 0, 'events');
    assertEqual(inShadow<HTMLInputElement>(el, '#csv-file')!.files?.length, 1, 'the file is still chosen');
    assertEqual(importButton(el).disabled, false, 'Import can be pressed again');
    assertEqual(focused(el), 'csv-import', 'focus on Import');
  });

  it('says "Importing…" and waits while the file is sent', async () => {
    const answer = deferred();
    serve({ [`POST ${importPath}`]: async () => (await answer.promise, report(1)) });
    const el = await mountImport();
    await choose(el);
    importButton(el).click();
    await waitFor(() => buttonNamed(el, 'Importing…'), '"Importing…"');
    assertEqual(importButton(el).disabled, true, 'Import waits');
    assertEqual(inShadow<HTMLInputElement>(el, '#csv-file')!.disabled, true, 'the file input waits');
    answer.resolve();
    await waitFor(() => live(el), 'the report');
  });

  it('has no axe violations, before and with the report shown', async () => {
    serve({ [`POST ${importPath}`]: report(2, 'Line 3 was not imported: the email address is missing.') });
    const el = await mountImport();
    await checkA11y(el);
    await choose(el);
    importButton(el).click();
    await waitFor(() => rejectedList(el).length === 1, 'the report');
    assertIncludes(textIn(el), 'Imported 2 contacts.', 'the report is shown');
    await checkA11y(el);
  });
});
