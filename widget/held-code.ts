/**
 * The code step this browser is on, kept so that a reload (or a second request for the same
 * address) leads back to the field for the code already sent rather than to a dead end.
 *
 * It lives in sessionStorage under `otp-login:code-step:<the server's URL>` (two servers on one page
 * do not mix), and for the element's life in memory too. It holds what the person typed and the
 * server's 202 answer as it came; never the code. What was typed has to be kept because the verify
 * names it, and a reload would otherwise lose it. That sessionStorage is the host page's origin's,
 * so every script on that page can read the email or number: it is removed as soon as it is of no
 * use — on sign-in and sign-out, on "Use a different email", and when the code expires (a timer
 * while the element lives; the next load otherwise).
 *
 * Only the newest code this widget asked for is surely live: a code to the contact's other
 * identifier supersedes the earlier one (SPEC R1), so holding a code forgets every other.
 *
 * A reload while a code request is in flight loses that request's answer: the page then shows the
 * code held before it, or the identifier form. That is accepted: the code it may have sent is the
 * newest, the verify takes it whichever step it is typed in, and the message says which it is.
 *
 * ```ts
 * const held = createHeldCodes(() => 'https://login.example.com/');
 * held.hold(code);                            // after a 202
 * held.current(Date.now());                   // on load: the code step to open, or null
 * held.find(identifier, 'email', Date.now()); // before a request: whose sentAt to send back
 * ```
 */
import type { Channel, CodeSent } from './api.ts';
import type { Identifier } from './flow.ts';

export const HELD_CODE_KEY = 'otp-login:code-step:';

/** A code step: what was typed, and the server's 202 answer as it came; the dates are epoch ms. */
export interface HeldCode {
  identifier: Identifier;
  /** Its `sentAt` goes back as `previousSentAt`; its `smsPaused` is said again after a reload. */
  sent: CodeSent;
  /** When the 202 answer arrived: the time shown when the server gave no `sentAt`. */
  receivedAt: number;
  /** When the code stops working (`expiresIn`), and when another may be asked for (`resendAfter`, or a 429's wait). */
  expiresAt: number;
  resendAt: number;
}

export interface HeldCodes {
  /** Keeps `code` as the code step, forgetting any other (R1: only the newest is surely live). */
  hold(code: HeldCode): void;
  /** The stored code step, while its code still works. */
  current(now: number): HeldCode | null;
  /** The code held for this identifier and channel, in memory or stored, while it still works. */
  find(identifier: Identifier, channel: Channel, now: number): HeldCode | null;
  /** "Use a different email": a reload shows the identifier form again; memory keeps the code. */
  leave(): void;
  /** Signed in or out: nothing is held any more. */
  forget(): void;
  /** The element left the page: no timer runs for it any more (current() starts one again). */
  stop(): void;
}

/** The longest wait setTimeout takes; a later expiry is looked at again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * `server` is the resolved URL of the element's server; `clock` the controller's (epoch ms);
 * `storage` a getter, since touching sessionStorage can throw.
 */
export function createHeldCodes(server: () => string, clock: () => number = Date.now, storage: () => Storage | null = defaultStorage): HeldCodes {
  /** Per server, as the key: the `api` attribute may change. */
  let memory: { server: string; code: HeldCode } | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const key = () => HELD_CODE_KEY + server();
  const live = (code: HeldCode | null | undefined, now: number) => (code && code.expiresAt > now ? code : null);
  const matches = (code: HeldCode | null, identifier: Identifier, channel: Channel) =>
    code !== null && code.sent.channel === channel && sameAs(code.identifier) === sameAs(identifier);

  function stored(): HeldCode | null {
    try {
      const raw = storage()?.getItem(key());
      return raw ? parseHeldCode(JSON.parse(raw)) : null;
    } catch {
      return null;
    }
  }

  function unstore(): void {
    try {
      storage()?.removeItem(key());
    } catch {
      // Nothing stored then either.
    }
  }

  /** Removes the stored code step once it expired, so what was typed leaves the page's storage with it. */
  function expireAt(expiresAt: number): void {
    clearTimeout(timer);
    timer = setTimeout(sweep, Math.min(MAX_TIMER_MS, Math.max(0, expiresAt - clock())));
  }

  /** Another element of this page may have stored a newer code step: only an expired one goes. */
  function sweep(): void {
    timer = undefined;
    const code = stored();
    if (!code) return;
    if (live(code, clock())) expireAt(code.expiresAt);
    else unstore();
  }

  return {
    hold(code) {
      memory = { server: server(), code };
      try {
        storage()?.setItem(key(), JSON.stringify(code));
        expireAt(code.expiresAt);
      } catch {
        // Without storage a reload shows the identifier form, and the memory still sends previousSentAt.
      }
    },
    current(now) {
      const code = live(stored(), now);
      if (!code) {
        unstore();
        return null;
      }
      // Kept in memory too, so "Use a different email" after a reload still names this code.
      memory = { server: server(), code };
      expireAt(code.expiresAt);
      return code;
    },
    find(identifier, channel, now) {
      const remembered = memory?.server === server() ? memory.code : null;
      const kept = stored();
      return live(matches(remembered, identifier, channel) ? remembered : null, now) ?? live(matches(kept, identifier, channel) ? kept : null, now);
    },
    leave() {
      clearTimeout(timer);
      unstore();
    },
    forget() {
      memory = null;
      clearTimeout(timer);
      unstore();
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** "Jo@Example.com " and "jo@example.com", or "+44 7911 123456" and "+447911123456", are one person to the server too. */
function sameAs({ kind, value }: Identifier): string {
  return `${kind}:${kind === 'email' ? value.trim().toLowerCase() : value.replace(/[^\d+]/g, '')}`;
}

function defaultStorage(): Storage | null {
  return globalThis.sessionStorage ?? null;
}

/**
 * Keeps only a well-formed code step, so a hand-edited or foreign value cannot open a broken one.
 * The 202 answer is checked where the code step reads it, and otherwise kept as it came.
 */
function parseHeldCode(value: unknown): HeldCode | null {
  if (value === null || typeof value !== 'object') return null;
  const { identifier, sent, receivedAt, expiresAt, resendAt } = value as Record<string, unknown>;
  const { kind, value: typed } = (identifier ?? {}) as Record<string, unknown>;
  if ((kind !== 'email' && kind !== 'phone') || typeof typed !== 'string' || typed === '' || typed.length > 320) return null;
  if (![receivedAt, expiresAt, resendAt].every((n) => typeof n === 'number' && Number.isFinite(n))) return null;
  if (!isCodeSent(sent)) return null;
  return { identifier: { kind, value: typed }, sent, receivedAt: receivedAt as number, expiresAt: expiresAt as number, resendAt: resendAt as number };
}

function isCodeSent(value: unknown): value is CodeSent {
  if (value === null || typeof value !== 'object') return false;
  const { channel, destination, resendAfter, expiresIn, sentAt, smsPaused, notSent } = value as Record<string, unknown>;
  if ((channel !== 'email' && channel !== 'sms') || typeof destination !== 'string' || destination.length > 80) return false;
  if (typeof resendAfter !== 'number' || typeof expiresIn !== 'number' || notSent !== undefined) return false;
  if (sentAt !== undefined && !isDate(sentAt)) return false;
  if (smsPaused === undefined) return true;
  const { until, message } = (smsPaused ?? {}) as Record<string, unknown>;
  return isDate(until) && typeof message === 'string';
}

function isDate(value: unknown): boolean {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}
