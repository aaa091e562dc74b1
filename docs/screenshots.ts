/**
 * Renders the widget in each explanation state (R6) in Chromium and saves docs/explain-<reason>.png,
 * then on the code step after a wrong code in each language it speaks, docs/lang-<language>.png,
 * and the demo's themes page: docs/themes.png (three themes side by side) and the default look on
 * the code step after a wrong code, docs/theme-light.png and docs/theme-dark.png, and the README's
 * picture, demo/screenshot.png (the demo page, a code being typed); and issue 15's: the first visit on a
 * 375 × 667 phone, docs/first-visit-375.png, and the page an invitation opens, docs/link-page.png:
 * `npm run screenshots`, or `npm run screenshots -- lang` for the files whose names start so.
 * The server runs as `npm start` runs it; the session answer, the widget's marker and the
 * browser's signals are set per state, as a person's browser would present them, and the demo
 * page's `<html lang>` per language, as a site in that language would have it.
 */
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { blockCookies, codeFromOutbox, launchChromium, startServer } from '../test/e2e/server.ts';

const out = resolve(import.meta.dirname);
const day = 86_400_000;
const marker = (extra: Record<string, unknown> = {}) => ({
  signedInAt: new Date(Date.now() - 30 * day).toISOString(),
  expiresAt: new Date(Date.now() + 300 * day).toISOString(),
  who: 'j•••@example.com',
  ...extra,
});

interface State {
  name: string;
  session?: Record<string, unknown>;
  history?: Record<string, unknown>;
  cookiesOff?: boolean;
  userAgent?: string;
  smallQuota?: boolean;
}

const noCookie = { signedIn: false, reason: 'no_cookie' };
const states: State[] = [
  { name: 'first_sign_in', session: noCookie },
  { name: 'cookies_cleared', session: noCookie, history: marker() },
  { name: 'cookies_blocked', session: noCookie, history: marker({ cookieRefused: true }) },
  { name: 'cookies_likely_blocked', session: noCookie, cookiesOff: true },
  { name: 'cookies_blocked_embedded', session: { ...noCookie, crossSite: true }, history: marker({ cookieRefused: true }) },
  { name: 'private_window', session: noCookie, smallQuota: true },
  { name: 'session_only', session: noCookie, history: marker({ sessionOnly: true }) },
  { name: 'expired', session: { signedIn: false, reason: 'expired' } },
  { name: 'signed_out', session: { signedIn: false, reason: 'signed_out' } },
  { name: 'revoked', session: { signedIn: false, reason: 'revoked' } },
  { name: 'deactivated', session: { signedIn: false, reason: 'deactivated' } },
  {
    name: 'no_saved_sign_in',
    session: noCookie,
    userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  },
  { name: 'signed_in' },
];

async function render(page: Page, state: State) {
  // Its path, whatever the query (the widget asks for a token with the session: ?token=1).
  if (state.session) await page.route((url) => url.pathname === '/api/session', (route) => route.fulfill({ json: state.session }));
  await page.addInitScript(
    ({ history, smallQuota }) => {
      localStorage.clear();
      if (history) localStorage.setItem('otp-login:history', JSON.stringify(history));
      if (smallQuota) {
        // An older Chromium's private-window quota (today's reports a fixed one in every window).
        StorageManager.prototype.estimate = async () => ({ quota: 120 * 1024 ** 2 + 12345, usage: 0 });
      }
    },
    { history: state.history, smallQuota: state.smallQuota },
  );
}

/** The languages of widget/i18n/, each shown on a page that declares it. */
const languages = ['en', 'es', 'fr', 'de', 'pt', 'nl'];

/** Asks `widget` for a code for `email`, waits for the code field and reads the code in the development outbox. */
async function askForCode(widget: Locator, serverUrl: string, email: string): Promise<string> {
  await widget.locator('[part~="input"]').fill(email);
  await widget.locator('[part~="form"] [part~="button"]').first().click();
  await widget.locator('[part~="code-input"]').waitFor();
  const { messages } = await (await fetch(`${serverUrl}/dev/outbox.json?to=${email}`)).json();
  return messages[0].text.match(/\b\d{6}\b/)[0];
}

/** Asks for a code, types a wrong one (the outbox's, one digit changed) and waits for the error. */
async function wrongCode(widget: Locator, serverUrl: string, email: string) {
  const code = await askForCode(widget, serverUrl, email);
  await widget.locator('[part~="code-input"]').pressSequentially(`${(Number(code[0]) + 1) % 10}${code.slice(1)}`);
  await widget.locator('[role="alert"]:not(:empty)').waitFor();
}

/** On a page in `language`: the code step after a wrong code. */
async function codeStepIn(page: Page, serverUrl: string, language: string) {
  await page.route(serverUrl + '/', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: (await response.text()).replace(/<html lang="[^"]*"/, `<html lang="${language}"`) });
  });
  await page.goto(serverUrl);
  await wrongCode(page.locator('otp-login'), serverUrl, `jo.${language}@example.com`);
}

const only = process.argv.slice(2);
const wanted = (file: string) => only.length === 0 || only.some((prefix) => file.startsWith(prefix));

