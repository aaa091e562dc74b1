/**
 * A non-secret note in localStorage of when this browser last signed in and out,
 * so the widget can say why a new code is needed (R6) after the cookie is gone.
 *
 * It never holds a token, a code or an identifier: only dates. Storage can be
 * missing or throw (blocked storage, sandboxed frames, full quota), so every
 * access is guarded and failure simply means "no history".
 *
 * ```ts
 * const history = createHistory();
 * history.recordSignIn(session.device.expiresAt, new Date());
 * history.read(); // { signedInAt, expiresAt }
 * ```
 */

export const HISTORY_KEY = 'otp-login:history';

/** ISO dates. `signedOutAt` is set only when the person signed out after the last sign-in. */
export interface SignInHistory {
  signedInAt: string;
  expiresAt: string;
  signedOutAt?: string;
}

export interface History {
  read(): SignInHistory | null;
  recordSignIn(expiresAt: string, now: Date): void;
  /** `expiresAt` is the signed-out device's, kept so the marker stays well-formed. */
  recordSignOut(expiresAt: string, now: Date): void;
}

/** `storage` is a getter because merely touching `localStorage` can throw. */
export function createHistory(storage: () => Storage | null = defaultStorage): History {
  function read(): SignInHistory | null {
    try {
      const raw = storage()?.getItem(HISTORY_KEY);
      return raw ? parseHistory(JSON.parse(raw)) : null;
    } catch {
      return null;
    }
  }

  function write(value: SignInHistory): void {
    try {
      storage()?.setItem(HISTORY_KEY, JSON.stringify(value));
    } catch {
      // Without storage the widget still works; its explanations are just less specific.
    }
  }

  return {
    read,
    recordSignIn(expiresAt, now) {
      write({ signedInAt: now.toISOString(), expiresAt });
    },
    recordSignOut(expiresAt, now) {
      const signedInAt = read()?.signedInAt ?? now.toISOString();
      write({ signedInAt, expiresAt, signedOutAt: now.toISOString() });
    },
  };
}

function defaultStorage(): Storage | null {
  return globalThis.localStorage ?? null;
}

/** Keeps only well-formed markers, so a hand-edited or foreign value cannot mislead explain(). */
function parseHistory(value: unknown): SignInHistory | null {
  if (value === null || typeof value !== 'object') return null;
  const { signedInAt, expiresAt, signedOutAt } = value as Record<string, unknown>;
  if (!isDate(signedInAt) || !isDate(expiresAt)) return null;
  return isDate(signedOutAt) ? { signedInAt, expiresAt, signedOutAt } : { signedInAt, expiresAt };
}

function isDate(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}
