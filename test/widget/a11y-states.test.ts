/**
 * axe-core in every state `<otp-login>` can show (issue 7): each row drives a real element there
 * through its own code paths against a fake server, then checks axe, where focus went, and that
 * only a field the error is about is marked invalid and described by the alert. The states
 * otp-login.test.ts already checks with axe (checking, first sign-in, cookies cleared, the code
 * step with a countdown and a wrong code, signed in until a date or not kept same-site) are not
 * repeated here.
 */
import '../../widget/otp-login.ts';
import type { OtpLogin } from '../../widget/otp-login.ts';
import type { CodeSent } from '../../widget/api.ts';
import { HELD_CODE_KEY, type HeldCode } from '../../widget/held-code.ts';
import { HISTORY_KEY, type SignInHistory } from '../../widget/history.ts';
import { defaultStrings as s } from '../../widget/strings.ts';
import { $, $input, alertText, assert, assertEqual, bodies, checkA11y, fakeBrowser, mount, noSession, stubFetch, textOf, typeInto, waitFor, type Route } from './helpers.ts';

type Routes = Record<string, Route | Route[]>;
type Field = '#identifier' | '#code';

interface State {
  name: string;
  /** The fake server; default: a browser it does not know. */
  routes?: Routes;
  attributes?: Record<string, string>;
  /** This browser's marker of its last sign-in (history.ts). */
  history?: SignInHistory;
  /** A code step held from before a reload (held-code.ts). */
  held?: HeldCode;
  browser?: Parameters<typeof fakeBrowser>[0];
  /** What the person does after the element loaded. */
  act?: (el: OtpLogin) => Promise<void>;
  /** Sentences only this state shows (or a check of it), so a row that misses its state fails. */
  shows: string | string[] | ((el: OtpLogin) => boolean);
  /**
   * Where focus is after the person's last action; `null`: nowhere in the element (a page load
   * moves no focus); absent: not checked (a busy moment).
   */
  focus?: Field | '#resend' | '#sign-out' | '#signed-in' | null;
  /** The field the error is about: `aria-invalid="true"`, described by the alert. Any other is valid. */
  invalid?: Field;
}

/** A request held open until the test ends: the busy state stays on screen. */
const never: Route = () => new Promise(() => {});
/**
 * Answers a moment later, as a real server does: long enough for Chromium to take focus off a
 * button disabled while busy (its focus fixup runs with the next frame).
 */
const late = (route: Route): Route => async (body, call) => {
  await new Promise((resolve) => setTimeout(resolve, 50));
  return typeof route === 'function' ? route(body, call) : route;
};
const answerLate = (routes: Routes): Routes => Object.fromEntries(Object.entries(routes).map(([key, route]) => [key, Array.isArray(route) ? route.map(late) : late(route)]));
const sent = (overrides: Record<string, unknown> = {}): Route => ({ status: 202, body: bodies.codeSent(overrides) });
const refused = (status: number, code: string, extra: Record<string, unknown> = {}): Route => ({ status, body: bodies.error(code, extra) });
const session = (body: unknown): Routes => ({ 'GET /api/session': { status: 200, body } });
const signedIn = session(bodies.signedIn());
const marker: SignInHistory = { signedInAt: '2025-01-01T00:00:00.000Z', expiresAt: '2099-01-01T00:00:00.000Z', who: 'j•••@example.com' };
const at1407 = new Date(2025, 0, 2, 14, 7).toISOString();

/** A code request answered with `reply`. */
const onRequest = (reply: Route | Route[]): Routes => ({ ...noSession, 'POST /api/codes': reply });
/** A code sent (resend possible after `resendAfter` seconds), then the verify answered with `reply`. */
const onVerify = (reply: Route | Route[], resendAfter = 25): Routes => ({ ...onRequest(sent({ resendAfter })), 'POST /api/codes/verify': reply });
/** A code sent, the verify accepted, and the re-check right after it answered with `recheck`. */
const afterVerify = (recheck: Route, contact: unknown = bodies.contact, first: Route = noSession['GET /api/session']): Routes => ({
  ...onVerify({ status: 200, body: { ...bodies.signedIn(), contact } }),
  'GET /api/session': [first, recheck],
});