/** A signed-in admin's cookie (ADMIN_EMAILS), through the API as the widget signs in. */
async function adminCookie(serverUrl: string, email: string): Promise<string> {
  const post = (path: string, body: object, cookie = '') =>
    fetch(`${serverUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: serverUrl, ...(cookie && { cookie }) }, body: JSON.stringify(body) });
  await post('/api/codes', { email });
  const verified = await post('/api/codes/verify', { email, code: await codeFromOutbox(serverUrl, email) });
  return verified.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

const server = await startServer({ env: { ADMIN_EMAILS: 'captain@harbourrowing.test', SITE_NAME: 'Harbour Rowing Club' } });
const browser = await launchChromium();
try {
  for (const state of states.filter((s) => wanted(`explain-${s.name}`))) {
    const context = await browser.newContext({ viewport: { width: 520, height: 700 }, ...(state.userAgent && { userAgent: state.userAgent }) });
    const page = await context.newPage();
    if (state.cookiesOff) await blockCookies(context, page, 'all');
    await render(page, state);
    await page.goto(server.url);
    if (state.name === 'signed_in') {
      const widget = page.locator('otp-login');
      await widget.locator('[part~="code-input"]').pressSequentially(await askForCode(widget, server.url, 'jo@example.com'));
      await page.locator('#members').waitFor({ state: 'visible' });
    } else {
      await page.locator('otp-login [part~="explanation"]').waitFor();
    }
    await page.waitForTimeout(200);
    const file = join(out, `explain-${state.name}.png`);
    await page.locator('otp-login').screenshot({ path: file });
    console.log(`${state.name}: ${(await page.locator('otp-login [part~="explanation"], otp-login [role="status"]').first().innerText()).replace(/\s+/g, ' ')}`);
    await context.close();
  }
  for (const language of languages.filter((l) => wanted(`lang-${l}`))) {
    const context = await browser.newContext({ viewport: { width: 520, height: 900 } });
    const page = await context.newPage();
    await codeStepIn(page, server.url, language);
    await page.waitForTimeout(200);
    await page.locator('otp-login').screenshot({ path: join(out, `lang-${language}.png`) });
    console.log(`${language}: ${(await page.locator('otp-login [role="alert"]').innerText()).trim()}`);
    await context.close();
  }
  if (wanted('themes')) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
    const page = await context.newPage();
    await page.goto(`${server.url}/themes.html`);
    await page.locator('.paper otp-login [part~="explanation"]').waitFor();
    await page.waitForTimeout(200);
    await page.locator('.stages').screenshot({ path: join(out, 'themes.png') });
    console.log('themes: the three themes side by side');
    await context.close();
  }
  for (const scheme of (['light', 'dark'] as const).filter((s) => wanted(`theme-${s}`))) {
    // Tall enough for the whole page: no scroll bar, whose width differs between the schemes.
    const context = await browser.newContext({ viewport: { width: 520, height: 2400 }, colorScheme: scheme });
    const page = await context.newPage();
    await page.goto(`${server.url}/themes.html`);
    const widget = page.locator('.default otp-login');
    await wrongCode(widget, server.url, `jo.${scheme}@example.com`);
    await page.waitForTimeout(200);
    await widget.screenshot({ path: join(out, `theme-${scheme}.png`) });
    console.log(`theme-${scheme}: ${await widget.evaluate((el) => getComputedStyle(el.shadowRoot!.querySelector('[part~="card"]')!).backgroundColor)}`);
    await context.close();
  }
  if (wanted('screenshot')) {
    // The README's picture: the demo's members' page, a code being typed.
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 }, colorScheme: 'light' });
    const page = await context.newPage();
    await page.goto(server.url);
    const widget = page.locator('otp-login');
    const code = await askForCode(widget, server.url, 'ann@harbourrowing.test');
    await widget.locator('[part~="code-input"]').pressSequentially(code.slice(0, 4));
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(out, '../demo/screenshot.png') });
    console.log('screenshot: the demo page on the code step');
    await context.close();
  }
  if (wanted('first-visit-375')) {
    // Issue 15: on a phone, a first visit shows the field and its button on the first screen.
    const context = await browser.newContext({ viewport: { width: 375, height: 667 }, colorScheme: 'light' });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.locator('otp-login [part~="explanation"]').waitFor();
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(out, 'first-visit-375.png') });
    console.log('first-visit-375: the demo page on a 375 × 667 phone');
    await context.close();
  }
  if (wanted('link-page')) {
    // The page an invitation opens, as the invited person sees it on a phone.
    const cookie = await adminCookie(server.url, 'captain@harbourrowing.test');
    const admin = (path: string, body: object) =>
      fetch(`${server.url}/api/admin${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: server.url, cookie }, body: JSON.stringify(body) });
    const { contact } = await (await admin('/contacts', { email: 'rower@harbourrowing.test', name: 'Robin' })).json();
    await admin(`/contacts/${contact.id}/invite`, {});
    let link: string | undefined;
    for (let i = 0; i < 40 && !link; i++) {
      const { messages } = await (await fetch(`${server.url}/dev/outbox.json?to=rower@harbourrowing.test`)).json();
      link = messages[0]?.text.match(/https?:\/\/\S+/)?.[0];
      if (!link) await new Promise((r) => setTimeout(r, 50));
    }
    const context = await browser.newContext({ viewport: { width: 375, height: 667 }, colorScheme: 'light' });
    const page = await context.newPage();
    await page.goto(link!);
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(out, 'link-page.png') });
    console.log(`link-page: ${(await page.locator('h1').first().innerText()).trim()}`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
