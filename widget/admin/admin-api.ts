/**
 * The HTTP client of the admin pages, over the admin API (SPEC, exact). Every call sends the
 * admin's cookie; every POST sends JSON (the browser adds the Origin the server checks). Answers
 * are results, never thrown errors, shaped like the widget's own client (../api.ts).
 *
 * ```ts
 * const api = createAdminApi('https://login.example.com');
 * const page = await api.contacts({ q: 'jo', offset: 0 });
 * if (!page.ok && page.status === 403) console.log('not an admin');
 * ```
 */
import { NETWORK_ERROR, UNEXPECTED_RESPONSE, type ApiError, type ApiResult, type Channel } from '../api.ts';
import { adminStrings as s } from './admin-strings.ts';

export type { ApiError, ApiResult, Channel };

/** A contact as the admin sees it; dates are ISO strings. */
export interface AdminContact {
  id: string;
  email: string | null;
  phone: string | null;
  name: string | null;
  status: 'active' | 'deactivated';
  role: 'contact' | 'admin';
  createdAt: string | null;
  /** When a code or link to the address was last used; null once it changed. */
  emailVerifiedAt?: string | null;
  phoneVerifiedAt?: string | null;
}

export interface ContactPage {
  contacts: AdminContact[];
  total: number;
  limit: number;
  offset: number;
}

/** One likely reason the contact cannot sign in, most likely first. */
export interface Cause {
  cause: string;
  channel?: Channel;
  fact: string;
}

export interface OptOutState {
  optedOut: boolean;
  /** stop_reply, spam_complaint, bounce, unsubscribe, provider, admin; null when not opted out. */
  source: string | null;
  at: string | null;
  detail: string | null;
  /** After a STOP: the number the contact texts START to, when the server knows it. */
  replyTo?: string;
}

export interface DeliveryRow {
  id: string;
  channel: Channel;
  /** Masked by the server. */
  destination: string;
  provider: string | null;
  codeNumber: number;
  reason: string | null;
  status: string;
  errorCode: string | null;
  errorText: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface DeviceRow {
  id: string;
  userAgent: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  sessionOnly: boolean;
  status: 'active' | 'revoked' | 'signed_out' | 'expired';
}

/** A code's history: its number, never the code. */
export interface CodeRow {
  number: number;
  channel: Channel;
  destination: string;
  reason: string | null;
  issuedAt: string;
  outcome: string;
  outcomeAt: string | null;
}

export interface AuditRow {
  adminId: string;
  adminEmail: string | null;
  action: string;
  detail: string | null;
  at: string;
}

/** `GET /api/admin/contacts/:id`. */
export interface ContactCard {
  contact: AdminContact;
  diagnosis: Cause[];
  optOut: Record<Channel, OptOutState>;
  deliveries: DeliveryRow[];
  devices: DeviceRow[];
  codes: CodeRow[];
  lastSignedInAt: string | null;
  audit: AuditRow[];
}

/** `POST …/sign-in-link` and `POST …/invite` (202): where it went, never the link. */
export interface LinkSent {
  sent: true;
  channel: Channel;
  /** Masked by the server. */
  destination: string;
  expiresAt: string;
}

export interface NewContact {
  email?: string;
  phone?: string;
  name?: string;
}

export interface AdminApi {
  contacts(query: { q?: string; limit?: number; offset?: number }): Promise<ApiResult<ContactPage>>;
  addContact(body: NewContact): Promise<ApiResult<{ contact: AdminContact }>>;
  card(id: string): Promise<ApiResult<ContactCard>>;
  setStatus(id: string, action: 'deactivate' | 'activate'): Promise<ApiResult<{ contact: AdminContact }>>;
  revokeDevice(id: string, deviceId: string): Promise<ApiResult<{ revoked: true }>>;
  /** Signs the contact out of every remembered browser; answers how many were signed in. */
  revokeAllDevices(id: string): Promise<ApiResult<{ revoked: number }>>;
  /** Sends a one-time sign-in link (or, to a contact who never signed in, an invitation); the server picks the channel when none is given. */
  sendLink(id: string, kind: 'link' | 'invitation', channel?: Channel): Promise<ApiResult<LinkSent>>;
}

/** Builds the client for the server at `baseUrl`; `doFetch` defaults to the global fetch at call time. */
export function createAdminApi(baseUrl: string, doFetch: typeof fetch = (input, init) => globalThis.fetch(input, init)): AdminApi {
  const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`, location.href);
  const id = encodeURIComponent;

  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiResult<T>> {
    const init: RequestInit = { method, credentials: 'include', headers: { accept: 'application/json' } };
    if (method === 'POST') {
      init.headers = { 'content-type': 'application/json', accept: 'application/json' };
      init.body = JSON.stringify(body ?? {});
    }
    let response: Response;
    try {
      response = await doFetch(new URL(path, base), init);
    } catch {
      return { ok: false, status: 0, error: { code: NETWORK_ERROR, message: s.errorNetwork } };
    }
    const json: unknown = await response.json().catch(() => undefined);
    if (response.ok && json !== null && typeof json === 'object') return { ok: true, data: json as T };
    const error = (json as { error?: Partial<ApiError> } | undefined)?.error;
    if (!response.ok && typeof error?.code === 'string') {
      return { ok: false, status: response.status, error: { ...error, code: error.code, message: error.message || s.errorUnexpected(response.status) } };
    }
    return { ok: false, status: response.status, error: { code: UNEXPECTED_RESPONSE, message: s.errorUnexpected(response.status) } };
  }

  return {
    contacts: ({ q = '', limit, offset = 0 }) => {
      const params = new URLSearchParams({ q, offset: String(offset) });
      if (limit !== undefined) params.set('limit', String(limit));
      return call('GET', `api/admin/contacts?${params}`);
    },
    addContact: (body) => call('POST', 'api/admin/contacts', body),
    card: (contactId) => call('GET', `api/admin/contacts/${id(contactId)}`),
    setStatus: (contactId, action) => call('POST', `api/admin/contacts/${id(contactId)}/${action}`),
    revokeDevice: (contactId, deviceId) => call('POST', `api/admin/contacts/${id(contactId)}/devices/${id(deviceId)}/revoke`),
    revokeAllDevices: (contactId) => call('POST', `api/admin/contacts/${id(contactId)}/devices/revoke-all`),
    sendLink: (contactId, kind, channel) =>
      call('POST', `api/admin/contacts/${id(contactId)}/${kind === 'link' ? 'sign-in-link' : 'invite'}`, channel ? { channel } : {}),
  };
}
