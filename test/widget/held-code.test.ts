/**
 * Issue 12, item 3: a reload in the middle of a sign-in, or asking again for the same address, leads
 * back to the field for the code already sent, never to a dead end. The element is driven in a real
 * Chromium against a fake server that answers as the server's contract says: a 429 with `retryAfter`
 * only to a request whose `previousSentAt` names the code waiting.
 */
import '../../widget/otp-login.ts';
import type { OtpLogin } from '../../widget/otp-login.ts';
import { HELD_CODE_KEY } from '../../widget/held-code.ts';
import { defaultStrings as s } from '../../widget/strings.ts';
import { $, $input, alertText, assert, assertDeepEqual, assertEqual, bodies, cleanUp, codeStep, forgetThisBrowser, identifyStep, mount, noSession, serve, statusText, submitIdentifier, typeInto, waitFor, type Call } from './helpers.ts';

const KEY = `${HELD_CODE_KEY}http://otp.test/`;
const sentAt = bodies.codeSent().sentAt as string;

function stored(key = KEY): Record<string, unknown> | null {
  const raw = sessionStorage.getItem(key);
  return raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
}

/** The page reloaded: the element is gone, and a new one checks the session again. */
async function reload(attributes: Record<string, string> = {}): Promise<OtpLogin> {
  for (const el of document.querySelectorAll('otp-login')) el.remove();
  const el = await mount({ lang: 'en-GB', ...attributes });
  await waitFor(() => $(el, '#identifier, #code'), 'the first step');
  return el;
}

function useAnotherAddress(el: OtpLogin): void {
  $(el, 'button[part~="link-button"]')!.click();
}

const codeRequests = (calls: Call[]) => calls.filter((c) => c.path === '/api/codes').map((c) => c.body as Record<string, unknown>);

