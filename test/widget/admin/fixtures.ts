/**
 * Canned admin API answers, shaped exactly like server/admin/admin-routes.ts answers them, and DOM shortcuts
 * for the admin elements (which nest shadow roots).
 */
import type { AdminContact, ContactCard, OptOutState } from '../../../widget/admin/admin-api.ts';
import type { OtpContactCard } from '../../../widget/admin/contact-card.ts';
import { assert, restoreServer, serve } from '../helpers.ts';

export const CHROME_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36';
export const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1';

export function contact(overrides: Partial<AdminContact> = {}): AdminContact {
  return {
    id: 'c_1',
    email: 'jo@example.com',
    phone: '+447700900123',
    name: 'Jo Rower',
    status: 'active',
    role: 'contact',
    createdAt: '2026-11-01T09:00:00.000Z',
    emailVerifiedAt: null,
    phoneVerifiedAt: null,
    ...overrides,
  };
}

export const notOptedOut = (): OptOutState => ({ optedOut: false, source: null, at: null, detail: null, lift: null });

/** Jo: replied STOP to texts, two codes by email unused, one remembered Chrome, one revoked Safari. */
export function card(overrides: Partial<ContactCard> = {}): ContactCard {
  return {
    contact: contact(),
    diagnosis: [
      { cause: 'opted_out', channel: 'sms', fact: 'SMS: opted out — replied STOP on Nov 20, 2026, 10:00 AM UTC; only the contact can undo this by replying START.' },
      { cause: 'codes_unused', fact: '2 codes sent in the last 24 hours, none used: the contact may be typing an older code, or the message is in a spam folder, or the address is wrong.' },
    ],
    optOut: {
      email: notOptedOut(),
      sms: { optedOut: true, source: 'stop_reply', at: '2026-11-20T10:00:00.000Z', detail: 'Replied STOP', lift: 'contact_only' },
    },
    deliveries: [
      { id: 'dl_2', channel: 'email', destination: 'j•••@example.com', provider: 'postmark', codeNumber: 2, reason: null, status: 'bounced', errorCode: 'HardBounce', errorText: 'Mailbox not found', createdAt: '2026-11-22T14:05:00.000Z', updatedAt: '2026-11-22T14:05:09.000Z' },
      { id: 'dl_1', channel: 'email', destination: 'j•••@example.com', provider: 'postmark', codeNumber: 1, reason: 'cookies_cleared', status: 'delivered', errorCode: null, errorText: null, createdAt: '2026-11-22T14:00:00.000Z', updatedAt: '2026-11-22T14:00:04.000Z' },
    ],
    devices: [
      { id: 'd_1', userAgent: CHROME_WINDOWS, createdAt: '2026-11-02T08:00:00.000Z', lastSeenAt: '2026-11-21T18:30:00.000Z', expiresAt: '2027-12-07T08:00:00.000Z', sessionOnly: false, status: 'active', revokedReason: null },
      { id: 'd_2', userAgent: SAFARI_IPHONE, createdAt: '2026-11-03T08:00:00.000Z', lastSeenAt: '2026-11-03T08:00:00.000Z', expiresAt: '2027-12-08T08:00:00.000Z', sessionOnly: false, status: 'revoked', revokedReason: 'admin' },
    ],
    codes: [
      { number: 2, channel: 'email', destination: 'j•••@example.com', reason: null, issuedAt: '2026-11-22T14:05:00.000Z', outcome: 'pending', outcomeAt: null },
      { number: 1, channel: 'email', destination: 'j•••@example.com', reason: 'cookies_cleared', issuedAt: '2026-11-22T14:00:00.000Z', outcome: 'superseded', outcomeAt: '2026-11-22T14:05:00.000Z' },
    ],
    lastSignedInAt: '2026-11-02T08:00:00.000Z',
    audit: [{ adminId: 'c_boss', adminEmail: 'boss@example.com', action: 'revoke_device', detail: SAFARI_IPHONE, at: '2026-11-10T12:00:00.000Z' }],
    ...overrides,
  };
}

/** The first match in `el`'s shadow root. */
export function inShadow<T extends Element = HTMLElement>(el: Element | null | undefined, selector: string): T | null {
  return el?.shadowRoot?.querySelector<T>(selector) ?? null;
}

/** The button in `el`'s shadow root whose text is `text`. */
export function buttonNamed(el: Element | null | undefined, text: string): HTMLButtonElement | null {
  const buttons = [...(el?.shadowRoot?.querySelectorAll('button') ?? [])];
  return buttons.find((b) => b.textContent?.trim() === text) ?? null;
}

/**
 * Text of `el`'s shadow root (or of the element itself): its text nodes joined by spaces, so
 * neighbouring cells read "postmark Bounced", whitespace collapsed.
 */
export function textIn(el: Element | ShadowRoot | null | undefined): string {
  const root = el instanceof Element ? (el.shadowRoot ?? el) : el;
  if (!root) return '';
  const parts: string[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) parts.push(node.textContent ?? '');
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

/** The card for `data` (the element must be defined: import contact-card.ts), in a page whose language is en-GB. */
export async function mountCard(data: ContactCard = card()): Promise<OtpContactCard> {
  const page = document.createElement('div');
  page.lang = 'en-GB';
  const el = document.createElement('otp-contact-card');
  el.api = 'http://otp.test';
  el.card = data;
  page.append(el);
  document.body.append(page);
  await el.updateComplete;
  return el;
}

/** The text of the card's section under the heading `heading`. */
export function sectionText(el: OtpContactCard, heading: string): string {
  const h = [...el.shadowRoot!.querySelectorAll('h3')].find((x) => x.textContent?.trim() === heading);
  assert(h, `a section headed "${heading}"`);
  return textIn(h.closest('section'));
}

/** What the element's live regions say, joined: on the card, the one note showing beside a button. */
export const live = (el: Element) => [...el.shadowRoot!.querySelectorAll('[role="status"]')].map((r) => textIn(r)).filter(Boolean).join(' ');
/** The card's note `id` (widget/admin/card-note.ts): what the last action beside it did, or the server's refusal. */
export function note(el: Element, id: string): { text: string; refused: boolean } {
  const region = inShadow(el, `#${id}`);
  assert(region, `the note #${id}`);
  return { text: textIn(region), refused: region.classList.contains('alert') };
}
/** What the card's alert says. */
export const alertText = (el: Element) => textIn(inShadow(el, '[role="alert"]'));
/** The id of what has focus inside `el`'s shadow root. */
export const focused = (el: Element) => el.shadowRoot!.activeElement?.id;

export { serve };

/** For `afterEach`: the real fetch back, and an empty page. */
export function cleanUp(): void {
  restoreServer();
  document.body.replaceChildren();
}

/** Chooses a file of `text` in a file input, as the browser's picker would (a change event follows). */
export function chooseFile(input: HTMLInputElement, text: string, name = 'contacts.csv'): void {
  const files = new DataTransfer();
  files.items.add(new File([text], name, { type: 'text/csv' }));
  input.files = files.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}
