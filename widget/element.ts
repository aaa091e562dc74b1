/**
 * The base of `<otp-login>`: the part of LitElement it uses, over lit-html's `render()`, at a
 * fraction of the size (issue 16: LitElement and ReactiveElement were a fifth of `otp-login.js`).
 * What it keeps of Lit's contract:
 *
 * - a property named by `reactive()` renders again when it changes, and so does an attribute of
 *   `observedAttributes`, which sets the property of its name (null when removed) unless the
 *   element has that property natively (`lang`, which the browser keeps in step with its attribute);
 * - renders are batched: every change until the next microtask makes one, after the element was
 *   first connected; `willUpdate(changed)` comes before it and `updated()` after;
 * - `updateComplete` settles after the pending render, true when no other is pending then;
 * - a property set on the element before this script defined it is kept;
 * - `styles` is adopted by the open shadow root as a constructed stylesheet, so a page's
 *   Content-Security-Policy that forbids <style> elements does not strip the look;
 * - controllers (`addController`) hear when the element is connected and disconnected.
 *
 * The admin's elements stay LitElements; this is only what the one script a site embeds needs.
 */
import { render, type RenderOptions } from 'lit/html.js';

export interface Controller {
  hostConnected?(): void;
  hostDisconnected?(): void;
}

/** One stylesheet for all elements of a class. */
const sheets = new WeakMap<object, CSSStyleSheet>();

export class OtpElement extends HTMLElement {
  /** The shadow root's CSS. */
  static styles = '';
  /** The properties `reactive()` made. */
  static properties: string[] = [];

  /** Makes each named property render the element again when set to another value. */
  protected static reactive(...names: string[]): void {
    this.properties = names;
    for (const name of names) {
      Object.defineProperty(this.prototype, name, {
        get(this: OtpElement) {
          return this.#values.get(name);
        },
        set(this: OtpElement, value: unknown) {
          if (Object.is(value, this.#values.get(name))) return;
          this.#values.set(name, value);
          this.requestUpdate(name);
        },
      });
    }
  }

  readonly renderRoot: ShadowRoot = this.attachShadow({ mode: 'open' });
  #values = new Map<string, unknown>();
  /** Properties set before this class was defined, kept for the first render to set again. */
  #early = new Map<string, unknown>();
  #changed = new Set<string>();
  #pending = false;
  #controllers: Controller[] = [];
  #connect!: (value?: unknown) => void;
  /** The last render, or (until the element is first connected) its connection. */
  #update: Promise<unknown> = new Promise((resolve) => (this.#connect = resolve));
  #options: RenderOptions = { host: this };

  constructor() {
    super();
    const element = this as unknown as Record<string, unknown>;
    const { styles, properties } = this.constructor as typeof OtpElement;
    for (const name of properties.filter((name) => Object.hasOwn(this, name))) {
      this.#early.set(name, element[name]);
      delete element[name];
    }
    const root = this.renderRoot;
    if (root.adoptedStyleSheets) {
      let sheet = sheets.get(this.constructor);
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(styles);
        sheets.set(this.constructor, sheet);
      }
      root.adoptedStyleSheets = [sheet];
    } else {
      // As Lit does where stylesheets cannot be constructed: a <style> with Lit's nonce.
      const style = document.createElement('style');
      const nonce = (globalThis as { litNonce?: string }).litNonce;
      if (nonce) style.setAttribute('nonce', nonce);
      style.textContent = styles;
      root.append(style);
    }
    this.requestUpdate();
  }

  get updateComplete(): Promise<boolean> {
    return this.#update.then(() => !this.#pending);
  }

  addController(controller: Controller): void {
    this.#controllers.push(controller);
  }

  connectedCallback(): void {
    this.#connect();
    for (const controller of this.#controllers) controller.hostConnected?.();
  }

  disconnectedCallback(): void {
    for (const controller of this.#controllers) controller.hostDisconnected?.();
  }

  attributeChangedCallback(name: string, _old: string | null, value: string | null): void {
    if (name in HTMLElement.prototype) this.requestUpdate();
    else (this as unknown as Record<string, unknown>)[name] = value;
  }

  /** Renders again in a microtask (once for every change until then); `name` is what changed. */
  requestUpdate(name?: string): void {
    if (name) this.#changed.add(name);
    if (!this.#pending) {
      this.#pending = true;
      this.#update = this.#render();
    }
  }

  async #render(): Promise<void> {
    // Renders one microtask after the request, as Lit does (the widget's tests time their clicks by
    // it); a render that threw was reported (its updateComplete rejected), and the next one still runs.
    try {
      await this.#update;
    } catch {}
    const element = this as unknown as Record<string, unknown>;
    for (const [name, value] of this.#early) element[name] = value;
    this.#early.clear();
    try {
      this.willUpdate(this.#changed);
      render(this.render(), this.renderRoot, this.#options);
    } finally {
      this.#changed = new Set();
      this.#pending = false;
    }
    this.updated();
  }

  protected willUpdate(_changed: ReadonlySet<string>): void {}

  protected render(): unknown {
    return undefined;
  }

  protected updated(): void {}
}
