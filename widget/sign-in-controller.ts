/**
 * Runs the sign-in flow (flow.ts) against the server for an `<otp-login>` host:
 * calls the API, keeps the step, the busy state, the error shown and the resend
 * countdown, gathers the signals explain.ts needs (and reports its reason with each
 * code request), writes the history marker and fires the `otp-` events on the host.
 * The element only renders this state and turns DOM events into calls here.
 *
 * ```ts
 * class OtpLogin extends LitElement {
 *   #flow = new SignInController(this, { channels, strings, formatTime });
 *   render() { return this.#flow.step.name === 'code' ? … : …; }
 * }
 * ```
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { createApi, type ApiError, type Channel, type CodeSent, type Session, type SignedInSession } from './api.ts';
import { browserFamily } from './browser-family.ts';
import { checkEmbedding } from './embed-check.ts';
import { burnsCode, errorMessage } from './error-message.ts';
import { OtpCodeSentEvent, OtpErrorEvent, OtpSignedInEvent, OtpSignedOutEvent } from './events.ts';
import { explain, type Explanation } from './explain.ts';
import { identifierBody, initialStep, next, type FlowEvent, type Identifier, type Remembered, type Step } from './flow.ts';
import { maskIdentifier } from './format.ts';
import { createHeldCodes, type HeldCode, type HeldCodes } from './held-code.ts';
import { createHistory, type History } from './history.ts';
import { probePrivateWindow, type PrivateWindowGuess } from './private-window.ts';
import type { Strings } from './strings.ts';

export type Busy = 'sending' | 'resending' | 'verifying' | 'signingOut' | null;

/** `key` changes with every error shown, so a repeated sentence is announced again. */
export interface ShownError {
  code: string;
  text: string;
  key: number;
}

export interface SignInHost extends ReactiveControllerHost, EventTarget {
  /** The server's URL, read at each request. */
  readonly api: string;
}

export interface SignInOptions {
  /** The channels the widget offers. */
  channels: () => readonly Channel[];
  strings: () => Strings;
  /** Settles once `strings()` speaks the page's language; the first step waits for it. */
  ready?: () => Promise<unknown>;
  /** Formats an ISO date or epoch ms as a local time of day. */
  formatTime: (value: string | number) => string | undefined;
  /** The page's language tag ("fr-CA"), sent with a code request so the message speaks it too. */
  language?: () => string | undefined;
  /** A region's name ("FR" → "France") in the language of `strings()`. */
  regionName?: (code: string) => string | undefined;
  history?: History;
  /** Default: sessionStorage and memory, per server URL (held-code.ts). */
  heldCodes?: HeldCodes;
  /** Epoch ms; a test can pass a manual clock. */
  clock?: () => number;
  /** Default: the storage-quota probe of private-window.ts. */
  probePrivateWindow?: () => Promise<PrivateWindowGuess>;
}

/** What a verify attempt led to, so the element knows where to move focus. */
export type VerifyOutcome = 'signedIn' | 'tryAgain' | 'newCodeNeeded' | 'ignored';

export class SignInController implements ReactiveController {
  step: Step = initialStep;
  busy: Busy = null;
  error: ShownError | null = null;
  /** The server's `crossSite` flag from its last answer; `undefined` before any. */
  crossSite: boolean | undefined;
  privateWindow: PrivateWindowGuess = 'unknown';

  readonly history: History;
  #held: HeldCodes;
  #host: SignInHost;
  #options: SignInOptions;
  #clock: () => number;
  #checking = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  #errorCount = 0;
  /** What the error on screen was shown for, so that it can be said again in another language. */
  #errorShown: Parameters<SignInController['showError']> | null = null;

  constructor(host: SignInHost, options: SignInOptions) {
    this.#host = host;
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    this.history = options.history ?? createHistory();
    this.#held = options.heldCodes ?? createHeldCodes(() => this.#serverUrl());
    host.addController(this);
  }

  hostConnected(): void {
    if (this.step.name === 'checking') void this.checkSession();
    this.#syncTimer();
  }

  hostDisconnected(): void {
    this.#stopTimer();
  }

