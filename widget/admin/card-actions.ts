/**
 * The card's buttons that change the contact as a whole: send a sign-in link or an invitation,
 * deactivate or activate, sign one browser or every browser out. Pure: the card's state and its
 * handlers in, templates out, and each change as data (./card-change.ts) that the card sends.
 */
import { formatWhen } from './when.ts';
import { html, nothing, type TemplateResult } from 'lit';
import type { AdminContact, Channel, ContactCard, DeviceRow, LinkSent } from './admin-api.ts';
import { adminStrings as s } from './admin-strings.ts';
import type { Change } from './card-change.ts';
import { noteIds, renderNote, type CardNote } from './card-note.ts';
import { contactLabel, section } from './card-sections.ts';
import { isAsked, renderConfirm, type Asked } from './confirm.ts';
import { describeUserAgent } from './user-agent.ts';

export type StatusAction = 'deactivate' | 'activate';
export type LinkKind = 'link' | 'invitation';

export interface CardActionsView {
  card: ContactCard;
  /** What is being sent, or null: every button waits while something is. */
  busy: string | null;
  asked: Asked | null;
  /** The last action's result or refusal, shown beside its button. */
  note: CardNote | null;
  ask(asked: Asked): void;
  cancel(): void;
  setStatus(action: StatusAction): void;
  revokeAll(): void;
  send(kind: LinkKind): void;
}

export const statusChange = (action: StatusAction): Change<{ contact: AdminContact; revokedDevices?: number }> => ({
  busy: action,
  send: (api, id) => api.setStatus(id, action),
  done: ({ contact, revokedDevices = 0 }, card) => ({
    // Deactivating signed the contact out of every browser (R9): the card says so at once.
    card: {
      ...card,
      contact,
      devices: action === 'deactivate' ? card.devices.map((d) => (d.status === 'active' ? { ...d, status: 'revoked', revokedReason: 'deactivated' } : d)) : card.devices,
    },
    announce: action === 'deactivate' ? s.deactivated(contactLabel(contact), revokedDevices) : s.activated(contactLabel(contact)),
    action,
  }),
  note: noteIds.status,
  focus: ['#status-action'],
});

export const revokeChange = (device: DeviceRow): Change<unknown> => ({
  busy: device.id,
  send: (api, id) => api.revokeDevice(id, device.id),
  done: (_, card) => ({
    card: { ...card, devices: card.devices.map((d) => (d.id === device.id ? { ...d, status: 'revoked' } : d)) },
    announce: s.revoked(s.deviceName(describeUserAgent(device.userAgent))),
    action: 'revoke_device',
  }),
  note: noteIds.devices,
  focus: ['#devices-heading'],
});

export const revokeAllChange = (): Change<{ revoked: number }> => ({
  busy: 'revoke_all',
  send: (api, id) => api.revokeAllDevices(id),
  done: ({ revoked }, card) => ({
    card: { ...card, devices: card.devices.map((d) => (d.status === 'active' ? { ...d, status: 'revoked' } : d)) },
    announce: s.revokedAll(contactLabel(card.contact), revoked),
    action: 'revoke_all_devices',
  }),
  note: noteIds.devices,
  // After a refusal the button is still there; after a success it is gone.
  focus: ['#revoke-all', '#devices-heading'],
});

export const sendChange = (kind: LinkKind, card: ContactCard): Change<LinkSent> => ({
  busy: kind,
  send: (api, id) => api.sendLink(id, kind, linkChannel(card)),
  done: ({ destination, expiresAt }) => ({
    // An invitation lasts days (INVITATION_DAYS on the server), so the admin is told until when.
    announce: kind === 'link' ? s.sentLink(destination) : s.sentInvitation(destination, formatWhen(expiresAt, document.documentElement.lang || undefined)),
    action: kind === 'link' ? 'send_sign_in_link' : 'send_invitation',
  }),
  note: noteIds.send,
  focus: [kind === 'link' ? '#send-link' : '#send-invitation'],
});

/**
 * "Revoke all browsers", when more than one is signed in, confirmed inline like a deactivate; then
 * the note that says what a revoke (of one or all) did.
 */
export function renderRevokeAll(view: CardActionsView): TemplateResult {
  return html`${renderRevokeAllButton(view)}<div class="row">${renderNote(noteIds.devices, view.note)}</div>`;
}

