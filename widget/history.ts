/**
 * A non-secret note in localStorage of this browser's last sign-in, so the widget can say why a
 * new code is needed (R6) after the cookie is gone.
 *
 * It never holds a token, a code or a whole identifier: only dates, two flags and the identifier
 * masked the way the server masks destinations (`j•••@example.com`, `•••• 4567`). Storage can be
 * missing or throw (blocked storage, sandboxed frames, full quota), so every access is guarded
 * and failure simply means "no history".
 *
 * ```ts
 * const history = createHistory();
 * history.recordSignIn(session.device.expiresAt, new Date(), { who: 'j•••@example.com' });
 * history.read(); // { signedInAt, expiresAt, who }
 * ```
 */

export const HISTORY_KEY = 'otp-login:history';

/** ISO dates. `signedOutAt` is set only when the person signed out after the last sign-in. */
export interface SignInHistory {
  signedInAt: string;
  expiresAt: string;
  signedOutAt?: string;
  /** Masked identifier of the last sign-in. */
  who?: string;
  /** The last sign-in was "Don't remember this browser": its cookie ends with the browser session. */
  sessionOnly?: true;
  /** The re-check right after the last sign-in found no session: this browser refused the cookie. */
  cookieRefused?: true;
}

export interface SignInDetails {
  who?: string | undefined;
  sessionOnly?: boolean;
  cookieRefused?: boolean;
}

export interface History {
  read(): SignInHistory | null;
  /** After a verify. Forgets any earlier sign-out. */
  recordSignIn(expiresAt: string, now: Date, details?: SignInDetails): void;
  /** A remembered browser recognised on load: its cookie works; who and how it signed in are kept. */
  recordVisit(expiresAt: string, now: Date): void;
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
      // JSON leaves out the undefined fields, so the marker holds only what is known.
      storage()?.setItem(HISTORY_KEY, JSON.stringify(value));
    } catch {
      // Without storage the widget still works; its explanations are just less specific.
    }
  }

  return {
    read,
    recordSignIn(expiresAt, now, { who, sessionOnly, cookieRefused } = {}) {
      write({ signedInAt: now.toISOString(), expiresAt, who, sessionOnly: sessionOnly || undefined, cookieRefused: cookieRefused || undefined });
    },
    recordVisit(expiresAt, now) {
      const last = read();
      write({ signedInAt: last?.signedInAt ?? now.toISOString(), expiresAt, who: last?.who, sessionOnly: last?.sessionOnly });
    },
    recordSignOut(expiresAt, now) {
      const last = read();
      write({ ...last, signedInAt: last?.signedInAt ?? now.toISOString(), expiresAt, signedOutAt: now.toISOString() });
    },
  };
}

function defaultStorage(): Storage | null {
  return globalThis.localStorage ?? null;
}

/** Keeps only well-formed markers, so a hand-edited or foreign value cannot mislead explain(). */
function parseHistory(value: unknown): SignInHistory | null {
  if (value === null || typeof value !== 'object') return null;
  const { signedInAt, expiresAt, signedOutAt, who, sessionOnly, cookieRefused } = value as Record<string, unknown>;
  if (!isDate(signedInAt) || !isDate(expiresAt)) return null;
  return {
    signedInAt,
    expiresAt,
    ...(isDate(signedOutAt) && { signedOutAt }),
    ...(isMasked(who) && { who }),
    ...(sessionOnly === true && { sessionOnly }),
    ...(cookieRefused === true && { cookieRefused }),
  };
}

function isDate(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

/** Only a masked value is ever shown back, so anything else is dropped. */
function isMasked(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 80 && value.includes('•');
}
