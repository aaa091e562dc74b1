import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { serve } from '@hono/node-server';
import { createHarness } from '../server/harness.ts';
import { checkPageA11y } from './axe.ts';
import { freePort, serverAndBrowser, signInWithCode } from './server.ts';

/**
 * Issue 15 ("no dead ends for the admin helping a contact who can't get in"), walked as an admin
 * does in Chromium, on a closed-signup server: a stranger's tries found by searching their
 * address and turned into a contact; a landline refused at the door; the CSV download imported
 * back with nothing changed; an invitation sent from the card and used in another browser.
 * And an invitation opened in Chromium on day 6 of 7, on the server built as main.ts builds it
 * with a clock the test moves, served over a real socket.
 */
const e2e = serverAndBrowser({ env: { SIGNUP: 'closed', ADMIN_EMAILS: 'boss@example.com', SITE_NAME: 'Harbour Rowing Club' } });

/** A code request as the widget sends it. */
const askForCode = (email: string) =>
  fetch(`${e2e.server.url}/api/codes`, { method: 'POST', headers: { 'content-type': 'application/json', origin: e2e.server.url }, body: JSON.stringify({ email }) });

describe('an admin helping a contact who cannot get in (issue 15), in a real Chromium', () => {
  test('finds the tries of an address that is no contact, adds it, is refused a landline, round-trips the CSV and sends an invitation that signs in', async () => {
    // Jo tries twice with an address nobody added: the same 202 as anyone (R3), and no code.
    for (let i = 0; i < 2; i++) assert.equal((await askForCode('jo@old-mail.com')).status, 202);

    const context = await e2e.browser.newContext({ viewport: { width: 1100, height: 1400 } });
    const admin = await context.newPage();
    await admin.goto(`${e2e.server.url}/admin`);
    await signInWithCode(admin, e2e.server.url, 'boss@example.com');

    // 1. Searching the full address tells what happened and offers to add it.
    await admin.getByLabel('Search by name, email or phone').fill('jo@old-mail.com');
    await admin.getByText(/jo@old-mail\.com tried to sign in twice today; no contact has this address/).waitFor();
    await admin.getByRole('button', { name: 'Add jo@old-mail.com as a contact' }).click();
    assert.equal(await admin.getByLabel('Email', { exact: true }).inputValue(), 'jo@old-mail.com', 'the add form is filled in');

    // 4. A landline is refused at the door, with the widget's sentence; nothing is added.
    await admin.getByLabel('Mobile number').fill('+44 20 7946 0958');
    await admin.getByRole('button', { name: 'Add contact' }).click();
    await admin.getByText('This looks like a landline, which can’t receive text messages. Enter a mobile number.').waitFor();
    await admin.getByLabel('Mobile number').fill('+1 415 555 0123');
    await admin.getByRole('button', { name: 'Add contact' }).click();
    await admin.getByText('jo@old-mail.com was added.').waitFor();

    // 5. The download imports back as it is: nothing imported, nothing refused.
    const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByRole('link', { name: 'Download contacts (CSV)' }).click()]);
    const csv = readFileSync((await download.path())!);
    assert.match(csv.toString(), /'\+14155550123/, 'the phone is defused as a formula cell');
    await admin.getByLabel(/Import contacts from a CSV file/).setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: csv });
    await admin.getByRole('button', { name: 'Import', exact: true }).click();
    await admin.getByText(/Imported 0 contacts\./).waitFor();
    await admin.getByText(/2 lines match contacts already here: unchanged\./).waitFor();
    assert.equal(await admin.getByText(/not imported/).count(), 0, 'no line refused');

    // 6. An invitation, sent from the card: its result beside its button, and the link signs Jo in.
    await admin.getByLabel('Search by name, email or phone').fill('jo@old-mail.com');
    await admin.getByRole('link', { name: /jo@old-mail\.com/ }).first().click();
    const card = admin.locator('otp-contact-card');
    await card.getByRole('button', { name: 'Send invitation' }).click();
    await card.getByText(/^Sent an invitation to j•••@old-mail\.com; it works once, until /).waitFor();
    await checkPageA11y(admin);
    const { messages } = (await (await fetch(`${e2e.server.url}/dev/outbox.json?to=jo%40old-mail.com`)).json()) as { messages: Array<{ text: string }> };
    assert.match(messages[0]!.text, /Harbour Rowing Club invited you/);
    const link = /https?:\/\/\S+/.exec(messages[0]!.text)![0];

    const joContext = await e2e.browser.newContext({ viewport: { width: 375, height: 667 } });
    const jo = await joContext.newPage();
    await jo.goto(link);
    await jo.getByRole('heading', { name: 'You’re invited' }).waitFor();
    await checkPageA11y(jo);
    await jo.getByRole('button', { name: /Sign in as j•••@old-mail\.com/ }).click();
    // Signed in, the page goes on to the site by itself.
    await jo.waitForURL(`${e2e.server.url}/`);
    await jo.locator('otp-login #signed-in').getByText('Signed in as jo@old-mail.com').waitFor();
    await joContext.close();
    await context.close();
  });
  test('an invitation opened on day 6 of INVITATION_DAYS=7 signs the person in, in Chromium', async () => {
    const port = await freePort();
    const url = `http://localhost:${port}`;
    const h = createHarness({ env: { ADMIN_EMAILS: 'boss@example.com', SITE_NAME: 'Harbour Rowing Club', PUBLIC_URL: url } });
    const server = serve({ fetch: h.app.fetch, port, hostname: '127.0.0.1' });
    try {
      const { cookie } = await h.signIn({ email: 'boss@example.com' });
      const jo = await h.contacts.create({ email: 'jo@example.com' });
      assert.equal((await h.post(`/api/admin/contacts/${jo.id}/invite`, {}, { cookie, headers: { origin: url } })).status, 202);
      await h.queue.idle();
      const link = /https?:\/\/\S+/.exec(h.outbox.list('jo@example.com')[0]!.text)![0];
      h.clock.advance(6 * 86_400_000);

      const context = await e2e.browser.newContext({ viewport: { width: 375, height: 667 } });
      const page = await context.newPage();
      await page.goto(link);
      await page.getByRole('heading', { name: 'You’re invited' }).waitFor();
      await page.getByRole('button', { name: /Sign in as j•••@example\.com/ }).click();
      await page.waitForURL(`${url}/`);
      const session = await page.evaluate(async () => (await fetch('/api/session')).json());
      assert.equal(session.signedIn, true);
      assert.equal(session.contact.email, 'jo@example.com');
      await context.close();
    } finally {
      server.close();
    }
  });
});
