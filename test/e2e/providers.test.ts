import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startFakePostmark, type FakePostmark } from '../fakes/postmark.ts';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio.ts';
import { launchChromium, startServer, type RunningServer } from './server.ts';

let postmark: FakePostmark;
let twilio: FakeTwilio;
let server: RunningServer;
let browser: Browser;

before(async () => {
  [postmark, twilio] = await Promise.all([startFakePostmark(), startFakeTwilio()]);
  // As a site owner configures it, but with the providers' API addresses pointed at the fakes.
  server = await startServer({
    env: {
      SITE_NAME: 'Harbour Rowing Club',
      POSTMARK_SERVER_TOKEN: 'server-token',
      POSTMARK_FROM: 'Harbour Rowing Club <login@harbour.test>',
      POSTMARK_API_URL: postmark.url.toString(),
      TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef',
      TWILIO_AUTH_TOKEN: 'auth-token',
      TWILIO_FROM: '+14155550100',
      TWILIO_API_URL: twilio.url.toString(),
    },
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await Promise.all([postmark?.close(), twilio?.close()]);
});

async function waitFor<T>(read: () => T | undefined): Promise<T> {
  for (let i = 0; i < 50; i++) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('The provider received nothing');
}

describe('npm start with Postmark and Twilio configured', () => {
  test('sends real SDK requests, and a person signs in with the code the provider received', async () => {
    assert.match(server.output(), /Email: Postmark\. SMS: Twilio\./);
    assert.equal((await fetch(`${server.url}/dev/outbox.json`)).status, 404, 'no outbox with providers');

    const page = await browser.newPage();
    await page.goto(server.url);
    const widget = page.locator('otp-login');
    await widget.locator('[part~="input"]').fill('rower@harbour.test');
    await widget.locator('[part~="form"] [part~="button"]').first().click();
    const email = await waitFor(() => postmark.emails.find((e) => e.To === 'rower@harbour.test'));
    assert.equal(email.From, 'Harbour Rowing Club <login@harbour.test>');
    await widget.locator('[part~="code-input"]').pressSequentially(email.TextBody.match(/\b\d{6}\b/)![0]);
    await page.locator('#members').waitFor({ state: 'visible' });

    await page.context().clearCookies();
    await page.reload();
    await widget.locator('[part~="input"]').fill('+1 415 555 0177');
    await widget.locator('[part~="form"] [part~="button"]').first().click();
    const sms = await waitFor(() => twilio.messages.find((m) => m.To === '+14155550177'));
    assert.match(sms.Body, /Harbour Rowing Club sign-in code/);
    await widget.locator('[part~="code-input"]').pressSequentially(sms.Body.match(/\b\d{6}\b/)![0]);
    await page.locator('#members').waitFor({ state: 'visible' });
    await page.close();
  });
});
