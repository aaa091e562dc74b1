/**
 * Every sentence a person reads in `<otp-login>`: the `Strings` they fill, and their English
 * defaults. The other languages are in i18n/ and follow the element's `lang` (languages.ts).
 *
 * Override any of them (another tone, or a language not shipped) through the element's
 * `strings` property; anything not given keeps the chosen language's sentence:
 *
 * ```ts
 * el.strings = {
 *   sendCode: 'Get my code',
 *   resendIn: (seconds) => `Another code in ${seconds} s`,
 * };
 * ```
 *
 * Sentences with values are functions. Every error says what to do next.
 */
import type { Channel } from './api.ts';
import type { PhoneRefusal } from '../api/phone-words.ts';
import { clock, firstStrings, inDuration } from './first-strings.ts';
import english from './i18n/en.ts';

export type { PhoneRefusal };
export { clock, inDuration };

export interface Strings {
  /** Shown while the widget asks the server whether this browser is signed in. */
  checking: string;

  /** Label of the one identifier field, by the channels offered. */
  labelEmailOrPhone: string;
  labelEmail: string;
  labelPhone: string;
  /** The choice of how to receive the code, when both channels are offered. */
  channelLegend: string;
  channelEmail: string;
  channelSms: string;
  /**
   * Shown while a text is chosen and email is offered too: SMS is a restricted authenticator
   * (NIST SP 800-63B §3.2.9), so the person hears the risk and the alternative (SECURITY-PLAN 22).
   */
  smsRisk: string;
  sendCode: string;
  sending: string;

  /** Why a code is needed (explain.ts), shown in the `explanation` part above the form. */
  whyFirstSignIn: string;
  /** Safari, no marker: it deletes a script's storage after 7 days without a visit, so this claims less. */
  whyNoSavedSignIn: string;
  whyPrivateWindow: string;
  whySignedOut: string;
  whySessionOnly: string;
  whyRevoked: string;
  whyExpired: string;
  whyDeactivated: string;
  whyUnknownDevice: string;
  whyCookiesBlocked: string;
  whyCookiesLikelyBlocked: string;
  whyCookiesBlockedEmbedded: string;
  /** `who` is the masked identifier of the earlier sign-in, when this browser kept it. */
  whyCookiesCleared: (who: string | undefined) => string;
  whyUnknown: string;

  /** What would help, after the reason. `host` is the sign-in server's, e.g. `login.example.com`. */
  tipAskTeam: string;
  tipReactivate: string;
  tipSignOutOnSharedOnly: string;
  tipVisitToKeep: string;
  tipLeaveUnticked: string;
  tipAllowCookies: (host: string) => string;
  tipCodeEachTime: string;
  tipCookiesDeletedOnClose: (host: string) => string;
  tipNormalWindow: string;
  tipCanRemember: string;

  /** `time` is already formatted. */
  codeSent: (sent: { destination: string; time: string }) => string;
  /** A code sent by the other channel than the one typed: the server cannot say whether one is on file. */
  codeSentOnFile: (sent: { channel: 'email' | 'sms'; time: string }) => string;
  checkSpam: string;
  /**
   * Texts to new numbers in the typed number's area are paused (SMS pumping): said to everyone
   * who typed a number there, since the server answers known and new numbers alike. `until` is
   * already formatted; `emailOffered`: this widget offers email.
   */
  smsPaused: (until: string | undefined, emailOffered: boolean) => string;
  codeLabel: string;
  verify: string;
  verifying: string;
  resend: string;
  resendIn: (seconds: number) => string;
  /** Shown next to the resend button, before a new code is requested (R1). */
  resendNote: string;
  changeIdentifier: (kind: 'email' | 'phone') => string;
  /** The checkbox on the code step that keeps the sign-in to this browser session. */
  dontRemember: string;

