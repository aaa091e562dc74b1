/**
 * Issue 12, item 2: the sixth digit submits the code by itself, and many people press Enter after
 * it anyway. Whenever that Enter lands, before or after the sign-in, it must not sign them out:
 * focus goes to the "Signed in as …" line (tabindex=-1), which a screen reader reads out, and
 * never to the sign-out button. Real key presses in a real Chromium (sendKeys), not synthetic events.
 */
import { sendKeys } from '@web/test-runner-commands';
import '../../widget/otp-login.ts';
import { $, $input, assert, assertEqual, bodies, cleanUp, codeStep, forgetThisBrowser, noSession, serve, statusText, waitFor } from './helpers.ts';

/** Answers after `ms`, as a real server does, so the sign-in lands while the person is still typing or pressing keys. */
const after = (ms: number, reply: { status: number; body: unknown }) => async () => (await new Promise((resolve) => setTimeout(resolve, ms)), reply);

describe('<otp-login> after the code signs the person in', () => {
  beforeEach(forgetThisBrowser);
  afterEach(cleanUp);

  for (const delay of [0, 50, 100, 200, 400, 800]) {
    it(`stays signed in when Enter is pressed ${delay} ms after the sixth digit, with focus on the “Signed in as …” line`, async () => {
      const { calls } = serve({
        'GET /api/session': [noSession['GET /api/session'], after(20, { status: 200, body: bodies.signedIn() })],
        'POST /api/codes': { status: 202, body: bodies.codeSent() },
        'POST /api/codes/verify': after(40, { status: 200, body: bodies.signedIn() }),
        'POST /api/session/sign-out': { status: 200, body: bodies.signedOut('signed_out') },
      });
      const el = await codeStep();
      $input(el, '#code').focus();
      await sendKeys({ type: '482913' });
      await new Promise((resolve) => setTimeout(resolve, delay));
      await sendKeys({ press: 'Enter' });

      const signOuts = () => calls.filter((c) => c.path === '/api/session/sign-out').length;
      await waitFor(() => signOuts() > 0 || el.shadowRoot!.activeElement?.id === 'signed-in', 'the sign-in to settle', 1000);
      // Long enough for a click the Enter caused to have reached the server.
      await new Promise((resolve) => setTimeout(resolve, 150));
      assertEqual(signOuts(), 0, 'sign-out requests');
      const line = $(el, '#signed-in')!;
      assertEqual(calls.filter((c) => c.path === '/api/codes/verify').length, 1, 'verify requests (the Enter sent no second one)');
      assert($(el, '#sign-out'), 'still signed in: the sign-out button is there');
      assertEqual(el.shadowRoot!.activeElement, line, 'focus stays on the line');
      assertEqual(line.getAttribute('tabindex'), '-1', 'focusable by script only, not a tab stop');
      assertEqual(line.textContent, 'Signed in as jo@example.com', 'what a screen reader reads');
      // Focused, the line is read out; inside the polite live region it would be announced again.
      assertEqual(line.closest('[aria-live], [role="status"], [role="alert"]'), null, 'outside every live region');
      assert(!statusText(el).includes('Signed in as'), `the live region says it no more: ${statusText(el)}`);
    });
  }

  it('signs out with Enter once the person moves to the sign-out button on purpose', async () => {
    const { calls } = serve({
      'GET /api/session': [noSession['GET /api/session'], { status: 200, body: bodies.signedIn() }],
      'POST /api/codes': { status: 202, body: bodies.codeSent() },
      'POST /api/codes/verify': { status: 200, body: bodies.signedIn() },
      'POST /api/session/sign-out': { status: 200, body: bodies.signedOut('signed_out') },
    });
    const el = await codeStep();
    $input(el, '#code').focus();
    await sendKeys({ type: '482913' });
    const line = await waitFor(() => $(el, '#signed-in'), 'the signed-in line');
    await waitFor(() => el.shadowRoot!.activeElement === line, 'focus on the signed-in line');
    await sendKeys({ press: 'Tab' });
    assertEqual(el.shadowRoot!.activeElement?.id, 'sign-out', 'Tab reaches the sign-out button next');
    await sendKeys({ press: 'Enter' });
    await waitFor(() => calls.some((c) => c.path === '/api/session/sign-out'), 'the sign-out request');
  });
});