const resendButton = (el: OtpLogin) => $(el, '#resend') as HTMLButtonElement | null;

/** A press as a person makes it, with the mouse or the keyboard: the button has focus, then is clicked. */
async function press(el: OtpLogin, selector: string): Promise<void> {
  const button = await waitFor(() => $(el, selector), selector);
  button.focus();
  button.click();
}

/** Types `value` and presses the send button; `channel` picks how the code goes first. */
async function askForCode(el: OtpLogin, value = 'jo@example.com', channel?: 'email' | 'sms'): Promise<void> {
  typeInto(await waitFor(() => $input(el, '#identifier'), 'the identifier field'), value);
  if (channel) $input(el, `input[name="channel"][value="${channel}"]`).click();
  await press(el, 'button[part~="button"]');
}

/** Asks for a code, then types `digits` into the code field (six submit by themselves). */
async function enterCode(el: OtpLogin, digits = '111111'): Promise<void> {
  await askForCode(el);
  typeInto(await waitFor(() => $input(el, '#code'), 'the code field'), digits);
}

const ask = (value?: string, channel?: 'email' | 'sms') => (el: OtpLogin) => askForCode(el, value, channel);
const wrong = (el: OtpLogin) => enterCode(el);
const resend = async (el: OtpLogin) => {
  await askForCode(el);
  await waitFor(() => resendButton(el)?.disabled === false, 'the resend button');
  await press(el, '#resend');
};
const signOut = (el: OtpLogin) => press(el, '#sign-out');

