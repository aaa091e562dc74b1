/**
 * `<otp-login>`: sign in with a 6-digit code sent by email or SMS; the browser is
 * then remembered, and when a code is needed again the widget says why. Its colours follow the
 * system's light or dark scheme, each until the site sets it (defaults in palette.ts).
 *
 * ```html
 * <script type="module" src="https://login.example.com/otp-login.js"></script>
 * <otp-login channels="email sms" lang="en-GB"></otp-login>
 * ```
 *
 * @fires otp-signed-in - `{contact, device, token}`: after a verify, and when a remembered browser is recognised on
 *   load; `token` is a 5-minute JWT for the site's backend (see `getToken()`).
 * @fires otp-signed-out - After the person signed out.
 * @fires otp-code-sent - `{channel, destination}`: after the server accepted a code request.
 * @fires otp-error - `{code, message}`: whenever an error is shown.
 *
 * @slot heading - Above everything in the card, e.g. `<h2 slot="heading">Members' area</h2>`.
 * @slot footer - Below everything in the card, e.g. a link to your privacy policy.
 *
 * @csspart card - The box around everything.
 * @csspart heading - The `heading` slot (a `display: contents` box: what it sets inherits to your heading).
 * @csspart footer - The `footer` slot, likewise.
 * @csspart message - The live regions: part `status` (polite) and part `error` (alert).
 * @csspart status - The step's lead: why a code is needed, where it was sent, who is signed in.
 * @csspart error - The error, when there is one.
 * @csspart explanation - Why a code is needed and what would help: above the identifier form, and
 *   after a sign-in this browser did not keep.
 * @csspart tip - In the explanation, what would spare the next code.
 * @csspart signed-in - "Signed in as …".
 * @csspart hint - A small note: check the spam folder, resending, how long the sign-in lasts.
 * @csspart form - Each form (identifier, code).
 * @csspart label - The label of each field, and of the email-or-text choice.
 * @csspart input - The email or phone field.
 * @csspart code-input - The code field.
 * @csspart channels - The email-or-text choice (a fieldset).
 * @csspart choice - A radio button or check box with its text.
 * @csspart button - The main button of each step (send code, sign in, sign out).
 * @csspart secondary-button - "Send a new code".
 * @csspart link-button - "Use a different email" (or number).
 *
 * @cssproperty --otp-text - Text colour.
 * @cssproperty --otp-muted - Secondary text colour: explanations, hints.
 * @cssproperty --otp-bg - Card background.
 * @cssproperty --otp-border - Card and secondary button border colour.
 * @cssproperty --otp-accent - Buttons, links, radio buttons, check boxes and the focus ring.
 * @cssproperty --otp-accent-text - Text on accent-coloured buttons.
 * @cssproperty --otp-error - Error text and border colour.
 * @cssproperty --otp-error-bg - Error background.
 * @cssproperty --otp-input-bg - Field background (default: `--otp-bg` when set).
 * @cssproperty --otp-input-border - Field border colour.
 * @cssproperty --otp-focus - Focus ring colour (default: the accent).
 * @cssproperty --otp-font - Font family.
 * @cssproperty --otp-font-size - Base font size (default 1rem); text sizes follow it.
 * @cssproperty --otp-label-weight - Weight of labels and buttons (default 600).
 * @cssproperty --otp-code-font - Font family of the code field.
 * @cssproperty --otp-radius - Corner radius of the card (default 0.75rem).
 * @cssproperty --otp-control-radius - Corner radius of fields, buttons and the error (default: half `--otp-radius`).
 * @cssproperty --otp-shadow - Shadow of the card (default none).
 * @cssproperty --otp-padding - Card padding (default 1.5rem; 1rem on a narrow screen).
 * @cssproperty --otp-gap - Space between the card's blocks (default 1rem); the spaces inside them are fractions of it.
 * @cssproperty --otp-max-width - Widest the element grows (default 26rem).
 */
import { defaultApi } from './default-api.ts';
import { html, nothing } from 'lit/html.js';
import { serverUrl, type Channel } from './api.ts';
import type { Explanation } from './explain.ts';
import { channelFor, identifierOf, parseChannels } from './flow.ts';
import { formatDate, formatTime } from './format.ts';
import { OtpElement } from './element.ts';
import { complete, english, languageOf, languageTag, restOfEnglish, stringsIn, type Language } from './i18n/languages.ts';
import type { View } from './rest.ts';
import { SignInController } from './sign-in-controller.ts';
import type { Strings } from './strings.ts';
import { styles } from './styles.ts';

export * from './events.ts';
export type { Strings } from './strings.ts';

