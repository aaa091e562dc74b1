/**
 * Runs the sign-in flow (flow.ts) against the server for an `<otp-login>` host:
 * calls the API, keeps the step, the busy state, the error shown and the resend
 * countdown, gathers the signals explain.ts needs (and reports its reason with each
 * code request), writes the history marker and fires the `otp-` events on the host.
 * The element only renders this state and turns DOM events into calls here.
 *
 * ```ts
 * class OtpLogin extends OtpElement {
 *   #flow = new SignInController(this, { channels, strings, formatTime });
 *   render() { return this.#flow.step.name === 'code' ? … : …; }
 * }
 * ```
 */
import { html, nothing } from 'lit/html.js';
import { createApi, serverUrl, type ApiError, type Channel, type Session, type SignedInSession } from './api.ts';
import type { Controller } from './element.ts';
import { OtpCodeSentEvent, OtpErrorEvent, OtpSignedInEvent, OtpSignedOutEvent } from './events.ts';
import type { Explanation } from './explain.ts';
import { initialStep, next, type FlowEvent, type Identifier, type Remembered, type Step } from './flow.ts';
import { maskIdentifier } from './format.ts';
import type { HeldCodes } from './held-code.ts';
import { createHistory, type History } from './history.ts';
import type { PrivateWindowGuess } from './private-window.ts';
import type { FlowParts, Rest } from './rest.ts';
import type { Strings } from './strings.ts';

export type ErrorArgs = [error: ApiError, channel?: Channel, identifier?: Identifier, heldSentAt?: string];

/** Errors said in the first screens' sentences (first-strings.ts), before the rest has loaded. */
const firstSentence = (error: ApiError) => error.code === 'network_error' || error.code === 'service_unavailable';

/** A status that passes by itself: no answer (0), or the server's or a proxy's 5xx. */
const passes = (status: number) => status === 0 || status >= 500;
const numberOr = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);

/**
 * The rest of the widget (rest.ts, built as `otp-login-rest.js`), loaded once for every element of
 * the page; resolves undefined when it did not load (offline), and the next call tries again.
 */
let restLoading: Promise<Rest | undefined> | undefined;
/** Set once rest.ts has loaded. */
let restLoaded: Rest | undefined;
function loadRest(): Promise<Rest | undefined> {
  restLoading ??= import('./rest.ts').then(
    ({ default: rest }) => (restLoaded = rest({ html, nothing })),
    (error: unknown) => {
      restLoading = undefined;
      console.warn('otp-login: otp-login-rest.js did not load; serve it next to the widget’s script.', error);
      return undefined;
    },
  );
  return restLoading;
}

export type Busy = 'sending' | 'resending' | 'verifying' | 'signingOut' | null;

/** `key` changes with every error shown, so a repeated sentence is announced again. */
export interface ShownError {
  code: string;
  text: string;
  key: number;
  /** The code on screen can never work now: the element disables its field and offers a new code. */
  burned: boolean;
}

/** What the controller needs of its element (element.ts). */
export interface SignInHost extends EventTarget {
  /** The server's URL, read at each request. */
  readonly api: string;
  addController(controller: Controller): void;
  requestUpdate(): void;
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

export class SignInController implements Controller {
  step: Step = initialStep;
  busy: Busy = null;
  error: ShownError | null = null;
  /** The server's `crossSite` flag from its last answer; `undefined` before any. */
  crossSite: boolean | undefined;
  privateWindow: PrivateWindowGuess = 'unknown';
  /** The rest of the widget (rest.ts) once loaded: the code step, the explanation, the errors' sentences. */
  rest: Rest | undefined;

  readonly history: History;
  /** The code held across a reload: the option's, else held-code.ts's once rest.ts has loaded. */
  #held: HeldCodes | undefined;
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
  #restReady: Promise<boolean> | undefined;

  constructor(host: SignInHost, options: SignInOptions) {
    this.#host = host;
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    this.history = options.history ?? createHistory();
    this.#held = options.heldCodes;
    host.addController(this);
  }

  hostConnected(): void {
    if (this.step.name === 'checking') void this.checkSession();
    // Back on the page: the held code's expiry timer runs again.
    else this.#held?.current(this.#clock());
    this.#syncTimer();
  }

  hostDisconnected(): void {
    this.#cancelRetry();
    this.#stopTimer();
    this.#held?.stop();
  }

