/**
 * The HTTP client the `<otp-login>` element uses to talk to the otp-login server.
 *
 * Every call resolves (never rejects) to a typed result, so the element handles
 * success and failure in one place:
 *
 * ```ts
 * const api = createApi('https://login.example.com');
 * const result = await api.requestCode({ email: 'jo@example.com', channel: 'email' });
 * if (result.ok) console.log(result.data.destination);
 * else console.log(result.error.code); // e.g. 'rate_limited', 'network_error'
 * ```
 */

/** How a code travels to the person. */
export type Channel = 'email' | 'sms';

/** The signed-in person, as the server describes them. */
export interface Contact {
  id: string;
  email: string | null;
  phone: string | null;
}

/** The remembered browser; `expiresAt` is an ISO date. */
export interface Device {
  id: string;
  expiresAt: string;
  /** "Don't remember this browser": the sign-in lasts this browser session (at most a day). */
  sessionOnly?: boolean;
}

export interface SignedInSession {
  signedIn: true;
  contact: Contact;
  device: Device;
  /** An identity token for the site's backend (a 5-minute ES256 JWT), when one was asked for. */
  token?: string;
  /** Only present (and `true`) when this page is on another site than the server. */
  crossSite?: boolean;
}

/** Why the server found no session (SPEC, "HTTP API"). */
export type NoSessionReason =
  | 'no_cookie'
  | 'expired'
  | 'revoked'
  | 'signed_out'
  | 'deactivated'
  | 'unknown_device';

export interface SignedOutSession {
  signedIn: false;
  reason: NoSessionReason;
  /** Only present (and `true`) when this page is on another site than the server. */
  crossSite?: boolean;
}

export type Session = SignedInSession | SignedOutSession;

/** The 202 answer to a code request. `sentAt` may be absent on older servers. */
export interface CodeSent {
  status: 'sent_if_registered';
  channel: Channel;
  /** Masked, e.g. `j•••@example.com` or `•••• 4567`. */
  destination: string;
  /** Seconds until another code may be requested. */
  resendAfter: number;
  /** Seconds the code stays valid. */
  expiresIn: number;
  /** ISO date the code was issued. */
  sentAt?: string;
  /**
   * Open signup only: the typed address itself refuses this channel (replied STOP, bounced…), so
   * nothing was sent. `replyTo` is the number to text START to.
   */
  notSent?: { reason: string; replyTo?: string };
  /**
   * Texts to numbers new to the site in the typed number's area are paused until `until` (ISO):
   * a number that signed in before got its code, a new one got none. The same for both (R3).
   */
  smsPaused?: { until: string; message: string };
}

export type IdentifierBody = { email: string } | { phone: string };
/**
 * `reason`: why the widget says a code is needed (explain.ts), kept with the code's history.
 * `lang`: the page's language, so the email or text speaks it too.
 * `previousSentAt`: the `sentAt` of the code this browser holds for the same identifier and channel,
 * so that the server may say "too soon, that one still works" (429) rather than a plain 202.
 */
export type CodeRequestBody = IdentifierBody & { channel?: Channel; reason?: string; lang?: string; previousSentAt?: string };
/** `remember: false`: "Don't remember this browser", a sign-in for this browser session only. */
export type VerifyBody = IdentifierBody & { code: string; remember?: boolean; token?: boolean };

/** `GET /api/session/token`: a fresh identity token for a signed-in browser. */
export interface IdentityToken {
  token: string;
  /** ISO date, five minutes on. */
  expiresAt: string;
}

/** The `error` object of every failed answer; extra fields depend on `code`. */
export interface ApiError {
  code: string;
  message: string;
  attemptsLeft?: number;
  newestSentAt?: string;
  newestCodeNumber?: number;
  retryAfter?: number;
  /** With rate_limited: too many wrong codes in a row; no wait lifts it, another way in does. */
  locked?: boolean;
  /**
   * With rate_limited, whose limit it was: `"network"`, the person's IP address (codes asked or
   * tried); `"sms_prefix"`, texts to numbers like the one typed. Absent: the code held is too new.
   */
  limit?: string;
  [extra: string]: unknown;
}

export type ApiResult<T> =
  | { ok: true; data: T }
  | { ok: false; status: number; error: ApiError };

