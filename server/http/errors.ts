import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Identifier } from '../identifiers.ts';
import { iso } from '../clock.ts';
import type { Limited, LimitScope, SignInResult } from '../sign-in/sign-in.ts';

/**
 * The closed set of errors the HTTP API answers with. Each has one status and a default sentence
 * that tells the person what to do next; the widget shows its own (translatable) sentence per code.
 */
export const errors = {
  invalid_request: [400, 'We could not read that request. Send a JSON object such as {"email":"you@example.com"}.'],
  unsupported_media_type: [415, 'Send the body as JSON, with the header Content-Type: application/json.'],
  payload_too_large: [413, 'That request is too large. Send only the email or phone number and the code.'],
  missing_identifier: [400, 'Enter your email address or mobile number.'],
  invalid_email: [400, "That email address doesn't look right. Check it and try again, for example name@example.com."],
  invalid_phone: [400, "That mobile number doesn't look right. Include the country code, for example +44 7911 123456."],
  invalid_channel: [400, 'Choose "email" or "sms" as the way to receive the code.'],
  invalid_code_format: [400, 'Enter the 6-digit code from the message we sent you.'],
  wrong_code: [401, "That code isn't right. Check the newest message and try again."],
  superseded_code: [401, 'A newer code was sent after this one, so this one no longer works. Use the code from the newest message.'],
  expired_code: [401, 'This code has expired. Ask for a new code.'],
  too_many_attempts: [401, 'This code was entered wrongly too many times, so it no longer works. Ask for a new code.'],
  no_active_code: [401, "There's no code waiting for this address. Ask for a new code."],
  rate_limited: [429, 'Too many tries for now. Wait a little and try again.'],
  delivery_unavailable: [503, "We can't send codes this way right now. Try the other way (email or text message), or try again in a few minutes."],
  unauthorized: [401, 'Sign in first: this is for the site’s admins.'],
  forbidden: [403, 'You are not allowed to do this. Sign in with an account that may, or ask the site’s team.'],
  invalid_link: [410, 'This sign-in link no longer works. Ask the site’s team for a new one, or sign in with a code.'],
  not_reachable: [409, 'This contact cannot be reached on that channel. Check the card’s opt-outs and contact details.'],
  confirmation_required: [400, 'Confirm with the contact that the address is right and that they want our messages, then tick the box.'],
  cannot_lift: [409, 'This opt-out cannot be lifted by an admin. Check the card for who can lift it.'],
  cannot_change_role: [409, 'This contact’s role cannot be changed here. The card says why.'],
  contact_exists: [409, 'A contact with this email address or phone number already exists. Open it instead.'],
  forbidden_origin: [403, 'This request came from a page that is not allowed to use this sign-in. Open the sign-in from the site itself.'],
  not_found: [404, 'There is nothing at this address. Check the link.'],
  internal_error: [500, 'Something went wrong on our side. Please try again in a minute.'],
  service_unavailable: [503, 'Sign-in is unavailable for a moment. Please try again in a few seconds.'],
} as const satisfies Record<string, readonly [ContentfulStatusCode, string]>;

export type ErrorCode = keyof typeof errors;

/** Extra fields some errors carry inside `error`, e.g. `attemptsLeft` or `retryAfter`. */
export type ErrorExtra = Record<string, string | number | boolean>;

const inTime = (seconds: number) =>
  seconds < 90 ? `in ${seconds} seconds` : seconds < 5400 ? `in ${Math.ceil(seconds / 60)} minutes` : `in ${Math.ceil(seconds / 3600)} hours`;

