/**
 * `<otp-add-contact>`: the admin's "Add contact" form (email, mobile number, name). The server
 * validates and normalises; its sentence is shown when it refuses, and a duplicate offers to open
 * the contact that already exists.
 *
 * @fires otp-open-contact - `{contactId, added}`: after a contact was added (`added: true`), or on "Open it" for a duplicate.
 */
import { LitElement, css, html, nothing, type PropertyDeclarations } from 'lit';
import { createAdminApi, type ApiError, type NewContact } from './admin-api.ts';
import { OtpOpenContactEvent } from './admin-events.ts';
import { adminStrings as s } from './admin-strings.ts';
import { adminStyles } from './admin-styles.ts';
import { contactLabel } from './card-sections.ts';

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

  /** The otp-login server's URL. */
  declare api: string;

  declare private busy: boolean;
  /** The server's refusal, kept whole: a duplicate carries `contactId`. */
  declare private error: ApiError | null;
  declare private announcement: string;

  constructor() {
    super();
    this.api = location.origin;
    this.busy = false;
    this.error = null;
    this.announcement = '';
  }

  async #onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const form = event.target as HTMLFormElement;
    const fields = new FormData(form);
    const body: NewContact = {};
    for (const key of ['email', 'phone', 'name'] as const) {
      const value = String(fields.get(key) ?? '').trim();
      if (value) body[key] = value;
    }
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
    const error = this.error;
    const existing = error?.code === 'contact_exists' && typeof error.contactId === 'string' ? error.contactId : null;
    const invalid = (code: string) => (error?.code === code ? 'true' : 'false');
    return html`
      <section aria-labelledby="add-heading">
        <h2 id="add-heading">${s.addHeading}</h2>
        <p class="muted">${s.addLead}</p>
        <p class="live" role="status" aria-live="polite">${this.announcement}</p>
        <div class=${error ? 'alert' : 'live'} role="alert">
          ${error
            ? html`<p id="add-error">${error.message}</p>
                ${existing ? html`<button type="button" class="link" @click=${() => this.#openExisting(existing)}>${s.openIt}</button>` : nothing}`
            : nothing}
        </div>
        <form novalidate aria-busy=${this.busy ? 'true' : 'false'} @submit=${this.#onSubmit}>
          <div class="field">
            <label for="new-email">${s.labelEmail}</label>
            <input id="new-email" name="email" type="email" autocomplete="off" spellcheck="false" aria-invalid=${invalid('invalid_email')} />
          </div>
          <div class="field">
            <label for="new-phone">${s.labelPhone}</label>
            <input id="new-phone" name="phone" type="tel" autocomplete="off" aria-describedby="phone-hint" aria-invalid=${invalid('invalid_phone')} />
            <p id="phone-hint" class="note">${s.phoneHint}</p>
          </div>
          <div class="field">
            <label for="new-name">${s.labelName}</label>
            <input id="new-name" name="name" type="text" autocomplete="off" />
          </div>
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
