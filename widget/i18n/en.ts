/**
 * English sentences of `<otp-login>` beyond the first screens (first-strings.ts has those): why a
 * code is needed, the code step, and the errors. Built as `otp-login-en.js`, which an English page
 * loads when it needs them, as other languages load theirs (strings.ts says what each is).
 */
import { phoneRefusedSentence } from '../../api/phone-words.ts';
import type { FirstSentence } from '../first-strings.ts';
import type { Tools } from './languages.ts';
import type { Strings } from '../strings.ts';

/** The rest of English: every sentence but the first screens'. */
export type RestOfEnglish = Omit<Strings, FirstSentence>;

const english = ({ clock, within }: Tools): RestOfEnglish => ({
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

  notKept: 'Your browser didn’t keep this sign-in, so your next visit will need a code.',

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
    const when = retryAfter === undefined ? 'in a few minutes' : within(retryAfter);
    return action === 'send' ? `You can ask for a code again ${when}.` : `Too many tries. Please try again ${when}.`;
  },
  errorNetworkLimited: (retryAfter, action) =>
    `Too many codes were ${action === 'send' ? 'asked for' : 'tried'} from your network in the last hour (an office or a mobile network can share one address). ` +
    `Try again ${retryAfter === undefined ? 'later' : within(retryAfter)}, or use another connection such as mobile data.`,
  errorSmsPrefixLimited: (retryAfter, emailOffered) =>
    `Too many codes were texted to numbers like this one in the last hour. Try again ${retryAfter === undefined ? 'later' : within(retryAfter)}` +
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
});

export default english;
