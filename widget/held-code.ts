/**
 * The code step this browser is on, kept so that a reload (or a second request for the same
 * address) leads back to the field for the code already sent rather than to a dead end.
 *
 * It lives in sessionStorage under `otp-login:code-step:<the server's URL>` (two servers on one page
 * do not mix), and for the element's life in memory too. It holds what the person typed (needed to
 * verify) and what the server's 202 answer gave; never the code. It is forgotten on sign-in and
 * sign-out and once the code expired; sessionStorage also on "Use a different email".
 *
 * ```ts
 * const held = createHeldCodes(() => 'https://login.example.com/');
 * held.hold(code);                            // after a 202
 * held.current(Date.now());                   // on load: the code step to open, or null
 * held.find(identifier, 'email', Date.now()); // before a request: whose sentAt to send back
 * ```
 */
import type { Channel } from './api.ts';
import type { Identifier } from './flow.ts';

export const HELD_CODE_KEY = 'otp-login:code-step:';

/** A code step; the dates are epoch ms. */
export interface HeldCode {
  identifier: Identifier;
  channel: Channel;
  /** The 202 answer's masked destination. */
  destination: string;
  /** The 202 answer's `sentAt`, the exact ISO string, sent back as `previousSentAt`; absent from older servers. */
  sentAt?: string;
  codeNumber?: number;
  /** When the 202 answer arrived: the time shown when the server gave no `sentAt`. */
  receivedAt: number;
  /** When the code stops working (`expiresIn`), and when another may be asked for (`resendAfter`, or a 429's wait). */
  expiresAt: number;
  resendAt: number;
}

export interface HeldCodes {
  /** Keeps `code` as the code step, replacing any other. */
  hold(code: HeldCode): void;
  /** The stored code step, while its code still works. */
  current(now: number): HeldCode | null;
  /** The code held for this identifier and channel, in memory or stored, while it still works. */
  find(identifier: Identifier, channel: Channel, now: number): HeldCode | null;
  /** "Use a different email": a reload shows the identifier form again; memory keeps the code. */
  leave(): void;
  /** Signed in or out: nothing is held any more. */
  forget(): void;
}

/** `server` is the resolved URL of the element's server; `storage` a getter, since touching sessionStorage can throw. */
export function createHeldCodes(server: () => string, storage: () => Storage | null = defaultStorage): HeldCodes {
  const memory = new Map<string, HeldCode>();
  const key = () => HELD_CODE_KEY + server();
  const slot = (identifier: Identifier, channel: Channel) => `${server()} ${channel} ${sameAs(identifier)}`;
  const live = (code: HeldCode | null | undefined, now: number) => (code && code.expiresAt > now ? code : null);

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

  return {
    hold(code) {
      memory.set(slot(code.identifier, code.channel), code);
      try {
        storage()?.setItem(key(), JSON.stringify(code));
      } catch {
        // Without storage a reload shows the identifier form, and the memory still sends previousSentAt.
      }
    },
    current(now) {
      const code = live(stored(), now);
      if (!code) unstore();
      // Kept in memory too, so "Use a different email" after a reload still names this code.
      else memory.set(slot(code.identifier, code.channel), code);
      return code;
    },
    find(identifier, channel, now) {
      const kept = stored();
      const same = kept && kept.channel === channel && sameAs(kept.identifier) === sameAs(identifier);
      return live(memory.get(slot(identifier, channel)), now) ?? live(same ? kept : null, now);
    },
    leave: unstore,
    forget() {
      memory.clear();
      unstore();
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

/** Keeps only a well-formed code step, so a hand-edited or foreign value cannot open a broken one. */
function parseHeldCode(value: unknown): HeldCode | null {
  if (value === null || typeof value !== 'object') return null;
  const { identifier, channel, destination, sentAt, codeNumber, receivedAt, expiresAt, resendAt } = value as Record<string, unknown>;
  const { kind, value: typed } = (identifier ?? {}) as Record<string, unknown>;
  if ((kind !== 'email' && kind !== 'phone') || typeof typed !== 'string' || typed === '' || typed.length > 320) return null;
  if ((channel !== 'email' && channel !== 'sms') || typeof destination !== 'string' || destination.length > 80) return null;
  if (![receivedAt, expiresAt, resendAt].every((n) => typeof n === 'number' && Number.isFinite(n))) return null;
  if (sentAt !== undefined && (typeof sentAt !== 'string' || Number.isNaN(Date.parse(sentAt)))) return null;
  if (codeNumber !== undefined && !(Number.isInteger(codeNumber) && (codeNumber as number) > 0)) return null;
  return {
    identifier: { kind, value: typed },
    channel,
    destination,
    ...(sentAt !== undefined && { sentAt: sentAt as string }),
    ...(codeNumber !== undefined && { codeNumber: codeNumber as number }),
    receivedAt: receivedAt as number,
    expiresAt: expiresAt as number,
    resendAt: resendAt as number,
  };
}