function renderRevokeAllButton(view: CardActionsView): TemplateResult | typeof nothing {
  const signedIn = view.card.devices.filter((d) => d.status === 'active').length;
  if (signedIn < 2) return nothing;
  return isAsked(view.asked, 'revoke_all')
    ? renderConfirm({
        question: s.confirmRevokeAll(contactLabel(view.card.contact), signedIn),
        yes: s.yesRevokeAll,
        tone: 'danger',
        busy: view.busy !== null,
        onYes: () => view.revokeAll(),
        onCancel: () => view.cancel(),
      })
    : html`<div class="row">
        <button id="revoke-all" type="button" ?disabled=${view.busy !== null} @click=${() => view.ask({ action: 'revoke_all' })}>${s.revokeAll}</button>
      </div>`;
}

/** The Actions section: sending a link or an invitation, the status change, then `after` (the role's action). */
export function renderActions(view: CardActionsView, after: unknown = nothing): TemplateResult {
  const { card, busy } = view;
  const action: StatusAction = card.contact.status === 'deactivated' ? 'activate' : 'deactivate';
  const who = contactLabel(card.contact);
  return section(
    'actions-heading',
    s.actionsHeading,
    html`${renderSend(view)} ${isAsked(view.asked, action)
      ? renderConfirm({
          question: action === 'deactivate' ? s.confirmDeactivate(who) : s.confirmActivate(who),
          yes: action === 'deactivate' ? s.yesDeactivate : s.yesActivate,
          tone: action === 'deactivate' ? 'danger' : 'primary',
          busy: busy !== null,
          onYes: () => view.setStatus(action),
          onCancel: () => view.cancel(),
        })
      : html`<div class="row">
          <button id="status-action" type="button" ?disabled=${busy !== null} aria-describedby=${noteIds.status} @click=${() => view.ask({ action })}>
            ${action === 'deactivate' ? s.deactivate : s.activate}
          </button>
          ${renderNote(noteIds.status, view.note)}
        </div>`} ${after}`,
  );
}

/**
 * "Send sign-in link", and for a contact who never signed in "Send invitation" — disabled, with
 * why beside them, when the server would refuse; then the last send's result.
 */
function renderSend({ card, busy, send, note }: CardActionsView): TemplateResult {
  const invitation = card.devices.length === 0;
  const blocked = cannotSend(card);
  const why = blocked ? s.cannotSend(invitation, blocked) : '';
  // The reason describes the buttons; the note, when there is one, says what the last send did.
  const describedBy = why ? 'send-why' : noteIds.send;
  return html`<div class="row">
    <button id="send-link" type="button" ?disabled=${busy !== null || why !== ''} aria-describedby=${describedBy} @click=${() => send('link')}>
      ${busy === 'link' ? s.sending : s.sendSignInLink}
    </button>
    ${invitation
      ? html`<button id="send-invitation" type="button" ?disabled=${busy !== null || why !== ''} aria-describedby=${describedBy} @click=${() => send('invitation')}>
          ${busy === 'invitation' ? s.sending : s.sendInvitation}
        </button>`
      : nothing}
    ${why ? html`<span id="send-why" class="muted">${why}</span>` : nothing} ${renderNote(noteIds.send, note)}
  </div>`;
}

/**
 * The channel a link goes by: email when the contact has an address not opted out, else SMS
 * likewise; when neither can be reached, email if on file, else SMS — and the server says why not.
 */
function linkChannel(card: ContactCard): Channel {
  const { email, phone } = card.contact;
  if (email && !card.optOut.email.optedOut) return 'email';
  if (phone && !card.optOut.sms.optedOut) return 'sms';
  return email ? 'email' : 'sms';
}

/**
 * Why the server would refuse a sign-in link or an invitation by linkChannel(card) (null when it
 * would send one), from the same facts it checks (server/admin/admin-routes.ts): the contact is
 * deactivated, has no address, or opted out of every channel on file. The server still decides:
 * a card older than a STOP gets its refusal, shown beside the button.
 */
export function cannotSend(card: ContactCard): SendBlocked | null {
  const { email, phone, status } = card.contact;
  if (status !== 'active') return 'deactivated';
  if (!email && !phone) return 'no_address';
  const reachable = (email && !card.optOut.email.optedOut) || (phone && !card.optOut.sms.optedOut);
  if (reachable) return null;
  return email && phone ? 'both' : email ? 'email' : 'sms';
}

export type SendBlocked = 'deactivated' | 'no_address' | 'email' | 'sms' | 'both';
