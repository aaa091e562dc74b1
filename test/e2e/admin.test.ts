import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import twilio from 'twilio';
import type { Browser } from 'playwright-core';
import { launchChromium, signInWithCode, startServer, type RunningServer } from './server.ts';
import { checkPageA11y } from './axe.ts';

let server: RunningServer;
let browser: Browser;
const TOKEN = 'twilio-webhook-token';

before(async () => {
  server = await startServer({ env: { ADMIN_EMAILS: 'boss@example.com', TWILIO_AUTH_TOKEN: TOKEN } });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The contact replies STOP, as Twilio would deliver it (signed). */
async function replyStop(phone: string) {
  const url = `${server.url}/webhooks/twilio/inbound`;
  const params = { From: phone, To: '+14155550100', Body: 'STOP', MessageSid: 'SMe2e' };
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(TOKEN, url, params) },
    body: new URLSearchParams(params),
  });
  assert.equal(res.status, 200);
}

describe('the admin in a real Chromium', () => {
  test('finds a contact, reads why they cannot sign in, revokes a browser and deactivates them', async () => {
    // Sam signs in by phone on the demo site, then replies STOP to our texts.
    const samContext = await browser.newContext();
    const sam = await samContext.newPage();
    await sam.goto(server.url);
    await signInWithCode(sam, server.url, '+1 415 555 0150', { outboxAddress: '+14155550150' });
    await sam.locator('#members').waitFor({ state: 'visible' });
    await replyStop('+14155550150');

    const adminContext = await browser.newContext({ viewport: { width: 1100, height: 1400 } });
    const admin = await adminContext.newPage();
    await admin.goto(`${server.url}/admin`);
    await signInWithCode(admin, server.url, 'boss@example.com');
    await admin.getByLabel('Search by name, email or phone').fill('0150');
    await admin.getByRole('button', { name: /\+14155550150/ }).or(admin.getByRole('link', { name: /\+14155550150/ })).first().click();
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
    await card.getByText(/is deactivated\./).first().waitFor();
    const deactivated = await (await fetch(`${server.url}/api/admin/contacts?q=0150`, { headers: { cookie: (await adminContext.cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } })).json();
    assert.equal(deactivated.contacts[0].status, 'deactivated');
    await samContext.close();
    await adminContext.close();
  });
});