type FocusTarget = '#identifier' | '#code' | '#resend' | '#sign-out' | '#signed-in';

const identifierErrors = new Set(['missing_identifier', 'invalid_email', 'invalid_phone']);

export class OtpLogin extends OtpElement {
  static override styles = styles;
  // `lang` is the element's own: the browser keeps it and the attribute in step.
  static observedAttributes = ['api', 'channels', 'lang'];
  static {
    this.reactive('api', 'channels', 'strings', 'typed', 'chosenChannel', 'dontRemember');
  }

  /** The otp-login server's URL. Default: the origin this script was loaded from. */
  declare api: string;
  /** `"email sms"` (default), `"email"` or `"sms"`: how codes may be sent. */
  declare channels: string;
  /**
   * The language of the sentences, dates and times (default: the nearest `lang` on the page):
   * English, Spanish, French, German, Portuguese or Dutch by its base (`fr-CA` → French), else
   * English. Changing it re-renders in the new language.
   */
  declare lang: string;
  /** Sentences that replace the chosen language's; see strings.ts. */
  declare strings: Partial<Strings>;

  /** What is in the identifier field. */
  declare private typed: string;
  /** `null` until the person picks a channel: until then it follows what they typed. */
  declare private chosenChannel: Channel | null;
  /** The "Don't remember this browser" checkbox; unticked for every new sign-in. */
  declare private dontRemember: boolean;
  /** The step, busy state, error and countdown live here and re-render the element. */
  #flow: SignInController;
  /** The language asked for; its sentences once they have loaded (until then, none are shown); both with `strings` on top. */
  #language: Language | undefined;
  #sentences: Strings | undefined;
  #languageLoaded: Promise<void> = Promise.resolve();
  #text: Strings = english;
  /** What the code step and the explanation (rest.ts) read from and do to this element. */
  #view: View;

