/**
 * The rest of `<otp-login>`, built as `otp-login-rest.js` (issue 16: the script a site embeds stays
 * small): what the first screens (the form, "Checking…", "Signed in as …") do not need — why a code
 * is needed (explain.ts and the guesses it reads), the sentence for each error, the embed check, the
 * code held across a reload (held-code.ts), and the code step: the code request, its form, the
 * verify, WebOTP. The controller loads it
 * alongside the session check when this browser is not signed in, and before anything needs it.
 *
 * It imports nothing at run time, as the language chunks do: a chunk importing `./otp-login.js`
 * would run a second copy of the widget on a page that loads it as `otp-login.js?v=2`. Lit's `html`
 * and `nothing` come from the widget instead, so its templates render with the widget's own Lit.
 *
 * ```ts
 * const rest = (await import('./rest.ts')).default({ html, nothing });
 * rest.renderCode(view);
 * ```
 */
import type { html as litHtml, nothing as litNothing } from 'lit';
import type { Api, Channel, CodeSent, Session, SignedInSession } from './api.ts';
import { browserFamily } from './browser-family.ts';
import { checkEmbedding } from './embed-check.ts';
import { burnsCode, errorMessage } from './error-message.ts';
import { explain, type Explanation } from './explain.ts';
import { explanationText } from './explanation-text.ts';
import type { FlowEvent, Identifier, Remembered, Step } from './flow.ts';
import { createHeldCodes, type HeldCodes } from './held-code.ts';
import { probePrivateWindow } from './private-window.ts';
import type { RequestOutcome, SignInController, SignInOptions, VerifyOutcome } from './sign-in-controller.ts';
import type { Strings } from './strings.ts';
import type { ErrorArgs } from './sign-in-controller.ts';

/** What the widget lends this chunk of Lit. */
export interface Lit {
  html: typeof litHtml;
  nothing: typeof litNothing;
}

/** What the code step and the explanation read from and do to their `<otp-login>`. */
export interface View {
  readonly flow: SignInController;
  readonly text: Strings;
  /** Every sentence can be said: the page's language has loaded whole. */
  complete(): boolean;
  /** Why a code is needed, worked out once a render. */
  explanation(): Explanation | undefined;
  /** The server's host name, named in tips about allowing its cookies (cookies ignore the port). */
  host(): string;
  /** The "Don't remember this browser" check box. */
  dontRemember: boolean;
  channels(): Channel[];
  formatTime(value: string | number): string | undefined;
  field(selector: string): HTMLInputElement | null;
  /** Focus moves only after an action of the person, never on page load. */
  focus(selector: '#identifier' | '#code' | '#resend' | '#signed-in'): Promise<void>;
  /** Signed in: the element forgets what was typed and chosen. */
  reset(): void;
  /** The element's shadow root, which adopts the code step's styles. */
  root(): ShadowRoot;
}

/** What a code request and a verify (here) use of the controller that runs them, beyond its public face. */
export interface FlowParts {
  readonly controller: SignInController;
  readonly held: HeldCodes;
  api(): Api;
  /** Epoch ms, the controller's clock. */
  clock(): number;
  /** The page's language tag, sent with a code request so the message speaks it too. */
  language(): string | undefined;
  maskIdentifier(value: string): string;
  /** Moves to the step after `event` and re-renders. */
  go(event: FlowEvent): void;
  noteEmbedding(answer: Session): void;
  /** Fires otp-code-sent. */
  codeSent(sent: CodeSent): void;
  /** Fires otp-signed-in. */
  signedIn(session: SignedInSession): void;
}

/** The body fields that name the person: `{ email }` or `{ phone }`. */
const identifierBody = (identifier: Identifier): { email: string } | { phone: string } =>
  identifier.kind === 'email' ? { email: identifier.value } : { phone: identifier.value };

/**
 * The channel a code went by when it is not the typed identifier's own (an email typed, a text
 * sent): the server keeps that destination hidden and cannot say whether one is on file (R3).
 */
