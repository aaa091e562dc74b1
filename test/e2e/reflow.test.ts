import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { checkPageA11y } from './axe.ts';
import { codeFromOutbox, serverAndBrowser } from './server.ts';

const e2e = serverAndBrowser();

/** The focused element, through shadow roots: its id, or its tag. */
const focused = (page: Page) =>
  page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el?.id || el?.tagName.toLowerCase() || '';
  });

/** Nothing sticks out sideways: the page does not scroll horizontally, nor does the widget's card. */
async function assertNoSidewaysScroll(page: Page, state: string) {
  const sizes = await page.evaluate(() => {
    const el = document.querySelector('otp-login')!;
    const card = el.shadowRoot!.firstElementChild as HTMLElement;
    return { page: document.documentElement.scrollWidth - document.documentElement.clientWidth, card: card.scrollWidth - card.clientWidth };
  });
  assert.deepEqual(sizes, { page: 0, card: 0 }, `${state}: content wider than the viewport`);
}

/**
 * WCAG 1.4.10 (reflow) and 2.1.1 (keyboard): at 320 CSS px wide, and at 200% zoom of a 1280 px
 * window (640 CSS px), a person signs in with the keyboard alone; focus goes where the next step
 * is, nothing needs sideways scrolling, and axe finds nothing in any state.
 */
describe('narrow screens, zoom and the keyboard alone (issue 7, accessibility)', () => {
  for (const [name, viewport, scale] of [['320 px wide', { width: 320, height: 640 }, 1], ['200% zoom', { width: 640, height: 400 }, 2]] as const) {
    test(`${name}: sign in with the keyboard only, every state readable without sideways scrolling, and axe-clean`, async () => {
      const context = await e2e.browser.newContext({ viewport, deviceScaleFactor: scale });
      const page = await context.newPage();
      await page.goto(e2e.server.url);
      await page.locator('otp-login').locator('#identifier').waitFor();
      await assertNoSidewaysScroll(page, 'identify');
      await checkPageA11y(page);

      // Tab from the top of the page to the field, as a keyboard user would.
      for (let i = 0; i < 20 && (await focused(page)) !== 'identifier'; i++) await page.keyboard.press('Tab');
      assert.equal(await focused(page), 'identifier', 'the field is reachable by Tab');
      const email = `keys-${scale}@example.com`;
      await page.keyboard.type(email);
      await page.keyboard.press('Enter');
      await page.locator('otp-login').locator('#code').waitFor();
      assert.equal(await focused(page), 'code', 'focus moves to the code field');
      await assertNoSidewaysScroll(page, 'code');
      await checkPageA11y(page);

      // A wrong code: the error is announced, the field is marked invalid and described by it.
      await page.keyboard.type('000000');
      const alert = page.locator('otp-login').locator('[role="alert"]');
      await alert.filter({ hasText: /isn’t right/ }).waitFor();
      const code = page.locator('otp-login').locator('#code');
      assert.equal(await code.getAttribute('aria-invalid'), 'true');
      const describedBy = (await code.getAttribute('aria-describedby')) ?? '';
      assert.ok(describedBy.split(' ').includes((await alert.getAttribute('id')) ?? '#'), 'the error describes the field');
      assert.equal(await focused(page), 'code', 'focus stays on the field to try again');
      await assertNoSidewaysScroll(page, 'error');
      await checkPageA11y(page);

      await page.keyboard.type(await codeFromOutbox(e2e.server.url, email));
      await page.locator('otp-login').locator('#sign-out').waitFor();
      assert.equal(await focused(page), 'signed-in', 'focus moves to the signed-in line, which nothing undoes');
      // Enter right after the sixth digit (issue 12, item 2) must not sign the person out again.
      await page.keyboard.press('Enter');
      await page.waitForTimeout(300);
      assert.equal(await page.locator('otp-login').locator('#sign-out').count(), 1, 'still signed in after Enter');
      await page.keyboard.press('Tab');
      assert.equal(await focused(page), 'sign-out', 'Sign out is the next stop');
      await assertNoSidewaysScroll(page, 'signed in');
      await checkPageA11y(page);
      await context.close();
    });
  }
});
