/**
 * `<otp-contact-card>`: one contact as an admin needs it when they say "I can't sign in" — why
 * not (the diagnosis, first), who they are, their opt-outs, the codes and messages sent, their
 * remembered browsers, and the actions that fix it. Never a code: codes appear by number.
 *
 * ```ts
 * const card = document.createElement('otp-contact-card');
 * card.api = 'https://login.example.com';
 * card.card = await (await fetch(`/api/admin/contacts/${id}`, { credentials: 'include' })).json();
 * card.addEventListener('otp-card-changed', () => reload());
 * ```
 *
 * @fires otp-card-changed - `{contactId, action}`: after an edit, a deactivate or activate, an admin role given or removed, a revoke, a revoke of all
 *   browsers, a sign-in link or invitation sent, an opt-out or one lifted (the audit log grew, and the diagnosis may
 *   have changed), so the page reloads the card.
 * @fires otp-open-contact - `{contactId}`: on "Open it" when an edit would duplicate another contact.
 */
import { LitElement, css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { defaultApi } from '../default-api.ts';
import { createAdminApi, type ApiError, type ContactCard } from './admin-api.ts';
import { OtpCardChangedEvent, OtpOpenContactEvent } from './admin-events.ts';
import { adminStyles } from './admin-styles.ts';
import { labelCells } from './stacked-tables.ts';
import { renderActions, renderRevokeAll, revokeAllChange, revokeChange, sendChange, statusChange, type CardActionsView } from './card-actions.ts';
import type { Change } from './card-change.ts';
import type { CardNote } from './card-note.ts';
import { editChange, renderEdit, type EditView } from './card-edit.ts';
import { contactLabel, renderAudit, renderOutgoingEvents, renderCodes, renderDeliveries, renderDevices, renderDiagnosis, renderIdentity, renderOptOuts } from './card-sections.ts';
import type { Asked } from './confirm.ts';
import { renderAttempts } from './card-attempts.ts';
import { readContactFields } from './contact-fields.ts';
import { liftChange, optOutButtonId, optOutChange, renderOptOutAction, type OptOutView } from './opt-out-actions.ts';
import { renderRole, roleChange, type RoleNote, type RoleView } from './card-role.ts';
import { formatWhen, localeOf } from './when.ts';

export * from './admin-events.ts';

export class OtpContactCard extends LitElement {
  static override styles = [
    adminStyles,
    css`
      article { display: grid; gap: 1.5rem; }
      h2:focus, h3:focus { outline: none; }
      .details { display: grid; gap: 0.25rem 1.5rem; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); }
      .details dt { font-weight: 600; }
      .details dd { margin: 0; display: grid; gap: 0.125rem; }
      .details dd > .row, .details dd > .confirm { margin-top: 0.375rem; }
      .diagnosis { display: grid; gap: 0.25rem; padding-left: 1.5rem; }
      .attempts { display: grid; gap: 0.25rem; padding-left: 1.5rem; margin: 0; }
      .confirm { display: grid; gap: 0.5rem; padding: 0.75rem 1rem; border: 1px solid var(--otp-error, #b42318); border-radius: 0.375rem; }
      .edit { display: grid; gap: 0.75rem; max-width: 28rem; }
      .check { display: flex; gap: 0.5rem; align-items: flex-start; }
      .check input { flex: none; width: 1.25rem; min-height: 1.25rem; height: 1.25rem; margin: 0.125rem 0 0; padding: 0; }
    `,
  ];

  static override properties = {
    card: { attribute: false },
    api: { type: String },
    asked: { state: true },
    confirmed: { state: true },
    editing: { state: true },
    editError: { state: true },
    busy: { state: true },
    note: { state: true },
    roleNote: { state: true },
  } satisfies PropertyDeclarations;

  /** The answer of `GET /api/admin/contacts/:id`. */
  declare card: ContactCard | null;
  /** The otp-login server's URL. Default: the origin this script was loaded from. */
  declare api: string;

  /** The change waiting for "Yes", if any. */
  declare private asked: Asked | null;
  /** "I confirmed with the contact" is ticked, for a reactivation. */
  declare private confirmed: boolean;
  /** The "Edit details" form is open. */
  declare private editing: boolean;
  /** The server's refusal of the edit, shown in the form. */
  declare private editError: ApiError | null;
  /** What is being sent: an action's name, 'link', 'invitation', or the id of a device being revoked. */
  declare private busy: string | null;
  /** The last change made, or the server's refusal of it, shown beside the button that sent it. */
  declare private note: CardNote | null;
  /** The last role change's result, or why it was refused, shown next to its button. */
  declare private roleNote: RoleNote | null;

  constructor() {
    super();
    this.card = null;
    this.api = defaultApi();
    this.asked = null;
    this.confirmed = false;
    this.editing = false;
    this.editError = null;
    this.busy = null;
    this.note = null;
    this.roleNote = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Another contact: nothing of the previous one's actions applies.
    const before = changed.get('card') as ContactCard | null | undefined;
    if (changed.has('card') && before?.contact.id !== this.card?.contact.id) {
      [this.asked, this.editing, this.editError, this.note, this.roleNote] = [null, false, null, null, null];
    }
  }

  /** Moves focus to the card's heading, e.g. right after the page opened it. */
  async focusHeading(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  #when = (iso: string | null | undefined) => formatWhen(iso, localeOf(this));

  /** Focuses the first of `selectors` found on the card, once it rendered. */
  async #focus(...selectors: string[]): Promise<void> {
    await this.updateComplete;
    for (const selector of selectors) {
      const target = this.renderRoot.querySelector<HTMLElement>(selector);
      if (target) return target.focus();
    }
  }

  /**
   * Sends one change. Every button waits meanwhile; a refusal shows the server's sentence beside
   * the button and changes nothing; a success updates the card, says so beside the button, and
   * tells the page (which reloads the card: its logs and diagnosis are the server's to say).
   */
  async #change<T>(change: Change<T>): Promise<void> {
    const card = this.card;
    if (!card || this.busy) return;
    [this.busy, this.note, this.roleNote] = [change.busy, null, null];
    const result = await change.send(createAdminApi(this.api), card.contact.id);
    [this.busy, this.asked] = [null, null];
    if (!result.ok) {
      if (change.refused) return void this.#focus(...change.refused(result.error));
      this.note = { at: change.note, text: result.error.message, refused: true };
      // The server refused on facts newer than this card (a STOP just now, another admin's change):
      // the page fetches the card again, so its buttons and diagnosis show them. The note stays.
      this.dispatchEvent(new OtpCardChangedEvent({ contactId: card.contact.id, action: 'refused' }));
      return void this.#focus(...change.focus);
    }
    const { card: next = card, announce, action } = change.done(result.data, card);
    [this.card, this.note] = [next, announce ? { at: change.note, text: announce, refused: false } : null];
    this.dispatchEvent(new OtpCardChangedEvent({ contactId: card.contact.id, action }));
    void this.#focus(...change.focus);
  }

  #ask(asked: Asked): void {
    [this.asked, this.confirmed] = [asked, false];
    void this.#focus('#confirm-check', '#confirm-yes');
  }

  #cancel(): void {
    const asked = this.asked;
    this.asked = null;
    if (asked?.channel) void this.#focus(`#${optOutButtonId(asked.channel)}`);
    else void this.#focus(asked?.action === 'revoke_all' ? '#revoke-all' : asked?.action === 'make_admin' || asked?.action === 'remove_admin' ? '#role-action' : '#status-action');
  }

  #openEdit(): void {
    [this.editing, this.editError] = [true, null];
    void this.#focus('#edit-email');
  }

  #closeEdit(): void {
    [this.editing, this.editError] = [false, null];
    void this.#focus('#edit-details');
  }

  #save(event: SubmitEvent): void {
    event.preventDefault();
    const change = editChange(readContactFields(event.target as HTMLFormElement), (error) => (this.editError = error));
    // A saved edit closes the form before focus moves to "Edit details".
    const done: typeof change.done = (data, card) => {
      this.editing = false;
      return change.done(data, card);
    };
    void this.#change({ ...change, done });
  }


  /** Every render may bring new rows: their cells say their column on a narrow screen (stacked-tables.ts). */
  override updated(changed: PropertyValues): void {
    if (changed.has('card')) labelCells(this.renderRoot);
  }
  override render() {
    const card = this.card;
    if (!card) return nothing;
    const actions = this.#actionsView(card);
    const optOut = this.#optOutView();
    return html`
      <article aria-labelledby="card-heading">
        <h2 id="card-heading" tabindex="-1">${contactLabel(card.contact)}</h2>
        ${renderDiagnosis(card.diagnosis)} ${renderIdentity(card, this.#when, renderEdit(card.contact, this.#editView()))}
        ${renderOptOuts(card, this.#when, (channel, address, state) => renderOptOutAction(channel, address, state, optOut))}
        ${renderCodes(card.codes, this.#when)} ${renderAttempts(card.attempts, this.#when)} ${renderDeliveries(card.deliveries, this.#when)}
        ${renderDevices(card.devices, this.#when, { busy: this.busy, revoke: (d) => void this.#change(revokeChange(d)), after: renderRevokeAll(actions) })}
        ${renderActions(actions, renderRole(this.#roleView(card)))} ${card.outgoingEvents ? renderOutgoingEvents(card.outgoingEvents, this.#when) : nothing} ${renderAudit(card.audit, this.#when)}
      </article>
    `;
  }

  #actionsView(card: ContactCard): CardActionsView {
    return {
      card,
      busy: this.busy,
      asked: this.asked,
      note: this.note,
      ask: (asked) => this.#ask(asked),
      cancel: () => this.#cancel(),
      setStatus: (action) => void this.#change(statusChange(action)),
      revokeAll: () => void this.#change(revokeAllChange()),
      send: (kind) => void this.#change(sendChange(kind, card)),
    };
  }

  #roleView(card: ContactCard): RoleView {
    return {
      card,
      busy: this.busy,
      asked: this.asked,
      note: this.roleNote,
      ask: (asked) => {
        this.roleNote = null;
        this.#ask(asked);
      },
      cancel: () => this.#cancel(),
      change: (action) => void this.#change(roleChange(action, (note) => (this.roleNote = note))),
    };
  }

  #editView(): EditView {
    return {
      editing: this.editing,
      busy: this.busy !== null,
      saving: this.busy === 'edit',
      error: this.editError,
      note: this.note,
      open: () => this.#openEdit(),
      cancel: () => this.#closeEdit(),
      save: (event) => this.#save(event),
      openExisting: (contactId) => this.dispatchEvent(new OtpOpenContactEvent({ contactId })),
    };
  }

  #optOutView(): OptOutView {
    return {
      busy: this.busy !== null,
      asked: this.asked,
      note: this.note,
      confirmed: this.confirmed,
      ask: (asked) => this.#ask(asked),
      cancel: () => this.#cancel(),
      setConfirmed: (confirmed) => (this.confirmed = confirmed),
      optOut: (channel) => void this.#change(optOutChange(channel)),
      lift: (channel, confirmed) => void this.#change(liftChange(channel, confirmed)),
    };
  }
}

if (!customElements.get('otp-contact-card')) customElements.define('otp-contact-card', OtpContactCard);

declare global {
  interface HTMLElementTagNameMap {
    'otp-contact-card': OtpContactCard;
  }
}