export interface Api {
  /** `token: false` when no identity token is wanted (default: one rides along with a signed-in answer). */
  session(options?: { token?: boolean }): Promise<ApiResult<Session>>;
  requestCode(body: CodeRequestBody): Promise<ApiResult<CodeSent>>;
  verify(body: VerifyBody): Promise<ApiResult<SignedInSession>>;
  signOut(): Promise<ApiResult<SignedOutSession>>;
  token(): Promise<ApiResult<IdentityToken>>;
}

export interface ApiOptions {
  /** Defaults to the global `fetch`, looked up at call time. */
  fetch?: typeof fetch;
}

/** Error codes the client produces itself, when there is no usable answer. */
export const NETWORK_ERROR = 'network_error';
export const UNEXPECTED_RESPONSE = 'unexpected_response';

/**
 * The server's URL (the element's `api`) resolved against the page, since it may be a path such as
 * `/auth`; null when it makes no URL.
 */
export function serverUrl(api: string): URL | null {
  try {
    return new URL(api, globalThis.location?.href);
  } catch {
    return null;
  }
}

/**
 * Builds the client for the server at `baseUrl`: its public URL, with or without a path, or a path
 * on the page's own site such as `/auth` (a site that mounted the server in its app).
 */
export function createApi(baseUrl: string, options: ApiOptions = {}): Api {
  const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`, globalThis.location?.href);
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiResult<T>> {
    // A JSON content type on every POST also keeps cross-site form posts out (they would need a preflight).
    const init: RequestInit = {
      method,
      headers:
        method === 'POST'
          ? { 'content-type': 'application/json', accept: 'application/json' }
          : { accept: 'application/json' },
    };
    if (method === 'POST') init.body = JSON.stringify(body ?? {});
    return request<T>(doFetch, new URL(path, base), init);
  }

  return {
    // The identity token rides along, so the page's otp-signed-in event carries it (no second request).
    session: ({ token = true } = {}) => call<Session>('GET', token ? 'api/session?token=1' : 'api/session'),
    requestCode: (body) => call<CodeSent>('POST', 'api/codes', body),
    verify: (body) => call<SignedInSession>('POST', 'api/codes/verify', { ...body, token: true }),
    signOut: () => call<SignedOutSession>('POST', 'api/session/sign-out'),
    token: () => call<IdentityToken>('GET', 'api/session/token'),
  };
}

/**
 * One request to the server, with the browser's cookie, as a result rather than a throw: the JSON
 * answer, the server's `{"error"}` (a 429 without `retryAfter` takes Retry-After's), or
 * NETWORK_ERROR / UNEXPECTED_RESPONSE when there is no usable answer. The admin's client uses it too.
 */
export async function request<T>(doFetch: typeof fetch, url: URL, init: RequestInit): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await doFetch(url, { ...init, credentials: 'include' });
  } catch {
    // A page on an origin the server does not allow fails exactly like a network error (CORS
    // hides the answer), so tell the site owner where to look; the person sees errorNetwork.
    if (typeof location !== 'undefined' && url.origin !== location.origin) {
      console.warn(`otp-login: could not reach ${url.origin}. If the server is running, add ${location.origin} to its ALLOWED_ORIGINS.`);
    }
    return failure(0, NETWORK_ERROR, 'The server could not be reached.');
  }

  let json: unknown;
  try {
    json = await response.json();
  } catch {
    json = undefined;
  }

  if (response.ok) {
    if (json === undefined || json === null || typeof json !== 'object') {
      return failure(response.status, UNEXPECTED_RESPONSE, 'The server sent an answer that is not JSON.');
    }
    return { ok: true, data: json as T };
  }

  const error = readError(json);
  if (error === undefined) {
    return failure(response.status, UNEXPECTED_RESPONSE, `The server answered ${response.status}.`);
  }
  if (error.code === 'rate_limited' && typeof error.retryAfter !== 'number') {
    // The body should carry retryAfter; Retry-After is the standard fallback (when exposed by CORS).
    const header = Number(response.headers.get('retry-after'));
    if (Number.isFinite(header) && header > 0) error.retryAfter = header;
  }
  return { ok: false, status: response.status, error };
}

function failure(status: number, code: string, message: string): { ok: false; status: number; error: ApiError } {
  return { ok: false, status, error: { code, message } };
}

function readError(json: unknown): ApiError | undefined {
  if (json === null || typeof json !== 'object' || !('error' in json)) return undefined;
  const error: unknown = json.error;
  if (error === null || typeof error !== 'object') return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code !== 'string') return undefined;
  return { ...(error as Record<string, unknown>), code, message: typeof message === 'string' ? message : '' };
}
