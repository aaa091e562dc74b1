/**
 * The events of the admin elements. Both bubble and cross shadow boundaries:
 *
 * ```ts
 * card.addEventListener('otp-card-changed', (event) => reload(event.detail.contactId));
 * ```
 */
const init = { bubbles: true, composed: true } as const;

export interface OtpCardChangedDetail {
  contactId: string;
  /**
   * What changed, as the audit log names it: 'edit', 'deactivate', 'activate', 'revoke_device',
   * 'opt_out', 'lift_opt_out', …; or 'refused': the server refused an action on facts the card may
   * not show yet.
   */
  action: string;
}

/** After the card changed the contact on the server (or was refused), so the page reloads the card (and its list). */
export class OtpCardChangedEvent extends CustomEvent<OtpCardChangedDetail> {
  static readonly eventName = 'otp-card-changed';
  constructor(detail: OtpCardChangedDetail) {
    super(OtpCardChangedEvent.eventName, { ...init, detail });
  }
}

export interface OtpOpenContactDetail {
  contactId: string;
  /** The contact was just added, so lists that show it are stale. */
  added?: boolean;
}

/** Asks the page to open a contact's card: after adding one, or "Open it" on a duplicate. */
export class OtpOpenContactEvent extends CustomEvent<OtpOpenContactDetail> {
  static readonly eventName = 'otp-open-contact';
  constructor(detail: OtpOpenContactDetail) {
    super(OtpOpenContactEvent.eventName, { ...init, detail });
  }
}

export interface OtpContactsImportedDetail {
  /** How many contacts were added. */
  imported: number;
}

/** After a CSV import added contacts (or tried to), so lists that show them are stale. */
export class OtpContactsImportedEvent extends CustomEvent<OtpContactsImportedDetail> {
  static readonly eventName = 'otp-contacts-imported';
  constructor(detail: OtpContactsImportedDetail) {
    super(OtpContactsImportedEvent.eventName, { ...init, detail });
  }
}

interface OtpAdminEventMap {
  'otp-card-changed': OtpCardChangedEvent;
  'otp-open-contact': OtpOpenContactEvent;
  'otp-contacts-imported': OtpContactsImportedEvent;
}

declare global {
  interface HTMLElementEventMap extends OtpAdminEventMap {}
}
