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
import { createApi, serverUrl, type ApiError, type Channel, type Session, type SignedInSession } from './api.ts';
import { browserFamily } from './browser-family.ts';
import { checkEmbedding } from './embed-check.ts';
import { burnsCode, errorMessage } from './error-message.ts';
import { OtpCodeSentEvent, OtpErrorEvent, OtpSignedInEvent, OtpSignedOutEvent } from './events.ts';
import { explain, type Explanation } from './explain.ts';
import { identifierBody, initialStep, next, sentOnFile, type FlowEvent, type Identifier, type Remembered, type Step } from './flow.ts';
import { maskIdentifier } from './format.ts';
import { createHeldCodes, type HeldCodes } from './held-code.ts';
import { createHistory, type History } from './history.ts';
import { probePrivateWindow, type PrivateWindowGuess } from './private-window.ts';
import type { Strings } from './strings.ts';

type ErrorArgs = [error: ApiError, channel?: Channel, identifier?: Identifier, heldSentAt?: string];

/** Errors said in the first screens' sentences (first-strings.ts), before the rest has loaded. */
const firstSentence = (error: ApiError) => error.code === 'network_error' || error.code === 'service_unavailable';

/** A status that passes by itself: no answer (0), or the server's or a proxy's 5xx. */
const passes = (status: number) => status === 0 || status >= 500;
const numberOr = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);

export type Busy = 'sending' | 'resending' | 'verifying' | 'signingOut' | null;

/** `key` changes with every error shown, so a repeated sentence is announced again. */
export interface ShownError {
  code: string;
  text: string;
  key: number;
  /** The code on screen can never work now: the element disables its field and offers a new code. */
  burned: boolean;
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
  /**
   * Whether `strings()` can say every sentence, not only the first screens' (first-strings.ts), and
   * a way to make it so: resolves false when the rest of the sentences did not load (offline).
   */
  complete?: () => boolean;
  more?: () => Promise<boolean>;
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

/**
 * What a code request led to: a new code sent; the code step of a code already sent, which still
 * works (the server refused another); or refused, with nothing to enter.
 */
export type RequestOutcome = 'sent' | 'held' | 'refused';

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
  #errorShown: { args: ErrorArgs; sessionCheck: boolean } | null = null;
  /** Failed checks on load in a row (#checkAgainLater); each waits twice as long. */
  #sessionRetries = 0;
  #cancelRetry = () => {};

  constructor(host: SignInHost, options: SignInOptions) {
    this.#host = host;
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    this.history = options.history ?? createHistory();
    this.#held = options.heldCodes ?? createHeldCodes(() => this.#serverUrl(), this.#clock);
    host.addController(this);
  }

  hostConnected(): void {
    if (this.step.name === 'checking') void this.checkSession();
    // Back on the page: the held code's expiry timer runs again.
    else this.#held.current(this.#clock());
    this.#syncTimer();
  }

