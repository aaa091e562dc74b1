import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { serverAndBrowser, signInWithCode, startServer } from './server.ts';

const e2e = serverAndBrowser();

const widget = (page: Page) => page.locator('otp-login');
const explanation = (page: Page) => widget(page).locator('[part~="explanation"]');
const members = (page: Page) => page.locator('#members');

async function signIn(page: Page, identifier: string, outboxAddress = identifier) {
  await signInWithCode(page, e2e.server.url, identifier, { outboxAddress });
  await members(page).waitFor({ state: 'visible' });
}

describe('sign in on the demo site, end to end', () => {
  test('a first visit on a 375 × 667 phone: the field and its button are on the first screen, and the why follows them (issue 15, item 7)', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 375, height: 667 } });
    await page.goto(e2e.server.url);
    const field = widget(page).locator('[part~="input"]');
    await field.waitFor();
    const button = widget(page).locator('[part~="form"] [part~="button"]').first();
    const bottom = async (l: typeof field) => ((b) => b!.y + b!.height)(await l.boundingBox());
    assert.ok((await bottom(field)) <= 667, `the field ends at ${await bottom(field)} px`);
    assert.ok((await bottom(button)) <= 667, `its button ends at ${await bottom(button)} px`);
    const why = explanation(page);
    assert.match(await why.innerText(), /looks like your first sign-in/);
    assert.ok((await why.boundingBox())!.y > (await button.boundingBox())!.y, 'the why comes after the form');
    await page.close();
  });

  test('the demo pages, the admin sign-in page and the second demo site load with no console error and nothing missing (the favicon included), at 375 px with no sideways scroll (issue 15, item 8)', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 375, height: 667 } });
    const problems: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && problems.push(`${page.url()}: ${m.text()}`)));
    page.on('response', (r) => void (r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`)));
    const secondSite = `http://127.0.0.1:${Number(new URL(e2e.server.url).port) + 1}`;
    for (const path of ['/', '/themes.html', '/admin', `${secondSite}/`]) {
      await page.goto(path.startsWith('http') ? path : `${e2e.server.url}${path}`, { waitUntil: 'networkidle' });
      // The favicon is asked for by the browser, not the page: ask for it as it does.
      const icon = await page.evaluate(() => (document.querySelector('link[rel~="icon"]') as HTMLLinkElement | null)?.href);
      assert.ok(icon, `${path} names an icon, so the browser does not ask for /favicon.ico`);
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0, `${path} scrolls sideways`);
    }
    assert.deepEqual(problems, []);
    await page.close();
  });


  test('signs in with an emailed code, stays signed in across a reload, and explains cleared cookies and sign-out', async () => {
    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    await page.goto(e2e.server.url);

    await explanation(page).waitFor();
    assert.match(await explanation(page).innerText(), /looks like your first sign-in on this browser/i);
    await signIn(page, 'member@example.com');
    assert.match(await page.locator('#member-name').innerText(), /member@example\.com/);
    // The terminal says where the message went (development outbox only), but never the code, and
    // each request's log line masks the address.
    assert.match(e2e.server.output(), /\[dev outbox\] code 1 by email to m•••@example\.com: read it at \/dev\/outbox/);
    assert.match(e2e.server.output(), /[\w-]{36} POST \/api\/codes 202 [\d.]+ms m•••@example\.com/);
    assert.doesNotMatch(e2e.server.output(), /member@example\.com|\b\d{6}\b/);

    // A reload needs no code: the remembered device signs in by itself, and no new code is sent.
    const before = (await (await fetch(`${e2e.server.url}/dev/outbox.json?to=member@example.com`)).json()).messages.length;
    await page.reload();
    await members(page).waitFor({ state: 'visible' });
    const afterReload = (await (await fetch(`${e2e.server.url}/dev/outbox.json?to=member@example.com`)).json()).messages.length;
    assert.equal(afterReload, before);

    // Cookies cleared: the widget asks for a code and says why.
    await context.clearCookies();
    await page.reload();
    await explanation(page).waitFor();
    assert.match(await explanation(page).innerText(), /cookie/i);
    assert.equal(await members(page).isVisible(), false);

    // Sign in again (by phone: the same email could ask for a new code only 30 s after the last),
    // then sign out: the explanation says so.
    await signIn(page, '+1 415 555 0142', '+14155550142');
    await widget(page).getByRole('button', { name: /sign out/i }).click();
    await explanation(page).waitFor();
    assert.match(await explanation(page).innerText(), /signed out/i);
    assert.equal(await members(page).isVisible(), false);
    await page.reload();
    await explanation(page).waitFor();
    assert.match(await explanation(page).innerText(), /signed out/i);
    await context.close();
  });

  test('signs in with a phone number by SMS', async () => {
    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    await page.goto(e2e.server.url);
    await explanation(page).waitFor();
    await signIn(page, '+1 415 555 0123', '+14155550123');
    assert.match(await page.locator('#member-name').innerText(), /\+14155550123/);
    await context.close();
  });
});