describe('<otp-login> keeps the code step across a reload (issue 12)', () => {
  beforeEach(forgetThisBrowser);
  afterEach(cleanUp);

  it('keeps in sessionStorage, per server, what the code step needs and the server’s answer as it came: never the code', async () => {
    const answer = bodies.codeSent({ resendAfter: 25, expiresIn: 600 });
    serve({ ...noSession, 'POST /api/codes': { status: 202, body: answer } });
    const before = Date.now();
    const el = await codeStep();
    typeInto($input(el, '#code'), '48291');
    const held = stored();
    assert(held, `a code step stored under ${KEY}`);
    assertDeepEqual(Object.keys(held).sort(), ['expiresAt', 'identifier', 'receivedAt', 'resendAt', 'sent'], 'fields');
    assertDeepEqual(held.identifier, { kind: 'email', value: 'jo@example.com' }, 'what was typed');
    assertDeepEqual(held.sent, answer, 'the 202 answer, as it came');
    const receivedAt = held.receivedAt as number;
    assert(receivedAt >= before && receivedAt <= Date.now(), 'when the answer arrived');
    assertEqual(held.expiresAt, receivedAt + 600_000, 'expiresIn');
    assertEqual(held.resendAt, receivedAt + 25_000, 'resendAfter');
    assert(!JSON.stringify(held).includes('4829'), 'nothing typed into the code field');
  });

  it('opens the code step again after a reload, saying why a code is needed, and verifies with the address typed before', async () => {
    const { calls } = serve({
      'GET /api/session': [noSession['GET /api/session'], noSession['GET /api/session'], { status: 200, body: bodies.signedIn() }],
      'POST /api/codes': { status: 202, body: bodies.codeSent() },
      'POST /api/codes/verify': { status: 200, body: bodies.signedIn() },
    });
    await codeStep();
    const el = await reload();
    assert($(el, '#code'), 'the code field, with no new request');
    assertEqual(codeRequests(calls).length, 1, 'code requests');
    assertEqual(statusText(el), `${s.whyFirstSignIn} ${s.tipCanRemember} ${s.codeSent({ destination: 'j•••@example.com', time: '14:05' })}`, 'why, then where the code went');
    assertEqual(el.shadowRoot!.activeElement, null, 'a page load moves no focus');
    typeInto($input(el, '#code'), '482913');
    await waitFor(() => $(el, '#sign-out'), 'signed in');
    assertDeepEqual(calls.find((c) => c.path === '/api/codes/verify')?.body, { email: 'jo@example.com', code: '482913', token: true }, 'verify body');
    assertEqual(sessionStorage.getItem(KEY), null, 'forgotten once signed in');
  });

  it('keeps the resend countdown across the reload', async () => {
    serve({ ...noSession, 'POST /api/codes': { status: 202, body: bodies.codeSent({ resendAfter: 60 }) } });
    await codeStep();
    const el = await reload();
    const resend = $(el, '#resend') as HTMLButtonElement;
    assert(resend.disabled, 'resend still waits');
    assert([s.resendIn(60), s.resendIn(59)].includes(resend.textContent!.trim()), resend.textContent!);
  });

  it('keeps two servers on one page apart', async () => {
    serve({ ...noSession, 'POST /api/codes': { status: 202, body: bodies.codeSent() } });
    await codeStep();
    const other = await reload({ api: 'http://other.test' });
    assert($(other, '#identifier') && !$(other, '#code'), 'the other server’s element asks for an identifier');
    assert(stored(), 'the first server’s code step is still there');
    assertEqual(stored(`${HELD_CODE_KEY}http://other.test/`), null, 'nothing stored for the other server');
  });

  it('forgets the code step on “Use a different email”, and once the code has expired', async () => {
    serve({ ...noSession, 'POST /api/codes': { status: 202, body: bodies.codeSent() } });
    const el = await codeStep();
    useAnotherAddress(el);
    assertEqual(sessionStorage.getItem(KEY), null, 'after “Use a different email”');
    const again = await reload();
    assert($(again, '#identifier'), 'a reload then shows the identifier form');

    const expired = { identifier: { kind: 'email', value: 'jo@example.com' }, sent: bodies.codeSent(), receivedAt: Date.now() - 601_000, expiresAt: Date.now() - 1_000, resendAt: Date.now() - 576_000 };
    sessionStorage.setItem(KEY, JSON.stringify(expired));
    const late = await reload();
    assert($(late, '#identifier') && !$(late, '#code'), 'an expired code opens no code step');
    assertEqual(sessionStorage.getItem(KEY), null, 'and is forgotten');
  });

  it('forgets the code step when the browser signs out', async () => {
    serve({
      'GET /api/session': [noSession['GET /api/session'], { status: 200, body: bodies.signedIn() }],
      'POST /api/codes': { status: 202, body: bodies.codeSent() },
      'POST /api/codes/verify': { status: 200, body: bodies.signedIn() },
      'POST /api/session/sign-out': { status: 200, body: bodies.signedOut('signed_out') },
    });
    const el = await codeStep();
    const kept = sessionStorage.getItem(KEY);
    typeInto($input(el, '#code'), '482913');
    await waitFor(() => $(el, '#sign-out'), 'signed in');
    // As another <otp-login> for the same server on this page, on its code step, would have stored it.
    sessionStorage.setItem(KEY, kept!);
    await el.signOut();
    assertEqual(sessionStorage.getItem(KEY), null, 'after sign-out');
  });

  it('forgets the code step when the page loads signed in (signed in from another tab)', async () => {
    serve({ ...noSession, 'POST /api/codes': { status: 202, body: bodies.codeSent() } });
    await codeStep();
    assert(sessionStorage.getItem(KEY), 'a code step held');
    serve({ 'GET /api/session': { status: 200, body: bodies.signedIn() } });
    for (const el of document.querySelectorAll('otp-login')) el.remove();
    const el = await mount({ lang: 'en-GB' });
    await waitFor(() => $(el, '#sign-out'), 'signed in');
    assertEqual(sessionStorage.getItem(KEY), null, 'forgotten');
  });

  it('ignores a stored value it did not write', async () => {
    serve(noSession);
    sessionStorage.setItem(KEY, JSON.stringify({ identifier: { kind: 'email', value: 'jo@example.com' }, sent: bodies.codeSent({ channel: 'fax' }), receivedAt: 0, expiresAt: Date.now() + 60_000, resendAt: 0 }));
    const el = await reload();
    assert($(el, '#identifier'), 'the identifier step');
  });
});

