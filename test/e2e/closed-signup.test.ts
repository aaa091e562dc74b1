import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { serverAndBrowser, signInWithCode } from './server.ts';

// Issue 12, item 1: the seed platforms run closed, and their first admin must get in to add anyone.
const e2e = serverAndBrowser({ env: { SIGNUP: 'closed', ADMIN_EMAILS: 'root@example.com' } });

describe('closed signup in a real Chromium', () => {
  test('the ADMIN_EMAILS admin signs in to an empty server, adds a contact, and that contact signs in; a stranger gets no code', async () => {
    const adminContext = await e2e.browser.newContext();
    const admin = await adminContext.newPage();
    await admin.goto(`${e2e.server.url}/admin`);
    await signInWithCode(admin, e2e.server.url, 'root@example.com');
    const add = admin.locator('otp-add-contact');
    await add.getByLabel('Email').fill('jo@example.com');
    await add.getByLabel('Name (optional)').fill('Jo Bloggs');
    await add.getByRole('button', { name: 'Add contact' }).click();
    await add.getByText(/was added/).waitFor();

    const joContext = await e2e.browser.newContext();
    const jo = await joContext.newPage();
    await jo.goto(e2e.server.url);
    await signInWithCode(jo, e2e.server.url, 'jo@example.com');
    await jo.locator('otp-login').getByText(/jo@example\.com/).first().waitFor();

    // Someone nobody added is answered alike and sent nothing.
    const stranger = await fetch(`${e2e.server.url}/api/codes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: e2e.server.url },
      body: JSON.stringify({ email: 'nobody@example.com' }),
    });
    assert.equal(stranger.status, 202);
    await new Promise((r) => setTimeout(r, 300));
    const { messages } = (await (await fetch(`${e2e.server.url}/dev/outbox.json?to=nobody@example.com`)).json()) as { messages: unknown[] };
    assert.equal(messages.length, 0);
    await adminContext.close();
    await joContext.close();
  });
});
