/**
 * Which sentence of strings.ts the person reads for an error code.
 *
 * The widget says its own (translatable) sentence for every code it knows and
 * falls back to the server's `message` only for codes it does not.
 *
 * ```ts
 * errorMessage(defaultStrings, { code: 'wrong_code', message: '…', attemptsLeft: 3 }, context);
 * // → "That code isn’t right. Check it and try again (3 tries left)."
 * ```
 */
import type { ApiError, Channel } from './api.ts';
import type { PhoneRefusal, Strings } from './strings.ts';

/** The `reason`s of `invalid_phone` the widget has its own sentences for: every one, or this fails to compile. */
const phoneRefusals = {
  country: true,
  landline: true,
  premium_rate: true,
  shared_cost: true,
  toll_free: true,
  switchboard: true,
  pager: true,
  voicemail: true,
  personal_number: true,
} satisfies Record<PhoneRefusal, true>;

const isPhoneRefusal = (reason: string): reason is PhoneRefusal => Object.hasOwn(phoneRefusals, reason);

export interface ErrorContext {
  /** The channels this widget offers. */
  channels: readonly Channel[];
  /** The channel the failed request asked for: set for code requests only. */
  channel?: Channel | undefined;
  /** Formats an ISO date as a local time of day. */
  formatTime: (iso: string) => string;
  /** What the person typed, when the error is about it: an email address or a phone number. */
  identifier?: 'email' | 'phone' | undefined;
  /** A region's name ("FR" → "France") in the language of the sentences. */
  regionName?: (code: string) => string | undefined;
  /**
   * The code this browser holds for the refused request, when the server refused another because
   * that one still works (a 429 to a request that sent its `previousSentAt`); `time` is formatted,
   * `onFile` the channel it went by when that is not the typed identifier's own.
   */
  held?: { time: string; onFile: Channel | undefined } | undefined;
  /** The failed request was the check on load of a browser that was signed in, which is asked again by itself. */
  sessionCheck?: boolean;
}

export function errorMessage(strings: Strings, error: ApiError, context: ErrorContext): string {
  if (context.sessionCheck) return strings.errorSessionCheck(error.code === 'network_error');
  switch (error.code) {
    case 'missing_identifier':
      return strings.errorMissingIdentifier(context.channels);
    case 'invalid_email':
      return strings.errorInvalidEmail;
    case 'invalid_phone':
      return phoneError(strings, error, context);
    case 'invalid_request':
      return strings.errorInvalidRequest;
    case 'payload_too_large':
      return strings.errorPayloadTooLarge;
    case 'rate_limited':
      // Locked after too many wrong codes in a row: no wait lifts it, another way in does.
      if (error.locked === true) {
        const other = context.identifier === 'email' ? 'phone' : context.identifier === 'phone' ? 'email' : undefined;
        return strings.errorLocked(context.identifier, other && context.channels.includes(other === 'phone' ? 'sms' : 'email') ? other : undefined);
      }
      // The network's limit is shared with strangers, and the one on texts with every number like
      // this one: neither says anything of a code sent to this person.
      if (error.limit === 'network') return strings.errorNetworkLimited(numberOrUndefined(error.retryAfter), context.channel ? 'send' : 'verify');
      if (error.limit === 'sms_prefix') return strings.errorSmsPrefixLimited(numberOrUndefined(error.retryAfter), context.channels.includes('email'));
      if (context.held) return strings.errorCodeStillValid(context.held);
      return strings.errorRateLimited(numberOrUndefined(error.retryAfter), context.channel ? 'send' : 'verify');
    case 'delivery_unavailable': {
      const other = context.channels.find((channel) => channel !== context.channel);
      return strings.errorDeliveryUnavailable(context.channel, context.channel ? other : undefined);
    }
    case 'invalid_code_format':
      return strings.errorInvalidCodeFormat;
    case 'wrong_code':
      return strings.errorWrongCode(numberOrUndefined(error.attemptsLeft));
    case 'superseded_code':
      return strings.errorSupersededCode({
        codeNumber: numberOrUndefined(error.newestCodeNumber),
        time: typeof error.newestSentAt === 'string' ? context.formatTime(error.newestSentAt) : undefined,
      });
    case 'expired_code':
      return strings.errorExpiredCode;
    case 'too_many_attempts':
      return strings.errorTooManyAttempts;
    case 'no_active_code':
      return strings.errorNoActiveCode;
    case 'network_error':
      return strings.errorNetwork;
    case 'service_unavailable':
      return strings.errorUnavailable;
    case 'not_sent':
      return strings.errorNotSent({
        channel: context.channel ?? 'email',
        reason: typeof error.reason === 'string' ? error.reason : '',
        replyTo: typeof error.replyTo === 'string' ? error.replyTo : undefined,
        other: context.channels.find((c) => c !== context.channel),
      });
    case 'forbidden_origin':
      return strings.errorForbiddenOrigin;
    case 'unexpected_response':
      return strings.errorUnexpected;
    default:
      return error.message || strings.errorUnexpected;
  }
}

/**
 * The server's `reason` picks a sentence in the page's language; a reason this widget does not know
 * yet gets the server's own sentence, and only no reason at all the hint to add the country code.
 */
function phoneError(strings: Strings, error: ApiError, context: ErrorContext): string {
  const { reason } = error;
  if (typeof reason !== 'string') return strings.errorInvalidPhone;
  if (reason === 'digits') return strings.errorPhoneDigits;
  if (!isPhoneRefusal(reason)) return error.message || strings.errorInvalidPhone;
  const country = reason === 'country' && typeof error.country === 'string' ? (context.regionName?.(error.country) ?? error.country) : undefined;
  return strings.errorPhoneRefused({ reason, country, email: context.channels.includes('email') });
}

/** Codes after which the current code can never work, so the person needs a new one. */
export function burnsCode(error: ApiError): boolean {
  return (
    error.code === 'expired_code' ||
    error.code === 'too_many_attempts' ||
    error.code === 'no_active_code' ||
    (error.code === 'wrong_code' && error.attemptsLeft === 0)
  );
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