describe('<otp-login> asking again while a code still works (issue 12)', () => {
  beforeEach(forgetThisBrowser);
  afterEach(cleanUp);

  it('names the code held with previousSentAt and, told it is too soon, shows that code’s step with the countdown', async () => {
    const { calls } = serve({
      ...noSession,
      'POST /api/codes': [{ status: 202, body: bodies.codeSent() }, { status: 429, body: bodies.error('rate_limited', { retryAfter: 90 }) }],
    });
    const el = await codeStep();
    useAnotherAddress(el);
    await el.updateComplete;
    $(el, 'button[part~="button"]')!.click();
    await waitFor(() => alertText(el), 'the answer');
    assertDeepEqual(codeRequests(calls)[1], { email: 'jo@example.com', channel: 'email', reason: 'first_sign_in', lang: 'en-GB', previousSentAt: sentAt }, 'second request');
    assert($(el, '#code'), 'the code field, not a dead end');
    assertEqual(alertText(el), 'It’s too soon for a new code. Enter the code we sent at 14:05.', 'alert');
    assertEqual(statusText(el), 'We sent a code to j•••@example.com at 14:05.', 'where it went');
    const resend = $(el, '#resend') as HTMLButtonElement;
    assert(resend.disabled && [s.resendIn(90), s.resendIn(89)].includes(resend.textContent!.trim()), `countdown: ${resend.textContent}`);
    assert((stored()?.resendAt as number) > Date.now() + 88_000, 'the wait is kept for a reload too');
  });

  it('names the code held after a reload too, and sends no previousSentAt for another address or channel', async () => {
    const at1409 = new Date(2025, 0, 2, 14, 9).toISOString();
    const { calls } = serve({ ...noSession, 'POST /api/codes': [{ status: 202, body: bodies.codeSent({ resendAfter: 0 }) }, (body) => ({ status: 202, body: bodies.codeSent({ sentAt: at1409, channel: (body as { channel: string }).channel }) })] });
    await codeStep();
    const el = await reload();
    ($(el, '#resend') as HTMLButtonElement).click();
    await waitFor(() => statusText(el).includes('14:09'), 'the new code');
    assertEqual(codeRequests(calls)[1]?.previousSentAt, sentAt, 'resend after a reload');
    useAnotherAddress(el);
    await el.updateComplete;
    submitIdentifier(el, ' Jo@Example.com');
    await waitFor(() => codeRequests(calls).length === 3 && $(el, '#code'), 'the same address, typed otherwise');
    assertEqual(codeRequests(calls)[2]?.previousSentAt, at1409, 'the same address, typed otherwise');
    useAnotherAddress(el);
    await el.updateComplete;
    $input(el, 'input[name="channel"][value="sms"]').click();
    await el.updateComplete;
    $(el, 'button[part~="button"]')!.click();
    await waitFor(() => codeRequests(calls).length === 4 && $(el, '#code'), 'a code for the same address by text');
    assertEqual(codeRequests(calls)[3]?.channel, 'sms', 'the other channel');
    assertEqual(codeRequests(calls)[3]?.previousSentAt, undefined, 'the same address by another channel');
    useAnotherAddress(el);
    await el.updateComplete;
    $input(el, '#identifier').value = '';
    submitIdentifier(el, 'ann@example.com');
    await waitFor(() => codeRequests(calls).length === 5, 'a request for another address');
    assertEqual(codeRequests(calls)[4]?.previousSentAt, undefined, 'another address');
  });

  it('after a reload, “Use a different email” and the same address again still names the code held', async () => {
    const { calls } = serve({ ...noSession, 'POST /api/codes': { status: 202, body: bodies.codeSent() } });
    await codeStep();
    const el = await reload();
    useAnotherAddress(el);
    await el.updateComplete;
    submitIdentifier(el, 'jo@example.com');
    await waitFor(() => codeRequests(calls).length === 2, 'the second request');
    assertEqual(codeRequests(calls)[1]?.previousSentAt, sentAt, 'the code held since before the reload');
  });

  it('without a code held, says only when to ask again: nothing about a code already sent', async () => {
    serve({ ...noSession, 'POST /api/codes': { status: 429, body: bodies.error('rate_limited', { retryAfter: 45 }) } });
    const el = await identifyStep();
    submitIdentifier(el, 'jo@example.com');
    await waitFor(() => alertText(el), 'the alert');
    assertEqual(alertText(el), 'You can ask for a code again in 45 seconds.', 'alert');
    assert($(el, '#identifier'), 'still on the identifier step');
  });

  it('says the network’s limit, not “enter the code”, even while a code is held', async () => {
    serve({
      ...noSession,
      'POST /api/codes': [{ status: 202, body: bodies.codeSent({ resendAfter: 0 }) }, { status: 429, body: bodies.error('rate_limited', { retryAfter: 1200, limit: 'network' }) }],
    });
    const el = await codeStep();
    ($(el, '#resend') as HTMLButtonElement).click();
    await waitFor(() => alertText(el), 'the alert');
    assertEqual(alertText(el), s.errorNetworkLimited(1200, 'send'), 'alert');
  });
});

