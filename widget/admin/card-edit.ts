/**
 * "Edit details" on the card, and the form it opens in place: the contact's email, mobile number
 * and name, prefilled. A refusal keeps the form open with what was typed, its sentence above the
 * fields, its field marked. Pure: state and handlers in, a template and the change out.
 */
import { html, type TemplateResult } from 'lit';
import type { AdminContact, ApiError, ContactEdit } from './admin-api.ts';
import { adminStrings as s } from './admin-strings.ts';
import type { Change } from './card-change.ts';
import { noteIds, renderNote, type CardNote } from './card-note.ts';
import { fieldOf, renderContactFields, renderFieldsError } from './contact-fields.ts';

export interface EditView {
  editing: boolean;
  /** A change is being sent: the form (or the button) waits. */
  busy: boolean;
  saving: boolean;
  error: ApiError | null;
  /** The last action's result, shown beside "Edit details" when it was a save. */
  note: CardNote | null;
  open(): void;
  cancel(): void;
  save(event: SubmitEvent): void;
  openExisting(contactId: string): void;
}

/** Saves `body`; `refused` shows a refusal in the form (`showError`) and focuses the field it is about. */
export const editChange = (body: ContactEdit, showError: (error: ApiError) => void): Change<{ contact: AdminContact }> => ({
  busy: 'edit',
  send: (api, id) => api.editContact(id, body),
  done: ({ contact }, card) => ({ card: { ...card, contact }, announce: s.saved, action: 'edit' }),
  note: noteIds.edit,
  focus: ['#edit-details'],
  refused: (error) => {
    showError(error);
    const field = fieldOf(error);
    return [field ? `#edit-${field}` : '#edit-save'];
  },
});

export function renderEdit(contact: AdminContact, view: EditView): TemplateResult {
  if (!view.editing) {
    return html`<div class="row">
      <button id="edit-details" type="button" ?disabled=${view.busy} aria-describedby=${noteIds.edit} @click=${() => view.open()}>${s.editDetails}</button>
      ${renderNote(noteIds.edit, view.note)}
    </div>`;
  }
  return html`<form id="edit-form" class="edit" novalidate aria-label=${s.editDetails} aria-busy=${view.saving ? 'true' : 'false'} @submit=${(event: SubmitEvent) => view.save(event)}>
    ${renderFieldsError('edit', view.error, (contactId) => view.openExisting(contactId))}
    <p class="muted">${s.editLead}</p>
    ${renderContactFields('edit', view.error, contact)}
    <div class="row">
      <button id="edit-save" type="submit" class="primary" ?disabled=${view.busy}>${view.saving ? s.saving : s.save}</button>
      <button type="button" ?disabled=${view.busy} @click=${() => view.cancel()}>${s.cancel}</button>
    </div>
  </form>`;
}
