import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { openDataDir } from '../store/data-dir.ts';
import { blockCookies, serverAndBrowser, signInWithCode } from './server.ts';

const e2e = serverAndBrowser();

const widget = (page: Page) => page.locator('otp-login');
const explanation = async (page: Page) => {
  await widget(page).locator('[part~="explanation"]').waitFor();
  return (await widget(page).locator('[part~="explanation"]').innerText()).replace(/\s+/g, ' ');
};
const members = (page: Page) => page.locator('#members');
const status = async (page: Page) => (await widget(page).locator('[role="status"]').innerText()).replace(/\s+/g, ' ');

async function open(url = e2e.server.url): Promise<{ context: BrowserContext; page: Page }> {
  const context = await e2e.browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  return { context, page };
}

async function signIn(page: Page, email: string, { keep = true } = {}) {
  await signInWithCode(page, e2e.server.url, email, { keep });
  await members(page).waitFor({ state: 'visible' });
}

/** Changes a device on the server, as an admin or the passing of time would. */
async function onServer(email: string, change: 'revoke' | 'expire') {
  const storage = openDataDir(e2e.server.dataDir);
  const contact = (await storage.contacts.findByIdentifier({ kind: 'email', value: email }))!;
  const past = Date.now() - 1000;
  if (change === 'revoke') await storage.devices.revokeAllOf(contact.id, Date.now(), 'admin');
  else for (const device of await storage.admin.devicesOf(contact.id)) await storage.devices.touch(device.id, device.lastSeenAt, past);
  await storage.close();
}

describe('why a new code is needed, in a real Chromium (R6)', () => {
  test('first visit: says it looks like the first sign-in on this browser', async () => {
    const { context, page } = await open();
    assert.match(await explanation(page), /looks like your first sign-in on this browser, or a private window/);
    await context.close();
  });

  test('reload after signing in: remembered, no code, and says until when', async () => {
    const { context, page } = await open();
    await signIn(page, 'reload@example.com');
    await page.reload();
    await members(page).waitFor({ state: 'visible' });
    assert.match(await status(page), /This browser stays signed in until (\d{1,2} \w{3}|\w{3} \d{1,2},) 20\d\d/);
    await context.close();
  });

  test('cookies cleared but site storage kept: says the cookies were likely cleared, naming the masked address', async () => {
    const { context, page } = await open();
    await signIn(page, 'cleared@example.com');
    await context.clearCookies();
    await page.reload();
    assert.match(await explanation(page), /signed in here before as c•••@example\.com, but this browser.s cookies were likely cleared/);
    await context.close();
  });

  test('all site data cleared: back to the first-sign-in sentence, claiming nothing more', async () => {
    const { context, page } = await open();
    await signIn(page, 'wiped@example.com');
    await context.clearCookies();
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    assert.match(await explanation(page), /looks like your first sign-in on this browser/);
    await context.close();
  });

  test('the page reports cookies off: says the browser seems to block them (likely, not certain), and how to allow them', async () => {
    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    await blockCookies(context, page, 'all');
    await page.goto(e2e.server.url);
    const text = await explanation(page);
    assert.match(text, /This browser seems to block cookies here, so it likely can.t remember you/);
    assert.match(text, /Allow cookies for localhost/);
    await context.close();
  });

  test('embedded from another site with third-party cookies blocked: the partitioned cookie still keeps the browser remembered', async () => {
    const secondSite = `http://127.0.0.1:${Number(new URL(e2e.server.url).port) + 1}`;
    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    await blockCookies(context, page, 'third-party');
    await page.goto(secondSite);
    await signIn(page, 'embedded@example.com');
    const [device] = (await context.cookies('http://localhost')).filter((c) => c.name === '__Host-otp-device');
    assert.ok(device?.partitionKey, 'the device cookie is partitioned');
    await page.reload();
    await members(page).waitFor({ state: 'visible' });
    await context.close();
  });

  test('embedded from another site with cookies blocked: explains that the browser blocks them', async () => {
    const secondSite = `http://127.0.0.1:${Number(new URL(e2e.server.url).port) + 1}`;
    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    await blockCookies(context, page, 'all');
    await page.goto(secondSite);
    assert.match(await explanation(page), /This sign-in is embedded from another site, and your browser likely blocks its cookies here/);
    await context.close();
  });

  test('a refused cookie: says at once that the next visit needs a code, and the next visit says cookies are blocked', async () => {
    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    // The browser refuses the device cookie, as one blocking this site's cookies would.
    // (Forwarded from Node: the context's own fetch would store the cookie on the way.)
    await page.route('**/api/codes/verify', async (route) => {
      const request = route.request();
      const answer = await fetch(request.url(), { method: 'POST', headers: { 'content-type': 'application/json', origin: e2e.server.url }, body: request.postData() });
      await route.fulfill({ status: answer.status, contentType: 'application/json', body: await answer.text() });
    });
    await page.goto(e2e.server.url);
    await signIn(page, 'refused@example.com');
    assert.match(await status(page), /Your browser didn.t keep this sign-in, so your next visit will need a code/);
    await page.reload();
    assert.match(await explanation(page), /This browser is blocking cookies for this sign-in, so it can.t remember you/);
    await context.close();
  });

  test('revoked by the site\'s team: says so, and whom to ask', async () => {
    const { context, page } = await open();
    await signIn(page, 'revoked@example.com');
    await onServer('revoked@example.com', 'revoke');
    await page.reload();
    assert.match(await explanation(page), /This browser was signed out by the site.s team/);
    await context.close();
  });

  test('expired: says the saved sign-in on this browser has expired', async () => {
    const { context, page } = await open();
    await signIn(page, 'expired@example.com');
    await onServer('expired@example.com', 'expire');
    await page.reload();
    assert.match(await explanation(page), /Your saved sign-in on this browser has expired/);
    await context.close();
  });

  test('signed out: says the person signed out on this browser', async () => {
    const { context, page } = await open();
    await signIn(page, 'out@example.com');
    await widget(page).getByRole('button', { name: /sign out/i }).click();
    assert.match(await explanation(page), /You signed out on this browser/);
    await page.reload();
    assert.match(await explanation(page), /You signed out on this browser/, 'and on the next visit');
    await context.close();
  });

  test('"Don\'t remember this browser": remembered for the browser session only, and says so next time', async () => {
    const { context, page } = await open();
    await signIn(page, 'shared@example.com', { keep: false });
    assert.match(await status(page), /until you close the browser/);
    // Closing the browser drops its session cookies; the site's storage stays.
    await context.clearCookies();
    await page.reload();
    assert.match(await explanation(page), /you chose not to be remembered on this browser/);
    await context.close();
  });
});