  /** Whole seconds until another code may be requested (0 outside the code step). */
  get secondsUntilResend(): number {
    return this.step.name === 'code' ? Math.max(0, Math.ceil((this.step.resendAt - this.#clock()) / 1000)) : 0;
  }

  /**
   * Why a code is needed now, from the step and everything this browser tells (explain.ts); not
   * known until the rest of the widget has loaded.
   */
  explanation(): Explanation | undefined {
    return this.rest?.explanation(this, this.#clock());
  }

  async checkSession(): Promise<void> {
    if (this.#checking) return;
    this.#checking = true;
    // A browser not signed in here is likely to need the rest of the sentences (why a code is
    // needed, the code step): they load alongside, and the first step does not wait for them.
    if (!this.#wasSignedIn()) void this.#more();
    // The language loads alongside, so the first step shown is already in the page's language; and
    // once rest.ts is here (another element loaded it), the private-window guess runs alongside too,
    // so the first step is already final. The form never waits for rest.ts to download, but a code
    // step held across a reload, which opens instead of it, does.
    const [result] = await Promise.all([
      this.#api().session(),
      this.#options.ready?.(),
      this.#heldStored() ? this.#more() : restLoaded && this.#loadRest(),
    ]);
    this.#checking = false;
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
      this.#forgetHeld();
      this.history.recordVisit(result.data.device.expiresAt, new Date(this.#clock()));
      this.#signedIn(result.data);
      return;
    }
    // Reloaded on the code step: back to the field for the code already sent (rest.ts holds it).
    const held = (await this.#more()) ? this.#held?.current(this.#clock()) : null;
    if (held) {
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
    if (!(await this.#more()) || !this.rest) {
      this.busy = null;
      this.showError({ code: 'network_error', message: '' });
      return 'refused';
    }
    return this.rest.requestCode(this.#parts(), identifier, channel);
  }

  /** `remember: false` is "Don't remember this browser": a sign-in for this browser session only. */
  async verify(code: string, remember = true): Promise<VerifyOutcome> {
    // The code step shows once rest.ts is here.
    if (this.busy || this.step.name !== 'code' || !this.rest) return 'ignored';
    const { identifier } = this.step;
    this.#start('verifying');
    return this.rest.verify(this.#parts(), identifier, code, remember);
  }

  /** What rest.ts's code request and verify use of this controller. */
  #parts(): FlowParts {
    return {
      controller: this,
      // Set by #loadRest before `rest`, and only asked for once `rest` is here.
      held: this.#held!,
      api: () => this.#api(),
      clock: this.#clock,
      language: () => this.#options.language?.(),
      maskIdentifier,
      go: (event) => this.#go(event),
      noteEmbedding: (answer) => this.#noteEmbedding(answer),
      codeSent: ({ channel, destination }) => this.#host.dispatchEvent(new OtpCodeSentEvent({ channel, destination })),
      signedIn: (session) => this.#signedIn(session),
    };
  }

  /**
   * Signed in or out: the code step held is of no use, and what was typed leaves the page's
   * storage, even before rest.ts (held-code.ts) has loaded.
   */
  #forgetHeld(): void {
    if (this.#held) return this.#held.forget();
    try {
      globalThis.sessionStorage?.removeItem(this.#heldKey());
    } catch {
      // Nothing stored then either.
    }
  }

  /** A code step is stored for this server (held-code.ts reads it once rest.ts has loaded). */
  #heldStored(): boolean {
    try {
      return !this.#held && !!globalThis.sessionStorage?.getItem(this.#heldKey());
    } catch {
      return false;
    }
  }

  /** held-code.ts's HELD_CODE_KEY for this server: rest.ts, which has it, may not have loaded. */
  #heldKey(): string {
    return `otp-login:code-step:${this.#serverUrl()}`;
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
    this.#forgetHeld();
    this.history.recordSignOut(device.expiresAt, new Date(this.#clock()));
    this.#go({ type: 'signedOut' });
    this.#host.dispatchEvent(new OtpSignedOutEvent());
    return true;
  }

  changeIdentifier(): void {
    if (this.busy) return;
    this.error = null;
    // A reload now shows the identifier form; asking again for this address still names the code held.
    this.#held?.leave();
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
    this.error = { code: error.code, text, key: ++this.#errorCount, burned: this.rest?.burnsCode(error) === true };
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

  #say(args: ErrorArgs, sessionCheck: boolean): string {
    const [error] = args;
    const strings = this.#options.strings();
    if (sessionCheck) return strings.errorSessionCheck(error.code === 'network_error');
    // The rest of the sentences, or of the widget, did not load: the server that serves them is out of reach.
    if (!this.rest || !this.#complete()) return error.code === 'service_unavailable' ? strings.errorUnavailable : strings.errorNetwork;
    return this.rest.say(strings, args, this.#options);
  }

  /** Every sentence can be said (first-strings.ts has only the first screens'), and the rest of the widget is here. */
  #complete(): boolean {
    return this.rest !== undefined && this.#sentences();
  }

  #sentences(): boolean {
    return this.#options.complete?.() ?? true;
  }

  /**
   * Loads the rest of the sentences and of the widget (each at most once, alongside); resolves
   * whether every sentence can be said and the code step shown.
   */
  #more(): Promise<boolean> {
    const sentences = this.#sentences() ? Promise.resolve(true) : (this.#options.more?.() ?? Promise.resolve(false));
    return Promise.all([this.#loadRest(), sentences]).then(([rest, said]) => rest && said);
  }

  /** Loads rest.ts, then guesses whether this is a private window (explain.ts reads it); resolves whether it is here. */
  #loadRest(): Promise<boolean> {
    if (this.rest) return Promise.resolve(true);
    this.#restReady ??= loadRest().then(async (rest) => {
      if (!rest) {
        this.#restReady = undefined;
        return false;
      }
      this.privateWindow = await (this.#options.probePrivateWindow ?? rest.probePrivateWindow)();
      this.#held ??= rest.createHeldCodes(() => this.#serverUrl(), this.#clock);
      this.rest = rest;
      // The explanation can be shown now.
      this.#host.requestUpdate();
      return true;
    });
    return this.#restReady;
  }

  #signedIn(session: SignedInSession): void {
    const { contact, device, token } = session;
    this.#host.dispatchEvent(new OtpSignedInEvent({ contact, device, ...(token && { token }) }));
  }

  /** Keeps the server's `crossSite` flag for explain.ts and runs the site owner's embed check. */
  #noteEmbedding(answer: Session): void {
    this.crossSite = answer.crossSite === true;
    const server = serverUrl(this.#host.api);
    // A console warning for the site owner: it can wait for rest.ts.
    if (this.crossSite && server && typeof location !== 'undefined') void loadRest().then((rest) => rest?.checkEmbedding({ crossSite: true, server: server.origin, page: location.origin }));
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