  signedInAs: (who: string) => string;
  signedIn: string;
  /** How long this browser stays signed in; `date` is already formatted. */
  rememberedUntil: (date: string) => string;
  rememberedForSession: string;
  /** Right after a sign-in this browser did not keep; the reason and tip follow. */
  notKept: string;
  signOut: string;
  signingOut: string;

  errorMissingIdentifier: (channels: readonly Channel[]) => string;
  errorInvalidEmail: string;
  /** A number with no reason given: most often the country code is missing. */
  errorInvalidPhone: string;
  /** The number has a country code, but the digits after it make no number. */
  errorPhoneDigits: string;
  /**
   * The server will not text this number. `country` is the region's name in this language (for
   * `country`), when known; `email` whether this widget offers email instead.
   */
  errorPhoneRefused: (why: { reason: PhoneRefusal; country: string | undefined; email: boolean }) => string;
  errorInvalidRequest: string;
  errorPayloadTooLarge: string;
  /**
   * `retryAfter` in seconds, when the server said; `action`: whether the refused request asked for
   * a code or checked one.
   */
  errorRateLimited: (retryAfter: number | undefined, action: 'send' | 'verify') => string;
  /**
   * The server's per-network limits on codes asked for (`send`) and tried (`verify`): many people
   * can share one address (an office, a mobile carrier), so this blames no one and says nothing of
   * a code sent to the person. `retryAfter` in seconds.
   */
  errorNetworkLimited: (retryAfter: number | undefined, action: 'send' | 'verify') => string;
  /**
   * The server's limit on texts to numbers like the one typed (SMS pumping): shared with every such
   * number, so it says nothing of a code sent to the person. `emailOffered`: this widget offers email.
   */
  errorSmsPrefixLimited: (retryAfter: number | undefined, emailOffered: boolean) => string;
  /**
   * Too soon for another code, while the code this browser was sent still works: the code step
   * shows again. `time` is already formatted; `onFile`, the channel it went by when that is not
   * the typed identifier's own (then, as codeSentOnFile, it says "if").
   */
  errorCodeStillValid: (sent: { time: string; onFile: Channel | undefined }) => string;
  /**
   * Too many wrong codes in a row for what was typed (`typed`): codes for it are stopped until
   * the person signs in another way. `other` is the other kind of identifier, when offered.
   */
  errorLocked: (typed: 'email' | 'phone' | undefined, other: 'email' | 'phone' | undefined) => string;
  /** `other` is the other channel when this widget offers it. */
  errorDeliveryUnavailable: (channel: Channel | undefined, other: Channel | undefined) => string;
  errorInvalidCodeFormat: string;
  /** `attemptsLeft` 0 means the code is burned. */
  errorWrongCode: (attemptsLeft: number | undefined) => string;
  /** `time` is already formatted. */
  errorSupersededCode: (newest: { codeNumber: number | undefined; time: string | undefined }) => string;
  errorExpiredCode: string;
  errorTooManyAttempts: string;
  errorNoActiveCode: string;
  errorNetwork: string;
  /** The server is there but its storage is not (503 service_unavailable): it passes by itself. */
  errorUnavailable: string;
  /**
   * This browser was signed in, but the check on load got no answer: the signed-in view waits and
   * the widget asks again by itself. `unreachable`: no answer at all (offline, or the server down).
   */
  errorSessionCheck: (unreachable: boolean) => string;
  errorForbiddenOrigin: string;
  /** Open signup: the typed address refuses this channel. `other` is the channel still on offer, if any. */
  errorNotSent: (why: { channel: 'email' | 'sms'; reason: string; replyTo: string | undefined; other: 'email' | 'sms' | undefined }) => string;
  errorUnexpected: string;
}

/**
 * Every English sentence: those of the first screens, built into `otp-login.js` (first-strings.ts),
 * and the rest, which the widget loads with i18n/en.ts when it needs them. The widget itself never
 * imports this module (it would build the rest into `otp-login.js`); tests and tools do.
 */
export const defaultStrings: Strings = { ...firstStrings, ...english({ clock, within: (seconds) => inDuration(seconds, 'en') }) };
