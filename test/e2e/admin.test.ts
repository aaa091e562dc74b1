import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import twilio from 'twilio';
import { codeFromOutbox, serverAndBrowser, signInWithCode } from './server.ts';
import { checkPageA11y } from './axe.ts';

const TOKEN = 'twilio-webhook-token';
const e2e = serverAndBrowser({ env: { ADMIN_EMAILS: 'boss@example.com,chief@example.com,lead@example.com,desk@example.com,phone@example.com', TWILIO_AUTH_TOKEN: TOKEN } });

/** The contact replies STOP, as Twilio would deliver it (signed). */
async function replyStop(phone: string) {
  const url = `${e2e.server.url}/webhooks/twilio/inbound`;
  const params = { From: phone, To: '+14155550100', Body: 'STOP', MessageSid: 'SMe2e' };
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(TOKEN, url, params) },
    body: new URLSearchParams(params),
  });
  assert.equal(res.status, 200);
}

/** How many messages the development outbox holds for `to`. */
async function sentTo(to: string): Promise<number> {
  const { messages } = (await (await fetch(`${e2e.server.url}/dev/outbox.json?to=${encodeURIComponent(to)}`)).json()) as { messages: unknown[] };
  return messages.length;
}

/** A code request, as the widget sends it. */
async function askForCode(body: Record<string, string>) {
  const res = await fetch(`${e2e.server.url}/api/codes`, { method: 'POST', headers: { 'content-type': 'application/json', origin: e2e.server.url }, body: JSON.stringify(body) });
  assert.equal(res.status, 202);
}

