/**
 * The fields of a contact — email, mobile number, name — and the server's refusal above them,
 * shared by "Add a contact" and the card's "Edit details". The server validates and normalises;
 * a field it refused is marked invalid and described by its sentence.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ApiError } from './admin-api.ts';
import { adminStrings as s } from './admin-strings.ts';
import { phoneText } from './phone.ts';

export type ContactField = 'email' | 'phone' | 'name';

/** The field an error code is about, if one is. */
export const fieldOf = (error: ApiError | null): ContactField | null =>
  error?.code === 'invalid_email' ? 'email' : error?.code === 'invalid_phone' ? 'phone' : null;

/** The fields' values, trimmed ('' for an empty one). */
export function readContactFields(form: HTMLFormElement): Record<ContactField, string> {
  const fields = new FormData(form);
  const value = (key: ContactField) => String(fields.get(key) ?? '').trim();
  return { email: value('email'), phone: value('phone'), name: value('name') };
}

/**
 * The refusal, in an alert with the id `${prefix}-error` (empty until there is one, so it is
 * announced when filled); a duplicate offers to open the contact that already exists.
 */
export function renderFieldsError(prefix: string, error: ApiError | null, open: (contactId: string) => void): TemplateResult {
  const existing = error?.code === 'contact_exists' && typeof error.contactId === 'string' ? error.contactId : null;
  return html`<div id="${prefix}-error" class=${error ? 'alert' : 'live'} role="alert">
    ${error
      ? html`<p>${error.message}</p>
          ${existing ? html`<button type="button" class="link" @click=${() => open(existing)}>${s.openIt}</button>` : nothing}`
      : nothing}
  </div>`;
}

/** The three fields, ids prefixed with `prefix`, prefilled from `values`. */
export function renderContactFields(prefix: string, error: ApiError | null, values: Partial<Record<ContactField, string | null>> = {}): TemplateResult {
  const invalid = fieldOf(error);
  const describedBy = (field: ContactField, ...ids: string[]) => [...ids, ...(invalid === field ? [`${prefix}-error`] : [])].join(' ') || nothing;
  return html`
    <div class="field">
      <label for="${prefix}-email">${s.labelEmail}</label>
      <input id="${prefix}-email" name="email" type="email" inputmode="email" autocomplete="off" spellcheck="false" value=${values.email ?? ''}
        aria-invalid=${invalid === 'email' ? 'true' : 'false'} aria-describedby=${describedBy('email')} />
    </div>
    <div class="field">
      <label for="${prefix}-phone">${s.labelPhone}</label>
      <input id="${prefix}-phone" name="phone" type="tel" inputmode="tel" autocomplete="off" value=${phoneText(values.phone ?? null) ?? ''}
        aria-invalid=${invalid === 'phone' ? 'true' : 'false'} aria-describedby=${describedBy('phone', `${prefix}-phone-hint`)} />
      <p id="${prefix}-phone-hint" class="note">${s.phoneHint}</p>
    </div>
    <div class="field">
      <label for="${prefix}-name">${s.labelName}</label>
      <input id="${prefix}-name" name="name" type="text" autocomplete="off" value=${values.name ?? ''} />
    </div>
  `;
}
