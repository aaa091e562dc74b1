/**
 * Why a new code is needed (SPEC R6): signals in, one explanation out. Pure.
 *
 * The server's reason wins when it is specific. When the server only knows that
 * no cookie arrived, the browser's own signals narrow it down, and a guess is
 * labelled as one ("likely"). It never names a cause it cannot know.
 *
 * ```ts
 * explain({ reason: 'no_cookie', history: null, cookieEnabled: true, now: Date.now() });
 * // → 'first_sign_in'
 * ```
 */
import type { SignInHistory } from './history.ts';

export type Explanation =
  | 'signed_out'
  | 'revoked'
  | 'expired'
  | 'deactivated'
  | 'unknown_device'
  | 'cookies_blocked'
  | 'cookies_likely_cleared'
  | 'first_sign_in'
  /** The session could not be checked, or the server gave a reason this widget does not know. */
  | 'unknown';

export interface Signals {
  /** The server's `reason`, or `null` when the session could not be checked. */
  reason: string | null;
  /** The localStorage marker (see history.ts). */
  history: SignInHistory | null;
  /** `navigator.cookieEnabled`. */
  cookieEnabled: boolean | undefined;
  /** Epoch milliseconds. */
  now: number;
}

export function explain({ reason, history, cookieEnabled, now }: Signals): Explanation {
  switch (reason) {
    case 'signed_out':
    case 'revoked':
    case 'expired':
    case 'deactivated':
    case 'unknown_device':
      return reason;
    case 'no_cookie':
      if (cookieEnabled === false) return 'cookies_blocked';
      if (history?.signedOutAt !== undefined) return 'signed_out';
      if (history && Date.parse(history.expiresAt) <= now) return 'expired';
      if (history) return 'cookies_likely_cleared';
      return 'first_sign_in';
    default:
      return 'unknown';
  }
}
