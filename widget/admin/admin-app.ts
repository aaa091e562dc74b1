/**
 * `<otp-admin>`: the admin page at `/admin`. An admin signs in with the same `<otp-login>` as
 * everyone, then searches the contacts, pages through them, adds one, imports or downloads them
 * as CSV, and opens a contact's card to see why they cannot sign in and fix it.
 *
 * ```html
 * <script type="module" src="https://login.example.com/otp-admin.js"></script>
 * <otp-admin></otp-admin>
 * ```
 */
import { defaultApi } from '../default-api.ts';
import { LitElement, css, html, nothing, type PropertyDeclarations } from 'lit';
import '../otp-login.ts';
import type { OtpSignedInEvent } from '../otp-login.ts';
import { createAdminApi, type ApiResult, type ContactCard, type ContactPage, type UnknownAddressAttempts } from './admin-api.ts';
import { formatWhen, localeOf } from './when.ts';
import type { OtpCardChangedEvent, OtpOpenContactEvent } from './admin-events.ts';
import { adminStrings as s } from './admin-strings.ts';
import { adminStyles } from './admin-styles.ts';
import './add-contact.ts';
import './contact-card.ts';
import { renderContactList } from './contact-list.ts';
import './import-contacts.ts';

export * from './admin-events.ts';
export { OtpContactCard } from './contact-card.ts';
export { OtpImportContacts } from './import-contacts.ts';

/** How long typing pauses before the search is sent. */
const SEARCH_DELAY_MS = 300;

export class OtpAdmin extends LitElement {
  static override styles = [
    adminStyles,
    css`
      .app { display: grid; gap: 1.5rem; }
      .side { display: grid; gap: 2rem; }
      .unknown-address { display: grid; gap: 0.5rem; padding: 0.75rem 1rem; border: 1px solid var(--otp-border, #d0d7de); border-radius: 0.375rem; }
      .unknown-address .attempts { margin: 0; padding-left: 1.5rem; }
      .columns { display: grid; gap: 2rem; grid-template-columns: minmax(0, 3fr) minmax(18rem, 2fr); align-items: start; }
      @media (max-width: 56rem) { .columns { grid-template-columns: 1fr; } }
      otp-contact-card { padding-top: 1.5rem; border-top: 1px solid var(--otp-border, #d0d7de); }
      /* The admin elements are light only, so their sign-in is too. */
      otp-login { max-width: 26rem; color-scheme: light; }
    `,
  ];

  static override properties = {
    api: { type: String },
    who: { state: true },
    denied: { state: true },
    query: { state: true },
    page: { state: true },
    listError: { state: true },
    card: { state: true },
    cardError: { state: true },
    busy: { state: true },
  } satisfies PropertyDeclarations;

  /** The otp-login server's URL. Default: the origin this script was loaded from. */
  declare api: string;

  /** Who is signed in (email or phone), or null before the sign-in. */
  declare private who: string | null;
  /** Why this person may not see the contacts (401, 403), as a sentence. */
  declare private denied: string;
  declare private query: string;
  declare private page: ContactPage | null;
  declare private listError: string;
  declare private card: ContactCard | null;
  declare private cardError: string;
  /** What is loading, for the live region: the list, or a card. */
  declare private busy: 'list' | 'card' | null;

  #searchTimer: ReturnType<typeof setTimeout> | undefined;
  /** Only the newest list request may fill the list (typing sends several). */
  #listRequest = 0;

  constructor() {
    super();
    this.api = defaultApi();
    this.who = null;
    this.denied = '';
    this.query = '';
    this.page = null;
    this.listError = '';
    this.card = null;
    this.cardError = '';
    this.busy = null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#searchTimer);
  }

