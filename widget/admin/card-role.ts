/**
 * The card's role action: "Make admin" for a contact, "Remove admin role" for an admin, each
 * confirmed inline. The result, or the server's reason for refusing (the last admin, a role that
 * ADMIN_EMAILS gives), is shown next to the button, where the admin is looking.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ContactCard, RoleChange } from './admin-api.ts';
import { adminStrings as s } from './admin-strings.ts';
import type { Change } from './card-change.ts';
import { contactLabel } from './card-sections.ts';
import { isAsked, renderConfirm, type Asked } from './confirm.ts';

export type RoleAction = 'make_admin' | 'remove_admin';

/** The sentence next to the button: a result, or a refusal. */
export interface RoleNote {
  text: string;
  refused: boolean;
}

export interface RoleView {
  card: ContactCard;
  busy: string | null;
  asked: Asked | null;
  note: RoleNote | null;
  ask(asked: Asked): void;
  cancel(): void;
  change(action: RoleAction): void;
}

/** The change for `action`; `show` puts its result or refusal next to the button. */
export const roleChange = (action: RoleAction, show: (note: RoleNote) => void): Change<RoleChange> => ({
  busy: action,
  send: (api, id) => api.setRole(id, action === 'make_admin' ? 'make-admin' : 'remove-admin'),
  done: ({ contact, changed }, card) => {
    const who = contactLabel(contact);
    show({ text: action === 'make_admin' ? s.madeAdmin(who, changed) : s.removedAdmin(who, changed), refused: false });
    // Said next to the button (a live region there), not again at the top of the card.
    return { card: { ...card, contact }, announce: '', action };
  },
  note: 'role-note',
  refused: (error) => {
    show({ text: error.message, refused: true });
    return ['#role-action'];
  },
  focus: ['#role-action'],
});

export function renderRole(view: RoleView): TemplateResult {
  const { card, busy, note } = view;
  const action: RoleAction = card.contact.role === 'admin' ? 'remove_admin' : 'make_admin';
  const who = contactLabel(card.contact);
  if (isAsked(view.asked, action)) {
    return renderConfirm({
      question: action === 'make_admin' ? s.confirmMakeAdmin(who) : s.confirmRemoveAdmin(who),
      yes: action === 'make_admin' ? s.yesMakeAdmin : s.yesRemoveAdmin,
      tone: action === 'make_admin' ? 'primary' : 'danger',
      busy: busy !== null,
      onYes: () => view.change(action),
      onCancel: () => view.cancel(),
    });
  }
  // Not always rendered: the confirm above replaces this whole row, so the note comes back with the
  // answer already in it, and a live region born with its text is seldom announced. A screen
  // reader hears it because the button takes focus then (roleChange's focus) and the note is its
  // description.
  return html`<div class="row">
    <button id="role-action" type="button" ?disabled=${busy !== null} aria-describedby="role-note" @click=${() => view.ask({ action })}>
      ${action === 'make_admin' ? s.makeAdmin : s.removeAdmin}
    </button>
    <span id="role-note" class=${note?.refused ? 'alert' : 'muted'} role="status">${note?.text ?? nothing}</span>
  </div>`;
}
