import '../../widget/otp-login.ts';
import type { OtpCodeSentEvent, OtpErrorEvent, OtpLogin, OtpSignedInEvent } from '../../widget/otp-login.ts';
import { HISTORY_KEY } from '../../widget/history.ts';
import { defaultStrings } from '../../widget/strings.ts';
import { setViewport } from '@web/test-runner-commands';
import {
  $,
  $input,
  alertText,
  assert,
  assertDeepEqual,
  assertEqual,
  assertIncludes,
  bodies,
  checkA11y,
  cleanUp,
  codeStep,
  deferred,
  fakeBrowser,
  forgetThisBrowser,
  identifyStep,
  mount,
  noSession,
  record,
  serve,
  statusText,
  submitIdentifier,
  textOf,
  typeInto,
  waitFor,
} from './helpers.ts';

const status = statusText;

/** The reason sentence in the explanation part. */
function why(el: OtpLogin): string | undefined {
  return $(el, '[part~="explanation"] .why')?.textContent ?? undefined;
}

/** The explanation once it is shown: it comes with otp-login-rest.js, which the form never waits for. */
async function explained(el: OtpLogin): Promise<string | undefined> {
  await waitFor(() => why(el), 'the explanation, once otp-login-rest.js has loaded');
  return why(el);
}

/** The tip in the explanation part, `null` when there is none. */
function tip(el: OtpLogin): string | null {
  return $(el, '[part~="tip"]')?.textContent ?? null;
}

/** The line above the status region: "Signed in as …". */
function lead(el: OtpLogin): string | undefined {
  return $(el, '#signed-in')?.textContent ?? undefined;
}

