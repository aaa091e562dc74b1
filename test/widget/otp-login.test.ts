import '../../widget/otp-login.ts';
import type { OtpCodeSentEvent, OtpErrorEvent, OtpLogin, OtpSignedInEvent } from '../../widget/otp-login.ts';
import { HISTORY_KEY } from '../../widget/history.ts';
import { defaultStrings } from '../../widget/strings.ts';
import {
  $,
  $input,
  assert,
  assertDeepEqual,
  assertEqual,
  assertIncludes,
  bodies,
  checkA11y,
  deferred,
  mount,
  record,
  stubFetch,
  textOf,
  typeInto,
  waitFor,
  type Route,
} from './helpers.ts';

const noSession = { 'GET /api/session': { status: 200, body: bodies.signedOut('no_cookie') } };

let stub: ReturnType<typeof stubFetch> | undefined;

function serve(routes: Record<string, Route | Route[]>) {
  stub = stubFetch(routes);
  return stub;
}

async function identifyStep(attributes: Record<string, string> = {}): Promise<OtpLogin> {
  const el = await mount({ lang: 'en-GB', ...attributes });
  await waitFor(() => $input(el, '#identifier'), 'the identifier field');
  return el;
}

function submitIdentifier(el: OtpLogin, value: string): void {
  typeInto($input(el, '#identifier'), value);
  $(el, 'button[part~="button"]')!.click();
}

/** Mounts, asks for a code for jo@example.com and waits for the code field. */
async function codeStep(attributes: Record<string, string> = {}): Promise<OtpLogin> {
  const el = await identifyStep(attributes);
  submitIdentifier(el, 'jo@example.com');
  await waitFor(() => $(el, '#code'), 'the code field');
  await el.updateComplete;
  return el;
}