  /** Whole seconds until another code may be requested (0 outside the code step). */
  get secondsUntilResend(): number {
    return this.step.name === 'code' ? Math.max(0, Math.ceil((this.step.resendAt - this.#clock()) / 1000)) : 0;
  }

  /** Why a code is needed now, from the step and everything this browser tells (explain.ts). */
  explanation(): Explanation {
    const { step } = this;
    return explain({
      reason: step.name === 'identify' || step.name === 'code' ? step.reason : null,
      history: this.history.read(),
      cookieEnabled: navigator.cookieEnabled,
      crossSite: this.crossSite,
      cookieDidNotStick: step.name === 'signedIn' && step.remembered === 'notKept',
      privateWindow: this.privateWindow,
      browser: browserFamily(navigator.userAgent),
      now: this.#clock(),
    });
  }

  async checkSession(): Promise<void> {
    if (this.#checking) return;
    this.#checking = true;
    // The probe and the language run alongside, so the first step shown is already final and in
    // the page's language.
    const [result, privateWindow] = await Promise.all([
      this.#api().session(),
      (this.#options.probePrivateWindow ?? probePrivateWindow)(),
      this.#options.ready?.(),
    ]);
    this.#checking = false;
    this.privateWindow = privateWindow;
    if (result.ok) this.#noteEmbedding(result.data);
    // The server says so for a session-only device; the marker covers older servers.
    const sessionOnly = (result.ok && result.data.signedIn && result.data.device.sessionOnly) || this.history.read()?.sessionOnly;
    const remembered = sessionOnly ? 'browserSession' : 'untilExpiry';
    this.#go({ type: 'sessionChecked', session: result.ok ? result.data : null, remembered });
    if (!result.ok) return this.showError(result.error);
    if (result.data.signedIn) {
      this.#held.forget();
      this.history.recordVisit(result.data.device.expiresAt, new Date(this.#clock()));
      this.#signedIn(result.data);
      return;
    }
    // Reloaded on the code step: back to the field for the code already sent.
    const held = this.#held.current(this.#clock());
    if (held) this.#go({ ...codeHeld(held), onLoad: true });
  }

  /**
   * Asks for a (new) code; resolves `true` once the code step awaits a code: the new one, or the one
   * already sent when the server says it is too soon for another.
   */
  async requestCode(identifier: Identifier, channel: Channel): Promise<boolean> {
    if (this.busy) return false;
    this.#start(this.step.name === 'code' ? 'resending' : 'sending');
    const reason = this.explanation().reason;
    const lang = this.#options.language?.();
    const held = this.#held.find(identifier, channel, this.#clock());
    const previousSentAt = held?.sentAt;
    const result = await this.#api().requestCode({ ...identifierBody(identifier), channel, reason, ...(lang && { lang }), ...(previousSentAt && { previousSentAt }) });
    this.busy = null;
    if (!result.ok) {
      const wait = result.error.code === 'rate_limited' ? result.error.retryAfter : undefined;
      // A wait for the code named by previousSentAt: it still works, so its field shows, never a dead end.
      // (The network's limit is shared with others and says nothing about that code.)
      if (held && previousSentAt && typeof wait === 'number' && result.error.limit !== 'network' && result.error.locked !== true) {
        const kept = { ...held, resendAt: Math.max(held.resendAt, this.#clock() + wait * 1000) };
        this.#held.hold(kept);
        this.#go(codeHeld(kept));
        this.showError(result.error, channel, identifier, kept);
        return true;
      }
      if (typeof wait === 'number') this.#go({ type: 'resendLimited', until: this.#clock() + wait * 1000 });
      this.showError(result.error, channel, identifier);
      return false;
    }
    if (result.data.notSent) {
      // Nothing went out: stay where the person can pick the other channel, and say why.
      this.showError({ code: 'not_sent', message: '', channel, ...result.data.notSent }, channel);
      return false;
    }
    const at = this.#clock();
    this.#held.hold(heldFrom(identifier, channel, result.data, at));
    this.#go({ type: 'codeSent', identifier, channel, sent: result.data, at });
    this.#host.dispatchEvent(new OtpCodeSentEvent({ channel: result.data.channel, destination: result.data.destination }));
    return true;
  }

  /** `remember: false` is "Don't remember this browser": a sign-in for this browser session only. */
  async verify(code: string, remember = true): Promise<VerifyOutcome> {
    if (this.busy || this.step.name !== 'code') return 'ignored';
    const { identifier } = this.step;
    this.#start('verifying');
    const result = await this.#api().verify({ ...identifierBody(identifier), code, ...(!remember && { remember: false }) });
    if (!result.ok) {
      this.busy = null;
      this.showError(result.error, undefined, identifier);
      return burnsCode(result.error) ? 'newCodeNeeded' : 'tryAgain';
    }
    this.#noteEmbedding(result.data);
    // A browser that refuses the cookie still gets the verify's answer: only asking again tells.
    // The verify's answer carried the token already, so this asks for none.
    const check = await this.#api().session({ token: false });
    this.busy = null;
    if (check.ok) this.#noteEmbedding(check.data);
    const remembered: Remembered = !check.ok ? 'unknown' : !check.data.signedIn ? 'notKept' : remember ? 'untilExpiry' : 'browserSession';
    const { contact, device } = result.data;
    this.history.recordSignIn(device.expiresAt, new Date(this.#clock()), {
      who: maskIdentifier((identifier.kind === 'email' ? contact.email : contact.phone) || identifier.value),
      sessionOnly: !remember,
      cookieRefused: remembered === 'notKept',
    });
    this.#held.forget();
    this.#go({ type: 'verified', session: result.data, remembered });
    this.#signedIn(result.data);
    return 'signedIn';
  }

  /** Resolves `true` once the server forgot this browser. */
  async signOut(): Promise<boolean> {
    if (this.busy || this.step.name !== 'signedIn') return false;
    const { device } = this.step;
    this.#start('signingOut');
    const result = await this.#api().signOut();
    this.busy = null;
    if (!result.ok) {
      this.showError(result.error);
      return false;
    }
    this.#held.forget();
    this.history.recordSignOut(device.expiresAt, new Date(this.#clock()));
    this.#go({ type: 'signedOut' });
    this.#host.dispatchEvent(new OtpSignedOutEvent());
    return true;
  }

  changeIdentifier(): void {
    if (this.busy) return;
    this.error = null;
    // A reload now shows the identifier form; asking again for this address still names the code held.
    this.#held.leave();
    this.#go({ type: 'changeIdentifier' });
  }

  /**
   * Shows the sentence for `error` (from the server or a local check) and fires otp-error. `held`:
   * the code that still works when the server refused another.
   */
  showError(error: ApiError, channel?: Channel, identifier?: Identifier, held?: HeldCode): void {
    this.#errorShown = [error, channel, identifier, held];
    const text = this.#say(error, channel, identifier, held);
    this.error = { code: error.code, text, key: ++this.#errorCount };
    this.#host.requestUpdate();
    this.#host.dispatchEvent(new OtpErrorEvent({ code: error.code, message: text }));
  }

  /** Says the error on screen again with the current strings, after the language changed. */
  translateError(): void {
    if (this.error && this.#errorShown) this.error = { ...this.error, text: this.#say(...this.#errorShown) };
  }

  /** A fresh identity token for the page's backend, or null when this browser is not signed in. */
  async fetchToken(): Promise<string | null> {
    const result = await this.#api().token();
    return result.ok ? result.data.token : null;
  }

  #say(error: ApiError, channel?: Channel, identifier?: Identifier, held?: HeldCode): string {
    return errorMessage(this.#options.strings(), error, {
      channels: this.#options.channels(),
      channel,
      formatTime: (iso) => this.#options.formatTime(iso) ?? '',
      identifier: identifier?.kind,
      ...(this.#options.regionName && { regionName: this.#options.regionName }),
      ...(held && { held: { codeNumber: held.codeNumber, time: this.#options.formatTime(held.sentAt ?? held.receivedAt) ?? '' } }),
    });
  }

  #signedIn(session: SignedInSession): void {
    const { contact, device, token } = session;
    this.#host.dispatchEvent(new OtpSignedInEvent({ contact, device, ...(token && { token }) }));
  }

  /** Keeps the server's `crossSite` flag for explain.ts and runs the site owner's embed check. */
  #noteEmbedding(answer: Session): void {
    this.crossSite = answer.crossSite === true;
    if (this.crossSite && typeof location !== 'undefined') {
      checkEmbedding({ crossSite: true, server: new URL(this.#host.api, location.href).origin, page: location.origin });
    }
  }

  #start(busy: Exclude<Busy, null>): void {
    this.busy = busy;
    this.error = null;
    this.#host.requestUpdate();
  }

  #go(event: FlowEvent): void {
    this.step = next(this.step, event);
    this.#syncTimer();
    this.#host.requestUpdate();
  }

  #api() {
    return createApi(this.#host.api);
  }

  /** The server's URL resolved, as the held code step is stored per server. */
  #serverUrl(): string {
    try {
      return new URL(this.#host.api, location.href).href;
    } catch {
      return this.#host.api;
    }
  }

  #syncTimer(): void {
    if (this.secondsUntilResend > 0) {
      // Re-renders the countdown; the time itself always comes from the clock.
      this.#timer ??= setInterval(() => {
        if (this.secondsUntilResend === 0) this.#stopTimer();
        this.#host.requestUpdate();
      }, 500);
    } else {
      this.#stopTimer();
    }
  }

  #stopTimer(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/** What a 202 answer says about the code, to come back to its step. */
function heldFrom(identifier: Identifier, channel: Channel, sent: CodeSent, at: number): HeldCode {
  return {
    identifier,
    channel,
    destination: sent.destination,
    ...(typeof sent.sentAt === 'string' && { sentAt: sent.sentAt }),
    ...(typeof sent.codeNumber === 'number' && { codeNumber: sent.codeNumber }),
    receivedAt: at,
    expiresAt: at + Math.max(0, sent.expiresIn) * 1000,
    resendAt: at + Math.max(0, sent.resendAfter) * 1000,
  };
}

/** The flow event that opens the code step of a held code. */
function codeHeld(held: HeldCode): Extract<FlowEvent, { type: 'codeHeld' }> {
  const { identifier, channel, destination, sentAt, codeNumber, receivedAt, expiresAt, resendAt } = held;
  const sent: CodeSent = {
    status: 'sent_if_registered',
    channel,
    destination,
    resendAfter: Math.max(0, Math.ceil((resendAt - receivedAt) / 1000)),
    expiresIn: Math.max(0, Math.round((expiresAt - receivedAt) / 1000)),
    ...(codeNumber !== undefined && { codeNumber }),
    ...(sentAt !== undefined && { sentAt }),
  };
  return { type: 'codeHeld', identifier, channel, sent, at: receivedAt, resendAt };
}