const states: State[] = [
  // The identifier step: why a code is needed, for each reason the element can give.
  { name: 'signed out by the site’s team', routes: session(bodies.signedOut('revoked')), shows: s.whyRevoked, focus: null },
  { name: 'account turned off', routes: session(bodies.signedOut('deactivated')), shows: s.whyDeactivated, focus: null },
  { name: 'signed out on this browser', routes: session(bodies.signedOut('signed_out')), shows: s.whySignedOut, focus: null },
  { name: 'saved sign-in expired', routes: session(bodies.signedOut('expired')), shows: [s.whyExpired, s.tipVisitToKeep], focus: null },
  { name: 'saved sign-in expired after “Don’t remember”', routes: session(bodies.signedOut('expired')), history: { ...marker, sessionOnly: true }, shows: [s.whyExpired, s.tipLeaveUnticked], focus: null },
  { name: 'last sign-in was “Don’t remember this browser”', history: { ...marker, sessionOnly: true }, shows: s.whySessionOnly, focus: null },
  { name: 'saved sign-in no longer recognised', routes: session(bodies.signedOut('unknown_device')), shows: s.whyUnknownDevice, focus: null },
  { name: 'the last sign-in’s cookie was refused', history: { ...marker, cookieRefused: true }, shows: s.whyCookiesBlocked, focus: null },
  { name: 'cookies turned off', browser: { cookieEnabled: false }, shows: s.whyCookiesLikelyBlocked, focus: null },
  { name: 'embedded from another site that blocks its cookies', routes: session({ ...bodies.signedOut('no_cookie'), crossSite: true }), history: marker, shows: s.whyCookiesBlockedEmbedded, focus: null },
  { name: 'a private window', browser: { estimate: { quota: 120_000_000, usage: 0 } }, shows: s.whyPrivateWindow, focus: null },
  {
    name: 'Safari with no saved sign-in',
    browser: { userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Safari/605.1.15' },
    shows: s.whyNoSavedSignIn,
    focus: null,
  },
  { name: 'offline: the session could not be checked', routes: { 'GET /api/session': 'network-error' }, shows: [s.whyUnknown, s.errorNetwork], focus: null },

  // The identifier step: channels, language, and what can go wrong with a code request.
  { name: 'a mobile number only (channels="sms")', attributes: { channels: 'sms' }, shows: s.labelPhone, focus: null },
  { name: 'nothing typed, email only', attributes: { channels: 'email' }, act: ask(''), shows: s.errorMissingIdentifier(['email']), focus: '#identifier', invalid: '#identifier' },
  { name: 'in French', attributes: { lang: 'fr' }, shows: 'Adresse e-mail ou numéro de mobile', focus: null },
  { name: 'sending', routes: onRequest(never), act: ask(), shows: s.sending },
  { name: 'an email address that is not one', routes: onRequest(refused(400, 'invalid_email')), act: ask('jo@'), shows: s.errorInvalidEmail, focus: '#identifier', invalid: '#identifier' },
  { name: 'a number that is not one', routes: onRequest(refused(400, 'invalid_phone')), act: ask('123'), shows: s.errorInvalidPhone, focus: '#identifier', invalid: '#identifier' },
  {
    name: 'too many codes texted to numbers like this one, with a wait',
    routes: onRequest(refused(429, 'rate_limited', { retryAfter: 3000, limit: 'sms_prefix' })),
    act: ask('+44 7911 123456'),
    shows: s.errorSmsPrefixLimited(3000, true),
    focus: '#identifier',
  },
  { name: 'locked after too many wrong codes', routes: onRequest(refused(429, 'rate_limited', { locked: true })), act: ask('+44 7911 123456'), shows: s.errorLocked('phone', 'email'), focus: '#identifier' },
  {
    name: 'a landline number',
    routes: onRequest(refused(400, 'invalid_phone', { reason: 'landline' })),
    act: ask('+44 20 7123 4567'),
    shows: s.errorPhoneRefused({ reason: 'landline', country: undefined, email: true }),
    focus: '#identifier',
    invalid: '#identifier',
  },
  { name: 'too many codes from this network', routes: onRequest(refused(429, 'rate_limited', { retryAfter: 1200, limit: 'network' })), act: ask(), shows: s.errorNetworkLimited(1200, 'send'), focus: '#identifier' },
  {
    name: 'the address typed again while its code still works',
    routes: onRequest([sent(), refused(429, 'rate_limited', { retryAfter: 18 })]),
    act: async (el) => {
      await askForCode(el);
      await press(el, 'button[part~="link-button"]');
      await press(el, 'button[part~="button"]');
    },
    shows: (el) => alertText(el) === s.errorCodeStillValid({ time: '14:05', onFile: undefined }) && !!$(el, '#code'),
    focus: '#code',
  },
  {
    name: 'the code step after a reload',
    held: { identifier: { kind: 'email', value: 'jo@example.com' }, sent: bodies.codeSent() as CodeSent, receivedAt: Date.now(), expiresAt: Date.now() + 600_000, resendAt: Date.now() + 25_000 },
    shows: [s.whyFirstSignIn, s.codeSent({ destination: 'j•••@example.com', time: '14:05' })],
    focus: null,
  },
  { name: 'delivery unavailable', routes: onRequest(refused(503, 'delivery_unavailable')), act: ask(), shows: s.errorDeliveryUnavailable('email', 'sms'), focus: '#identifier' },
  {
    name: 'not sent: the number replied STOP',
    routes: onRequest(sent({ channel: 'sms', notSent: { reason: 'stop_reply', replyTo: '+14155550100' } })),
    act: ask('+1 415 555 0123'),
    shows: s.errorNotSent({ channel: 'sms', reason: 'stop_reply', replyTo: '+14155550100', other: 'email' }),
    focus: '#identifier',
  },
  {
    name: 'not sent: emails to the address bounced',
    routes: onRequest(sent({ notSent: { reason: 'bounce' } })),
    act: ask(),
    shows: s.errorNotSent({ channel: 'email', reason: 'bounce', replyTo: undefined, other: 'sms' }),
    focus: '#identifier',
  },
  { name: 'a page the server does not allow', routes: onRequest(refused(403, 'forbidden_origin')), act: ask(), shows: s.errorForbiddenOrigin, focus: '#identifier' },
  { name: 'offline when asking for a code', routes: onRequest('network-error'), act: ask(), shows: s.errorNetwork, focus: '#identifier' },

  // The code step.
  {
    name: 'a texted code',
    routes: onRequest(sent({ channel: 'sms', destination: '•••• 0123' })),
    act: ask('+1 415 555 0123'),
    shows: s.codeSent({ destination: '•••• 0123', time: '14:05' }),
    focus: '#code',
  },
  {
    name: 'a code texted to the number on file for the email typed',
    routes: onRequest(sent({ channel: 'sms', destination: '•••• 0123' })),
    act: ask('jo@example.com', 'sms'),
    shows: s.codeSentOnFile({ channel: 'sms', time: '14:05' }),
    focus: '#code',
  },
  { name: 'a new code may be sent', routes: onRequest(sent({ resendAfter: 0 })), act: ask(), shows: (el) => resendButton(el)?.disabled === false, focus: '#code' },
  { name: 'sending a new code', routes: onRequest([sent({ resendAfter: 0 }), never]), act: resend, shows: (el) => resendButton(el)?.textContent?.trim() === s.sending },
  {
    name: 'a new code refused, with a wait',
    routes: onRequest([sent({ resendAfter: 0 }), refused(429, 'rate_limited', { retryAfter: 90 })]),
    act: resend,
    // The refused request named the code held: that one still works, so its field stays.
    shows: (el) => alertText(el) === s.errorCodeStillValid({ time: '14:05', onFile: undefined }) && [s.resendIn(90), s.resendIn(89)].includes(resendButton(el)!.textContent!.trim()),
    focus: '#code',
  },
  { name: 'checking the code', routes: onVerify(never), act: wrong, shows: s.verifying },
  { name: 'five digits and Sign in', act: (el) => enterCode(el, '12345').then(() => press(el, 'button[part~="button"]')), routes: onRequest(sent()), shows: s.errorInvalidCodeFormat, focus: '#code', invalid: '#code' },
  { name: 'a wrong code, tries left', routes: onVerify(refused(401, 'wrong_code', { attemptsLeft: 3 })), act: wrong, shows: s.errorWrongCode(3), focus: '#code', invalid: '#code' },
  { name: 'a wrong code, none left, a new one may be sent', routes: onVerify(refused(401, 'wrong_code', { attemptsLeft: 0 }), 0), act: wrong, shows: s.errorWrongCode(0), focus: '#resend', invalid: '#code' },
  { name: 'a wrong code, none left, during the countdown', routes: onVerify(refused(401, 'wrong_code', { attemptsLeft: 0 })), act: wrong, shows: s.errorWrongCode(0), focus: '#code', invalid: '#code' },
  {
    name: 'an earlier code after a newer one',
    routes: onVerify(refused(401, 'superseded_code', { newestSentAt: at1407, newestCodeNumber: 3 })),
    act: wrong,
    shows: s.errorSupersededCode({ codeNumber: 3, time: '14:07' }),
    focus: '#code',
    invalid: '#code',
  },
  { name: 'an expired code', routes: onVerify(refused(401, 'expired_code'), 0), act: wrong, shows: s.errorExpiredCode, focus: '#resend', invalid: '#code' },
  { name: 'too many tries', routes: onVerify(refused(401, 'too_many_attempts')), act: wrong, shows: s.errorTooManyAttempts, focus: '#code', invalid: '#code' },
  { name: 'no code waiting', routes: onVerify(refused(401, 'no_active_code'), 0), act: wrong, shows: s.errorNoActiveCode, focus: '#resend', invalid: '#code' },
  { name: 'codes tried too often from this network', routes: onVerify(refused(429, 'rate_limited', { retryAfter: 1200, limit: 'network' })), act: wrong, shows: s.errorNetworkLimited(1200, 'verify'), focus: '#code' },
  { name: 'codes checked too often, with a wait', routes: onVerify(refused(429, 'rate_limited', { retryAfter: 120 })), act: wrong, shows: s.errorRateLimited(120, 'verify'), focus: '#code' },
  { name: 'locked while entering codes', routes: onVerify(refused(429, 'rate_limited', { locked: true })), act: wrong, shows: s.errorLocked('email', 'phone'), focus: '#code' },
  { name: 'offline when checking the code', routes: onVerify('network-error'), act: wrong, shows: s.errorNetwork, focus: '#code' },

  // Signed in, and signing out.
  { name: 'remembered until the browser closes', routes: session({ ...bodies.signedIn(), device: { ...bodies.device, sessionOnly: true } }), shows: s.rememberedForSession, focus: null },
  {
    name: 'signed in by text message',
    routes: afterVerify(signedIn['GET /api/session'] as Route, { ...bodies.contact, email: null }),
    act: wrong,
    shows: s.signedInAs('+447700900123'),
    focus: '#signed-in',
  },
  {
    name: 'signed in, but the embedded sign-in’s cookie was refused',
    routes: afterVerify({ status: 200, body: { ...bodies.signedOut('no_cookie'), crossSite: true } }, undefined, { status: 200, body: { ...bodies.signedOut('no_cookie'), crossSite: true } }),
    act: wrong,
    shows: [s.notKept, s.whyCookiesBlockedEmbedded],
    focus: '#signed-in',
  },
  { name: 'signed in, the re-check failed', routes: afterVerify('network-error'), act: wrong, shows: (el) => textOf(el).includes(s.signedInAs('jo@example.com')) && !$(el, '#status [part~="hint"], [part~="explanation"]'), focus: '#signed-in' },
  { name: 'signing out', routes: { ...signedIn, 'POST /api/session/sign-out': never }, act: signOut, shows: s.signingOut },
  { name: 'just signed out', routes: { ...signedIn, 'POST /api/session/sign-out': { status: 200, body: bodies.signedOut('signed_out') } }, act: signOut, shows: s.whySignedOut, focus: '#identifier' },
  { name: 'offline when signing out', routes: { ...signedIn, 'POST /api/session/sign-out': 'network-error' }, act: signOut, shows: s.errorNetwork, focus: '#sign-out' },
];

describe('<otp-login> accessibility in every state', () => {
  let stub: ReturnType<typeof stubFetch> | undefined;
  let restoreBrowser: (() => void) | undefined;

  afterEach(() => {
    for (const el of document.querySelectorAll('otp-login')) el.remove();
    stub?.restore();
    restoreBrowser?.();
    localStorage.removeItem(HISTORY_KEY);
    sessionStorage.clear();
  });

  for (const { name, routes = noSession, attributes, history, held, browser = {}, act, shows, focus, invalid } of states) {
    it(`${name}: no axe violations${focus ? `, focus on ${focus}` : ''}${invalid ? `, ${invalid} invalid and described by the alert` : ''}`, async () => {
      if (history) localStorage.setItem(HISTORY_KEY, JSON.stringify(history));
      if (held) sessionStorage.setItem(`${HELD_CODE_KEY}http://otp.test/`, JSON.stringify(held));
      restoreBrowser = fakeBrowser(browser);
      stub = stubFetch(answerLate(routes));
      const el = await mount({ lang: 'en-GB', ...attributes });
      await waitFor(() => $(el, '#identifier, #code, #sign-out'), 'the first step');
      await act?.(el);
      await waitFor(() => (typeof shows === 'function' ? shows(el) : [shows].flat().every((sentence) => textOf(el).includes(sentence))), `the state “${name}”`);
      await el.updateComplete;

      if (focus !== undefined) {
        const focused = () => (el.shadowRoot!.activeElement ? `#${el.shadowRoot!.activeElement.id}` : null);
        await waitFor(() => focused() === focus, `focus on ${focus}`, 500).catch(() => assertEqual(focused(), focus, 'focus'));
      }
      for (const field of el.shadowRoot!.querySelectorAll<HTMLInputElement>('#identifier, #code')) {
        const id = `#${field.id}`;
        assertEqual(field.getAttribute('aria-invalid'), String(id === invalid), `aria-invalid of ${id}`);
        if (id === invalid) assert(field.getAttribute('aria-describedby')?.split(' ').includes($(el, '[role="alert"]')!.id), `${id} is described by the alert “${alertText(el)}”`);
      }
      await checkA11y(el);
    });
  }
});
