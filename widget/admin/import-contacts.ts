/**
 * `<otp-import-contacts>`: the admin page's CSV export and import. The export is a plain download
 * link (the browser sends the admin's cookie). The import sends the chosen file's text as it is —
 * the server finds the columns email, phone and name by their headers, comma, `;` or tab
 * separated — then says how many contacts were added, how many lines were contacts already here
 * unchanged, and, line by line in the server's words, which were not imported and why.
 *
 * ```html
 * <otp-import-contacts api="https://login.example.com"></otp-import-contacts>
 * ```
 *
 * @fires otp-contacts-imported - `{imported}`: after an import was read by the server, so the page reloads its list.
 */
import { LitElement, css, html, nothing, type PropertyDeclarations } from 'lit';
import { defaultApi } from '../default-api.ts';
import { createAdminApi, type ImportReport } from './admin-api.ts';
import { OtpContactsImportedEvent } from './admin-events.ts';
import { adminStrings as s } from './admin-strings.ts';
import { adminStyles } from './admin-styles.ts';

export class OtpImportContacts extends LitElement {
  static override styles = [
    adminStyles,
    css`
      section, form { display: grid; gap: 0.75rem; max-width: 28rem; }
      a { color: var(--otp-accent, #0b57d0); font-weight: 600; }
      .rejected { display: grid; gap: 0.25rem; padding-left: 1.5rem; }
    `,
  ];

  static override properties = {
    api: { type: String },
    file: { state: true },
    busy: { state: true },
    error: { state: true },
    report: { state: true },
  } satisfies PropertyDeclarations;

  /** The otp-login server's URL. Default: the origin this script was loaded from. */
  declare api: string;

  /** The file chosen, until it is imported. */
  declare private file: File | null;
  declare private busy: boolean;
  /** Why the last import failed: the server's sentence, or the browser could not read the file. */
  declare private error: string;
  /** The last import's answer. */
  declare private report: ImportReport | null;

  constructor() {
    super();
    this.api = defaultApi();
    this.file = null;
    this.busy = false;
    this.error = '';
    this.report = null;
  }

  #onFileChange(event: Event): void {
    this.file = (event.target as HTMLInputElement).files?.[0] ?? null;
    this.error = '';
  }

  async #onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const file = this.file;
    if (!file || this.busy) return;
    const form = event.target as HTMLFormElement;
    [this.busy, this.error, this.report] = [true, '', null];
    const text = await file.text().catch(() => null);
    const result = text === null ? null : await createAdminApi(this.api).importCsv(text);
    this.busy = false;
    if (!result?.ok) {
      this.error = result ? result.error.message : s.unreadableFile;
      return this.#focus('#csv-import');
    }
    // Imported: the same file again would only repeat its refusals.
    [this.report, this.file] = [result.data, null];
    form.reset();
    this.dispatchEvent(new OtpContactsImportedEvent({ imported: result.data.imported }));
    return this.#focus('#csv-file');
  }

  async #focus(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  override render() {
    const { report, file, busy } = this;
    const rejected = report?.rejected ?? [];
    return html`
      <section aria-labelledby="csv-heading">
        <h2 id="csv-heading">${s.csvHeading}</h2>
        <p><a href=${createAdminApi(this.api).exportUrl()} download>${s.exportCsv}</a></p>
        <form novalidate aria-busy=${busy ? 'true' : 'false'} @submit=${this.#onSubmit}>
          <div class="field">
            <label for="csv-file">${s.importLabel}</label>
            <input id="csv-file" name="file" type="file" accept=".csv,text/csv,text/tab-separated-values,.tsv,.txt" aria-describedby="csv-hint" ?disabled=${busy} @change=${this.#onFileChange} />
            <p id="csv-hint" class="note">${s.importHint}</p>
          </div>
          <div class="row">
            <button id="csv-import" type="submit" class="primary" ?disabled=${!file || busy} aria-describedby=${file ? nothing : 'csv-choose'}>
              ${busy ? s.importing : s.importButton}
            </button>
            ${file ? nothing : html`<span id="csv-choose" class="muted">${s.chooseFileFirst}</span>`}
          </div>
        </form>
        <p class="live" role="status" aria-live="polite">
          ${report ? s.imported(report.imported) : nothing} ${report?.unchanged ? s.unchanged(report.unchanged) : nothing}
          ${rejected.length ? s.notImported(rejected.length) : nothing}
        </p>
        <p class=${this.error ? 'alert' : 'live'} role="alert">${this.error}</p>
        ${rejected.length ? html`<ul class="rejected">${rejected.map((r) => html`<li>${r.reason}</li>`)}</ul>` : nothing}
      </section>
    `;
  }
}

if (!customElements.get('otp-import-contacts')) customElements.define('otp-import-contacts', OtpImportContacts);

declare global {
  interface HTMLElementTagNameMap {
    'otp-import-contacts': OtpImportContacts;
  }
}