describe('the admin in a real Chromium', () => {
  test('finds a contact, reads why they cannot sign in, revokes a browser and deactivates them', async () => {
    // Sam signs in by phone on the demo site, then replies STOP to our texts.
    // As a phone's browser would say, so the card names it as an admin would see it in real life.
    const samContext = await e2e.browser.newContext({
      userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
    });
    const sam = await samContext.newPage();
    await sam.goto(e2e.server.url);
    await signInWithCode(sam, e2e.server.url, '+1 415 555 0150', { outboxAddress: '+14155550150' });
    await sam.locator('#members').waitFor({ state: 'visible' });
    await replyStop('+14155550150');

    const adminContext = await e2e.browser.newContext({ viewport: { width: 1100, height: 1400 } });
    const admin = await adminContext.newPage();
    await admin.goto(`${e2e.server.url}/admin`);
    await signInWithCode(admin, e2e.server.url, 'boss@example.com');
    await admin.getByLabel('Search by name, email or phone').fill('0150');
    await admin.getByRole('button', { name: /\+1 415 555 0150/ }).or(admin.getByRole('link', { name: /\+1 415 555 0150/ })).first().click();
    const card = admin.locator('otp-contact-card');
    await card.getByText(/SMS: opted out — replied STOP on .*only the contact can undo this by replying START/).waitFor();
    await checkPageA11y(admin);
    // The README's picture of a real card: refreshed on request, so a test run leaves the tree clean.
    if (process.env.UPDATE_SCREENSHOTS) await card.screenshot({ path: 'docs/admin-card.png' });

    // Revoke Sam's browser: Sam's next visit needs a code, and says why.
    await card.getByRole('button', { name: /^Revoke / }).first().click();
    await card.getByText(/is signed out: it will need a new code/).waitFor();
    await sam.reload();
    await sam.locator('otp-login [part~="explanation"]').getByText(/signed out by the site.s team/).waitFor();

    // Deactivate, after confirming.
    await card.getByRole('button', { name: 'Deactivate contact' }).click();
    await card.getByRole('button', { name: 'Yes, deactivate' }).click();
    await card.getByText(/is deactivated/).first().waitFor();
    // Sam's page now says the account is turned off (a new code would not help), not merely signed out.
    await sam.reload();
    await sam.locator('otp-login [part~="explanation"]').getByText(/has been turned off/).waitFor();
    const deactivated = await (await fetch(`${e2e.server.url}/api/admin/contacts?q=0150`, { headers: { cookie: (await adminContext.cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } })).json();
    assert.equal(deactivated.contacts[0].status, 'deactivated');
    await samContext.close();
    await adminContext.close();
  });

  test('edits a contact, opts them out of email and lifts it, and imports contacts from a CSV file', async () => {
    const adminContext = await e2e.browser.newContext({ viewport: { width: 1100, height: 1400 } });
    const admin = await adminContext.newPage();
    await admin.goto(`${e2e.server.url}/admin`);
    // Another admin: boss@example.com's 30-second wait between codes may not be over.
    await signInWithCode(admin, e2e.server.url, 'chief@example.com');

    // Import: two good lines and one bad, reported by line.
    await admin.getByLabel(/Import contacts from a CSV file/).setInputFiles({
      name: 'members.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('email,phone,name\nann@example.com,+14155550161,Ann Rower\nnot-an-email,,Bad Line\nbo@example.com,,Bo\n'),
    });
    await admin.getByRole('button', { name: 'Import', exact: true }).click();
    await admin.getByText('Imported 2 contacts.').waitFor();
    await admin.getByText(/Line 3 was not imported: "not-an-email" is not an email address/).waitFor();

    // Open Ann, change her email: it becomes unverified.
    await admin.getByLabel('Search by name, email or phone').fill('Ann Rower');
    await admin.getByRole('button', { name: /Ann Rower/ }).or(admin.getByRole('link', { name: /Ann Rower/ })).first().click();
    const card = admin.locator('otp-contact-card');
    await card.getByRole('button', { name: 'Edit details' }).click();
    await card.getByLabel('Email').fill('ann.rower@example.com');
    await card.getByRole('button', { name: 'Save' }).click();
    await card.getByText(/Saved\. A changed email or phone is unverified/).waitFor();
    await card.getByText(/ann\.rower@example\.com \(not verified yet\)/).waitFor();

    // Opt her out of email: the card says so, and a code request sends nothing there.
    await card.getByRole('button', { name: 'Opt out of email' }).click();
    await checkPageA11y(admin);
    await card.getByRole('button', { name: 'Yes, opt out' }).click();
    await card.getByText(/Opted out — an admin opted them out/).waitFor();
    const before = await sentTo('ann.rower@example.com');
    await askForCode({ email: 'ann.rower@example.com' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(await sentTo('ann.rower@example.com'), before, 'no code went to an opted-out address');

    // Lift it: codes go out again.
    await card.getByRole('button', { name: 'Lift the opt-out of email' }).click();
    await card.getByRole('button', { name: 'Yes, lift it' }).click();
    await card.getByText(/The opt-out is lifted/).waitFor();
    await card.getByRole('button', { name: 'Opt out of email' }).waitFor();
    // Asked by her phone (the email's 30-second wait is not over): the code goes by email again.
    await askForCode({ phone: '+14155550161', channel: 'email' });
    await codeFromOutbox(e2e.server.url, 'ann.rower@example.com', before);
    await adminContext.close();
  });

  test('a card has an address: a link opened signed out lands on it after the sign-in, a new tab opens it, and an action answers beside its button as the card refreshes', async () => {
    // One admin adds Dee: her card opens, and the address bar names it.
    const leadContext = await e2e.browser.newContext({ viewport: { width: 1100, height: 1400 } });
    const lead = await leadContext.newPage();
    await lead.goto(`${e2e.server.url}/admin`);
    await signInWithCode(lead, e2e.server.url, 'lead@example.com');
    await lead.locator('#new-email').fill('dee@example.com');
    await lead.getByRole('button', { name: 'Add contact' }).click();
    await lead.locator('otp-contact-card h2', { hasText: 'dee@example.com' }).waitFor();
    const cardUrl = lead.url();
    assert.match(cardUrl, new RegExp(`^${e2e.server.url}/admin/contacts/[^/?]+$`));
    await leadContext.close();

    // Another admin opens the pasted link signed out: the admin page, then, once signed in, Dee's card.
    const deskContext = await e2e.browser.newContext({ viewport: { width: 1100, height: 1400 } });
    const pasted = await deskContext.newPage();
    await pasted.goto(cardUrl);
    await signInWithCode(pasted, e2e.server.url, 'desk@example.com');
    await pasted.locator('otp-contact-card h2', { hasText: 'dee@example.com' }).waitFor();
    assert.equal(pasted.url(), cardUrl);

    // A new tab (signed in by the cookie) opens the same card straight away; so does a reload.
    const tab = await deskContext.newPage();
    await tab.goto(cardUrl);
    const card = tab.locator('otp-contact-card');
    await card.locator('h2', { hasText: 'dee@example.com' }).waitFor();
    await tab.reload();
    await card.locator('h2', { hasText: 'dee@example.com' }).waitFor();
    const deliveries = card.getByRole('region', { name: 'Delivery log' });
    assert.equal(await deliveries.count(), 0, 'nothing was sent to Dee yet');

    // "Send sign-in link": the result beside the button; the card is fetched again, its logs with the send.
    await card.getByRole('button', { name: 'Send sign-in link' }).click();
    const note = card.locator('.row:has(#send-link) #send-note');
    await note.getByText(/^Sent a sign-in link to d.+@example\.com; it works once/).waitFor();
    await card.getByRole('region', { name: 'Audit log' }).getByText('Sent a sign-in link').waitFor();
    await deliveries.getByText('Email').waitFor({ timeout: 10_000 });
    await checkPageA11y(tab);
    await deskContext.close();
  });
  test('on a 375 px phone the admin pages fit: the list and the card read without scrolling sideways (tables become lists), axe-clean (issue 15, item 8)', async () => {
    const context = await e2e.browser.newContext({ viewport: { width: 375, height: 667 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    await page.goto(`${e2e.server.url}/admin`);
    await signInWithCode(page, e2e.server.url, 'phone@example.com');
    await page.getByLabel('Search by name, email or phone').fill('phone@example.com');
    await page.getByRole('link', { name: 'phone@example.com' }).first().click();
    const card = page.locator('otp-contact-card');
    await card.getByRole('heading', { name: 'Remembered browsers' }).waitFor();
    // Anything that scrolls sideways, shadow roots included (a visually hidden header is 1 px wide and does not count).
    const sideways = await page.evaluate(`(() => {
      const found = [];
      const root = document.documentElement;
      if (root.scrollWidth > root.clientWidth) found.push('the page');
      const walk = (node) => {
        for (const el of node.querySelectorAll('*')) {
          if (el.shadowRoot) walk(el.shadowRoot);
          if (el.clientWidth > 1 && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible') found.push(el.tagName + '.' + el.className);
        }
      };
      walk(document);
      return found;
    })()`);
    assert.deepEqual(sideways, []);
    // A row of the browsers table reads as lines that name their column.
    assert.match(await card.locator('td[data-label="First seen"]').first().evaluate((td) => getComputedStyle(td, '::before').content), /First seen/);
    await checkPageA11y(page);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