/** The 202 to a number, texted: the fixture's email answer made an SMS one. */
const texted = (overrides: Record<string, unknown> = {}) => bodies.codeSent({ channel: 'sms', destination: '•••• 3456', ...overrides });
const limited = (limit: 'network' | 'sms_prefix', retryAfter: number) => ({ status: 429, body: bodies.error('rate_limited', { retryAfter, limit }) });
const NUMBER = '+44 7911 123456';

describe('<otp-login> says whose limit refused a new code (issue 13 review)', () => {
  beforeEach(forgetThisBrowser);
  afterEach(cleanUp);

  it('says texts to numbers like this one are limited, and that email helps, not “too soon” with the wait as the code’s', async () => {
    serve({ ...noSession, 'POST /api/codes': [{ status: 202, body: texted({ resendAfter: 0 }) }, limited('sms_prefix', 3000)] });
    const el = await identifyStep();
    submitIdentifier(el, NUMBER);
    await waitFor(() => $(el, '#code'), 'the code step');
    ($(el, '#resend') as HTMLButtonElement).click();
    await waitFor(() => alertText(el), 'the alert');
    assertEqual(alertText(el), 'Too many codes were texted to numbers like this one in the last hour. Try again in 50 minutes, or ask for the code by email instead.', 'alert');
    assert($(el, '#code'), 'the code texted still works, so its field stays');
  });

  it('says the same without a code held, and no word of email where the widget offers none', async () => {
    serve({ ...noSession, 'POST /api/codes': limited('sms_prefix', 3000) });
    const el = await identifyStep({ channels: 'sms' });
    submitIdentifier(el, NUMBER);
    await waitFor(() => alertText(el), 'the alert');
    assertEqual(alertText(el), 'Too many codes were texted to numbers like this one in the last hour. Try again in 50 minutes.', 'alert');
    assert($(el, '#identifier'), 'still on the identifier step');
  });

  for (const [limit, typed, sentence] of [
    ['network', 'jo@example.com', s.errorNetworkLimited(1200, 'send')],
    ['sms_prefix', NUMBER, 'Too many codes were texted to numbers like this one in the last hour. Try again in 20 minutes, or ask for the code by email instead.'],
  ] as const) {
    it(`opens the step of the code held when the ${limit} limit refuses the same address asked again, with that limit’s sentence`, async () => {
      serve({ ...noSession, 'POST /api/codes': [{ status: 202, body: typed === NUMBER ? texted() : bodies.codeSent() }, limited(limit, 1200)] });
      const el = await identifyStep();
      submitIdentifier(el, typed);
      await waitFor(() => $(el, '#code'), 'the code step');
      useAnotherAddress(el);
      await el.updateComplete;
      $(el, 'button[part~="button"]')!.click();
      await waitFor(() => alertText(el), 'the alert');
      assertEqual(alertText(el), sentence, 'alert');
      assert($(el, '#code'), 'the code in the inbox still works: its field, not the identifier form for an hour');
      assertEqual(statusText(el), typed === NUMBER ? s.codeSent({ destination: '•••• 3456', time: '14:05' }) : s.codeSent({ destination: 'j•••@example.com', time: '14:05' }), 'where it went');
      await waitFor(() => el.shadowRoot!.activeElement?.id === 'code', 'focus on the code field');
      const resend = $(el, '#resend') as HTMLButtonElement;
      assert(resend.disabled, 'no new code until the limit’s wait is over');
    });
  }

  it('says again that texts here are paused after a reload, and after “too soon”', async () => {
    const pause = { until: new Date(2025, 0, 2, 15, 0).toISOString(), message: 'Texts to new numbers here are paused.' };
    serve({ ...noSession, 'POST /api/codes': [{ status: 202, body: texted({ smsPaused: pause }) }, { status: 429, body: bodies.error('rate_limited', { retryAfter: 20 }) }] });
    const first = await identifyStep();
    submitIdentifier(first, NUMBER);
    await waitFor(() => $(first, '#sms-paused'), 'the pause hint');
    const el = await reload();
    assertEqual($(el, '#sms-paused')?.textContent, s.smsPaused('15:00', true), 'after the reload');
    useAnotherAddress(el);
    await el.updateComplete;
    submitIdentifier(el, NUMBER);
    await waitFor(() => alertText(el), 'the alert');
    assertEqual(alertText(el), s.errorCodeStillValid({ time: '14:05', onFile: undefined }), 'too soon');
    assertEqual($(el, '#sms-paused')?.textContent, s.smsPaused('15:00', true), 'after “too soon”');
  });

  it('says “if there’s a number on file” when the code held was texted for the email typed, as its step does (R3)', async () => {
    serve({ ...noSession, 'POST /api/codes': [{ status: 202, body: texted({ destination: '•••• ••••' }) }, { status: 429, body: bodies.error('rate_limited', { retryAfter: 20 }) }] });
    const el = await identifyStep();
    typeInto($input(el, '#identifier'), 'jo@example.com');
    $input(el, 'input[name="channel"][value="sms"]').click();
    $(el, 'button[part~="button"]')!.click();
    await waitFor(() => $(el, '#code'), 'the code step');
    useAnotherAddress(el);
    await el.updateComplete;
    $(el, 'button[part~="button"]')!.click();
    await waitFor(() => alertText(el), 'the alert');
    assertEqual(alertText(el), 'It’s too soon for a new code. If there’s a mobile number on file for this email, enter the code we texted to it at 14:05.', 'alert');
  });

  it('never reopens a code superseded by one sent to the other identifier of the contact (R1)', async () => {
    const { calls } = serve({
      ...noSession,
      'POST /api/codes': (body) => ({ status: 202, body: (body as { channel: string }).channel === 'sms' ? texted({ sentAt: new Date(2025, 0, 2, 14, 6).toISOString() }) : bodies.codeSent() }),
    });
    const el = await codeStep();
    useAnotherAddress(el);
    await el.updateComplete;
    $input(el, '#identifier').value = '';
    submitIdentifier(el, NUMBER);
    await waitFor(() => codeRequests(calls).length === 2 && $(el, '#code'), 'the code texted');
    useAnotherAddress(el);
    await el.updateComplete;
    $input(el, '#identifier').value = '';
    submitIdentifier(el, 'jo@example.com');
    await waitFor(() => codeRequests(calls).length === 3, 'the email asked again');
    assertEqual(codeRequests(calls)[2]?.previousSentAt, undefined, 'the emailed code, superseded by the text, is not named');
  });

  it('removes what was typed from the page’s storage once the code expired, while the element stays on the page', async () => {
    serve({ ...noSession, 'POST /api/codes': { status: 202, body: bodies.codeSent({ expiresIn: 1 }) } });
    const el = await codeStep();
    assert(stored(), 'stored while the code works');
    await waitFor(() => stored() === null, 'the stored code step gone at its expiry', 1800);
    assert(el.isConnected && $(el, '#code'), 'nothing else happened: no reload, no request');
  });

  it('clears the digits typed for a new code, and keeps them when “too soon” leaves the code held', async () => {
    serve({
      ...noSession,
      'POST /api/codes': [
        { status: 202, body: bodies.codeSent({ resendAfter: 0 }) },
        { status: 202, body: bodies.codeSent({ resendAfter: 0, sentAt: new Date(2025, 0, 2, 14, 9).toISOString() }) },
        { status: 429, body: bodies.error('rate_limited', { retryAfter: 20 }) },
      ],
    });
    const el = await codeStep();
    typeInto($input(el, '#code'), '482');
    ($(el, '#resend') as HTMLButtonElement).click();
    await waitFor(() => statusText(el).includes('14:09'), 'the new code');
    assertEqual($input(el, '#code').value, '', 'the digits of the code replaced');
    typeInto($input(el, '#code'), '913');
    ($(el, '#resend') as HTMLButtonElement).click();
    await waitFor(() => alertText(el), 'the alert');
    assertEqual(alertText(el), s.errorCodeStillValid({ time: '14:09', onFile: undefined }), 'too soon');
    assertEqual($input(el, '#code').value, '913', 'the digits of the code that still works');
  });
});