function status(el: OtpLogin): string {
  return ($(el, '[role="status"]')?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function alertText(el: OtpLogin): string {
  return ($(el, '[role="alert"]')?.textContent ?? '').trim();
}

describe('<otp-login>', () => {
  beforeEach(() => localStorage.removeItem(HISTORY_KEY));
  afterEach(() => {
    stub?.restore();
    stub = undefined;
    for (const el of document.querySelectorAll('otp-login')) el.remove();
  });

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
      assertEqual($(el, '[part~="explanation"]')?.textContent, defaultStrings.whyFirstSignIn, 'explanation');
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
      assertEqual($(el, '[part~="explanation"]')?.textContent, defaultStrings.whyRevoked, 'explanation');
    });

    it('says cookies were likely cleared when this browser signed in before', async () => {
      localStorage.setItem(HISTORY_KEY, JSON.stringify({ signedInAt: '2025-01-01T00:00:00.000Z', expiresAt: '2099-01-01T00:00:00.000Z' }));
      serve(noSession);
      const el = await identifyStep();
      assertIncludes($(el, '[part~="explanation"]')?.textContent, 'likely cleared', 'explanation');
    });

    it('offers only a mobile number when channels is "sms"', async () => {
      const { calls } = serve({ ...noSession, 'POST /api/codes': { status: 202, body: bodies.codeSent({ channel: 'sms', destination: '•••• 0123' }) } });
      const el = await identifyStep({ channels: 'sms' });
      assertEqual($(el, 'label[for="identifier"]')?.textContent, 'Mobile number', 'label');
      assertEqual($input(el, '#identifier').type, 'tel', 'input type');
      assertEqual(el.shadowRoot!.querySelectorAll('input[type="radio"]').length, 0, 'no channel choice');
      submitIdentifier(el, '+44 7700 900123');
      await waitFor(() => calls.length === 2, 'the code request');
      assertDeepEqual(calls[1]?.body, { phone: '+44 7700 900123', channel: 'sms' }, 'body');
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
      assertEqual(status(el), 'Signed in as jo@example.com', 'status');
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
      assertDeepEqual(calls[1]?.body, { email: 'jo@example.com', channel: 'email' }, 'request body');
      assertEqual(status(el), 'We sent code 1 to j•••@example.com at 14:05.', 'status');
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
        'If there’s a mobile number on file for this email, we texted code 1 to it at 14:05. Nothing after a minute? Go back and choose email instead.',
        'status',
      );
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
      assertDeepEqual(calls[1]?.body, { phone: '07700 900123', channel: 'email' }, 'request body');
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
      assertEqual(el.shadowRoot!.querySelectorAll('input').length, 1, 'inputs');
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
      assertDeepEqual(calls[2]?.body, { email: 'jo@example.com', code: '482913' }, 'verify body');
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
        assertDeepEqual(calls[2]?.body, { email: 'jo@example.com', code: '482913' }, 'verify body');
      });
    }

    it('signs in after the right code: fires otp-signed-in, shows who, and remembers the sign-in', async () => {
      serve({
        ...noSession,
        'POST /api/codes': { status: 202, body: bodies.codeSent() },
        'POST /api/codes/verify': { status: 200, body: bodies.signedIn() },
      });
      const el = await codeStep();
      const signedIn = record<OtpSignedInEvent>(document, 'otp-signed-in');
      typeInto($input(el, '#code'), '482913');
      await waitFor(() => $(el, '#sign-out'), 'the sign-out button');
      assertEqual(signedIn.length, 1, 'otp-signed-in events');
      assertDeepEqual(signedIn[0]?.detail, { contact: bodies.contact, device: bodies.device }, 'event detail');
      assertEqual(status(el), 'Signed in as jo@example.com', 'status');
      const marker = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '{}') as Record<string, unknown>;
      assertEqual(marker.expiresAt, bodies.device.expiresAt, 'marker expiry');
      assertDeepEqual(Object.keys(marker).sort(), ['expiresAt', 'signedInAt'], 'marker holds only dates');
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

    it('sends a new code to the same person and shows its number', async () => {
      const { calls } = serve({
        ...noSession,
        'POST /api/codes': [
          { status: 202, body: bodies.codeSent({ resendAfter: 0 }) },
          { status: 202, body: bodies.codeSent({ codeNumber: 2, sentAt: new Date(2025, 0, 2, 14, 9).toISOString() }) },
        ],
      });
      const el = await codeStep();
      const resend = $(el, '#resend') as HTMLButtonElement;
      assertEqual(resend.textContent?.trim(), 'Send a new code', 'label once the countdown is over');
      resend.click();
      await waitFor(() => status(el).includes('code 2'), 'the second code');
      assertDeepEqual(calls[2]?.body, calls[1]?.body, 'same request body');
      assertEqual(status(el), 'We sent code 2 to j•••@example.com at 14:09.', 'status');
    });

    it('goes back to change the email, keeping what was typed', async () => {
      serve({ ...noSession, 'POST /api/codes': { status: 202, body: bodies.codeSent() } });
      const el = await codeStep();
      const back = [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent?.includes('Use a different email'));
      assert(back, 'a way back');
      back.click();
      await el.updateComplete;
      assertEqual($input(el, '#identifier').value, 'jo@example.com', 'identifier kept');
      assertEqual($(el, '[part~="explanation"]')?.textContent, defaultStrings.whyFirstSignIn, 'explanation kept');
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
        assertDeepEqual(calls.find((c) => c.path === '/api/codes/verify')?.body, { phone: '+1 415 555 0123', code: '482913' }, 'verify body');
        assertDeepEqual((asked as { otp?: unknown }).otp, { transport: ['sms'] }, 'asked the browser for an SMS code');
      } finally {
        delete (credentials as unknown as Record<string, unknown>).get;
        if (!hadOtp) delete (window as unknown as Record<string, unknown>).OTPCredential;
      }
    });
  });

  describe('errors', () => {
    const at1407 = new Date(2025, 0, 2, 14, 7).toISOString();
    const verifyErrors: Array<[string, number, Record<string, unknown>, string]> = [
      ['wrong_code', 401, { attemptsLeft: 3 }, 'That code isn’t right. 3 tries left.'],
      ['wrong_code', 401, { attemptsLeft: 1 }, 'That code isn’t right. 1 try left.'],
      ['wrong_code', 401, { attemptsLeft: 0 }, 'That code isn’t right, and it no longer works after too many tries. Send a new code.'],
      ['superseded_code', 401, { newestSentAt: at1407, newestCodeNumber: 3 }, 'A newer code (code 3) was sent at 14:07. Use the code from the newest message.'],
      ['expired_code', 401, {}, 'That code has expired. Send a new code and enter it soon after it arrives.'],
      ['too_many_attempts', 401, {}, 'Too many wrong tries, so that code no longer works. Send a new code.'],
      ['no_active_code', 401, {}, 'There’s no code waiting for this email or number. Send a new code.'],
      ['invalid_code_format', 400, {}, 'Codes are 6 digits. Check the code and try again.'],
      ['rate_limited', 429, { retryAfter: 120 }, 'Too many tries. Please try again in 2 minutes.'],
    ];

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
      ['rate_limited', 429, { retryAfter: 45 }, 'jo@example.com', 'You can ask for another code in 45 seconds. Meanwhile, look for the code we already sent.'],
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
      assertEqual($(el, '[part~="explanation"]')?.textContent, defaultStrings.whyUnknown, 'no cause claimed');
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
      assertEqual($(el, '[part~="explanation"]')?.textContent, defaultStrings.whySignedOut, 'explanation');
      const marker = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '{}') as Record<string, unknown>;
      assert(typeof marker.signedOutAt === 'string', 'the marker records the sign-out');
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
      assertEqual($(el, '[part~="explanation"]')?.textContent, defaultStrings.whyFirstSignIn, 'other sentences keep their default');
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

    it('has no axe violations when signed in', async () => {
      serve({ 'GET /api/session': { status: 200, body: bodies.signedIn() } });
      const el = await mount();
      await waitFor(() => $(el, '#sign-out'), 'the sign-out button');
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