const sentOnFile = (identifier: Identifier, channel: Channel): Channel | undefined =>
  channel === (identifier.kind === 'email' ? 'email' : 'sms') ? undefined : channel;

const codeErrors = new Set(['invalid_code_format', 'wrong_code', 'superseded_code', 'expired_code', 'too_many_attempts', 'no_active_code']);

// The code step's own styles come with it (styles.ts has the rest), as a constructed stylesheet
// adopted by the element's shadow root, as Lit adopts its own: a page's Content-Security-Policy
// blocks a <style> element without its nonce, and the admin's and demo's pages have one. `#code`
// outweighs the field styles' `font: inherit`. The resend countdown is read while disabled, so it
// keeps full-contrast text.
// `css` only so the build minifies the text (widget/minify-templates.ts): the chunk imports no Lit.
const css = String.raw;
const CODE_STEP_CSS = css`
  input#code {
    font-family: var(--otp-code-font, ui-monospace, 'SF Mono', Menlo, Consolas, monospace);
    font-size: 1.5em;
    letter-spacing: 0.4em;
    text-align: center;
  }
  input[aria-disabled='true'] {
    opacity: 0.6;
  }
  button[part~='link-button'] {
    justify-self: start;
    padding: 0;
    border: 0;
    text-decoration: underline;
    text-underline-offset: 0.2em;
  }
  button[part~='secondary-button']:disabled {
    color: var(--_muted);
    opacity: 1;
  }
  .resend {
    display: grid;
    gap: calc(var(--_gap) / 2);
    justify-items: start;
  }
  @media (max-width: 30rem) {
    button[part~='secondary-button'] {
      width: 100%;
    }
  }

`;
let codeSheet: CSSStyleSheet | undefined;
const adopted = new WeakSet<ShadowRoot>();

/** Adds the code step's styles to `root` once; where stylesheets cannot be constructed, as Lit does, a <style> with Lit's nonce. */
function adoptCodeStyles(root: ShadowRoot): void {
  if (adopted.has(root)) return;
  adopted.add(root);
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    if (!codeSheet) {
      codeSheet = new CSSStyleSheet();
      codeSheet.replaceSync(CODE_STEP_CSS);
    }
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, codeSheet];
    return;
  }
  const style = document.createElement('style');
  const nonce = (globalThis as { litNonce?: string }).litNonce;
  if (nonce) style.setAttribute('nonce', nonce);
  style.textContent = CODE_STEP_CSS;
  root.append(style);
}

