/**
 * `<otp-add-contact>`: the admin's "Add contact" form (email, mobile number, name). The server
 * validates and normalises; its sentence is shown when it refuses, and a duplicate offers to open
 * the contact that already exists.
 *
 * @fires otp-open-contact - `{contactId, added}`: after a contact was added (`added: true`), or on "Open it" for a duplicate.
 */
import { LitElement, css, html, type PropertyDeclarations } from 'lit';
import { defaultApi } from '../default-api.ts';
import { createAdminApi, type ApiError, type NewContact } from './admin-api.ts';
import { OtpOpenContactEvent } from './admin-events.ts';
import { adminStrings as s } from './admin-strings.ts';
import { adminStyles } from './admin-styles.ts';
import { contactLabel } from './card-sections.ts';
import { readContactFields, renderContactFields, renderFieldsError } from './contact-fields.ts';

export class OtpAddContact extends LitElement {
  static override styles = [
    adminStyles,
    css`
      form { display: grid; gap: 0.75rem; max-width: 28rem; }
    `,
  ];

  static override properties = {
    api: { type: String },
    busy: { state: true },
    error: { state: true },
    announcement: { state: true },
  } satisfies PropertyDeclarations;

  /** The otp-login server's URL. Default: the origin this script was loaded from. */
  declare api: string;

  declare private busy: boolean;
  /** The server's refusal, kept whole: a duplicate carries `contactId`. */
  declare private error: ApiError | null;
  declare private announcement: string;

  constructor() {
    super();
    this.api = defaultApi();
    this.busy = false;
    this.error = null;
    this.announcement = '';
  }

  /**
   * Fills the form with an address (a search found someone tried it, and no contact has it), says
   * so, and puts focus in the name field: the admin adds a name if they know it, then submits.
   */
  async prefill(fields: { email?: string; phone?: string }): Promise<void> {
    await this.updateComplete;
    const form = this.renderRoot.querySelector('form');
    if (!form) return;
    form.reset();
    for (const [name, value] of Object.entries(fields)) {
      const input = form.elements.namedItem(name) as HTMLInputElement | null;
      if (input) input.value = value;
    }
    [this.error, this.announcement] = [null, s.addPrefilled(Object.values(fields)[0] ?? '')];
    this.renderRoot.querySelector<HTMLInputElement>('#new-name')?.focus();
  }

  async #onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const form = event.target as HTMLFormElement;
    // An empty field is left out: the server reads a missing field as "none".
    const body: NewContact = Object.fromEntries(Object.entries(readContactFields(form)).filter(([, value]) => value));
    this.busy = true;
    this.announcement = '';
    const result = await createAdminApi(this.api).addContact(body);
    this.busy = false;
    if (!result.ok) {
      this.error = result.error;
      return;
    }
    this.error = null;
    form.reset();
    this.announcement = s.added(contactLabel(result.data.contact));
    this.dispatchEvent(new OtpOpenContactEvent({ contactId: result.data.contact.id, added: true }));
  }

  #openExisting(contactId: string): void {
    this.dispatchEvent(new OtpOpenContactEvent({ contactId }));
  }

  override render() {
    return html`
      <section aria-labelledby="add-heading">
        <h2 id="add-heading">${s.addHeading}</h2>
        <p class="muted">${s.addLead}</p>
        <p class="live" role="status" aria-live="polite">${this.announcement}</p>
        ${renderFieldsError('new', this.error, (contactId) => this.#openExisting(contactId))}
        <form novalidate aria-busy=${this.busy ? 'true' : 'false'} @submit=${this.#onSubmit}>
          ${renderContactFields('new', this.error)}
          <div class="row"><button type="submit" class="primary" ?disabled=${this.busy}>${this.busy ? s.adding : s.add}</button></div>
        </form>
      </section>
    `;
  }
}

if (!customElements.get('otp-add-contact')) customElements.define('otp-add-contact', OtpAddContact);

declare global {
  interface HTMLElementTagNameMap {
    'otp-add-contact': OtpAddContact;
  }
}
