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
 * @fires otp-card-changed - `{contactId, action}`: after a deactivate, activate, revoke, revoke of all browsers, or a
 *   sign-in link or invitation sent (the audit log grew), so the page reloads the card.
 */
import { LitElement, css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { createAdminApi, type Channel, type ContactCard, type DeviceRow } from './admin-api.ts';
import { OtpCardChangedEvent } from './admin-events.ts';
import { adminStrings as s } from './admin-strings.ts';
import { adminStyles } from './admin-styles.ts';
import { contactLabel, renderAudit, renderCodes, renderDeliveries, renderDevices, renderDiagnosis, renderIdentity, renderOptOuts, section } from './card-sections.ts';
import { describeUserAgent } from './user-agent.ts';
import { formatWhen, localeOf } from './when.ts';

export * from './admin-events.ts';

type StatusAction = 'deactivate' | 'activate';
/** What waits for "Yes": a status change, or signing the contact out of every browser. */
type Confirmable = StatusAction | 'revoke_all';
type LinkKind = 'link' | 'invitation';

export class OtpContactCard extends LitElement {
  static override styles = [
    adminStyles,
    css`
      article { display: grid; gap: 1.5rem; }
      h2:focus { outline: none; }
      .details { display: grid; gap: 0.25rem 1.5rem; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); }
      .details dt { font-weight: 600; }
      .details dd { margin: 0; display: grid; gap: 0.125rem; }
      .diagnosis { display: grid; gap: 0.25rem; padding-left: 1.5rem; }
      .confirm { padding: 0.75rem 1rem; border: 1px solid var(--otp-error, #b42318); border-radius: 0.375rem; }
    `,
  ];

  static override properties = {
    card: { attribute: false },
    api: { type: String },
    confirming: { state: true },
    busy: { state: true },
    announcement: { state: true },
    error: { state: true },
  } satisfies PropertyDeclarations;

  /** The answer of `GET /api/admin/contacts/:id`. */
  declare card: ContactCard | null;
  /** The otp-login server's URL. Default: the origin this script was loaded from. */
  declare api: string;

  /** The change waiting for "Yes", if any. */
  declare private confirming: Confirmable | null;
  /** What is being sent: a status change, 'revoke_all', 'link', 'invitation', or the id of a device being revoked. */
  declare private busy: string | null;
  /** The last change made, read out by the polite live region. */
  declare private announcement: string;
  /** The server's sentence for the last failed action. */
  declare private error: string;

  constructor() {
    super();
    this.card = null;
    this.api = defaultApi();
    this.confirming = null;
    this.busy = null;
    this.announcement = '';
    this.error = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Another contact: nothing of the previous one's actions applies.
    const before = changed.get('card') as ContactCard | null | undefined;
    if (changed.has('card') && before?.contact.id !== this.card?.contact.id) {
      this.confirming = null;
      this.announcement = '';
      this.error = '';
    }
  }

  /** Moves focus to the card's heading, e.g. right after the page opened it. */
  async focusHeading(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  #when = (iso: string | null | undefined) => formatWhen(iso, localeOf(this));

  async #focus(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  #ask(action: Confirmable): void {
    this.confirming = action;
    this.error = '';
    void this.#focus('#confirm-yes');
  }

  #cancel(): void {
    const asked = this.confirming;
    this.confirming = null;
    void this.#focus(asked === 'revoke_all' ? '#revoke-all' : '#status-action');
  }

  async #setStatus(action: StatusAction): Promise<void> {
    const card = this.card;
    if (!card || this.busy) return;
    this.busy = action;
    const result = await createAdminApi(this.api).setStatus(card.contact.id, action);
    this.busy = null;
    this.confirming = null;
    if (!result.ok) {
      this.error = result.error.message;
    } else {
      this.card = { ...card, contact: result.data.contact };
      this.error = '';
      const who = contactLabel(result.data.contact);
      this.announcement = action === 'deactivate' ? s.deactivated(who) : s.activated(who);
      this.dispatchEvent(new OtpCardChangedEvent({ contactId: card.contact.id, action }));
    }
    void this.#focus('#status-action');
  }

  async #revoke(device: DeviceRow): Promise<void> {
    const card = this.card;
    if (!card || this.busy) return;
    this.busy = device.id;
    const result = await createAdminApi(this.api).revokeDevice(card.contact.id, device.id);
    this.busy = null;
    if (!result.ok) {
      this.error = result.error.message;
      return;
    }
    this.error = '';
    this.card = { ...card, devices: card.devices.map((d) => (d.id === device.id ? { ...d, status: 'revoked' } : d)) };
    this.announcement = s.revoked(s.deviceName(describeUserAgent(device.userAgent)));
    this.dispatchEvent(new OtpCardChangedEvent({ contactId: card.contact.id, action: 'revoke_device' }));
    void this.#focus('#devices-heading');
  }

  async #revokeAll(): Promise<void> {
    const card = this.card;
    if (!card || this.busy) return;
    this.busy = 'revoke_all';
    const result = await createAdminApi(this.api).revokeAllDevices(card.contact.id);
    this.busy = null;
    this.confirming = null;
    if (!result.ok) {
      this.error = result.error.message;
      void this.#focus('#revoke-all');
      return;
    }
    this.error = '';
    this.card = { ...card, devices: card.devices.map((d) => (d.status === 'active' ? { ...d, status: 'revoked' } : d)) };
    this.announcement = s.revokedAll(contactLabel(card.contact), result.data.revoked);
    this.dispatchEvent(new OtpCardChangedEvent({ contactId: card.contact.id, action: 'revoke_all_devices' }));
    void this.#focus('#devices-heading');
  }

  async #send(kind: LinkKind): Promise<void> {
    const card = this.card;
    if (!card || this.busy) return;
    this.busy = kind;
    const result = await createAdminApi(this.api).sendLink(card.contact.id, kind, linkChannel(card));
    this.busy = null;
    if (!result.ok) {
      this.error = result.error.message;
    } else {
      this.error = '';
      this.announcement = kind === 'link' ? s.sentLink(result.data.destination) : s.sentInvitation(result.data.destination);
      this.dispatchEvent(new OtpCardChangedEvent({ contactId: card.contact.id, action: kind === 'link' ? 'send_sign_in_link' : 'send_invitation' }));
    }
    void this.#focus(kind === 'link' ? '#send-link' : '#send-invitation');
  }

  override render() {
    const card = this.card;
    if (!card) return nothing;
    return html`
      <article aria-labelledby="card-heading">
        <h2 id="card-heading" tabindex="-1">${contactLabel(card.contact)}</h2>
        <p class="live" role="status" aria-live="polite">${this.announcement}</p>
        <p class=${this.error ? 'alert' : 'live'} role="alert">${this.error}</p>
        ${renderDiagnosis(card.diagnosis)} ${renderIdentity(card, this.#when)} ${renderOptOuts(card, this.#when)}
        ${renderCodes(card.codes, this.#when)} ${renderDeliveries(card.deliveries, this.#when)} ${renderDevices(card.devices, this.#when, { busy: this.busy, revoke: (d) => void this.#revoke(d), after: this.#renderRevokeAll(card) })}
        ${this.#renderActions(card)} ${renderAudit(card.audit, this.#when)}
      </article>
    `;
  }

  /** "Revoke all browsers", when more than one is signed in; confirmed inline like a deactivate. */
  #renderRevokeAll(card: ContactCard) {
    const signedIn = card.devices.filter((d) => d.status === 'active').length;
    if (signedIn < 2) return nothing;
    return this.confirming === 'revoke_all'
      ? html`<div class="confirm" role="group" aria-labelledby="confirm-question">
          <p id="confirm-question">${s.confirmRevokeAll(contactLabel(card.contact), signedIn)}</p>
          <div class="row">
            <button id="confirm-yes" type="button" class="danger" ?disabled=${this.busy !== null} @click=${() => this.#revokeAll()}>${s.yesRevokeAll}</button>
            <button type="button" ?disabled=${this.busy !== null} @click=${this.#cancel}>${s.cancel}</button>
          </div>
        </div>`
      : html`<div class="row">
          <button id="revoke-all" type="button" ?disabled=${this.busy !== null} @click=${() => this.#ask('revoke_all')}>${s.revokeAll}</button>
        </div>`;
  }

  /** "Send sign-in link", and for a contact who never signed in "Send invitation" — or why not. */
  #renderSend(card: ContactCard) {
    const why = card.devices.length === 0 ? cannotInvite(card) : '';
    return html`<div class="row">
      <button id="send-link" type="button" ?disabled=${this.busy !== null} @click=${() => this.#send('link')}>
        ${this.busy === 'link' ? s.sending : s.sendSignInLink}
      </button>
      ${card.devices.length === 0
        ? html`<button id="send-invitation" type="button" ?disabled=${this.busy !== null || why !== ''} aria-describedby=${why ? 'invite-why' : nothing} @click=${() => this.#send('invitation')}>
              ${this.busy === 'invitation' ? s.sending : s.sendInvitation}
            </button>
            ${why ? html`<span id="invite-why" class="muted">${why}</span>` : nothing}`
        : nothing}
    </div>`;
  }

  #renderActions(card: ContactCard) {
    const action: StatusAction = card.contact.status === 'deactivated' ? 'activate' : 'deactivate';
    const who = contactLabel(card.contact);
    const confirming = this.confirming === action;
    return section(
      'actions-heading',
      s.actionsHeading,
      html`${this.#renderSend(card)} ${confirming
        ? html`<div class="confirm" role="group" aria-labelledby="confirm-question">
            <p id="confirm-question">${action === 'deactivate' ? s.confirmDeactivate(who) : s.confirmActivate(who)}</p>
            <div class="row">
              <button id="confirm-yes" type="button" class=${action === 'deactivate' ? 'danger' : 'primary'} ?disabled=${this.busy !== null} @click=${() => this.#setStatus(action)}>
                ${action === 'deactivate' ? s.yesDeactivate : s.yesActivate}
              </button>
              <button type="button" ?disabled=${this.busy !== null} @click=${this.#cancel}>${s.cancel}</button>
            </div>
          </div>`
        : html`<div class="row">
            <button id="status-action" type="button" ?disabled=${this.busy !== null} @click=${() => this.#ask(action)}>
              ${action === 'deactivate' ? s.deactivate : s.activate}
            </button>
          </div>`}`,
    );
  }
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

/** Why an invitation cannot be sent ('' when it can), from the card alone. */
function cannotInvite(card: ContactCard): string {
  const { email, phone, status } = card.contact;
  if (status === 'deactivated') return s.cannotInviteDeactivated;
  if (!email && !phone) return s.cannotInviteNoAddress;
  const reachable = (email && !card.optOut.email.optedOut) || (phone && !card.optOut.sms.optedOut);
  if (reachable) return '';
  return s.cannotInviteOptedOut[email && phone ? 'both' : email ? 'email' : 'sms']!;
}

/** The server that served this script; `import.meta.url` is the bundle's own URL. */
function defaultApi(): string {
  try {
    return new URL(import.meta.url).origin;
  } catch {
    return location.origin;
  }
}

if (!customElements.get('otp-contact-card')) customElements.define('otp-contact-card', OtpContactCard);

declare global {
  interface HTMLElementTagNameMap {
    'otp-contact-card': OtpContactCard;
  }
}
