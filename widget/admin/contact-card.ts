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
 * @fires otp-card-changed - `{contactId, action}`: after a deactivate, activate or revoke, so the page reloads the card.
 */
import { LitElement, css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { createAdminApi, type ContactCard, type DeviceRow } from './admin-api.ts';
import { OtpCardChangedEvent } from './admin-events.ts';
import { adminStrings as s } from './admin-strings.ts';
import { adminStyles } from './admin-styles.ts';
import { contactLabel, renderAudit, renderCodes, renderDeliveries, renderDevices, renderDiagnosis, renderIdentity, renderOptOuts, section } from './card-sections.ts';
import { describeUserAgent } from './user-agent.ts';
import { formatWhen, localeOf } from './when.ts';

export * from './admin-events.ts';

type StatusAction = 'deactivate' | 'activate';

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

  /** The status change waiting for "Yes", if any. */
  declare private confirming: StatusAction | null;
  /** What is being sent: a status change, or the id of a device being revoked. */
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

  #ask(action: StatusAction): void {
    this.confirming = action;
    this.error = '';
    void this.#focus('#confirm-yes');
  }

  #cancel(): void {
    this.confirming = null;
    void this.#focus('#status-action');
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

  override render() {
    const card = this.card;
    if (!card) return nothing;
    return html`
      <article aria-labelledby="card-heading">
        <h2 id="card-heading" tabindex="-1">${contactLabel(card.contact)}</h2>
        <p class="live" role="status" aria-live="polite">${this.announcement}</p>
        <p class=${this.error ? 'alert' : 'live'} role="alert">${this.error}</p>
        ${renderDiagnosis(card.diagnosis)} ${renderIdentity(card, this.#when)} ${renderOptOuts(card, this.#when)}
        ${renderCodes(card.codes, this.#when)} ${renderDeliveries(card.deliveries, this.#when)} ${renderDevices(card.devices, this.#when, { busy: this.busy, revoke: (d) => void this.#revoke(d) })}
        ${this.#renderActions(card)} ${renderAudit(card.audit, this.#when)}
      </article>
    `;
  }

  #renderActions(card: ContactCard) {
    const action: StatusAction = card.contact.status === 'deactivated' ? 'activate' : 'deactivate';
    const who = contactLabel(card.contact);
    const confirming = this.confirming === action;
    return section(
      'actions-heading',
      s.actionsHeading,
      confirming
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
          </div>`,
    );
  }
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
