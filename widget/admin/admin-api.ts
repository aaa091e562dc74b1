/**
 * The HTTP client of the admin pages, over the admin API (SPEC, exact). Every call sends the
 * admin's cookie; every POST sends JSON, except a CSV import, which sends the file's text as
 * `text/csv` (the browser adds the Origin the server checks). Answers are results, never thrown
 * errors, shaped like the widget's own client (../api.ts).
 *
 * ```ts
 * const api = createAdminApi('https://login.example.com');
 * const page = await api.contacts({ q: 'jo', offset: 0 });
 * if (!page.ok && page.status === 403) console.log('not an admin');
 * ```
 */
import { NETWORK_ERROR, UNEXPECTED_RESPONSE, request, type ApiError, type ApiResult, type Channel } from '../api.ts';
import { adminStrings as s } from './admin-strings.ts';
import type {
  ContactAnswer,
  ContactCard,
  ContactEdit,
  ContactPage,
  DeviceRevoked,
  DevicesRevoked,
  ImportReport,
  LinkSent,
  NewContact,
  OptOutChange,
  OptOutLifted,
  RoleChange,
  StatusChange,
} from '../../api/admin.ts';

export type { ApiError, ApiResult, Channel };
// The answers' shapes are the server's too (api/admin.ts): the admin elements import them from here.
export type * from '../../api/admin.ts';

export interface AdminApi {
  contacts(query: { q?: string; limit?: number; offset?: number }): Promise<ApiResult<ContactPage>>;
  addContact(body: NewContact): Promise<ApiResult<ContactAnswer>>;
  card(id: string): Promise<ApiResult<ContactCard>>;
  /** Deactivating also signs the contact out of every browser: `revokedDevices` says how many. */
  setStatus(id: string, action: 'deactivate' | 'activate'): Promise<ApiResult<StatusChange>>;
  /** Makes the contact an admin, or removes the role an admin gave (the server says why not, e.g. for the last admin). */
  setRole(id: string, action: 'make-admin' | 'remove-admin'): Promise<ApiResult<RoleChange>>;
  revokeDevice(id: string, deviceId: string): Promise<ApiResult<DeviceRevoked>>;
  /** Signs the contact out of every remembered browser; answers how many were signed in. */
  revokeAllDevices(id: string): Promise<ApiResult<DevicesRevoked>>;
  /** Sends a one-time sign-in link (or, to a contact who never signed in, an invitation); the server picks the channel when none is given. */
  sendLink(id: string, kind: 'link' | 'invitation', channel?: Channel): Promise<ApiResult<LinkSent>>;
  /** Replaces the name, email and phone; a changed address is unverified until next used. */
  editContact(id: string, body: ContactEdit): Promise<ApiResult<ContactAnswer>>;
  /** Adds the contacts of a CSV file's text (header `email,phone,name`). */
  importCsv(text: string): Promise<ApiResult<ImportReport>>;
  /** The CSV download of every contact, for an `<a href download>` (the browser sends the cookie). */
  exportUrl(): string;
  /** An admin's opt-out of one channel. */
  optOut(id: string, channel: Channel): Promise<ApiResult<OptOutChange>>;
  /** Lifts an opt-out; `confirmed` says the admin checked with the contact (a bounce, a complaint). */
  liftOptOut(id: string, channel: Channel, confirmed?: boolean): Promise<ApiResult<OptOutLifted>>;
}

/** Builds the client for the server at `baseUrl`; `doFetch` defaults to the global fetch at call time. */
export function createAdminApi(baseUrl: string, doFetch: typeof fetch = (input, init) => globalThis.fetch(input, init)): AdminApi {
  const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`, location.href);
  const id = encodeURIComponent;
  const accept = 'application/json';

  /** The widget's request(), with the admin's own sentence when there is no usable answer (or no message in it). */
  async function send<T>(path: string, init: RequestInit): Promise<ApiResult<T>> {
    const result = await request<T>(doFetch, new URL(path, base), init);
    if (result.ok || (result.error.message && result.error.code !== NETWORK_ERROR && result.error.code !== UNEXPECTED_RESPONSE)) return result;
    return { ...result, error: { ...result.error, message: result.error.code === NETWORK_ERROR ? s.errorNetwork : s.errorUnexpected(result.status) } };
  }

  const get = <T>(path: string) => send<T>(path, { method: 'GET', headers: { accept } });
  /** A POST of `text` as `type`: JSON for every action, CSV for an import (not a form type either, so cross-site pages need a preflight). */
  const postText = <T>(path: string, text: string, type: string) => send<T>(path, { method: 'POST', headers: { 'content-type': type, accept }, body: text });
  const post = <T>(path: string, body: unknown = {}) => postText<T>(path, JSON.stringify(body), 'application/json');
  const contactPath = (contactId: string, rest = '') => `api/admin/contacts/${id(contactId)}${rest}`;

  return {
    contacts: ({ q = '', limit, offset = 0 }) => {
      const params = new URLSearchParams({ q, offset: String(offset) });
      if (limit !== undefined) params.set('limit', String(limit));
      return get(`api/admin/contacts?${params}`);
    },
    addContact: (body) => post('api/admin/contacts', body),
    card: (contactId) => get(contactPath(contactId)),
    setStatus: (contactId, action) => post(contactPath(contactId, `/${action}`)),
    setRole: (contactId, action) => post(contactPath(contactId, `/${action}`)),
    revokeDevice: (contactId, deviceId) => post(contactPath(contactId, `/devices/${id(deviceId)}/revoke`)),
    revokeAllDevices: (contactId) => post(contactPath(contactId, '/devices/revoke-all')),
    sendLink: (contactId, kind, channel) => post(contactPath(contactId, kind === 'link' ? '/sign-in-link' : '/invite'), channel ? { channel } : {}),
    editContact: (contactId, body) => post(contactPath(contactId), body),
    importCsv: (text) => postText('api/admin/contacts/import', text, 'text/csv'),
    exportUrl: () => new URL('api/admin/contacts.csv', base).href,
    optOut: (contactId, channel) => post(contactPath(contactId, '/opt-out'), { channel }),
    liftOptOut: (contactId, channel, confirmed) => post(contactPath(contactId, '/opt-out/lift'), confirmed ? { channel, confirmed } : { channel }),
  };
}