describe('<otp-login>', () => {
  beforeEach(forgetThisBrowser);
  afterEach(cleanUp);

  describe('steps', () => {
    it('says it is checking while the session request is open', async () => {
      const answer = deferred();
      serve({ 'GET /api/session': async () => (await answer.promise, { status: 200, body: bodies.signedOut('no_cookie') }) });
      const el = await mount();
      assertIncludes(status(el), 'Checking whether you’re signed in', 'status while checking');
      assertEqual($(el, 'form'), null, 'no form while checking');
      answer.resolve();
      await waitFor(() => $(el, 'form'), 'the form after checking');
    });

    it('asks for an email or mobile number and says why a code is needed', async () => {
      const { calls } = serve(noSession);
      const el = await identifyStep();
      assertEqual(calls[0]?.path, '/api/session', 'first request');
      assertEqual(await explained(el), defaultStrings.whyFirstSignIn, 'explanation');
      const input = $input(el, '#identifier');
      assertEqual(input.getAttribute('part'), 'input', 'input part');
      assertEqual(input.autocomplete, 'username', 'autocomplete');
      assertEqual($(el, 'label[for="identifier"]')?.textContent, 'Email or mobile number', 'label');
      assert($(el, 'form[part~="form"]'), 'the form has part form');
      assertEqual($(el, 'button[part~="button"]')?.textContent?.trim(), 'Send code', 'button');
      assertEqual(el.shadowRoot!.querySelectorAll('input[type="radio"]').length, 2, 'channel choices');
    });

    it('explains a sign-out by the site’s team from the server reason', async () => {
      serve({ 'GET /api/session': { status: 200, body: bodies.signedOut('revoked') } });
      const el = await identifyStep();
      assertEqual(await explained(el), defaultStrings.whyRevoked, 'explanation');
    });

    it('says cookies were likely cleared when this browser signed in before', async () => {
      localStorage.setItem(HISTORY_KEY, JSON.stringify({ signedInAt: '2025-01-01T00:00:00.000Z', expiresAt: '2099-01-01T00:00:00.000Z' }));
      serve(noSession);
      const el = await identifyStep();
      assertIncludes(await explained(el), 'likely cleared', 'explanation');
    });

    it('offers only a mobile number when channels is "sms"', async () => {
      const { calls } = serve({ ...noSession, 'POST /api/codes': { status: 202, body: bodies.codeSent({ channel: 'sms', destination: '•••• 0123' }) } });
      const el = await identifyStep({ channels: 'sms' });
      assertEqual($(el, 'label[for="identifier"]')?.textContent, 'Mobile number', 'label');
      assertEqual($input(el, '#identifier').type, 'tel', 'input type');
      assertEqual(el.shadowRoot!.querySelectorAll('input[type="radio"]').length, 0, 'no channel choice');
      submitIdentifier(el, '+44 7700 900123');
      await waitFor(() => calls.length === 2, 'the code request');
      assertDeepEqual(calls[1]?.body, { phone: '+44 7700 900123', channel: 'sms', reason: 'first_sign_in', lang: 'en-GB' }, 'body');
    });

    it('offers only an email field when channels is "email"', async () => {
      serve(noSession);
      const el = await identifyStep({ channels: 'email' });
      assertEqual($(el, 'label[for="identifier"]')?.textContent, 'Email', 'label');
      assertEqual($input(el, '#identifier').type, 'email', 'input type');
    });

    it('shows who is signed in and a sign-out button when the browser is remembered', async () => {
      serve({ 'GET /api/session': { status: 200, body: bodies.signedIn() } });
      const el = await mount();
      await waitFor(() => $(el, '#sign-out'), 'the sign-out button');
      assertEqual(lead(el), 'Signed in as jo@example.com', 'status');
      assertEqual($(el, '#sign-out')?.getAttribute('part'), 'button', 'sign-out part');
    });
  });

  describe('asking for a code', () => {
    it('sends the typed email by email and shows the code number, masked destination and time', async () => {
      const { calls } = serve({ ...noSession, 'POST /api/codes': { status: 202, body: bodies.codeSent() } });
      const el = await identifyStep();
      const sent = record<OtpCodeSentEvent>(document, 'otp-code-sent');
      submitIdentifier(el, 'jo@example.com');
      await waitFor(() => $(el, '#code'), 'the code field');
      assertDeepEqual(calls[1]?.body, { email: 'jo@example.com', channel: 'email', reason: 'first_sign_in', lang: 'en-GB' }, 'request body (with the page’s language, for the message)');
      assertEqual(status(el), 'We sent a code to j•••@example.com at 14:05.', 'status');
      assertIncludes(textOf(el), defaultStrings.checkSpam, 'spam note for email');
      assertEqual(sent.length, 1, 'otp-code-sent events');
      assertDeepEqual(sent[0]?.detail, { channel: 'email', destination: 'j•••@example.com' }, 'event detail');
    });

    it('says "if there is a number on file" when an email asks for the code by text message', async () => {
      serve({ ...noSession, 'POST /api/codes': { status: 202, body: bodies.codeSent({ channel: 'sms', destination: '•••• ••••' }) } });
      const el = await identifyStep();
      typeInto($input(el, '#identifier'), 'jo@example.com');
      await el.updateComplete;
      $input(el, 'input[value="sms"]').click();
      await el.updateComplete;
      $(el, 'button[part~="button"]')!.click();
      await waitFor(() => $(el, '#code'), 'the code field');
      await el.updateComplete;
      assertEqual(
        status(el),
        'If there’s a mobile number on file for this email, we texted a code to it at 14:05. Nothing after a minute? Press “Use a different email”, then choose Email.',
        'status',
      );
      // The advice names a button that is on screen, not a "Go back" that is not.
      const named = /“([^”]+)”/.exec(status(el) ?? '')?.[1];
      const buttons = [...el.shadowRoot!.querySelectorAll('button')].map((b) => b.textContent!.trim());
      assert(named !== undefined && buttons.includes(named), `“${named}” is one of the buttons: ${buttons.join(', ')}`);
    });

    it('says that texts to new numbers there are paused until when, and to use email if this number is new, while asking for the code', async () => {
      const until = new Date(2025, 0, 2, 15, 5).toISOString();
      serve({ ...noSession, 'POST /api/codes': { status: 202, body: bodies.codeSent({ channel: 'sms', destination: '•••• 0123', smsPaused: { until, message: '…' } }) } });
      const el = await identifyStep();
      submitIdentifier(el, '+1 416 555 0123');
      await waitFor(() => $(el, '#code'), 'the code field');
      assertEqual(
        $(el, '#sms-paused')?.textContent,
        'Texts to numbers new to us here are paused until 15:05. If you’ve signed in with this number before, your code is on its way; if not, use your email address instead.',
        'the pause, for a number that may be new',
      );
      await checkA11y(el);
    });

    it('says why nothing was sent when the typed number replied STOP, and offers email', async () => {
      serve({
        ...noSession,
        'POST /api/codes': { status: 202, body: bodies.codeSent({ channel: 'sms', notSent: { reason: 'stop_reply', replyTo: '+14155550100' } }) },
      });
      const el = await identifyStep();
      const sent = record<OtpCodeSentEvent>(document, 'otp-code-sent');
      const errors = record<OtpErrorEvent>(el, 'otp-error');
      submitIdentifier(el, '+1 415 555 0123');
      await waitFor(() => alertText(el), 'the alert');
      assertEqual(
        alertText(el),
        'We can’t text this number because it replied STOP. Text START to +14155550100 to allow our texts again or use your email instead.',
        'alert',
      );
      assert($(el, '#code') === null, 'no code step: nothing was sent');
      assertEqual(sent.length, 0, 'no otp-code-sent');
      assertEqual(errors[0]?.detail.code, 'not_sent', 'otp-error code');
    });

    it('formats the time in the language given by lang', async () => {
      serve({ ...noSession, 'POST /api/codes': { status: 202, body: bodies.codeSent() } });
      const el = await codeStep({ lang: 'en-US' });
      assertIncludes(status(el), 'at 2:05 PM', 'US time');
    });

    it('picks text message when a phone number is typed, and sends the channel chosen', async () => {
      const { calls } = serve({ ...noSession, 'POST /api/codes': { status: 202, body: bodies.codeSent({ channel: 'sms' }) } });
      const el = await identifyStep();
      typeInto($input(el, '#identifier'), '07700 900123');
      await el.updateComplete;
      assert($input(el, 'input[value="sms"]').checked, 'text message is chosen for a phone number');
      $input(el, 'input[value="email"]').click();
      await el.updateComplete;
      $(el, 'button[part~="button"]')!.click();
      await waitFor(() => calls.length === 2, 'the code request');
      assertDeepEqual(calls[1]?.body, { phone: '07700 900123', channel: 'email', reason: 'first_sign_in', lang: 'en-GB' }, 'request body');
    });

    it('tells the risk of a text and the way round it while a text is chosen (SECURITY-PLAN 22)', async () => {
      serve(noSession);
      const el = await identifyStep();
      const risk = () => $(el, '#sms-risk')?.textContent ?? null;
      assertEqual(risk(), null, 'nothing while email is chosen');
      typeInto($input(el, '#identifier'), '07700 900123');
      await el.updateComplete;
      assertEqual(risk(), 'Texts are easier to intercept than email. If you can, choose Email.', 'shown for a typed number');
      assertEqual($input(el, 'input[value="sms"]').getAttribute('aria-describedby'), 'sms-risk', 'read out with the choice');
      await checkA11y(el);
      $input(el, 'input[value="email"]').click();
      await el.updateComplete;
      assertEqual(risk(), null, 'gone once email is chosen');
      assertEqual($input(el, 'input[value="sms"]').getAttribute('aria-describedby'), null, 'and not described any more');
    });

    it('has no text risk notice when the site texts only: there is no other way to offer', async () => {
      serve(noSession);
      const smsOnly = await identifyStep({ channels: 'sms' });
      typeInto($input(smsOnly, '#identifier'), '07700 900123');
      await smsOnly.updateComplete;
      assertEqual($(smsOnly, '#sms-risk'), null, 'no alternative to offer when the site texts only');
    });

    it('disables the button and says Sending… so a double submit sends one request', async () => {
      const answer = deferred();
      const { calls } = serve({
        ...noSession,
        'POST /api/codes': async () => (await answer.promise, { status: 202, body: bodies.codeSent() }),
      });
      const el = await identifyStep();
      submitIdentifier(el, 'jo@example.com');
      await el.updateComplete;
      const button = $(el, 'button[part~="button"]') as HTMLButtonElement;
      assertEqual(button.textContent?.trim(), 'Sending…', 'busy label');
      assert(button.disabled, 'button disabled while sending');
      $(el, 'form')!.dispatchEvent(new SubmitEvent('submit', { cancelable: true }));
      answer.resolve();
      await waitFor(() => $(el, '#code'), 'the code field');
      assertEqual(calls.filter((c) => c.path === '/api/codes').length, 1, 'code requests');
    });

    it('asks for an identifier without calling the server when the field is empty', async () => {
      const { calls } = serve(noSession);
      const el = await identifyStep();
      const errors = record<OtpErrorEvent>(el, 'otp-error');
      $(el, 'button[part~="button"]')!.click();
      await el.updateComplete;
      assertEqual(alertText(el), 'Enter your email or mobile number to get a code.', 'alert');
      assertEqual($input(el, '#identifier').getAttribute('aria-invalid'), 'true', 'aria-invalid');
      assertEqual(errors[0]?.detail.code, 'missing_identifier', 'otp-error code');
      assertEqual(calls.length, 1, 'requests');
    });
  });

  describe('the code step', () => {
    it('has one labelled code field for one-time-code autofill', async () => {
      serve({ ...noSession, 'POST /api/codes': { status: 202, body: bodies.codeSent() } });
      const el = await codeStep();
      const input = $input(el, '#code');
      assertEqual(el.shadowRoot!.querySelectorAll('input:not([type="checkbox"])').length, 1, 'inputs besides the checkbox');
      assertEqual(input.getAttribute('part'), 'code-input', 'part');
      assertEqual(input.autocomplete, 'one-time-code', 'autocomplete');
      assertEqual(input.inputMode, 'numeric', 'inputmode');
      assertEqual(input.getAttribute('pattern'), '[0-9]*', 'pattern');
      assertEqual(input.maxLength, 6, 'maxlength');
      assertEqual($(el, 'label[for="code"]')?.textContent, '6-digit code', 'label');
      assertEqual(document.activeElement, el, 'focus moved into the element');
      assertEqual(el.shadowRoot!.activeElement, input, 'the code field has focus');
    });

    it('submits the code with the identifier when the sixth digit is typed', async () => {
      const { calls } = serve({
        ...noSession,
        'POST /api/codes': { status: 202, body: bodies.codeSent() },
        'POST /api/codes/verify': { status: 200, body: bodies.signedIn() },
      });
      const el = await codeStep();
      typeInto($input(el, '#code'), '48291');
      await el.updateComplete;
      assertEqual(calls.filter((c) => c.path === '/api/codes/verify').length, 0, 'no verify after five digits');
      typeInto($input(el, '#code'), '3');
      await waitFor(() => calls.length === 3, 'the verify request');
      assertDeepEqual(calls[2]?.body, { email: 'jo@example.com', code: '482913', token: true }, 'verify body');
    });

    for (const pasted of ['482 913', '482-913']) {
      it(`accepts a pasted whole code "${pasted}" and submits it`, async () => {
        const { calls } = serve({
          ...noSession,
          'POST /api/codes': { status: 202, body: bodies.codeSent() },
          'POST /api/codes/verify': { status: 200, body: bodies.signedIn() },
        });
        const el = await codeStep();
        const input = $input(el, '#code');
        const data = new DataTransfer();
        data.setData('text/plain', pasted);
        const notCancelled = input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
        assert(!notCancelled, 'the browser’s own paste (cut by maxlength) was prevented');
        assertEqual(input.value, '482913', 'field value');
        await waitFor(() => calls.length === 3, 'the verify request');
        assertDeepEqual(calls[2]?.body, { email: 'jo@example.com', code: '482913', token: true }, 'verify body');
      });
    }

    it('signs in after the right code: fires otp-signed-in, shows who, and remembers the sign-in', async () => {
      serve({
        'GET /api/session': [{ status: 200, body: bodies.signedOut('no_cookie') }, { status: 200, body: bodies.signedIn() }],
        'POST /api/codes': { status: 202, body: bodies.codeSent() },
        'POST /api/codes/verify': { status: 200, body: bodies.signedIn() },
      });
      const el = await codeStep();
      const signedIn = record<OtpSignedInEvent>(document, 'otp-signed-in');
      typeInto($input(el, '#code'), '482913');
      await waitFor(() => $(el, '#sign-out'), 'the sign-out button');
      assertEqual(signedIn.length, 1, 'otp-signed-in events');
      assertDeepEqual(signedIn[0]?.detail, { contact: bodies.contact, device: bodies.device }, 'event detail');
      assertEqual(lead(el), 'Signed in as jo@example.com', 'status');
      const marker = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '{}') as Record<string, unknown>;
      assertEqual(marker.expiresAt, bodies.device.expiresAt, 'marker expiry');
      assertEqual(marker.who, 'j•••@example.com', 'masked identifier');
      assertDeepEqual(Object.keys(marker).sort(), ['expiresAt', 'signedInAt', 'who'], 'marker holds only dates and the masked identifier');
    });

    it('counts down to resending and says the earlier code will stop working', async () => {
      serve({ ...noSession, 'POST /api/codes': { status: 202, body: bodies.codeSent({ resendAfter: 25 }) } });
      const el = await codeStep();
      const resend = $(el, '#resend') as HTMLButtonElement;
      assertEqual(resend.textContent?.trim(), 'Send a new code in 0:25', 'countdown');
      assert(resend.disabled, 'resend is disabled during the countdown');
      assertEqual($(el, '#resend-note')?.textContent, 'Once a new code is sent, the earlier one stops working.', 'note');
      assertEqual(resend.getAttribute('aria-describedby'), 'resend-note', 'the note describes the button');
    });

    it('sends a new code to the same person and shows when it was sent', async () => {
      const { calls } = serve({
        ...noSession,
        'POST /api/codes': [
          { status: 202, body: bodies.codeSent({ resendAfter: 0 }) },
          { status: 202, body: bodies.codeSent({ sentAt: new Date(2025, 0, 2, 14, 9).toISOString() }) },
        ],
      });
      const el = await codeStep();
      const resend = $(el, '#resend') as HTMLButtonElement;
      assertEqual(resend.textContent?.trim(), 'Send a new code', 'label once the countdown is over');
      resend.click();
      await waitFor(() => status(el).includes('14:09'), 'the second code');
      // Naming the code it replaces, so the server can tell "too soon, that one still works".
      assertDeepEqual(calls[2]?.body, { ...(calls[1]?.body as object), previousSentAt: bodies.codeSent().sentAt }, 'same request body, with the first code’s sentAt');
      assertEqual(status(el), 'We sent a code to j•••@example.com at 14:09.', 'status');
    });

    it('goes back to change the email, keeping what was typed', async () => {
      serve({ ...noSession, 'POST /api/codes': { status: 202, body: bodies.codeSent() } });
      const el = await codeStep();
      const back = [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent?.includes('Use a different email'));
      assert(back, 'a way back');
      back.click();
      await el.updateComplete;
      assertEqual($input(el, '#identifier').value, 'jo@example.com', 'identifier kept');
      assertEqual(why(el), defaultStrings.whyFirstSignIn, 'explanation kept');
    });
  });

  describe('texted codes (WebOTP)', () => {
    it('fills in and submits the code the browser reads from the text message', async () => {
      const credentials = navigator.credentials;
      const hadOtp = 'OTPCredential' in window;
      if (!hadOtp) Object.defineProperty(window, 'OTPCredential', { value: class {}, configurable: true });
      let asked: unknown;
      Object.defineProperty(credentials, 'get', {
        configurable: true,
        value: async (options: unknown) => ((asked = options), { type: 'otp', code: '482913' }),
      });
      try {
        const { calls } = serve({
          ...noSession,
          'POST /api/codes': { status: 202, body: bodies.codeSent({ channel: 'sms', destination: '•••• 0123' }) },
          'POST /api/codes/verify': { status: 200, body: bodies.signedIn() },
        });
        const el = await identifyStep();
        submitIdentifier(el, '+1 415 555 0123');
        await waitFor(() => calls.find((c) => c.path === '/api/codes/verify'), 'the verify request');
        assertDeepEqual(calls.find((c) => c.path === '/api/codes/verify')?.body, { phone: '+1 415 555 0123', code: '482913', token: true }, 'verify body');
        assertDeepEqual((asked as { otp?: unknown }).otp, { transport: ['sms'] }, 'asked the browser for an SMS code');
      } finally {
        delete (credentials as unknown as Record<string, unknown>).get;
        if (!hadOtp) delete (window as unknown as Record<string, unknown>).OTPCredential;
      }
    });
  });

  describe('the first visit on a phone (375 × 667)', () => {
    afterEach(() => setViewport({ width: 800, height: 600 }));

    it('leads with the field: under the demo site’s header and intro, the field and its button are on the first screen', async () => {
      await setViewport({ width: 375, height: 667 });
      // The demo's page above the widget: the site's bar, a heading and two sentences.
      const page = document.createElement('div');
      page.innerHTML = `<header style="padding:12px 16px;font:600 17px system-ui">⚓ Harbour Rowing Club</header>
        <main style="padding:0 16px;font:16px/1.5 system-ui"><h1 style="font-size:28px;margin:16px 0 8px">Members’ area</h1>
        <p>Crew lists, the boat booking sheet and the winter training plan are for members only. Sign in with a code sent to your email or phone.</p></main>`;
      document.body.prepend(page);
      try {
        const el = await identifyStep();
        assert(why(el), 'the why stays (R6)');
        const words = `${why(el)} ${tip(el) ?? ''}`.trim().split(/\s+/).length;
        assert(words <= 30, `the why and its tip in at most 30 words, not ${words}`);
        for (const selector of ['#identifier', 'button[part~="button"]']) {
          const box = $(el, selector)!.getBoundingClientRect();
          assert(box.bottom <= 667, `${selector} ends at ${Math.round(box.bottom)} px, below the first screen (667 px)`);
        }
      } finally {
        page.remove();
      }
    });
  });

  describe('errors', () => {
    const at1407 = new Date(2025, 0, 2, 14, 7).toISOString();
    const verifyErrors: Array<[string, number, Record<string, unknown>, string]> = [
      ['wrong_code', 401, { attemptsLeft: 3 }, 'That code isn’t right. Check it and try again (3 tries left).'],
      ['wrong_code', 401, { attemptsLeft: 1 }, 'That code isn’t right. Check it and try again (1 try left).'],
      ['wrong_code', 401, { attemptsLeft: 0 }, 'That code isn’t right, and it no longer works after too many tries. Send a new code.'],
      ['superseded_code', 401, { newestSentAt: at1407, newestCodeNumber: 3 }, 'A newer code (code 3) was sent at 14:07. Use the code from the newest message; typing an older code used one of its tries.'],
      ['expired_code', 401, {}, 'That code has expired. Send a new code and enter it soon after it arrives.'],
      ['too_many_attempts', 401, {}, 'Too many wrong tries, so that code no longer works. Send a new code.'],
      ['no_active_code', 401, {}, 'There’s no code waiting for this email or number. Send a new code.'],
      ['invalid_code_format', 400, {}, 'Codes are 6 digits. Check the code and try again.'],
      ['rate_limited', 429, { retryAfter: 120 }, 'Too many tries. Please try again in 2 minutes.'],
      [
        'rate_limited',
        429,
        { locked: true },
        'Too many wrong codes were entered for this email address, so we’ve stopped accepting codes for it to keep your account safe. Sign in with your mobile number instead, or ask the site’s team for a sign-in link.',
      ],
    ];

    it('a burned code (no tries left) disables the code field and its button, and offers a new code first', async () => {
      serve({
        ...noSession,
        'POST /api/codes': { status: 202, body: bodies.codeSent({ resendAfter: 0 }) },
        'POST /api/codes/verify': { status: 401, body: bodies.error('wrong_code', { attemptsLeft: 0 }) },
      });
      const el = await codeStep();
      typeInto($input(el, '#code'), '111111');
      await waitFor(() => alertText(el), 'the alert');
      await el.updateComplete;
      assertDeepEqual([$input(el, '#code').readOnly, $input(el, '#code').getAttribute('aria-disabled')], [true, 'true'], 'the code field rests');
      assertEqual(($(el, 'form button[part~="button"]') as HTMLButtonElement).disabled, true, 'Sign in rests');
      const resend = $(el, '#resend') as HTMLButtonElement;
      assertEqual(resend.disabled, false, 'a new code can be asked for');
      assertEqual(resend.getAttribute('part'), 'button', 'the new code is the main button now');
      assertIncludes(alertText(el) ?? '', resend.textContent!.trim(), 'the sentence names the button');
      resend.click();
      await waitFor(() => $input(el, '#code').getAttribute('aria-disabled') === 'false' && !$input(el, '#code').readOnly, 'the field again, for the new code');
      assertEqual(resend.getAttribute('part'), 'secondary-button', 'back to a secondary button');
    });

    it('a wrong code with tries left keeps the field working', async () => {
      serve({ ...noSession, 'POST /api/codes': { status: 202, body: bodies.codeSent() }, 'POST /api/codes/verify': { status: 401, body: bodies.error('wrong_code', { attemptsLeft: 2 }) } });
      const el = await codeStep();
      typeInto($input(el, '#code'), '111111');
      await waitFor(() => alertText(el), 'the alert');
      await el.updateComplete;
      assertDeepEqual([$input(el, '#code').readOnly, $input(el, '#code').getAttribute('aria-disabled')], [false, 'false'], 'the field still takes a code');
    });

    for (const [code, httpStatus, extra, sentence] of verifyErrors) {
      it(`shows “${sentence}” for ${code} ${JSON.stringify(extra)} and fires otp-error`, async () => {
        serve({
          ...noSession,
          'POST /api/codes': { status: 202, body: bodies.codeSent() },
          'POST /api/codes/verify': { status: httpStatus, body: bodies.error(code, extra) },
        });
        const el = await codeStep();
        const errors = record<OtpErrorEvent>(document, 'otp-error');
        typeInto($input(el, '#code'), '111111');
        await waitFor(() => alertText(el), 'the alert');
        assertEqual(alertText(el), sentence, 'alert');
        assertDeepEqual(errors.map((e) => e.detail), [{ code, message: sentence }], 'otp-error details');
        assertEqual($input(el, '#code').value, '', 'the field is cleared for the next try');
        const aboutTheCode = code !== 'rate_limited';
        assertEqual($input(el, '#code').getAttribute('aria-invalid'), String(aboutTheCode), 'aria-invalid');
      });
    }

    const requestErrors: Array<[string, number, Record<string, unknown>, string, string]> = [
      ['invalid_email', 400, {}, 'jo@', 'That email address doesn’t look right. Check it and try again.'],
      ['invalid_phone', 400, {}, '123', 'That number doesn’t look right. Include the country code, like +44 7911 123456.'],
      // The server's reason, said by the widget (in every language), never replaced by "include the country code".
      ['invalid_phone', 400, { reason: 'digits' }, '+44 7911 12', 'That number doesn’t look right. Check the digits after the country code.'],
      ['invalid_phone', 400, { reason: 'landline' }, '+44 20 7123 4567', 'This looks like a landline, which can’t receive text messages. Enter a mobile number, or use your email address.'],
      ['invalid_phone', 400, { reason: 'toll_free' }, '+1 800 555 0199', 'We don’t send text messages to toll-free numbers. Enter a mobile number, or use your email address.'],
      ['invalid_phone', 400, { reason: 'country', country: 'FR' }, '+33 6 12 34 56 78', 'We can’t send text messages to numbers in France. Use your email address instead.'],
      ['invalid_phone', 400, { reason: 'satellite' }, '+881 6 1234 5678', 'Server says invalid_phone.'],
      // Nothing about a code already sent: no code was held, and none may ever have gone to this address.
      ['rate_limited', 429, { retryAfter: 45 }, 'jo@example.com', 'You can ask for a code again in 45 seconds.'],
      [
        'rate_limited',
        429,
        { retryAfter: 1200, limit: 'network' },
        'jo@example.com',
        'Too many codes were asked for from your network in the last hour (an office or a mobile network can share one address). Try again in 20 minutes, or use another connection such as mobile data.',
      ],
      [
        'rate_limited',
        429,
        { locked: true },
        '+44 7911 123456',
        'Too many wrong codes were entered for this number, so we’ve stopped accepting codes for it to keep your account safe. Sign in with your email address instead, or ask the site’s team for a sign-in link.',
      ],
      ['delivery_unavailable', 503, {}, 'jo@example.com', 'We can’t send email right now. Choose text message instead, or try again in a few minutes.'],
      ['payload_too_large', 413, {}, 'jo@example.com', 'That’s too long to send. Check what you typed and try again.'],
      ['forbidden_origin', 403, {}, 'jo@example.com', 'This page isn’t set up to use this sign-in yet. Please let the site’s team know.'],
      ['brand_new_code', 400, {}, 'jo@example.com', 'Server says brand_new_code.'],
    ];

    for (const [code, httpStatus, extra, typed, sentence] of requestErrors) {
      it(`shows “${sentence}” when a code request fails with ${code}`, async () => {
        serve({ ...noSession, 'POST /api/codes': { status: httpStatus, body: bodies.error(code, extra) } });
        const el = await identifyStep();
        const errors = record<OtpErrorEvent>(el, 'otp-error');
        submitIdentifier(el, typed);
        await waitFor(() => alertText(el), 'the alert');
        assertEqual(alertText(el), sentence, 'alert');
        assertDeepEqual(errors.map((e) => e.detail), [{ code, message: sentence }], 'otp-error details');
        assert($input(el, '#identifier'), 'still on the identifier step');
      });
    }

    it('says to check the connection when the server cannot be reached', async () => {
      serve({ 'GET /api/session': 'network-error' });
      const errors = record<OtpErrorEvent>(document, 'otp-error');
      const el = await identifyStep();
      await waitFor(() => alertText(el), 'the alert');
      assertEqual(alertText(el), 'We couldn’t reach the sign-in service. Check your connection and try again.', 'alert');
      assertEqual(errors[0]?.detail.code, 'network_error', 'otp-error code');
      assertEqual(why(el), defaultStrings.whyUnknown, 'no cause claimed');
    });

    it('announces a repeated error again', async () => {
      serve(noSession);
      const el = await identifyStep();
      const button = $(el, 'button[part~="button"]')!;
      button.click();
      await el.updateComplete;
      const textNode = () => [...$(el, '[role="alert"]')!.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent);
      const first = textNode();
      button.click();
      await el.updateComplete;
      const second = textNode();
      assert(first && second && first !== second, 'the alert text node was replaced, so screen readers hear it twice');
    });
  });

  describe('slots', () => {
    it('shows a heading above and a footer below the card’s content, in the card', async () => {
      serve({ 'GET /api/session': { status: 200, body: bodies.signedOut('no_cookie') } });
      const el = await identifyStep();
      el.insertAdjacentHTML('afterbegin', '<h2 slot="heading">Members’ area</h2>');
      el.insertAdjacentHTML('beforeend', '<p slot="footer"><a href="/privacy">Privacy</a></p>');
      await el.updateComplete;
      const heading = el.querySelector('h2')!.getBoundingClientRect();
      const footer = el.querySelector('p[slot="footer"]')!.getBoundingClientRect();
      const field = $input(el, '#identifier')!.getBoundingClientRect();
      const card = el.shadowRoot!.querySelector('[part~="card"]')!.getBoundingClientRect();
      assert(heading.height > 0 && footer.height > 0, 'both are shown');
      assert(heading.bottom <= field.top && footer.top >= field.bottom, 'heading above, footer below');
      assert(heading.top >= card.top && footer.bottom <= card.bottom, 'inside the card');
      await checkA11y(el);
    });
  });

  describe('identity tokens for the site’s backend', () => {
    const JWT = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJjXzEifQ.c2ln';

    it('puts the token from the session answer into otp-signed-in for a remembered browser', async () => {
      const { calls } = serve({ 'GET /api/session': { status: 200, body: { ...bodies.signedIn(), token: JWT } } });
      const signedIn = record<OtpSignedInEvent>(document, 'otp-signed-in');
      const el = await mount();
      await waitFor(() => $(el, '#sign-out'), 'the sign-out button');
      assertEqual(calls[0]?.search, '?token=1', 'the session check asks for a token');
      assertDeepEqual(signedIn[0]?.detail, { contact: bodies.contact, device: bodies.device, token: JWT }, 'detail');
    });

    it('puts the verify’s token into otp-signed-in after a code, and asks for no second one with the re-check', async () => {
      const { calls } = serve({
        'GET /api/session': [{ status: 200, body: bodies.signedOut('no_cookie') }, { status: 200, body: bodies.signedIn() }],
        'POST /api/codes': { status: 202, body: bodies.codeSent() },
        'POST /api/codes/verify': { status: 200, body: { ...bodies.signedIn(), token: JWT } },
      });
      const el = await codeStep();
      const signedIn = record<OtpSignedInEvent>(document, 'otp-signed-in');
      typeInto($input(el, '#code'), '482913');
      await waitFor(() => $(el, '#sign-out'), 'the sign-out button');
      assertEqual(signedIn[0]?.detail.token, JWT, 'token');
      assertDeepEqual(calls.map((c) => `${c.method} ${c.path}${c.search}`).slice(2), ['POST /api/codes/verify', 'GET /api/session'], 'the re-check without ?token=1');
    });

    it('getToken() asks GET /api/session/token for a fresh one, and answers null when not signed in', async () => {
      const { calls } = serve({
        'GET /api/session': { status: 200, body: bodies.signedIn() },
        'GET /api/session/token': [
          { status: 200, body: { token: JWT, expiresAt: '2030-01-01T00:05:00.000Z' } },
          { status: 401, body: { error: { code: 'unauthorized', message: 'This browser is not signed in.' } } },
        ],
      });
      const el = await mount();
      await waitFor(() => $(el, '#sign-out'), 'the sign-out button');
      assertEqual(await el.getToken(), JWT, 'a token');
      assertEqual(calls.at(-1)?.path, '/api/session/token', 'path');
      assertEqual(await el.getToken(), null, 'null when not signed in');
    });
  });

  describe('signing out', () => {
    it('fires otp-signed-out, explains the sign-out and records it', async () => {
      const { calls } = serve({
        'GET /api/session': { status: 200, body: bodies.signedIn() },
        'POST /api/session/sign-out': { status: 200, body: bodies.signedOut('signed_out') },
      });
      const signedIn = record<OtpSignedInEvent>(document, 'otp-signed-in');
      const signedOut = record(document, 'otp-signed-out');
      const el = await mount();
      await waitFor(() => $(el, '#sign-out'), 'the sign-out button');
      assertEqual(signedIn.length, 1, 'otp-signed-in fired for the remembered browser');
      assertDeepEqual(signedIn[0]?.detail, { contact: bodies.contact, device: bodies.device }, 'otp-signed-in detail');
      $(el, '#sign-out')!.click();
      await waitFor(() => $(el, '[part~="explanation"]'), 'the explanation');
      assertEqual(calls[1]?.method, 'POST', 'sign-out method');
      assertEqual(calls[1]?.path, '/api/session/sign-out', 'sign-out path');
      assertEqual(signedOut.length, 1, 'otp-signed-out events');
      assertEqual(why(el), defaultStrings.whySignedOut, 'explanation');
      const marker = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '{}') as Record<string, unknown>;
      assert(typeof marker.signedOutAt === 'string', 'the marker records the sign-out');
    });
  });

  describe('why a code is needed', () => {
    const marker = { signedInAt: '2025-01-01T00:00:00.000Z', expiresAt: '2099-01-01T00:00:00.000Z', who: 'j•••@example.com' };
    const cases: Array<{ name: string; session: Record<string, unknown>; history?: Record<string, unknown>; browser?: Record<string, unknown>; why: string; tip: string | null; reason: string }> = [
      { name: 'revoked by the site’s team', session: bodies.signedOut('revoked'), why: defaultStrings.whyRevoked, tip: defaultStrings.tipAskTeam, reason: 'revoked' },
      { name: 'deactivated', session: bodies.signedOut('deactivated'), why: defaultStrings.whyDeactivated, tip: defaultStrings.tipReactivate, reason: 'deactivated' },
      {
        name: 'cookies cleared (marker present, no cookie)',
        session: bodies.signedOut('no_cookie'),
        history: marker,
        why: 'You’ve signed in here before as j•••@example.com, but this browser’s cookies were likely cleared, so you’ll need a new code.',
        tip: 'Your browser may delete cookies when it closes; allow cookies for otp.test to stay signed in.',
        reason: 'cookies_cleared',
      },
      {
        name: 'last sign-in was “Don’t remember this browser”',
        session: bodies.signedOut('no_cookie'),
        history: { ...marker, sessionOnly: true },
        why: defaultStrings.whySessionOnly,
        tip: defaultStrings.tipLeaveUnticked,
        reason: 'session_only',
      },
      {
        name: 'embedded cross-site with a marker from this page',
        session: { ...bodies.signedOut('no_cookie'), crossSite: true },
        history: marker,
        why: defaultStrings.whyCookiesBlockedEmbedded,
        tip: defaultStrings.tipCodeEachTime,
        reason: 'cookies_blocked_embedded',
      },
      {
        name: 'cookies turned off',
        session: bodies.signedOut('no_cookie'),
        browser: { cookieEnabled: false },
        why: defaultStrings.whyCookiesLikelyBlocked,
        tip: 'Allow cookies for otp.test to stay signed in. Until then, you can sign in with a code each time.',
        reason: 'cookies_likely_blocked',
      },
      {
        name: 'a private window’s small storage quota',
        session: bodies.signedOut('no_cookie'),
        browser: { estimate: { quota: 120_000_000, usage: 0 } },
        why: defaultStrings.whyPrivateWindow,
        tip: defaultStrings.tipNormalWindow,
        reason: 'private_window',
      },
      {
        name: 'Safari with no marker',
        session: bodies.signedOut('no_cookie'),
        browser: {
          userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Safari/605.1.15',
        },
        why: defaultStrings.whyNoSavedSignIn,
        tip: defaultStrings.tipCanRemember,
        reason: 'no_saved_sign_in',
      },
    ];

    for (const { name, session, history, browser, why: sentence, tip: tipSentence, reason } of cases) {
      it(`explains “${name}” with its tip, and sends "${reason}" with the code request`, async () => {
        if (history) localStorage.setItem(HISTORY_KEY, JSON.stringify(history));
        const restore = fakeBrowser(browser ?? {});
        try {
          const { calls } = serve({ 'GET /api/session': { status: 200, body: session }, 'POST /api/codes': { status: 202, body: bodies.codeSent() } });
          const el = await identifyStep();
          assertEqual(why(el), sentence, 'reason sentence');
          assertEqual(tip(el), tipSentence, 'tip');
          submitIdentifier(el, 'jo@example.com');
          await waitFor(() => calls.find((c) => c.path === '/api/codes'), 'the code request');
          assertEqual((calls.find((c) => c.path === '/api/codes')?.body as { reason?: string }).reason, reason, 'reason sent');
        } finally {
          restore();
        }
      });
    }

    it('shows no tip when the session could not be checked', async () => {
      serve({ 'GET /api/session': 'network-error' });
      const el = await identifyStep();
      assertEqual(tip(el), null, 'tip');
    });
  });

  describe('remembering this browser', () => {
    const device = { id: 'd_2', expiresAt: '2028-01-03T12:00:00.000Z' };
    const signedInBody = { signedIn: true, contact: bodies.contact, device };

    it('says how long this browser stays signed in after the re-check finds the session', async () => {
      const { calls } = serve({
        'GET /api/session': [{ status: 200, body: bodies.signedOut('no_cookie') }, { status: 200, body: signedInBody }],
        'POST /api/codes': { status: 202, body: bodies.codeSent() },
        'POST /api/codes/verify': { status: 200, body: signedInBody },
      });
      const el = await codeStep();
      typeInto($input(el, '#code'), '482913');
      await waitFor(() => $(el, '#sign-out'), 'the sign-out button');
      assertDeepEqual(calls.map((c) => `${c.method} ${c.path}`).slice(2), ['POST /api/codes/verify', 'GET /api/session'], 'verify, then the re-check at once');
      assertEqual($(el, '#status [part~="hint"]')?.textContent, 'This browser stays signed in until 3 Jan 2028.', 'remembered until');
      assertEqual($(el, '[part~="explanation"]'), null, 'no explanation');
    });

    it('says it in the page’s language', async () => {
      serve({ 'GET /api/session': { status: 200, body: signedInBody } });
      const el = await mount({ lang: 'en-US' });
      await waitFor(() => $(el, '#sign-out'), 'the sign-out button');
      assertEqual($(el, '#status [part~="hint"]')?.textContent, 'This browser stays signed in until Jan 3, 2028.', 'remembered until');
    });

    it('offers an unticked “Don’t remember this browser” box with a real label on the code step', async () => {
      serve({ ...noSession, 'POST /api/codes': { status: 202, body: bodies.codeSent() } });
      const el = await codeStep();
      const box = $input(el, 'input[type="checkbox"]');
      assertEqual(box.checked, false, 'unticked by default');
      assertEqual(box.labels?.[0]?.textContent?.trim(), 'Don’t remember this browser (shared computer)', 'label');
      assertEqual(box.getAttribute('part'), null, 'no part');
    });

    it('sends remember:false when the box is ticked and says the sign-in lasts until the browser closes', async () => {
      const { calls } = serve({
        'GET /api/session': [{ status: 200, body: bodies.signedOut('no_cookie') }, { status: 200, body: signedInBody }],
        'POST /api/codes': { status: 202, body: bodies.codeSent() },
        'POST /api/codes/verify': { status: 200, body: signedInBody },
      });
      const el = await codeStep();
      $input(el, 'input[type="checkbox"]').click();
      await el.updateComplete;
      typeInto($input(el, '#code'), '482913');
      await waitFor(() => $(el, '#sign-out'), 'the sign-out button');
      assertDeepEqual(calls.find((c) => c.path === '/api/codes/verify')?.body, { email: 'jo@example.com', code: '482913', remember: false, token: true }, 'verify body');
      assertEqual($(el, '#status [part~="hint"]')?.textContent, defaultStrings.rememberedForSession, 'until the browser closes');
      const saved = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '{}') as Record<string, unknown>;
      assertEqual(saved.sessionOnly, true, 'the marker remembers the choice');
    });

    it('sends no remember field when the box is left unticked', async () => {
      const { calls } = serve({
        'GET /api/session': [{ status: 200, body: bodies.signedOut('no_cookie') }, { status: 200, body: signedInBody }],
        'POST /api/codes': { status: 202, body: bodies.codeSent() },
        'POST /api/codes/verify': { status: 200, body: signedInBody },
      });
      const el = await codeStep();
      typeInto($input(el, '#code'), '482913');
      await waitFor(() => $(el, '#sign-out'), 'the sign-out button');
      assertDeepEqual(calls.find((c) => c.path === '/api/codes/verify')?.body, { email: 'jo@example.com', code: '482913', token: true }, 'verify body');
    });

    it('says at once that the next visit needs a code when an embedded sign-in’s cookie did not stick, and still fires otp-signed-in', async () => {
      serve({
        'GET /api/session': [
          { status: 200, body: { ...bodies.signedOut('no_cookie'), crossSite: true } },
          { status: 200, body: { ...bodies.signedOut('no_cookie'), crossSite: true } },
        ],
        'POST /api/codes': { status: 202, body: bodies.codeSent() },
        'POST /api/codes/verify': { status: 200, body: { ...signedInBody, crossSite: true } },
      });
      const signedIn = record<OtpSignedInEvent>(document, 'otp-signed-in');
      const el = await codeStep({ api: 'http://embedded-not-kept.test' });
      typeInto($input(el, '#code'), '482913');
      await waitFor(() => $(el, '#sign-out'), 'the sign-out button');
      assertEqual(signedIn.length, 1, 'otp-signed-in events');
      assertEqual(lead(el), 'Signed in as jo@example.com', 'signed in');
      assertIncludes($(el, '[part~="explanation"]')?.textContent, defaultStrings.notKept, 'next visit needs a code');
      assertEqual(why(el), defaultStrings.whyCookiesBlockedEmbedded, 'why');
      assertEqual(tip(el), defaultStrings.tipCodeEachTime, 'tip');
      assertEqual($(el, '#status [part~="hint"]'), null, 'no “stays signed in” claim');
      const saved = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '{}') as Record<string, unknown>;
      assertEqual(saved.cookieRefused, true, 'the marker records the refused cookie for the next visit');
    });

    it('says cookies are blocked when a same-site sign-in’s cookie did not stick', async () => {
      serve({
        ...noSession,
        'POST /api/codes': { status: 202, body: bodies.codeSent() },
        'POST /api/codes/verify': { status: 200, body: signedInBody },
      });
      const el = await codeStep();
      typeInto($input(el, '#code'), '482913');
      await waitFor(() => $(el, '#sign-out'), 'the sign-out button');
      assertEqual(why(el), defaultStrings.whyCookiesBlocked, 'why');
      assertEqual(tip(el), 'Allow cookies for otp.test to stay signed in. Until then, you can sign in with a code each time.', 'tip');
    });

    it('claims nothing about remembering when the re-check fails', async () => {
      serve({
        'GET /api/session': [{ status: 200, body: bodies.signedOut('no_cookie') }, 'network-error'],
        'POST /api/codes': { status: 202, body: bodies.codeSent() },
        'POST /api/codes/verify': { status: 200, body: signedInBody },
      });
      const el = await codeStep();
      typeInto($input(el, '#code'), '482913');
      await waitFor(() => $(el, '#sign-out'), 'the sign-out button');
      assertEqual($(el, '#status [part~="hint"]'), null, 'no “stays signed in” claim');
      assertEqual($(el, '[part~="explanation"]'), null, 'no “next visit” claim');
    });
  });

  describe('embed check', () => {
    function watchWarnings(): { warnings: string[]; restore: () => void } {
      const original = console.warn;
      const warnings: string[] = [];
      console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
      return { warnings, restore: () => (console.warn = original) };
    }

    it('warns the site owner once per page load when the server says the page is on another site', async () => {
      const watch = watchWarnings();
      try {
        const crossSite = { ...bodies.signedOut('no_cookie'), crossSite: true };
        serve({ 'GET /api/session': { status: 200, body: crossSite } });
        await identifyStep({ api: 'https://login.embed-once.test' });
        await identifyStep({ api: 'https://login.embed-once.test' });
        const embedWarnings = watch.warnings.filter((w) => w.includes('another site'));
        assertEqual(embedWarnings.length, 1, 'warnings for two elements and two answers');
        assertIncludes(embedWarnings[0], 'https://login.embed-once.test', 'names the server');
        assertIncludes(embedWarnings[0], 'Safari before 26.2', 'says what it costs');
        assertIncludes(embedWarnings[0], 'reverse-proxy /auth/*', 'says how to fix it');
        assertIncludes(embedWarnings[0], 'Deploying on your own domain', 'points at the README');
      } finally {
        watch.restore();
      }
    });

    it('stays quiet when the server does not say crossSite, even for another origin', async () => {
      const watch = watchWarnings();
      try {
        serve(noSession);
        await identifyStep({ api: 'https://login.same-site-quiet.test' });
        assertEqual(watch.warnings.filter((w) => w.includes('another site')).length, 0, 'warnings');
      } finally {
        watch.restore();
      }
    });
  });

  describe('strings', () => {
    it('uses sentences passed in the strings property', async () => {
      serve(noSession);
      const el = await identifyStep();
      el.strings = { sendCode: 'Get my code', labelEmailOrPhone: 'Email or phone' };
      await el.updateComplete;
      assertEqual($(el, 'button[part~="button"]')?.textContent?.trim(), 'Get my code', 'button');
      assertEqual($(el, 'label[for="identifier"]')?.textContent, 'Email or phone', 'label');
      assertEqual(why(el), defaultStrings.whyFirstSignIn, 'other sentences keep their default');
    });
  });

  describe('accessibility', () => {
    it('has no axe violations while checking', async () => {
      const answer = deferred();
      serve({ 'GET /api/session': async () => (await answer.promise, { status: 200, body: bodies.signedOut('no_cookie') }) });
      const el = await mount();
      await checkA11y(el);
      answer.resolve();
    });

    it('has no axe violations on the identifier step, with and without an error', async () => {
      serve(noSession);
      const el = await identifyStep();
      await checkA11y(el);
      $(el, 'button[part~="button"]')!.click();
      await waitFor(() => alertText(el), 'the alert');
      await checkA11y(el);
    });

    it('has no axe violations on the code step, with and without an error', async () => {
      serve({
        ...noSession,
        'POST /api/codes': { status: 202, body: bodies.codeSent() },
        'POST /api/codes/verify': { status: 401, body: bodies.error('wrong_code', { attemptsLeft: 4 }) },
      });
      const el = await codeStep();
      await checkA11y(el);
      typeInto($input(el, '#code'), '111111');
      await waitFor(() => alertText(el), 'the alert');
      await checkA11y(el);
    });

    it('has no axe violations when signed in, with how long the browser is remembered', async () => {
      serve({ 'GET /api/session': { status: 200, body: bodies.signedIn() } });
      const el = await mount();
      await waitFor(() => $(el, '#sign-out'), 'the sign-out button');
      assert($(el, '#status [part~="hint"]'), 'the remembered-until note is shown');
      await checkA11y(el);
    });

    it('has no axe violations when signed in but the cookie did not stick', async () => {
      serve({
        ...noSession,
        'POST /api/codes': { status: 202, body: bodies.codeSent() },
        'POST /api/codes/verify': { status: 200, body: bodies.signedIn() },
      });
      const el = await codeStep();
      typeInto($input(el, '#code'), '482913');
      await waitFor(() => $(el, '#sign-out'), 'the sign-out button');
      assert(tip(el), 'the explanation and tip are shown');
      await checkA11y(el);
    });

    it('has no axe violations on the identifier step with a reason and a tip', async () => {
      localStorage.setItem(HISTORY_KEY, JSON.stringify({ signedInAt: '2025-01-01T00:00:00.000Z', expiresAt: '2099-01-01T00:00:00.000Z' }));
      serve(noSession);
      const el = await identifyStep();
      assert(why(el) && tip(el), 'reason and tip shown');
      await checkA11y(el);
    });

    it('the axe check looks inside shadow roots (it fails an unlabelled input there)', async () => {
      const host = document.createElement('div');
      host.attachShadow({ mode: 'open' }).innerHTML = '<input type="text">';
      document.body.append(host);
      try {
        let failure = '';
        await checkA11y(host).catch((error: Error) => (failure = error.message));
        assertIncludes(failure, 'label', 'axe reports the missing label');
      } finally {
        host.remove();
      }
    });

    it('puts status changes in a polite live region and errors in an alert', async () => {
      serve(noSession);
      const el = await identifyStep();
      const statusRegion = $(el, '[part~="message"][role="status"]');
      assertEqual(statusRegion?.getAttribute('aria-live'), 'polite', 'status region');
      assert($(el, '[part~="message"][role="alert"]'), 'an alert region with part message');
    });
  });
});