describe('a chunk of the widget that does not load (issue 16, item 5)', () => {
  for (const chunk of ['otp-login-rest.js', 'otp-login-en.js']) {
    test(`without ${chunk} (offline), a code request says the network sentence, sends nothing, and the form still works`, async () => {
      const context = await e2e.browser.newContext();
      const page = await context.newPage();
      await page.route(`**/${chunk}`, (route) => route.abort('internetdisconnected'));
      const codeRequests: string[] = [];
      page.on('request', (r) => void (r.method() === 'POST' && new URL(r.url()).pathname === '/api/codes' && codeRequests.push(r.url())));
      await page.goto(e2e.server.url);
      const field = widget(page).locator('[part~="input"]');
      await field.fill('member@example.com');
      const send = widget(page).getByRole('button', { name: 'Send code' });
      await send.click();
      const error = widget(page).locator('[part~="error"]');
      await error.filter({ hasText: /\S/ }).waitFor();
      assert.equal(await error.innerText(), 'We couldn’t reach the sign-in service. Check your connection and try again.');
      assert.deepEqual(codeRequests, []);
      // Not a dead widget: the field and its button are usable again, and asking again asks again.
      assert.equal(await send.isEnabled(), true);
      assert.equal(await field.getAttribute('readonly'), null);
      await context.close();
    });
  }
});

describe('a page on another site embedding the sign-in', () => {
  test('keeps the browser remembered through a partitioned cookie', async () => {
    const secondSite = `http://127.0.0.1:${Number(new URL(e2e.server.url).port) + 1}`;
    assert.match(e2e.server.output(), new RegExp(`second demo site.*${secondSite.replaceAll('.', '\\.')}`));
    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    const cookies: string[] = [];
    page.on('response', async (res) => {
      if (res.url().endsWith('/api/codes/verify')) cookies.push((await res.allHeaders())['set-cookie'] ?? '');
    });
    await page.goto(secondSite);
    await explanation(page).waitFor();
    await signIn(page, 'rower@example.com');
    assert.match(cookies.join('\n'), /__Host-otp-device=.*; SameSite=None; Partitioned/);
    await page.reload();
    await members(page).waitFor({ state: 'visible' });
    // The same browser on the server's own site is a different partition: not signed in there.
    const own = await context.newPage();
    await own.goto(e2e.server.url);
    await explanation(own).waitFor();
    await context.close();
  });
});

describe('the server process', () => {
  test('stops cleanly on SIGTERM', async () => {
    const own = await startServer({ command: ['node', '--import', 'tsx', 'server/main.ts'] });
    assert.equal(await own.stop('SIGTERM'), 0);
    assert.match(own.output(), /SIGTERM received/);
  });

  test('refuses production without an email or SMS provider, saying which variables to set', async () => {
    await assert.rejects(
      startServer({ command: ['node', '--import', 'tsx', 'server/main.ts'], env: { NODE_ENV: 'production' } }),
      /NODE_ENV=production needs a provider: set POSTMARK_SERVER_TOKEN \(email\) or TWILIO_ACCOUNT_SID \(SMS\)/,
    );
  });

  test('refuses to start with a bad setting, naming it', async () => {
    await assert.rejects(
      startServer({ command: ['node', '--import', 'tsx', 'server/main.ts'], env: { SIGNUP: 'sometimes' } }),
      /otp-login cannot start: SIGNUP must be "open" or "closed"/,
    );
  });
});
