/**
 * The English sentences of the first screens, built into `otp-login.js`: checking on load, the
 * identifier form, signed in, and the errors of an unreachable server (which the rest of the
 * sentences, loaded from that server, cannot say). The rest of English is in i18n/en.ts, loaded on
 * demand like the other languages; strings.ts says what each sentence is.
 */
import type { Strings } from './strings.ts';

/** The sentences `otp-login.js` holds in English; the widget needs no other before the rest loads. */
export type FirstSentence =
  | 'checking'
  | 'labelEmailOrPhone'
  | 'labelEmail'
  | 'labelPhone'
  | 'channelLegend'
  | 'channelEmail'
  | 'channelSms'
  | 'smsRisk'
  | 'sendCode'
  | 'sending'
  | 'signedInAs'
  | 'signedIn'
  | 'rememberedUntil'
  | 'rememberedForSession'
  | 'signOut'
  | 'signingOut'
  | 'errorNetwork'
  | 'errorUnavailable'
  | 'errorSessionCheck';

export const firstStrings: Pick<Strings, FirstSentence> = {
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

  signedInAs: (who) => `Signed in as ${who}`,
  signedIn: 'You’re signed in.',
  rememberedUntil: (date) => `This browser stays signed in until ${date}.`,
  rememberedForSession: 'This browser stays signed in until you close the browser, for a day at most.',
  signOut: 'Sign out',
  signingOut: 'Signing out…',

  errorNetwork: 'We couldn’t reach the sign-in service. Check your connection and try again.',
  errorUnavailable: 'Sign-in is unavailable for a moment. Please try again in a few seconds.',
  errorSessionCheck: (unreachable) =>
    unreachable
      ? 'We can’t reach the sign-in service to check that you’re signed in. We’ll keep trying; check your connection if this lasts.'
      : 'We can’t check that you’re signed in right now. We’ll try again by ourselves in a few seconds.',
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