  /** Loads the contacts matching the search, from `offset`. */
  async loadList(offset = 0): Promise<void> {
    const request = ++this.#listRequest;
    this.busy = 'list';
    const result = await createAdminApi(this.api).contacts({ q: this.query.trim(), offset, limit: this.page?.limit });
    if (request !== this.#listRequest) return;
    this.busy = null;
    if (this.#refused(result)) return;
    if (result.ok) [this.page, this.listError] = [result.data, ''];
    else this.listError = result.error.message;
  }

  /** Opens a contact's card; `focus` moves focus to it, as when the admin picked it. */
  async openCard(contactId: string, focus = true): Promise<void> {
    this.busy = 'card';
    const result = await createAdminApi(this.api).card(contactId);
    this.busy = null;
    if (this.#refused(result)) return;
    if (!result.ok) {
      this.cardError = result.error.message;
      return;
    }
    [this.card, this.cardError] = [result.data, ''];
    if (focus) {
      await this.updateComplete;
      await this.renderRoot.querySelector('otp-contact-card')?.focusHeading();
    }
  }

  /** A 401 or 403 ends the page's work: it says why, and the sign-in widget offers the way out. */
  #refused(result: ApiResult<unknown>): boolean {
    if (result.ok || (result.status !== 401 && result.status !== 403)) return false;
    this.denied = result.status === 403 ? s.forbidden(this.who ?? '') : s.unauthorized;
    [this.page, this.card] = [null, null];
    return true;
  }

  #onSignedIn(event: OtpSignedInEvent): void {
    const { contact } = event.detail;
    this.who = contact.email || contact.phone || contact.id;
    this.denied = '';
    void this.loadList();
  }

  #onSignedOut(): void {
    clearTimeout(this.#searchTimer);
    this.#listRequest++;
    [this.who, this.denied, this.query, this.page, this.card, this.listError, this.cardError] = [null, '', '', null, null, '', ''];
  }

  #onSearchInput(event: InputEvent): void {
    this.query = (event.target as HTMLInputElement).value;
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => void this.loadList(0), SEARCH_DELAY_MS);
  }

  /** A change on the card may change its diagnosis and opt-outs, and the list's row: both reload. */
  #onCardChanged(event: OtpCardChangedEvent): void {
    void this.openCard(event.detail.contactId, false);
    void this.loadList(this.page?.offset ?? 0);
  }

  #onOpenContact(event: OtpOpenContactEvent): void {
    if (event.detail.added) void this.loadList(this.page?.offset ?? 0);
    void this.openCard(event.detail.contactId);
  }

  #onImported(): void {
    void this.loadList(this.page?.offset ?? 0);
  }

  /** Puts a searched address that no contact has into "Add a contact", for the admin to finish. */
  async #addAddress(found: UnknownAddressAttempts): Promise<void> {
    await this.renderRoot.querySelector('otp-add-contact')?.prefill({ [found.kind]: found.address });
  }

  async #closeCard(): Promise<void> {
    this.card = null;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#search')?.focus();
  }

  override render() {
    return html`
      <div class="app">
        <h1>${s.appTitle}</h1>
        ${this.who ? nothing : html`<p>${s.signInLead}</p>`}
        <otp-login api=${this.api} @otp-signed-in=${this.#onSignedIn} @otp-signed-out=${this.#onSignedOut}></otp-login>
        ${this.denied ? html`<p class="alert" role="alert">${this.denied}</p>` : nothing}
        ${this.who && !this.denied ? this.#renderWork() : nothing}
      </div>
    `;
  }

  #renderList() {
    const { page, query, listError, busy } = this;
    return renderContactList({ page, query, listError, busy }, {
      onSearchInput: (event) => this.#onSearchInput(event),
      open: (contactId) => void this.openCard(contactId),
      showPage: (offset) => void this.loadList(offset),
      addAddress: (found) => void this.#addAddress(found),
      when: (iso) => formatWhen(iso, localeOf(this)),
    });
  }

  #renderWork() {
    return html`
      <div class="app" @otp-card-changed=${this.#onCardChanged} @otp-open-contact=${this.#onOpenContact} @otp-contacts-imported=${this.#onImported}>
        <div class="columns">
          ${this.#renderList()}
          <div class="side"><otp-add-contact api=${this.api}></otp-add-contact><otp-import-contacts api=${this.api}></otp-import-contacts></div>
        </div>
        <p class=${this.cardError ? 'alert' : 'live'} role="alert">${this.cardError}</p>
        ${this.card
          ? html`<otp-contact-card api=${this.api} .card=${this.card}></otp-contact-card>
              <div class="row"><button type="button" @click=${this.#closeCard}>${s.closeCard}</button></div>`
          : nothing}
      </div>
    `;
  }
}

if (!customElements.get('otp-admin')) customElements.define('otp-admin', OtpAdmin);

declare global {
  interface HTMLElementTagNameMap {
    'otp-admin': OtpAdmin;
  }
}