  hostDisconnected(): void {
    this.#cancelRetry();
    this.#stopTimer();
    this.#held.stop();
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
    // A browser not signed in here is likely to need the rest of the sentences (why a code is
    // needed, the code step): they load alongside, and the first step does not wait for them.
    if (!this.#wasSignedIn()) void this.#more();
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
    if (!result.ok && passes(result.status) && this.#wasSignedIn()) return this.#checkAgainLater(result.error);
    this.#sessionRetries = 0;
    // The outage sentence of an earlier check is over: this answer says where the person is.
    if (this.#errorShown?.sessionCheck) this.error = this.#errorShown = null;
    this.#go({ type: 'sessionChecked', session: result.ok ? result.data : null, remembered });
    if (!result.ok) return this.showError(result.error);
    if (!result.data.signedIn) void this.#more();
    if (result.data.signedIn) {
      this.#held.forget();
      this.history.recordVisit(result.data.device.expiresAt, new Date(this.#clock()));
      this.#signedIn(result.data);
      return;
    }
    // Reloaded on the code step: back to the field for the code already sent.
    const held = this.#held.current(this.#clock());
    if (held && (await this.#more())) {
      const { identifier, sent, receivedAt, resendAt } = held;
      this.#go({ type: 'codeHeld', identifier, channel: sent.channel, sent, at: receivedAt, resendAt, onLoad: true });
    }
  }

  /**
   * Asks for a (new) code. A code this browser holds for the same identifier and channel still
   * works when the server refuses another, so its code step opens then, never a dead end.
   */
  async requestCode(identifier: Identifier, channel: Channel): Promise<RequestOutcome> {
    if (this.busy) return 'refused';
    this.#start(this.step.name === 'code' ? 'resending' : 'sending');
    // Nothing is sent that the code step could not then show.
    if (!(await this.#more())) {
      this.busy = null;
      this.showError({ code: 'network_error', message: '' });
      return 'refused';
    }
    const reason = this.explanation().reason;
    const lang = this.#options.language?.();
    const held = this.#held.find(identifier, channel, this.#clock());
    const previousSentAt = held?.sent.sentAt;
    const result = await this.#api().requestCode({ ...identifierBody(identifier), channel, reason, ...(lang && { lang }), ...(previousSentAt && { previousSentAt }) });
    this.busy = null;
    if (!result.ok) {
      const { error } = result;
      const wait = error.code === 'rate_limited' && error.locked !== true ? error.retryAfter : undefined;
      // No limit named: the code named by previousSentAt is too new for another. A limit (the
      // network's, texts to the number's area) says nothing of that code. Either way it still works.
      const tooSoon = error.limit === undefined && previousSentAt !== undefined;
      if (held && typeof wait === 'number' && (tooSoon || error.limit !== undefined)) {
        const kept = { ...held, resendAt: Math.max(held.resendAt, this.#clock() + wait * 1000) };
        this.#held.hold(kept);
        this.#go({ type: 'codeHeld', identifier: kept.identifier, channel, sent: kept.sent, at: kept.receivedAt, resendAt: kept.resendAt });
        this.showError(error, channel, kept.identifier, tooSoon ? previousSentAt : undefined);
        return 'held';
      }
      if (typeof wait === 'number') this.#go({ type: 'resendLimited', until: this.#clock() + wait * 1000 });
      this.showError(error, channel, identifier);
      return 'refused';
    }
    if (result.data.notSent) {
      // Nothing went out: stay where the person can pick the other channel, and say why.
      this.showError({ code: 'not_sent', message: '', channel, ...result.data.notSent }, channel);
      return 'refused';
    }
    const at = this.#clock();
    const sent = result.data;
    this.#held.hold({ identifier, sent, receivedAt: at, expiresAt: at + Math.max(0, sent.expiresIn) * 1000, resendAt: at + Math.max(0, sent.resendAfter) * 1000 });
    this.#go({ type: 'codeSent', identifier, channel, sent, at });
    this.#host.dispatchEvent(new OtpCodeSentEvent({ channel: sent.channel, destination: sent.destination }));
    return 'sent';
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

  /** This browser's last sign-in, by its history, is neither signed out nor expired. */
  #wasSignedIn(): boolean {
    const last = this.history.read();
    return !!last && !last.signedOutAt && Date.parse(last.expiresAt) > this.#clock();
  }

  /**
   * The check on load of a browser that was signed in got no answer that says anything (the
   * server or its storage is down, or a proxy answered for it): the sign-in form would tell a
   * signed-in person they are signed out. The widget stays on "Checking…", says why, and asks
   * again by itself — after the server's Retry-After, then less often, up to every 30 s, and at
   * once when the browser comes back online.
   */
  #checkAgainLater(error: ApiError): void {
    const afterS = Math.min(30, Math.max(numberOr(error.retryAfter, 2), 2) * 2 ** this.#sessionRetries++);
    // Said once (a screen reader hears each new alert): again only when the kind of failure changed.
    if (this.error?.code !== error.code) this.#show([error], true);
    const again = () => {
      this.#cancelRetry();
      if (this.step.name === 'checking') void this.checkSession();
    };
    const timer = setTimeout(again, afterS * 1000);
    addEventListener('online', again);
    this.#cancelRetry = () => {
      clearTimeout(timer);
      removeEventListener('online', again);
      this.#cancelRetry = () => {};
    };
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
   * Shows the sentence for `error` (from the server or a local check) and fires otp-error.
   * `heldSentAt`: the `sentAt` of the code that still works when the server refused another as too
   * soon after it.
   */
  showError(error: ApiError, channel?: Channel, identifier?: Identifier, heldSentAt?: string): void {
    this.#show([error, channel, identifier, heldSentAt], false);
  }

  #show(args: ErrorArgs, sessionCheck: boolean, waited = false): void {
    const [error] = args;
    // A sentence of the rest waits for it once; the ones of an unreachable server are always at hand.
    if (!waited && !sessionCheck && !firstSentence(error) && !this.#complete()) {
      void this.#more().then(() => this.#show(args, sessionCheck, true));
      return;
    }
    this.#errorShown = { args, sessionCheck };
    const text = this.#say(args, sessionCheck);
    this.error = { code: error.code, text, key: ++this.#errorCount, burned: burnsCode(error) };
    this.#host.requestUpdate();
    this.#host.dispatchEvent(new OtpErrorEvent({ code: error.code, message: text }));
  }

  /** Says the error on screen again with the current strings, after the language changed. */
  translateError(): void {
    if (this.error && this.#errorShown) this.error = { ...this.error, text: this.#say(this.#errorShown.args, this.#errorShown.sessionCheck) };
  }

  /** A fresh identity token for the page's backend, or null when this browser is not signed in. */
  async fetchToken(): Promise<string | null> {
    const result = await this.#api().token();
    return result.ok ? result.data.token : null;
  }

  #say([error, channel, identifier, heldSentAt]: ErrorArgs, sessionCheck: boolean): string {
    const strings = this.#options.strings();
    // The rest of the sentences did not load: the server that serves them is out of reach.
    if (!sessionCheck && !this.#complete()) return error.code === 'service_unavailable' ? strings.errorUnavailable : strings.errorNetwork;
    return errorMessage(strings, error, {
      sessionCheck,
      channels: this.#options.channels(),
      channel,
      formatTime: (iso) => this.#options.formatTime(iso) ?? '',
      identifier: identifier?.kind,
      ...(this.#options.regionName && { regionName: this.#options.regionName }),
      ...(heldSentAt && channel && identifier && { held: { time: this.#options.formatTime(heldSentAt) ?? '', onFile: sentOnFile(identifier, channel) } }),
    });
  }

  #complete(): boolean {
    return this.#options.complete?.() ?? true;
  }

  /** Loads the rest of the sentences (at most once); resolves whether every sentence can be said. */
  #more(): Promise<boolean> {
    return this.#complete() ? Promise.resolve(true) : (this.#options.more?.() ?? Promise.resolve(false));
  }

  #signedIn(session: SignedInSession): void {
    const { contact, device, token } = session;
    this.#host.dispatchEvent(new OtpSignedInEvent({ contact, device, ...(token && { token }) }));
  }

  /** Keeps the server's `crossSite` flag for explain.ts and runs the site owner's embed check. */
  #noteEmbedding(answer: Session): void {
    this.crossSite = answer.crossSite === true;
    const server = serverUrl(this.#host.api);
    if (this.crossSite && server && typeof location !== 'undefined') checkEmbedding({ crossSite: true, server: server.origin, page: location.origin });
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
    return serverUrl(this.#host.api)?.href ?? this.#host.api;
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
