import { explain } from '../../widget/explain.ts';
import { assertEqual } from './helpers.ts';

const now = Date.parse('2025-06-01T12:00:00.000Z');
const past = '2025-01-01T00:00:00.000Z';
const future = '2026-01-01T00:00:00.000Z';
const signedIn = { signedInAt: past, expiresAt: future };

describe('explain', () => {
  for (const reason of ['signed_out', 'revoked', 'expired', 'deactivated', 'unknown_device'] as const) {
    it(`passes on the server's specific reason "${reason}" whatever the browser signals`, () => {
      assertEqual(explain({ reason, history: null, cookieEnabled: false, now }), reason, reason);
    });
  }

  it('says cookies are blocked when no cookie arrived and the browser has cookies turned off', () => {
    assertEqual(explain({ reason: 'no_cookie', history: signedIn, cookieEnabled: false, now }), 'cookies_blocked', 'explanation');
  });

  it('says the person signed out when the marker records a sign-out on this browser', () => {
    const history = { ...signedIn, signedOutAt: past };
    assertEqual(explain({ reason: 'no_cookie', history, cookieEnabled: true, now }), 'signed_out', 'explanation');
  });

  it('says the saved sign-in expired when the marker shows an expiry in the past', () => {
    const history = { signedInAt: past, expiresAt: '2025-05-31T00:00:00.000Z' };
    assertEqual(explain({ reason: 'no_cookie', history, cookieEnabled: true, now }), 'expired', 'explanation');
  });

  it('says cookies were likely cleared when the marker shows an earlier sign-in that had not expired', () => {
    assertEqual(explain({ reason: 'no_cookie', history: signedIn, cookieEnabled: true, now }), 'cookies_likely_cleared', 'explanation');
  });

  it('says it looks like a first sign-in on this browser when there is no marker', () => {
    assertEqual(explain({ reason: 'no_cookie', history: null, cookieEnabled: true, now }), 'first_sign_in', 'explanation');
  });

  it('does not guess when cookieEnabled is unknown and there is no marker', () => {
    assertEqual(explain({ reason: 'no_cookie', history: null, cookieEnabled: undefined, now }), 'first_sign_in', 'explanation');
  });

  it('claims no cause when the session could not be checked or the reason is unknown', () => {
    assertEqual(explain({ reason: null, history: signedIn, cookieEnabled: true, now }), 'unknown', 'no reason');
    assertEqual(explain({ reason: 'solar_flare', history: signedIn, cookieEnabled: true, now }), 'unknown', 'unknown reason');
  });
});
