/**
 * The sentences of strings.ts for an explanation from explain.ts: the reason, then the tip.
 *
 * ```ts
 * explanationText(defaultStrings, { reason: 'private_window', tip: 'normal_window' }, context);
 * // → { why: 'It looks like this is a private window. …', tip: 'To be remembered, use a normal window.' }
 * ```
 */
import type { Explanation, Reason, Tip } from './explain.ts';
import type { Strings } from './strings.ts';

export interface ExplanationContext {
  /** The sign-in server's host, e.g. `login.example.com`: cookies are allowed per site. */
  host: string;
  /** The masked identifier of this browser's last sign-in, when the marker kept it. */
  who: string | undefined;
}

type Sentence = (strings: Strings, context: ExplanationContext) => string;

const whys: Record<Reason, Sentence> = {
  revoked: (s) => s.whyRevoked,
  deactivated: (s) => s.whyDeactivated,
  signed_out: (s) => s.whySignedOut,
  session_only: (s) => s.whySessionOnly,
  expired: (s) => s.whyExpired,
  cookies_blocked: (s) => s.whyCookiesBlocked,
  cookies_likely_blocked: (s) => s.whyCookiesLikelyBlocked,
  cookies_blocked_embedded: (s) => s.whyCookiesBlockedEmbedded,
  cookies_cleared: (s, c) => s.whyCookiesCleared(c.who),
  private_window: (s) => s.whyPrivateWindow,
  no_saved_sign_in: (s) => s.whyNoSavedSignIn,
  first_sign_in: (s) => s.whyFirstSignIn,
  unknown_device: (s) => s.whyUnknownDevice,
  unknown: (s) => s.whyUnknown,
};

const tips: Record<Tip, Sentence> = {
  ask_team: (s) => s.tipAskTeam,
  reactivate: (s) => s.tipReactivate,
  sign_out_on_shared_only: (s) => s.tipSignOutOnSharedOnly,
  visit_to_keep: (s) => s.tipVisitToKeep,
  leave_unticked: (s) => s.tipLeaveUnticked,
  allow_cookies: (s, c) => s.tipAllowCookies(c.host),
  code_each_time: (s) => s.tipCodeEachTime,
  cookies_deleted_on_close: (s, c) => s.tipCookiesDeletedOnClose(c.host),
  normal_window: (s) => s.tipNormalWindow,
  can_remember: (s) => s.tipCanRemember,
};

export function explanationText(strings: Strings, { reason, tip }: Explanation, context: ExplanationContext): { why: string; tip: string | null } {
  return { why: whys[reason](strings, context), tip: tip ? tips[tip](strings, context) : null };
}