/** The sentences that carry values. */
export const sentences = {
  unavailable: (channel: 'email' | 'sms') =>
    channel === 'sms'
      ? "We can't send text messages right now. Ask for the code by email instead, or try again in a few minutes."
      : "We can't send email right now. Ask for the code by text message instead, or try again in a few minutes.",
  waitToSend: (seconds: number) => `You can ask for another code ${inTime(seconds)}. Meanwhile, look for the code we already sent.`,
  waitToVerify: (seconds: number) => `Too many tries for now. Please try again ${inTime(seconds)}.`,
  /** An office or a mobile carrier can put many people behind one address: say so, and what helps. */
  networkLimited: (seconds: number, action: 'send' | 'verify') =>
    `Too many codes were ${action === 'send' ? 'asked for' : 'tried'} from your network in the last hour (an office or a mobile network can share one address). ` +
    `Try again ${inTime(seconds)}, or use another connection, such as mobile data.`,
  smsPrefixLimited: (seconds: number) =>
    `Too many codes were texted to numbers like this one in the last hour. Try again ${inTime(seconds)}, or ask for the code by email instead.`,
  wrongCode: (attemptsLeft: number) =>
    attemptsLeft === 0
      ? "That code isn't right, and it has now been tried too many times. Ask for a new code."
      : `That code isn't right. You have ${attemptsLeft} ${attemptsLeft === 1 ? 'try' : 'tries'} left.`,
  locked: (kind: 'email' | 'phone') =>
    kind === 'email'
      ? 'This email address had too many wrong codes in a row, so we stopped accepting codes for it. Sign in with your mobile number instead, or ask the site’s team for a sign-in link.'
      : 'This number had too many wrong codes in a row, so we stopped accepting codes for it. Sign in with your email address instead, or ask the site’s team for a sign-in link.',
  supersededCode: (newestNumber: number) =>
    `A newer code (code ${newestNumber}) was sent after this one, so this one no longer works. Use the code from the newest message.`,
};

const plainVerifyErrors = { expired: 'expired_code', burned: 'too_many_attempts', none: 'no_active_code' } as const;

/**
 * The answer to a limit's refusal: 429 with the wait (and Retry-After); after too many wrong codes
 * in a row, 429 with `locked` and no wait, since only a sign-in another way lifts it.
 */
export function limitedAnswer(c: Context, result: Limited, kind: Identifier['kind'], action: 'send' | 'verify') {
  if (result.reason === 'locked') return apiError(c, 'rate_limited', { locked: true }, sentences.locked(kind));
  const { retryAfter, scope } = result;
  return apiError(c, 'rate_limited', { retryAfter, ...(scope && { limit: scope }) }, waitSentence(retryAfter, scope, action));
}

/** What a refused person reads: whose limit it was, when to try again, and what else helps. */
function waitSentence(seconds: number, scope: LimitScope | undefined, action: 'send' | 'verify'): string {
  if (scope === 'network') return sentences.networkLimited(seconds, action);
  if (scope === 'sms_prefix') return sentences.smsPrefixLimited(seconds);
  return action === 'send' ? sentences.waitToSend(seconds) : sentences.waitToVerify(seconds);
}

/** The answer to a failed verify, with the fields SPEC names for each. */
export function verifyFailure(c: Context, result: Exclude<SignInResult, { ok: true }>, kind: Identifier['kind']) {
  switch (result.reason) {
    case 'rate_limited':
    case 'locked':
      return limitedAnswer(c, result, kind, 'verify');
    case 'wrong':
      return apiError(c, 'wrong_code', { attemptsLeft: result.attemptsLeft }, sentences.wrongCode(result.attemptsLeft));
    case 'superseded':
      return apiError(
        c,
        'superseded_code',
        { newestSentAt: iso(result.newestSentAt), newestCodeNumber: result.newestNumber, attemptsLeft: result.attemptsLeft },
        sentences.supersededCode(result.newestNumber),
      );
    default:
      return apiError(c, plainVerifyErrors[result.reason]);
  }
}

/** Answers SPEC's error shape: `{"error":{"code","message",...extra}}`. */
export function apiError(c: Context, code: ErrorCode, extra: ErrorExtra = {}, message?: string) {
  const [status, defaultMessage] = errors[code];
  if (typeof extra.retryAfter === 'number') {
    c.header('Retry-After', String(extra.retryAfter));
  }
  return c.json({ error: { code, message: message ?? defaultMessage, ...extra } }, status);
}
