/**
 * `<otp-admin>`: the admin page at `/admin`. An admin signs in with the same `<otp-login>` as
 * everyone, then searches the contacts, pages through them, adds one, imports or downloads them
 * as CSV, and opens a contact's card to see why they cannot sign in and fix it.
 *
 * With `href` (the page's own address), the open card and the search live in the address bar —
 * `href/contacts/:id`, `href?q=jo` — so a reload, Back and Forward, a new tab or a link sent to a
 * colleague open the same card; the server must serve the page at those paths too (ours does).
 *
 * ```html
 * <script type="module" src="https://login.example.com/otp-admin.js"></script>
 * <otp-admin href="/admin"></otp-admin>
 * ```
 */
import { defaultApi } from '../default-api.ts';
import { LitElement, css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import '../otp-login.ts';
import type { OtpSignedInEvent } from '../otp-login.ts';
import { createAdminApi, type ApiResult, type ContactCard, type ContactPage, type UnknownAddressAttempts } from './admin-api.ts';
import { formatWhen, localeOf } from './when.ts';
import type { OtpCardChangedEvent, OtpOpenContactEvent } from './admin-events.ts';
import { adminStrings as s } from './admin-strings.ts';
import { adminStyles } from './admin-styles.ts';
import { labelCells } from './stacked-tables.ts';
import './add-contact.ts';
import './contact-card.ts';
import { renderContactList } from './contact-list.ts';
import { phoneText } from './phone.ts';
import './import-contacts.ts';

export * from './admin-events.ts';
export { OtpContactCard } from './contact-card.ts';
export { OtpImportContacts } from './import-contacts.ts';

/** How long typing pauses before the search is sent. */
const SEARCH_DELAY_MS = 300;

/**
 * After a sign-in link or an invitation, the card is fetched again after each of these waits until
 * its delivery log shows the message: the server hands it to the provider a moment after it answered.
 */
const DELIVERY_FOLLOW_UP_MS = [500, 1000, 2000, 4000];
const SENDS = new Set(['send_sign_in_link', 'send_invitation']);

/** What the address bar says: the open card's contact and the search. */
interface Place {
  contactId: string | null;
  q: string;
}

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
    href: { type: String },
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
  /**
   * The admin page's own address, relative to the document (`admin`, `/admin`). When set, the
   * open card and the search are kept in the address bar under it; when empty, nowhere.
   */
  declare href: string;

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
  /** Only the newest card request may fill the card (Back and Forward in a row send several). */
  #cardRequest = 0;
  #onPopState = () => void this.#goTo(this.#placeInUrl(), true);

  constructor() {
    super();
    this.api = defaultApi();
    this.href = '';
    this.who = null;
    this.denied = '';
    this.query = '';
    this.page = null;
    this.listError = '';
    this.card = null;
    this.cardError = '';
    this.busy = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.#onPopState);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#searchTimer);
    window.removeEventListener('popstate', this.#onPopState);
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

  /** Opens a contact's card, and moves focus to it, as when the admin picked it; the address bar says which. */
  async openCard(contactId: string): Promise<void> {
    this.#remember({ contactId, q: this.query.trim() }, 'push');
    await this.#loadCard(contactId, true);
  }

  /** Fetches a contact's card; `focus` moves focus to it. */
  async #loadCard(contactId: string, focus: boolean): Promise<void> {
    const request = ++this.#cardRequest;
    this.busy = 'card';
    const result = await createAdminApi(this.api).card(contactId);
    if (request !== this.#cardRequest) return;
    this.busy = null;
    if (this.#refused(result)) return;
    if (!result.ok) {
      // The card of another contact must not stay under this one's address.
      if (this.card?.contact.id !== contactId) this.card = null;
      this.cardError = result.error.message;
      return;
    }
    [this.card, this.cardError] = [result.data, ''];
    if (focus) {
      await this.updateComplete;
      await this.renderRoot.querySelector('otp-contact-card')?.focusHeading();
    }
  }

  /**
   * Fetches the open card again after `action` changed the contact: its diagnosis, code history
   * and audit log are the server's to say. After a send, again until the message is in its
   * delivery log, unless the admin moved on to another card meanwhile.
   */
  async #refreshCard(contactId: string, action: string): Promise<void> {
    const known = new Set(this.card?.deliveries.map((d) => d.id));
    await this.#loadCard(contactId, false);
    if (!SENDS.has(action)) return;
    for (const ms of DELIVERY_FOLLOW_UP_MS) {
      if (this.card?.contact.id !== contactId || this.card.deliveries.some((d) => !known.has(d.id))) return;
      await new Promise((resolve) => setTimeout(resolve, ms));
      if (!this.isConnected || this.card?.contact.id !== contactId || this.busy === 'card') return;
      await this.#loadCard(contactId, false);
    }
  }

  /** The admin page's address, or null when the address bar is not this element's to keep. */
  #root(): URL | null {
    return this.href ? new URL(this.href, document.baseURI) : null;
  }

  /** The card and search the address bar names (`root/contacts/:id?q=…`). */
  #placeInUrl(): Place {
    const root = this.#root();
    if (!root) return { contactId: null, q: this.query };
    const base = root.pathname.replace(/\/$/, '');
    const rest = location.pathname.startsWith(`${base}/contacts/`) ? location.pathname.slice(base.length + '/contacts/'.length) : '';
    const contactId = rest && !rest.includes('/') ? decodeURIComponent(rest) : null;
    return { contactId, q: new URLSearchParams(location.search).get('q') ?? '' };
  }

  /** The address of `place` (`root/contacts/:id?q=…`), or null when the address bar is not ours. */
  #urlOf(place: Place): URL | null {
    const root = this.#root();
    if (!root) return null;
    const url = new URL(root);
    url.pathname = `${root.pathname.replace(/\/$/, '')}${place.contactId ? `/contacts/${encodeURIComponent(place.contactId)}` : ''}`;
    url.search = place.q ? `?${new URLSearchParams({ q: place.q })}` : '';
    url.hash = '';
    return url;
  }

  /** Writes `place` into the address bar: a new entry (`push`, for Back) or the current one. */
  #remember(place: Place, how: 'push' | 'replace'): void {
    const url = this.#urlOf(place);
    if (!url || url.href === location.href) return;
    if (how === 'push') history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  }

  /**
   * Shows what the address bar names, as after a sign-in or Back: the search (reloaded when it
   * changed, or `always`) and the card, or none.
   */
  async #goTo({ contactId, q }: Place, always: boolean): Promise<void> {
    if (!this.who || this.denied) return;
    if (always || q !== this.query) {
      clearTimeout(this.#searchTimer);
      this.query = q;
      void this.loadList(0);
    }
    if (contactId === null) {
      this.#cardRequest++;
      [this.card, this.cardError] = [null, ''];
    } else if (contactId !== this.card?.contact.id) {
      await this.#loadCard(contactId, true);
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
    this.who = contact.email || phoneText(contact.phone) || contact.id;
    this.denied = '';
    // A link to a card (or a search) opened signed out lands there once signed in.
    void this.#goTo(this.#placeInUrl(), true);
  }

  #onSignedOut(): void {
    clearTimeout(this.#searchTimer);
    this.#listRequest++;
    this.#cardRequest++;
    [this.who, this.denied, this.query, this.page, this.card, this.listError, this.cardError] = [null, '', '', null, null, '', ''];
  }

  #onSearchInput(event: InputEvent): void {
    this.query = (event.target as HTMLInputElement).value;
    // Each letter would be a Back step of its own: the search changes the current entry.
    this.#remember({ contactId: this.card?.contact.id ?? null, q: this.query.trim() }, 'replace');
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => void this.loadList(0), SEARCH_DELAY_MS);
  }

  /** A change on the card may change its diagnosis, logs and opt-outs, and the list's row: both reload. */
  #onCardChanged(event: OtpCardChangedEvent): void {
    void this.#refreshCard(event.detail.contactId, event.detail.action);
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
    this.#cardRequest++;
    this.card = null;
    this.#remember({ contactId: null, q: this.query.trim() }, 'push');
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#search')?.focus();
  }


  /** Every render may bring new rows: their cells say their column on a narrow screen (stacked-tables.ts). */
  override updated(changed: PropertyValues): void {
    if (changed.has('page')) labelCells(this.renderRoot);
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
      cardHref: (contactId) => this.#urlOf({ contactId, q: this.query })?.href,
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
