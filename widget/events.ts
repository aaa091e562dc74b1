/**
 * The events `<otp-login>` fires. All bubble and cross the shadow boundary, so a
 * page can listen anywhere above the element:
 *
 * ```ts
 * document.addEventListener('otp-signed-in', (event) => {
 *   console.log(event.detail.contact.email);
 * });
 * ```
 */
import type { Channel, Contact, Device } from './api.ts';

const init = { bubbles: true, composed: true } as const;

export interface OtpSignedInDetail {
  contact: Contact;
  device: Device;
  /**
   * Proof of who signed in, for your backend: a JWT (ES256) valid five minutes, to verify with the
   * keys at `<server>/.well-known/jwks.json`. Absent from a server older than identity tokens.
   * For a later request, `await element.getToken()` gives a fresh one.
   */
  token?: string;
}

/** After a successful verify, and when a remembered browser is recognised on load. */
export class OtpSignedInEvent extends CustomEvent<OtpSignedInDetail> {
  static readonly eventName = 'otp-signed-in';
  constructor(detail: OtpSignedInDetail) {
    super(OtpSignedInEvent.eventName, { ...init, detail });
  }
}

/** After the person signed out (the server forgot this browser). */
export class OtpSignedOutEvent extends CustomEvent<null> {
  static readonly eventName = 'otp-signed-out';
  constructor() {
    super(OtpSignedOutEvent.eventName, { ...init, detail: null });
  }
}

export interface OtpCodeSentDetail {
  channel: Channel;
  /** Masked, e.g. `j•••@example.com`. */
  destination: string;
}

/** After the server accepted a code request (202). */
export class OtpCodeSentEvent extends CustomEvent<OtpCodeSentDetail> {
  static readonly eventName = 'otp-code-sent';
  constructor(detail: OtpCodeSentDetail) {
    super(OtpCodeSentEvent.eventName, { ...init, detail });
  }
}

export interface OtpErrorDetail {
  /** The server's `error.code`, or `network_error` / a local validation code. */
  code: string;
  /** The sentence the person was shown. */
  message: string;
}

/** Whenever the widget shows an error. */
export class OtpErrorEvent extends CustomEvent<OtpErrorDetail> {
  static readonly eventName = 'otp-error';
  constructor(detail: OtpErrorDetail) {
    super(OtpErrorEvent.eventName, { ...init, detail });
  }
}

interface OtpEventMap {
  'otp-signed-in': OtpSignedInEvent;
  'otp-signed-out': OtpSignedOutEvent;
  'otp-code-sent': OtpCodeSentEvent;
  'otp-error': OtpErrorEvent;
}

declare global {
  interface HTMLElementEventMap extends OtpEventMap {}
  interface DocumentEventMap extends OtpEventMap {}
}
