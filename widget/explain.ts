/**
 * Why a new code is needed (SPEC R6): signals in, one reason and one tip out. Pure.
 *
 * The server's reason wins when it is specific. When the server only knows that no cookie
 * arrived, the browser's own signals narrow it down, most specific first. It never names a cause
 * it cannot know: a heuristic leads to a reason whose sentence says "looks like" or "likely".
 * The sentences live in strings.ts (see explanation-text.ts); this file only picks the keys.
 *
 * ```ts
 * explain({ reason: 'no_cookie', history: null, cookieEnabled: true, crossSite: false,
 *   cookieDidNotStick: false, privateWindow: 'unknown', browser: 'chromium', now: Date.now() });
 * // → { reason: 'first_sign_in', tip: 'can_remember' }
 * ```
 */
import type { BrowserFamily } from './browser-family.ts';
import type { SignInHistory } from './history.ts';
import type { PrivateWindowGuess } from './private-window.ts';

/** Why a code is needed; also sent as `reason` with each code request, for the admin's history. */
export type Reason =
  | 'revoked'
  | 'deactivated'
  | 'signed_out'
  /** The last sign-in here was "Don't remember this browser". */
  | 'session_only'
  | 'expired'
  /** The cookie was refused: seen right after a sign-in. */
  | 'cookies_blocked'
  /** `navigator.cookieEnabled` is false: a strong hint about the server's cookie, not proof. */
  | 'cookies_likely_blocked'
  | 'cookies_blocked_embedded'
  | 'cookies_cleared'
  | 'private_window'
  /** Safari, no marker: a first sign-in, or Safari dropped the marker after a week away. */
  | 'no_saved_sign_in'
  | 'first_sign_in'
  | 'unknown_device'
  /** The session could not be checked, or the server gave a reason this widget does not know. */
  | 'unknown';

/** What would help, when something would. */
export type Tip =
  | 'ask_team'
  | 'reactivate'
  | 'sign_out_on_shared_only'
  | 'visit_to_keep'
  | 'leave_unticked'
  | 'allow_cookies'
  | 'code_each_time'
  | 'cookies_deleted_on_close'
  | 'normal_window'
  | 'can_remember';

export interface Explanation {
  reason: Reason;
  tip: Tip | null;
}

export interface Signals {
  /** The server's `reason`, or `null` when the session could not be checked. */
  reason: string | null;
  /** The localStorage marker (see history.ts). */
  history: SignInHistory | null;
  /** `navigator.cookieEnabled`. */
  cookieEnabled: boolean | undefined;
  /** The server's `crossSite` flag from its last answer; `undefined` when there was none. */
  crossSite: boolean | undefined;
  /** The re-check right after a successful verify found no session: the cookie was refused. */
  cookieDidNotStick: boolean;
  privateWindow: PrivateWindowGuess;
  browser: BrowserFamily;
  /** Epoch milliseconds. */
  now: number;
}

const blocked = (crossSite: boolean | undefined): Explanation =>
  crossSite ? { reason: 'cookies_blocked_embedded', tip: 'code_each_time' } : { reason: 'cookies_blocked', tip: 'allow_cookies' };

export function explain(signals: Signals): Explanation {
  const { reason, history, crossSite, now } = signals;
  // Seen seconds ago, so it outranks any server reason: that one then describes an older cookie
  // the browser kept instead of the new one.
  if (signals.cookieDidNotStick) return blocked(crossSite);

  switch (reason) {
    case 'revoked':
      return { reason, tip: 'ask_team' };
    case 'deactivated':
      return { reason, tip: 'reactivate' };
    case 'signed_out':
      // Signing in again retires the browser's older device; if the new cookie was then refused,
      // that older one comes back as "signed out", which the person never did.
      if (history?.cookieRefused && history.signedOutAt === undefined) return blocked(crossSite);
      return { reason, tip: 'sign_out_on_shared_only' };
    case 'expired':
      return { reason, tip: history?.sessionOnly ? 'leave_unticked' : 'visit_to_keep' };
    case 'unknown_device':
      return { reason, tip: null };
    case 'no_cookie':
      break;
    default:
      return { reason: 'unknown', tip: null };
  }

  if (history?.signedOutAt !== undefined) return { reason: 'signed_out', tip: 'sign_out_on_shared_only' };
  // A browser-session cookie is gone once the browser closed: that was the person's choice.
  if (history?.sessionOnly) return { reason: 'session_only', tip: 'leave_unticked' };
  if (history && Date.parse(history.expiresAt) <= now) return { reason: 'expired', tip: 'visit_to_keep' };
  // Facts about the cookie come before the marker's inference that cookies were cleared: a
  // blocked cookie also looks cleared, and only "blocked" names what would help.
  // cookieEnabled speaks for this page's cookies, not for the server's: say "likely".
  if (signals.cookieEnabled === false) return crossSite ? blocked(true) : { reason: 'cookies_likely_blocked', tip: 'allow_cookies' };
  if (history?.cookieRefused) return blocked(crossSite);
  if (history) {
    // Embedded, the cookie is a third-party one: blocking is the likely cause (the sentence says "likely").
    return crossSite ? blocked(true) : { reason: 'cookies_cleared', tip: 'cookies_deleted_on_close' };
  }
  if (signals.privateWindow === 'likely') return { reason: 'private_window', tip: 'normal_window' };
  // Safari deletes script-written storage after 7 days without a visit, so no marker proves less there.
  if (signals.browser === 'safari') return { reason: 'no_saved_sign_in', tip: 'can_remember' };
  return { reason: 'first_sign_in', tip: 'can_remember' };
}
