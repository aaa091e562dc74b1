import { explain, type Explanation, type Signals } from '../../widget/explain.ts';
import type { SignInHistory } from '../../widget/history.ts';
import { assertDeepEqual } from './helpers.ts';

const now = Date.parse('2025-06-01T12:00:00.000Z');
const past = '2025-01-01T00:00:00.000Z';
const future = '2026-01-01T00:00:00.000Z';
const signedIn: SignInHistory = { signedInAt: past, expiresAt: future, who: 'j•••@example.com' };

/** A first visit in a normal Chromium window, same-site; each test changes what it is about. */
function signals(overrides: Partial<Signals> = {}): Signals {
  return {
    reason: 'no_cookie',
    history: null,
    cookieEnabled: true,
    crossSite: false,
    cookieDidNotStick: false,
    privateWindow: 'unknown',
    browser: 'chromium',
    now,
    ...overrides,
  };
}

function expectExplanation(overrides: Partial<Signals>, expected: Explanation): void {
  assertDeepEqual(explain(signals(overrides)), expected, JSON.stringify(overrides));
}

describe('explain', () => {
  describe('the server’s reason', () => {
    const specific: Array<[string, Explanation]> = [
      ['revoked', { reason: 'revoked', tip: 'ask_team' }],
      ['deactivated', { reason: 'deactivated', tip: 'reactivate' }],
      ['signed_out', { reason: 'signed_out', tip: 'sign_out_on_shared_only' }],
      ['expired', { reason: 'expired', tip: 'visit_to_keep' }],
      ['unknown_device', { reason: 'unknown_device', tip: null }],
    ];
    for (const [reason, expected] of specific) {
      it(`passes on "${reason}" whatever the browser signals`, () => {
        const everythingElse: Partial<Signals> = {
          reason,
          // cookieRefused is left out: with it, "signed_out" is read as the refused cookie (tested below).
          history: { ...signedIn, sessionOnly: true },
          cookieEnabled: false,
          crossSite: true,
          privateWindow: 'likely',
          browser: 'safari',
        };
        // The one exception is the sessionOnly tip for an expired session-only sign-in, tested below.
        const result = explain(signals(everythingElse));
        assertDeepEqual(result.reason, expected.reason, reason);
      });
    }

    it('gives each server reason its tip', () => {
      for (const [reason, expected] of specific) expectExplanation({ reason }, expected);
    });

    it('tips to leave the box unticked when a session-only sign-in expired (the browser stayed open a day)', () => {
      expectExplanation({ reason: 'expired', history: { ...signedIn, sessionOnly: true } }, { reason: 'expired', tip: 'leave_unticked' });
    });

    it('claims no cause when the session could not be checked or the reason is unknown', () => {
      expectExplanation({ reason: null, history: signedIn, cookieEnabled: false }, { reason: 'unknown', tip: null });
      expectExplanation({ reason: 'solar_flare', history: signedIn }, { reason: 'unknown', tip: null });
    });
  });

  describe('the cookie refused right after a sign-in', () => {
    it('says cookies are blocked when the re-check found no session on a same-site page', () => {
      expectExplanation({ cookieDidNotStick: true }, { reason: 'cookies_blocked', tip: 'allow_cookies' });
    });

    it('says embedded sign-ins are blocked when the server said the page is on another site', () => {
      expectExplanation({ cookieDidNotStick: true, crossSite: true }, { reason: 'cookies_blocked_embedded', tip: 'code_each_time' });
    });

    it('outranks a server reason, which then describes an older cookie the browser kept', () => {
      expectExplanation({ cookieDidNotStick: true, reason: 'revoked', crossSite: true }, { reason: 'cookies_blocked_embedded', tip: 'code_each_time' });
    });
  });

  describe('no cookie arrived: the browser’s signals, most specific first', () => {
    it('says the person signed out when the marker records a sign-out on this browser', () => {
      expectExplanation({ history: { ...signedIn, signedOutAt: past }, cookieEnabled: false }, { reason: 'signed_out', tip: 'sign_out_on_shared_only' });
    });

    it('says the last sign-in was not to be remembered when the marker says session-only', () => {
      const history = { ...signedIn, sessionOnly: true as const, expiresAt: '2025-05-31T00:00:00.000Z' };
      expectExplanation({ history, cookieEnabled: false }, { reason: 'session_only', tip: 'leave_unticked' });
    });

    it('says the saved sign-in expired when the marker shows an expiry in the past', () => {
      const history = { ...signedIn, expiresAt: '2025-05-31T00:00:00.000Z' };
      expectExplanation({ history, cookieEnabled: false }, { reason: 'expired', tip: 'visit_to_keep' });
    });

    it('says cookies are likely blocked when the page reports cookies off, even with a marker (a hint, not proof)', () => {
      expectExplanation({ history: signedIn, cookieEnabled: false }, { reason: 'cookies_likely_blocked', tip: 'allow_cookies' });
      expectExplanation({ history: null, cookieEnabled: false, privateWindow: 'likely' }, { reason: 'cookies_likely_blocked', tip: 'allow_cookies' });
      expectExplanation({ history: null, cookieEnabled: false, crossSite: true }, { reason: 'cookies_blocked_embedded', tip: 'code_each_time' });
    });

    it('never says "you signed out" when the new cookie was refused and an older device came back signed out', () => {
      const history = { ...signedIn, cookieRefused: true as const };
      expectExplanation({ reason: 'signed_out', history }, { reason: 'cookies_blocked', tip: 'allow_cookies' });
      expectExplanation({ reason: 'signed_out', history: { ...history, signedOutAt: '2026-01-01T00:00:00.000Z' } }, { reason: 'signed_out', tip: 'sign_out_on_shared_only' });
    });

    it('says cookies are blocked when the marker records that the last sign-in’s cookie did not stick', () => {
      const history = { ...signedIn, cookieRefused: true as const };
      expectExplanation({ history }, { reason: 'cookies_blocked', tip: 'allow_cookies' });
      expectExplanation({ history, crossSite: true }, { reason: 'cookies_blocked_embedded', tip: 'code_each_time' });
    });

    it('says cookies were likely cleared when the marker shows an earlier sign-in that had not expired', () => {
      expectExplanation({ history: signedIn, privateWindow: 'likely', browser: 'safari' }, { reason: 'cookies_cleared', tip: 'cookies_deleted_on_close' });
    });

    it('says embedded sign-ins are likely blocked when a marker from this page meets no cookie on another site', () => {
      expectExplanation({ history: signedIn, crossSite: true }, { reason: 'cookies_blocked_embedded', tip: 'code_each_time' });
    });

    it('says it looks like a private window when the probe says likely and there is no marker', () => {
      expectExplanation({ privateWindow: 'likely', browser: 'safari', crossSite: true }, { reason: 'private_window', tip: 'normal_window' });
    });

    it('claims less than a first sign-in on Safari, which deletes the marker after 7 days away', () => {
      expectExplanation({ browser: 'safari' }, { reason: 'no_saved_sign_in', tip: 'can_remember' });
    });

    it('says it looks like a first sign-in on this browser when nothing else is known', () => {
      expectExplanation({}, { reason: 'first_sign_in', tip: 'can_remember' });
      expectExplanation({ privateWindow: 'unlikely', browser: 'firefox' }, { reason: 'first_sign_in', tip: 'can_remember' });
    });

    it('does not guess from unknown signals: cookieEnabled or crossSite missing', () => {
      expectExplanation({ cookieEnabled: undefined, crossSite: undefined }, { reason: 'first_sign_in', tip: 'can_remember' });
      expectExplanation({ history: signedIn, crossSite: undefined }, { reason: 'cookies_cleared', tip: 'cookies_deleted_on_close' });
    });
  });
});
