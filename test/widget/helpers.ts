/**
 * Small helpers for the widget tests: assertions that throw a readable Error,
 * a fetch stub that answers like the server's HTTP API, and DOM shortcuts.
 */
import type { AxeResults } from 'axe-core';
import { HISTORY_KEY } from '../../widget/history.ts';
import type { OtpLogin } from '../../widget/otp-login.ts';

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

export function assertEqual<T>(actual: T, expected: T, what: string): void {
  if (!Object.is(actual, expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

export function assertDeepEqual(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

export function assertIncludes(text: string | null | undefined, part: string, what: string): void {
  if (!text?.includes(part)) throw new Error(`${what}: expected to include ${JSON.stringify(part)}, got ${JSON.stringify(text)}`);
}

/** Polls until `check` returns a truthy value (or stops throwing); fails after `timeout` ms. */
export async function waitFor<T>(check: () => T, what: string, timeout = 2000): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (performance.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}${lastError instanceof Error ? `: ${lastError.message}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface Call {
  method: string;
  /** Where the request went: https://otp.test, or the test page's own origin. */
  origin: string;
  path: string;
  /** The query string, '?…', or '' without one. */
  search: string;
  /** A JSON body parsed; the text of any other (a CSV upload). */
  body: unknown;
  credentials: RequestCredentials | undefined;
  contentType: string | null;
}

export type Reply = { status: number; body: unknown } | 'network-error';
export type Route = Reply | ((body: unknown, call: Call) => Reply | Promise<Reply>);

/**
 * Replaces window.fetch with canned answers keyed by "METHOD /path". A route that
 * is an array answers its replies in order (the last one repeats). Unknown routes
 * fail the test loudly.
 */
export function stubFetch(routes: Record<string, Route | Route[]>): { calls: Call[]; restore: () => void } {
  const original = window.fetch;
  const calls: Call[] = [];
  const counts = new Map<string, number>();
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? 'GET';
    const key = `${method} ${url.pathname}`;
    const contentType = new Headers(init?.headers).get('content-type');
    const text = typeof init?.body === 'string' ? init.body : undefined;
    const call: Call = {
      method,
      origin: url.origin,
      path: url.pathname,
      search: url.search,
      body: text !== undefined && (contentType ?? 'application/json').includes('json') ? JSON.parse(text) : text,
      credentials: init?.credentials,
      contentType,
    };
    calls.push(call);
    const route = routes[key];
    if (route === undefined) throw new Error(`Unexpected request ${key}`);
    const list = Array.isArray(route) ? route : [route];
    const index = counts.get(key) ?? 0;
    counts.set(key, index + 1);
    const entry = list[Math.min(index, list.length - 1)]!;
    const reply = typeof entry === 'function' ? await entry(call.body, call) : entry;
    if (reply === 'network-error') throw new TypeError('Failed to fetch');
    return new Response(JSON.stringify(reply.body), {
      status: reply.status,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { calls, restore: () => (window.fetch = original) };
}

/** A promise that `fetch` route functions can wait on, so a test can hold a request open. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Creates `<otp-login>` with the given attributes, attaches it and waits for the first render. */
export async function mount(attributes: Record<string, string> = {}): Promise<OtpLogin> {
  const el = document.createElement('otp-login');
  el.setAttribute('api', 'http://otp.test');
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  document.body.append(el);
  await el.updateComplete;
  return el;
}

export function $(el: OtpLogin, selector: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(selector);
}

export function $input(el: OtpLogin, selector: string): HTMLInputElement {
  const input = el.shadowRoot!.querySelector<HTMLInputElement>(selector);
  assert(input, `expected an input matching ${selector}`);
  return input;
}

/** The visible text of the element's shadow root, whitespace collapsed. */
export function textOf(el: OtpLogin): string {
  return (el.shadowRoot!.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Types `value` into `input` the way a keyboard does: one input event per character. */
export function typeInto(input: HTMLInputElement, value: string): void {
  for (const char of value) {
    input.value += char;
    input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, data: char, inputType: 'insertText' }));
  }
}

/** Collects the events of `type` fired by `el`. */
export function record<T extends Event>(el: EventTarget, type: string): T[] {
  const events: T[] = [];
  el.addEventListener(type, (event) => events.push(event as T));
  return events;
}

// axe-core ships a UMD script, so it is loaded the way a page would load it.
declare global {
  interface Window {
    axe?: typeof import('axe-core');
  }
}

let axeLoading: Promise<void> | undefined;

/**
 * Runs axe-core on `context` (shadow roots included) once its transitions have ended: a button
 * fading back in from disabled is half transparent for 120 ms, and axe would measure that.
 */
export async function checkA11y(context: Element): Promise<void> {
  const animations = [...context.getAnimations({ subtree: true }), ...(context.shadowRoot?.getAnimations() ?? [])];
  await Promise.all(animations.map((animation) => animation.finished));
  axeLoading ??= new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/node_modules/axe-core/axe.min.js';
    script.onload = () => resolve();
    script.onerror = () => reject(new Error('axe-core did not load'));
    document.head.append(script);
  });
  await axeLoading;
  const axe = window.axe;
  assert(axe, 'axe-core is loaded');
  const results: AxeResults = await axe.run(context, { resultTypes: ['violations'] });
  const problems = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
  if (problems.length > 0) throw new Error(`axe found ${problems.length} violation(s):\n${problems.join('\n')}`);
}

/** Canned server bodies, shaped exactly like the HTTP API. */
export const bodies = {
  contact: { id: 'c_1', email: 'jo@example.com', phone: '+447700900123' },
  device: { id: 'd_1', expiresAt: '2030-01-01T00:00:00.000Z' },
  signedIn() {
    return { signedIn: true, contact: this.contact, device: this.device };
  },
  signedOut(reason: string) {
    return { signedIn: false, reason };
  },
  codeSent(overrides: Record<string, unknown> = {}) {
    return {
      status: 'sent_if_registered',
      channel: 'email',
      destination: 'j•••@example.com',
      resendAfter: 25,
      expiresIn: 600,
      sentAt: new Date(2025, 0, 2, 14, 5).toISOString(),
      ...overrides,
    };
  },
  error(code: string, extra: Record<string, unknown> = {}) {
    return { error: { code, message: `Server says ${code}.`, ...extra } };
  },
};

/** The server's answer for a browser it does not know: the identifier step follows. */
export const noSession = { 'GET /api/session': { status: 200, body: bodies.signedOut('no_cookie') } };

/** Mounts `<otp-login>` (British English by default) and waits for the identifier field. */
export async function identifyStep(attributes: Record<string, string> = {}): Promise<OtpLogin> {
  const el = await mount({ lang: 'en-GB', ...attributes });
  await waitFor(() => $input(el, '#identifier'), 'the identifier field');
  return el;
}

/** Types `value` and clicks the send button (a script's click: focus stays where it was). */
export function submitIdentifier(el: OtpLogin, value: string): void {
  typeInto($input(el, '#identifier'), value);
  $(el, 'button[part~="button"]')!.click();
}

/** Mounts, asks for a code for jo@example.com and waits for the code field. */
export async function codeStep(attributes: Record<string, string> = {}): Promise<OtpLogin> {
  const el = await identifyStep(attributes);
  submitIdentifier(el, 'jo@example.com');
  await waitFor(() => $(el, '#code'), 'the code field');
  await el.updateComplete;
  return el;
}

/** The text of the status region, its spaces collapsed. */
export function statusText(el: OtpLogin): string {
  return ($(el, '[role="status"]')?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

let served: ReturnType<typeof stubFetch> | undefined;

/** The server for this test: fetch answers from `routes` until restoreServer() (in afterEach). */
export function serve(routes: Record<string, Route | Route[]>): ReturnType<typeof stubFetch> {
  served?.restore();
  served = stubFetch(routes);
  return served;
}

export function restoreServer(): void {
  served?.restore();
  served = undefined;
}

/**
 * A browser that never signed in here (beforeEach): no marker of a last sign-in (history.ts), no
 * code step held from the test before (held-code.ts).
 */
export function forgetThisBrowser(): void {
  localStorage.removeItem(HISTORY_KEY);
  sessionStorage.clear();
}

/** After each test: the real fetch back, and no element left on the page. */
export function cleanUp(): void {
  restoreServer();
  for (const el of document.querySelectorAll('otp-login')) el.remove();
}

/** The text of the error alert, '' when none is shown. */
export function alertText(el: OtpLogin): string {
  return ($(el, '[role="alert"]')?.textContent ?? '').trim();
}

/**
 * Makes this Chromium report other browser signals (cookies off, another user agent, a storage
 * estimate) until the returned function restores them.
 */
export function fakeBrowser(fake: { cookieEnabled?: boolean; userAgent?: string; estimate?: StorageEstimate }): () => void {
  const undo: Array<() => void> = [];
  const override = (target: object, name: string, value: unknown) => {
    Object.defineProperty(target, name, { value, configurable: true });
    undo.push(() => delete (target as Record<string, unknown>)[name]);
  };
  if (fake.cookieEnabled !== undefined) override(navigator, 'cookieEnabled', fake.cookieEnabled);
  if (fake.userAgent !== undefined) override(navigator, 'userAgent', fake.userAgent);
  if (fake.estimate !== undefined) override(navigator.storage, 'estimate', async () => fake.estimate);
  return () => undo.forEach((restore) => restore());
}
