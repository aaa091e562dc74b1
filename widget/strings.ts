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
import { phoneRefusedSentence, type PhoneRefusal } from '../api/phone-words.ts';

export type { PhoneRefusal };

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

export const defaultStrings: Strings = {
  checking: 'Checking whether you’re signed in…',

  labelEmailOrPhone: 'Email or mobile number',
  labelEmail: 'Email',
  labelPhone: 'Mobile number',
  channelLegend: 'Send the code by',
  channelEmail: 'Email',
  channelSms: 'Text message',
  smsRisk: 'Texts are easier to intercept than email. If you can, choose Email.',
  sendCode: 'Send code',
  sending: 'Sending…',

  whyFirstSignIn: 'It looks like your first sign-in on this browser, or a private window. We’ll send a code to check it’s you.',
  whyNoSavedSignIn:
    'This browser has no saved sign-in here. It may be your first sign-in on it, or its saved sign-in was cleared, so you’ll need a code.',
  whyPrivateWindow:
    'It looks like this is a private window. Private windows don’t use your saved sign-ins and forget new ones when they close, so you’ll need a code.',
  whySignedOut: 'You signed out on this browser, so you’ll need a new code to sign in again.',
  whySessionOnly: 'When you last signed in here, you chose not to be remembered on this browser, so you’ll need a new code.',
  whyRevoked: 'This browser was signed out by the site’s team, so you’ll need a new code to sign in again.',
  whyExpired: 'Your saved sign-in on this browser has expired, so you’ll need a new code.',
  whyDeactivated: 'Your account on this site has been turned off, so it can’t sign in.',
  whyUnknownDevice: 'This browser’s saved sign-in is no longer recognised, so you’ll need a new code.',
  whyCookiesBlocked: 'This browser is blocking cookies for this sign-in, so it can’t remember you.',
  whyCookiesLikelyBlocked: 'This browser seems to block cookies here, so it likely can’t remember you.',
  whyCookiesBlockedEmbedded:
    'This sign-in is embedded from another site, and your browser likely blocks its cookies here, so it can’t remember you.',
  whyCookiesCleared: (who) =>
    `You’ve signed in here before${who ? ` as ${who}` : ''}, but this browser’s cookies were likely cleared, so you’ll need a new code.`,
  whyUnknown: 'Sign in with a code sent to you.',

  tipAskTeam: 'If you didn’t expect this, let the site’s team know.',
  tipReactivate: 'Contact the site’s team to turn it back on, or sign in with another email or number.',
  tipSignOutOnSharedOnly: 'Closing the page keeps you signed in; you only need to sign out on a shared computer.',
  tipVisitToKeep: 'Each visit keeps a saved sign-in going, so it only expires after a long time away.',
  tipLeaveUnticked: 'On your own device, leave “Don’t remember this browser” unticked to stay signed in.',
  tipAllowCookies: (host) => `Allow cookies for ${host} to stay signed in. Until then, you can sign in with a code each time.`,
  tipCodeEachTime: 'You can still sign in with a code each time.',
  tipCookiesDeletedOnClose: (host) => `Your browser may delete cookies when it closes; allow cookies for ${host} to stay signed in.`,
  tipNormalWindow: 'To be remembered, use a normal window.',
  tipCanRemember: 'After that, this browser can remember you.',

  codeSentOnFile: ({ channel, time }) =>
    channel === 'sms'
      ? `If there’s a mobile number on file for this email, we texted a code to it at ${time}. Nothing after a minute? Press “Use a different email”, then choose Email.`
      : `If there’s an email address on file for this number, we emailed a code to it at ${time}. Nothing after a minute? Press “Use a different number”, then choose Text message.`,
  codeSent: ({ destination, time }) => `We sent a code to ${destination} at ${time}.`,
  checkSpam: 'Can’t find it? Check your spam or junk folder.',
  smsPaused: (until, emailOffered) => {
    const instead = emailOffered ? 'use your email address instead' : until ? `try again after ${until}` : 'try again later';
    return `Texts to numbers new to us here are paused ${until ? `until ${until}` : 'for now'}. If you’ve signed in with this number before, your code is on its way; if not, ${instead}.`;
  },
  codeLabel: '6-digit code',
  verify: 'Sign in',
  verifying: 'Checking…',
  resend: 'Send a new code',
  resendIn: (seconds) => `Send a new code in ${clock(seconds)}`,
  resendNote: 'Once a new code is sent, the earlier one stops working.',
  changeIdentifier: (kind) => (kind === 'email' ? 'Use a different email' : 'Use a different number'),
  dontRemember: 'Don’t remember this browser (shared computer)',

  signedInAs: (who) => `Signed in as ${who}`,
  signedIn: 'You’re signed in.',
  rememberedUntil: (date) => `This browser stays signed in until ${date}.`,
  rememberedForSession: 'This browser stays signed in until you close the browser, for a day at most.',
  notKept: 'Your browser didn’t keep this sign-in, so your next visit will need a code.',
  signOut: 'Sign out',
  signingOut: 'Signing out…',

  errorMissingIdentifier: (channels) =>
    channels.length === 2
      ? 'Enter your email or mobile number to get a code.'
      : channels[0] === 'email'
        ? 'Enter your email to get a code.'
        : 'Enter your mobile number to get a code.',
  errorInvalidEmail: 'That email address doesn’t look right. Check it and try again.',
  errorInvalidPhone: 'That number doesn’t look right. Include the country code, like +44 7911 123456.',
  errorPhoneDigits: 'That number doesn’t look right. Check the digits after the country code.',
  // The admin's pages say it in the same words (api/phone-words.ts).
  errorPhoneRefused: phoneRefusedSentence,
  errorInvalidRequest: 'Something went wrong with that request. Reload the page and try again.',
  errorPayloadTooLarge: 'That’s too long to send. Check what you typed and try again.',
  errorRateLimited: (retryAfter, action) => {
    const when = retryAfter === undefined ? 'in a few minutes' : inDuration(retryAfter, 'en');
    return action === 'send' ? `You can ask for a code again ${when}.` : `Too many tries. Please try again ${when}.`;
  },
  errorNetworkLimited: (retryAfter, action) =>
    `Too many codes were ${action === 'send' ? 'asked for' : 'tried'} from your network in the last hour (an office or a mobile network can share one address). ` +
    `Try again ${retryAfter === undefined ? 'later' : inDuration(retryAfter, 'en')}, or use another connection such as mobile data.`,
  errorSmsPrefixLimited: (retryAfter, emailOffered) =>
    `Too many codes were texted to numbers like this one in the last hour. Try again ${retryAfter === undefined ? 'later' : inDuration(retryAfter, 'en')}` +
    (emailOffered ? ', or ask for the code by email instead.' : '.'),
  errorCodeStillValid: ({ time, onFile }) =>
    onFile === 'sms'
      ? `It’s too soon for a new code. If there’s a mobile number on file for this email, enter the code we texted to it at ${time}.`
      : onFile === 'email'
        ? `It’s too soon for a new code. If there’s an email address on file for this number, enter the code we emailed to it at ${time}.`
        : `It’s too soon for a new code. Enter the code we sent at ${time}.`,
  errorLocked: (typed, other) => {
    const what = typed === 'email' ? 'this email address' : typed === 'phone' ? 'this number' : 'this email address or number';
    const instead = other === 'phone' ? 'Sign in with your mobile number instead, or ask' : other === 'email' ? 'Sign in with your email address instead, or ask' : 'Ask';
    return `Too many wrong codes were entered for ${what}, so we’ve stopped accepting codes for it to keep your account safe. ${instead} the site’s team for a sign-in link.`;
  },
  errorDeliveryUnavailable: (channel, other) => {
    const what = channel === 'sms' ? 'text messages' : channel === 'email' ? 'email' : 'codes';
    const instead = other === 'sms' ? 'Choose text message instead, or try' : other === 'email' ? 'Choose email instead, or try' : 'Try';
    return `We can’t send ${what} right now. ${instead} again in a few minutes.`;
  },
  errorInvalidCodeFormat: 'Codes are 6 digits. Check the code and try again.',
  errorWrongCode: (attemptsLeft) =>
    attemptsLeft === undefined
      ? 'That code isn’t right. Check it and try again.'
      : attemptsLeft <= 0
        ? 'That code isn’t right, and it no longer works after too many tries. Send a new code.'
        : `That code isn’t right. Check it and try again (${attemptsLeft} ${attemptsLeft === 1 ? 'try' : 'tries'} left).`,
  errorSupersededCode: ({ codeNumber, time }) => {
    const which = codeNumber === undefined ? 'A newer code' : `A newer code (code ${codeNumber})`;
    const when = time === undefined ? '' : ` at ${time}`;
    return `${which} was sent${when}. Use the code from the newest message; typing an older code used one of its tries.`;
  },
  errorExpiredCode: 'That code has expired. Send a new code and enter it soon after it arrives.',
  errorTooManyAttempts: 'Too many wrong tries, so that code no longer works. Send a new code.',
  errorNoActiveCode: 'There’s no code waiting for this email or number. Send a new code.',
  errorNetwork: 'We couldn’t reach the sign-in service. Check your connection and try again.',
  errorUnavailable: 'Sign-in is unavailable for a moment. Please try again in a few seconds.',
  errorSessionCheck: (unreachable) =>
    unreachable
      ? 'We can’t reach the sign-in service to check that you’re signed in. We’ll keep trying; check your connection if this lasts.'
      : 'We can’t check that you’re signed in right now. We’ll try again by ourselves in a few seconds.',
  errorForbiddenOrigin: 'This page isn’t set up to use this sign-in yet. Please let the site’s team know.',
  errorNotSent: ({ channel, reason, replyTo, other }) => {
    const instead = other === 'email' ? ' or use your email instead' : other === 'sms' ? ' or use your mobile number instead' : '';
    if (channel === 'sms') {
      return reason === 'stop_reply'
        ? `We can’t text this number because it replied STOP. Text START to ${replyTo ?? 'our number'} to allow our texts again${instead}.`
        : `We can’t text this number right now. Check the number${instead}.`;
    }
    const why =
      reason === 'bounce' ? 'our emails to it bounced' : reason === 'spam_complaint' ? 'our email was marked as spam' : 'it no longer takes our emails';
    return `We can’t email this address because ${why}. Check the address${instead}.`;
  },
  errorUnexpected: 'Something went wrong on our side. Please try again in a moment.',
};

/** 25 → "0:25", 90 → "1:30": the same in every language shipped. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * 45 → "in 45 seconds", 120 → "in 2 minutes" (`'fr'`: "dans 2 minutes"); rounds up, so nobody is
 * told to retry too early.
 */
export function inDuration(seconds: number, language: string): string {
  const s = Math.max(1, Math.ceil(seconds));
  const m = Math.ceil(s / 60);
  const [amount, unit] = s < 60 ? [s, 'second' as const] : m < 60 ? [m, 'minute' as const] : [Math.ceil(m / 60), 'hour' as const];
  return new Intl.RelativeTimeFormat(language).format(amount, unit);
}