const rest = ({ html, nothing }: Lit) => {
  const clearCode = (view: View) => {
    const input = view.field('#code');
    if (input) input.value = '';
  };

  async function submitCode(view: View, code: string): Promise<void> {
    const outcome = await view.flow.verify(code, !view.dontRemember);
    if (outcome === 'ignored') return;
    if (outcome === 'signedIn') {
      view.reset();
      // Not the sign-out button: an Enter pressed after the sixth digit (which already submitted)
      // would sign the person straight out. The "Signed in as …" line is read out instead.
      return view.focus('#signed-in');
    }
    clearCode(view);
    // A burned code cannot be retried: point at the way out once it is available.
    await view.focus(outcome === 'newCodeNeeded' && view.flow.secondsUntilResend === 0 ? '#resend' : '#code');
  }

  /**
   * WebOTP: where the browser supports it, it reads the texted code (the message ends with
   * `@host #code`) and, once the person allows it, the code fills in and is submitted. Aborting the
   * returned controller stops listening (the step ended).
   */
  function listenForSms(view: View): AbortController {
    const stop = new AbortController();
    if (!('OTPCredential' in window) || !navigator.credentials?.get) return stop;
    navigator.credentials
      .get({ otp: { transport: ['sms'] }, signal: stop.signal } as CredentialRequestOptions)
      .then((credential) => {
        const code = (credential as { code?: string } | null)?.code;
        if (stop.signal.aborted || !code || !/^\d{6}$/.test(code)) return;
        const input = view.field('#code');
        if (input) input.value = code;
        void submitCode(view, code);
      })
      .catch(() => {
        /* aborted, refused or unsupported: the person types the code */
      });
    return stop;
  }

  /** Each element's WebOTP listener, while a texted code is awaited. */
  const listening = new WeakMap<View, { sent: unknown; stop: AbortController }>();

  /** Listens for the texted code while the code step awaits one, and stops when the step ends or the element left the page. */
  function awaitSms(view: View, connected: boolean): void {
    const { step } = view.flow;
    const awaiting = connected && step.name === 'code' && step.channel === 'sms' ? step.sent : null;
    const current = listening.get(view);
    if (current && current.sent !== awaiting) {
      current.stop.abort();
      listening.delete(view);
    }
    if (awaiting && !listening.has(view)) listening.set(view, { sent: awaiting, stop: listenForSms(view) });
  }

  function renderCode(view: View, step: Extract<Step, { name: 'code' }>) {
    const { flow, text: s } = view;
    const { busy } = flow;
    const secondsLeft = flow.secondsUntilResend;
    const invalid = codeErrors.has(flow.error?.code ?? '');
    // A burned code: typing more is pointless, so the field and its button rest and a new code leads.
    // The field is read-only and aria-disabled rather than disabled, so focus may rest on it during
    // the countdown to a new code, with the alert describing it.
    const burned = flow.error?.burned === true;

    const onCodeInput = (event: InputEvent) => {
      const input = event.target as HTMLInputElement;
      const digits = input.value.replace(/\D/g, '').slice(0, 6);
      if (input.value !== digits) input.value = digits;
      if (digits.length === 6) void submitCode(view, digits);
    };
    /** maxlength would cut "482 913" to "482 91", so a whole pasted code is taken here, before it. */
    const onCodePaste = (event: ClipboardEvent) => {
      const digits = (event.clipboardData?.getData('text') ?? '').replace(/[\s\u2010-\u2015-]/g, '');
      if (!/^\d{6}$/.test(digits)) return;
      event.preventDefault();
      (event.target as HTMLInputElement).value = digits;
      void submitCode(view, digits);
    };
    const onCodeSubmit = (event: SubmitEvent) => {
      event.preventDefault();
      const digits = (view.field('#code')?.value ?? '').replace(/\D/g, '');
      if (digits.length === 6) return void submitCode(view, digits);
      if (flow.busy) return;
      flow.showError({ code: 'invalid_code_format', message: '' });
      void view.focus('#code');
    };
    const onResend = async () => {
      const { step } = flow;
      if (step.name !== 'code') return;
      // Only a new code makes the digits typed so far useless: the code held still takes them.
      if ((await flow.requestCode(step.identifier, step.channel)) === 'sent') clearCode(view);
      // Refused too: the resend button lost the focus while disabled, and the code already sent still works.
      await view.focus('#code');
    };
    const onChangeIdentifier = () => {
      flow.changeIdentifier();
      void view.focus('#identifier');
    };
    const onDontRememberChange = (event: Event) => {
      view.dontRemember = (event.target as HTMLInputElement).checked;
    };

    adoptCodeStyles(view.root());
    return html`
      ${step.sent.channel === 'email' ? html`<p part="hint">${s.checkSpam}</p>` : nothing}
      ${step.sent.smsPaused
        ? html`<p part="hint" id="sms-paused">${s.smsPaused(view.formatTime(step.sent.smsPaused.until), view.channels().includes('email'))}</p>`
        : nothing}
      <form part="form" novalidate aria-busy=${busy ? 'true' : 'false'} @submit=${onCodeSubmit}>
        <!-- Before the field: the sixth digit submits, so the box must be ticked before typing. -->
        <label part="choice">
          <input id="dont-remember" type="checkbox" name="dont-remember" .checked=${view.dontRemember} ?disabled=${busy !== null} @change=${onDontRememberChange} />
          ${s.dontRemember}
        </label>
        <div class="field">
          <label part="label" for="code">${s.codeLabel}</label>
          <input
            id="code"
            part="code-input"
            name="code"
            type="text"
            autocomplete="one-time-code"
            inputmode="numeric"
            pattern="[0-9]*"
            maxlength="6"
            required
            ?readonly=${busy !== null || burned}
            aria-disabled=${burned ? 'true' : 'false'}
            aria-invalid=${invalid ? 'true' : 'false'}
            aria-describedby=${invalid ? 'status error' : 'status'}
            @input=${onCodeInput}
            @paste=${onCodePaste}
          />
        </div>
        <button part="button" type="submit" ?disabled=${busy !== null || burned}>${busy === 'verifying' ? s.verifying : s.verify}</button>
      </form>
      <div class="resend">
        <p part="hint" id="resend-note">${s.resendNote}</p>
        <button
          id="resend"
          part=${burned ? 'button' : 'secondary-button'}
          type="button"
          aria-describedby="resend-note"
          ?disabled=${busy !== null || secondsLeft > 0}
          @click=${onResend}
        >
          ${busy === 'resending' ? s.sending : secondsLeft > 0 ? s.resendIn(secondsLeft) : s.resend}
        </button>
      </div>
      <button part="link-button" type="button" ?disabled=${busy !== null} @click=${onChangeIdentifier}>${s.changeIdentifier(step.identifier.kind)}</button>
    `;
  }


  /**
   * A code request, once the controller has said it is busy and the rest of the sentences are here.
   * A code this browser holds for the same identifier and channel still works when the server
   * refuses another, so its code step opens then, never a dead end.
   */
  async function requestCode(p: FlowParts, identifier: Identifier, channel: Channel): Promise<RequestOutcome> {
    const { controller } = p;
      const reason = controller.explanation()?.reason;
      const lang = p.language();
      const held = p.held.find(identifier, channel, p.clock());
      const previousSentAt = held?.sent.sentAt;
      const result = await p.api().requestCode({ ...identifierBody(identifier), channel, reason, ...(lang && { lang }), ...(previousSentAt && { previousSentAt }) });
      controller.busy = null;
      if (!result.ok) {
        const { error } = result;
        const wait = error.code === 'rate_limited' && error.locked !== true ? error.retryAfter : undefined;
        // No limit named: the code named by previousSentAt is too new for another. A limit (the
        // network's, texts to the number's area) says nothing of that code. Either way it still works.
        const tooSoon = error.limit === undefined && previousSentAt !== undefined;
        if (held && typeof wait === 'number' && (tooSoon || error.limit !== undefined)) {
          const kept = { ...held, resendAt: Math.max(held.resendAt, p.clock() + wait * 1000) };
          p.held.hold(kept);
          p.go({ type: 'codeHeld', identifier: kept.identifier, channel, sent: kept.sent, at: kept.receivedAt, resendAt: kept.resendAt });
          controller.showError(error, channel, kept.identifier, tooSoon ? previousSentAt : undefined);
          return 'held';
        }
        if (typeof wait === 'number') p.go({ type: 'resendLimited', until: p.clock() + wait * 1000 });
        controller.showError(error, channel, identifier);
        return 'refused';
      }
      if (result.data.notSent) {
        // Nothing went out: stay where the person can pick the other channel, and say why.
        controller.showError({ code: 'not_sent', message: '', channel, ...result.data.notSent }, channel);
        return 'refused';
      }
      const at = p.clock();
      const sent = result.data;
      p.held.hold({ identifier, sent, receivedAt: at, expiresAt: at + Math.max(0, sent.expiresIn) * 1000, resendAt: at + Math.max(0, sent.resendAfter) * 1000 });
      p.go({ type: 'codeSent', identifier, channel, sent, at });
      p.codeSent(sent);
      return 'sent';
  }

  /** A verify, once the controller has said it is busy; `remember: false` signs in for this browser session only. */
  async function verify(p: FlowParts, identifier: Identifier, code: string, remember: boolean): Promise<VerifyOutcome> {
    const { controller } = p;
      const result = await p.api().verify({ ...identifierBody(identifier), code, ...(!remember && { remember: false }) });
      if (!result.ok) {
        controller.busy = null;
        controller.showError(result.error, undefined, identifier);
        return burnsCode(result.error) ? 'newCodeNeeded' : 'tryAgain';
      }
      p.noteEmbedding(result.data);
      // A browser that refuses the cookie still gets the verify's answer: only asking again tells.
      // The verify's answer carried the token already, so this asks for none.
      const check = await p.api().session({ token: false });
      controller.busy = null;
      if (check.ok) p.noteEmbedding(check.data);
      const remembered: Remembered = !check.ok ? 'unknown' : !check.data.signedIn ? 'notKept' : remember ? 'untilExpiry' : 'browserSession';
      const { contact, device } = result.data;
      controller.history.recordSignIn(device.expiresAt, new Date(p.clock()), {
        who: p.maskIdentifier((identifier.kind === 'email' ? contact.email : contact.phone) || identifier.value),
        sessionOnly: !remember,
        cookieRefused: remembered === 'notKept',
      });
      p.held.forget();
      p.go({ type: 'verified', session: result.data, remembered });
      p.signedIn(result.data);
      return 'signedIn';
  }

  /** Why a code is needed now, from the step and everything this browser tells (explain.ts). */
  const explanation = (c: SignInController, now: number): Explanation => {
    const { step } = c;
    return explain({
      reason: step.name === 'identify' || step.name === 'code' ? step.reason : null,
      history: c.history.read(),
      cookieEnabled: navigator.cookieEnabled,
      crossSite: c.crossSite,
      cookieDidNotStick: step.name === 'signedIn' && step.remembered === 'notKept',
      privateWindow: c.privateWindow,
      browser: browserFamily(navigator.userAgent),
      now,
    });
  };

  /** The sentence for an error of a request (not the check on load), once every sentence can be said. */
  const say = (strings: Strings, [error, channel, identifier, heldSentAt]: ErrorArgs, context: SignInOptions): string =>
    errorMessage(strings, error, {
      channels: context.channels(),
      channel,
      formatTime: (iso) => context.formatTime(iso) ?? '',
      identifier: identifier?.kind,
      ...(context.regionName && { regionName: context.regionName }),
      ...(heldSentAt && channel && identifier && { held: { time: context.formatTime(heldSentAt) ?? '', onFile: sentOnFile(identifier, channel) } }),
    });

  /** Why a code is (or next time will be) needed, and what would help; `lead` goes first. */
  function renderExplanation(view: View, lead?: string) {
    // Its sentences load with the rest (alongside the session check): the form does not wait for them.
    const explained = view.explanation();
    if (!view.complete() || !explained) return nothing;
    const { why, tip } = explanationText(view.text, explained, { host: view.host(), who: view.flow.history.read()?.who });
    return html`
      <div part="explanation">
        ${lead ? html`<p>${lead}</p>` : nothing}
        <p class="why">${why}</p>
        ${tip ? html`<p part="tip">${tip}</p>` : nothing}
      </div>
    `;
  }

  /** The code step's lead sentence: where the code went, and when. */
  function renderCodeStatus(view: View, { sent, sentAt, identifier, channel, reopened }: Extract<Step, { name: 'code' }>) {
    const s = view.text;
    const time = (sent.sentAt && view.formatTime(sent.sentAt)) || view.formatTime(sentAt) || '';
    // Sent by the other channel than the one typed: the server keeps the destination hidden and
    // cannot say whether one is on file (R3), so the sentence says "if".
    const onFile = sentOnFile(identifier, channel);
    const where = onFile ? s.codeSentOnFile({ channel: onFile, time }) : s.codeSent({ destination: sent.destination, time });
    // Opened by a reload: the page starts here, so it says again why a code is needed.
    return reopened ? html`${renderExplanation(view, undefined)}<p>${where}</p>` : where;
  }

  return { awaitSms, explanation, say, renderExplanation, renderCodeStatus, burnsCode, checkEmbedding, createHeldCodes, requestCode, verify, probePrivateWindow, renderCode };
};

export default rest;
export type Rest = ReturnType<typeof rest>;