  constructor() {
    super();
    this.api = defaultApi();
    this.channels = 'email sms';
    this.strings = {};
    this.typed = '';
    this.chosenChannel = null;
    this.dontRemember = false;
    this.#flow = new SignInController(this, {
      channels: () => parseChannels(this.channels),
      strings: () => this.#text,
      ready: () => {
        this.#speak(languageOf(this.#locale()));
        return this.#languageLoaded;
      },
      complete: () => this.#complete(),
      more: () => this.#more(),
      formatTime: (value) => this.#formatTime(value),
      language: () => this.#locale(),
      regionName: (code) => this.#regionName(code),
    });
    const element = this;
    this.#view = {
      flow: this.#flow,
      complete: () => this.#complete(),
      explanation: () => this.#explanation(),
      host: () => serverUrl(this.api)?.hostname ?? this.api,
      root: () => this.renderRoot as ShadowRoot,
      get text() {
        return element.#text;
      },
      get dontRemember() {
        return element.dontRemember;
      },
      set dontRemember(value) {
        element.dontRemember = value;
      },
      channels: () => this.#channels(),
      formatTime: (value) => this.#formatTime(value),
      field: (selector) => this.#field(selector),
      focus: (selector) => this.#focus(selector),
      reset: () => {
        this.typed = '';
        this.chosenChannel = null;
        this.dontRemember = false;
      },
    };
  }

  protected override willUpdate(changed: ReadonlySet<string>): void {
    this.#speak(languageOf(this.#locale()));
    if (changed.has('strings')) this.#text = { ...(this.#sentences ?? english), ...this.strings };
  }

  protected override updated(): void {
    this.#flow.rest?.awaitSms(this.#view, true);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#flow.rest?.awaitSms(this.#view, false);
  }

  /**
   * A fresh identity token (a JWT valid five minutes) for a request to the site's backend, or
   * null when this browser is not signed in.
   * @example fetch('/api/orders', { headers: { authorization: `Bearer ${await el.getToken()}` } })
   */
  getToken(): Promise<string | null> {
    return this.#flow.fetchToken();
  }

  /** Signs this browser out (the server forgets it) and shows the identifier form again. */
  async signOut(): Promise<void> {
    if (!(await this.#flow.signOut())) return;
    this.typed = '';
    this.chosenChannel = null;
    void this.#focus('#identifier');
  }

  /** Switches to the sentences of `language`: at once when they are at hand, else once loaded. */
  #speak(language: Language): void {
    if (language === this.#language) return;
    this.#language = language;
    const sentences = this.#sentences && language === 'en' && !complete(english) ? this.#more().then(() => english) : stringsIn(language);
    if (!(sentences instanceof Promise)) return this.#useSentences(sentences);
    this.#languageLoaded = sentences.then((loaded) => {
      if (this.#language !== language) return;
      this.#useSentences(loaded);
      this.requestUpdate();
    });
  }

  /**
   * Every sentence can be said: a language loaded whole, or English with the rest of its sentences.
   * Until then only the first screens' are (first-strings.ts).
   */
  #complete(): boolean {
    this.#speak(languageOf(this.#locale()));
    return (this.#language !== 'en' && this.#sentences !== english) || complete(english);
  }

  /** Loads the rest of English (on an English page, or one whose language did not load). */
  async #more(): Promise<boolean> {
    const loaded = await restOfEnglish();
    if (loaded && this.#sentences === english) {
      this.#useSentences(english);
      this.requestUpdate();
    }
    return loaded;
  }

  #useSentences(sentences: Strings): void {
    this.#sentences = sentences;
    this.#text = { ...sentences, ...this.strings };
    this.#flow.translateError();
  }

  #onIdentifierInput(event: InputEvent): void {
    this.typed = (event.target as HTMLInputElement).value;
  }

  #onChannelChange(event: Event): void {
    this.chosenChannel = (event.target as HTMLInputElement).value === 'sms' ? 'sms' : 'email';
  }

  async #onIdentifySubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.#flow.busy) return;
    // Read the field itself: some autofill fires no input event.
    this.typed = this.#field('#identifier')?.value ?? this.typed;
    const value = this.typed.trim();
    if (!value) {
      this.#flow.showError({ code: 'missing_identifier', message: '' });
      return this.#focus('#identifier');
    }
    const channels = this.#channels();
    const identifier = identifierOf(value, channels);
    const outcome = await this.#flow.requestCode(identifier, channelFor(value, channels, this.chosenChannel));
    // Refused: back to the field, since the button, disabled while sending, lost the focus.
    await this.#focus(outcome === 'refused' ? '#identifier' : '#code');
  }

  async #onSignOut(): Promise<void> {
    await this.signOut();
    // Refused or offline: the button lost the focus while disabled.
    if (this.#flow.step.name === 'signedIn') await this.#focus('#sign-out');
  }

  /** Focus moves only after an action of the person, never on page load. */
  async #focus(target: FocusTarget): Promise<void> {
    await this.updateComplete;
    this.#field(target)?.focus();
  }

  #field(selector: string): HTMLInputElement | null {
    return this.renderRoot?.querySelector<HTMLInputElement>(selector) ?? null;
  }

  #channels(): Channel[] {
    return parseChannels(this.channels);
  }

  #formatTime(value: string | number): string | undefined {
    return formatTime(value, this.#locale());
  }

  /** "FR" → "France", in the language the sentences are in. */
  #regionName(code: string): string | undefined {
    try {
      return new Intl.DisplayNames([this.#language ?? 'en'], { type: 'region' }).of(code);
    } catch {
      return undefined;
    }
  }

  #locale(): string | undefined {
    return this.lang || languageTag(this);
  }

  override render() {
    this.#explained = undefined;
    return html`
      <div part="card">
        <slot name="heading" part="heading"></slot>
        ${this.#renderSignedInLine()}
        <div part="message status" id="status" role="status" aria-live="polite">${this.#renderStatus()}</div>
        <p part="message error" id="error" role="alert">${this.#renderError()}</p>
        ${this.#renderStep()}
        <slot name="footer" part="footer"></slot>
      </div>
    `;
  }

  /**
   * A new error is new text in the alert even when its sentence repeats, so it is announced again:
   * consecutive errors alternate between two templates, and Lit replaces the text when the template changes.
   */
  #renderError() {
    const { error } = this.#flow;
    if (!error) return nothing;
    return error.key % 2 ? html`${error.text}` : html`${error.text}`;
  }

  #renderStep() {
    switch (this.#flow.step.name) {
      case 'checking':
        return nothing;
      case 'identify':
        return this.#renderIdentify();
      case 'code':
        return this.#flow.rest?.renderCode(this.#view, this.#flow.step) ?? nothing;
      case 'signedIn':
        return this.#renderSignedIn();
    }
  }

  /** The step's lead sentence, in the polite live region so each step change is announced. */
  #renderStatus() {
    const s = this.#text;
    switch (this.#flow.step.name) {
      case 'checking':
        // Nothing rather than another language while the page's is loading.
        return this.#sentences ? s.checking : nothing;
      case 'identify':
        // A first visit leads with the field; its why follows the form (#renderIdentify).
        return this.#firstVisit() ? nothing : this.#renderExplanation();
      case 'code':
        return this.#flow.rest?.renderCodeStatus(this.#view, this.#flow.step) ?? nothing;
      case 'signedIn': {
        const { device, remembered } = this.#flow.step;
        const until = remembered === 'untilExpiry' ? formatDate(device.expiresAt, this.#locale()) : undefined;
        return remembered === 'notKept'
          ? this.#renderExplanation(s.notKept)
          : remembered === 'browserSession'
            ? html`<p part="hint">${s.rememberedForSession}</p>`
            : until
              ? html`<p part="hint">${s.rememberedUntil(until)}</p>`
              : nothing;
      }
    }
  }

  /**
   * "Signed in as …", outside the live region: focus lands on it after a sign-in, and a screen
   * reader reads the focused line anyway, so inside the region it would be heard twice.
   */
  #renderSignedInLine() {
    if (this.#flow.step.name !== 'signedIn') return nothing;
    const { contact } = this.#flow.step;
    const who = contact.email || contact.phone;
    return html`<p part="signed-in" id="signed-in" tabindex="-1">${who ? this.#text.signedInAs(who) : this.#text.signedIn}</p>`;
  }

  /**
   * Nothing has gone wrong on a first visit: the field comes first (on a phone it is on the first
   * screen) and the why (R6) follows the form. Every other reason (cookies cleared, signed out by
   * the site's team, …) still leads, since it tells the person something they need to know.
   */
  #firstVisit(): boolean {
    return this.#flow.step.name === 'identify' && this.#explanation()?.reason === 'first_sign_in';
  }

  /** Why a code is needed, worked out once a render (it reads this browser's history), however many parts ask. */
  #explained: Explanation | undefined;
  #explanation(): Explanation | undefined {
    return (this.#explained ??= this.#flow.explanation());
  }

  /** Why a code is (or next time will be) needed, and what would help (rest.ts); `lead` goes first. */
  #renderExplanation(lead?: string) {
    return this.#flow.rest?.renderExplanation(this.#view, lead) ?? nothing;
  }

  #renderIdentify() {
    const { busy } = this.#flow;
    const s = this.#text;
    const channels = this.#channels();
    const both = channels.length === 2;
    const only = channels[0];
    const channel = channelFor(this.typed, channels, this.chosenChannel);
    const invalid = identifierErrors.has(this.#flow.error?.code ?? '');
    return html`
      <form part="form" novalidate aria-busy=${busy ? 'true' : 'false'} @submit=${this.#onIdentifySubmit}>
        <div class="field">
          <label part="label" for="identifier">${both ? s.labelEmailOrPhone : only === 'email' ? s.labelEmail : s.labelPhone}</label>
          <input
            id="identifier"
            part="input"
            name="identifier"
            type=${both ? 'text' : only === 'email' ? 'email' : 'tel'}
            autocomplete=${both ? 'username' : only === 'email' ? 'email' : 'tel'}
            autocapitalize="off"
            spellcheck="false"
            required
            .value=${this.typed}
            ?readonly=${busy !== null}
            aria-invalid=${invalid ? 'true' : 'false'}
            aria-describedby=${invalid ? 'error' : nothing}
            @input=${this.#onIdentifierInput}
          />
        </div>
        ${both
          ? html`
              <fieldset part="channels">
                <legend part="label">${s.channelLegend}</legend>
                <label part="choice">
                  <input type="radio" name="channel" value="email" .checked=${channel === 'email'} @change=${this.#onChannelChange} />
                  ${s.channelEmail}
                </label>
                <label part="choice">
                  <input
                    type="radio"
                    name="channel"
                    value="sms"
                    .checked=${channel === 'sms'}
                    aria-describedby=${channel === 'sms' ? 'sms-risk' : nothing}
                    @change=${this.#onChannelChange}
                  />
                  ${s.channelSms}
                </label>
                ${channel === 'sms' ? html`<p part="hint" id="sms-risk">${s.smsRisk}</p>` : nothing}
              </fieldset>
            `
          : nothing}
        <button part="button" type="submit" ?disabled=${busy !== null}>
          ${busy === 'sending' ? s.sending : s.sendCode}
        </button>
      </form>
      ${this.#firstVisit() ? this.#renderExplanation() : nothing}
    `;
  }

  #renderSignedIn() {
    const { busy } = this.#flow;
    const s = this.#text;
    return html`
      <div class="actions">
        <button id="sign-out" part="button" type="button" ?disabled=${busy !== null} @click=${this.#onSignOut}>
          ${busy === 'signingOut' ? s.signingOut : s.signOut}
        </button>
      </div>
    `;
  }
}

if (!customElements.get('otp-login')) customElements.define('otp-login', OtpLogin);

declare global {
  interface HTMLElementTagNameMap {
    'otp-login': OtpLogin;
  }
}
