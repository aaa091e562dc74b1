/**
 * The contact list of the admin page: the search box, a live summary, the table (each name opens
 * the card) and Previous/Next paging from the server's total, limit and offset. Pure: state and
 * handlers in, a template out; `<otp-admin>` owns the state.
 */
import { html, nothing } from 'lit';
import type { AdminContact, ContactPage, UnknownAddressAttempts } from './admin-api.ts';
import { renderUnknownAddress } from './card-attempts.ts';
import type { When } from './card-sections.ts';
import { adminStrings as s, wordFor } from './admin-strings.ts';
import { contactLabel } from './card-sections.ts';
import { phoneText } from './phone.ts';

export interface ContactListState {
  page: ContactPage | null;
  query: string;
  listError: string;
  busy: 'list' | 'card' | null;
}

export interface ContactListHandlers {
  onSearchInput: (event: InputEvent) => void;
  open: (contactId: string) => void;
  /** A card's own address, when the page keeps one: the name is then a link (middle-click, "Open in new tab"). */
  cardHref?: (contactId: string) => string | undefined;
  showPage: (offset: number) => void;
  /** "Add it as a contact" for a searched address that no contact has but someone tried. */
  addAddress: (found: UnknownAddressAttempts) => void;
  /** Formats the tries' times in the page's language. */
  when: When;
}

export function renderContactList({ page, query, listError, busy }: ContactListState, on: ContactListHandlers) {
  const shown = page?.contacts.length ?? 0;
  const q = query.trim();
  const summary =
    busy === 'list' ? s.loading
    : busy === 'card' ? s.openingCard
    : !page ? ''
    : shown === 0 ? (q ? s.noMatches(q) : s.noContacts)
    : s.showing(page.offset + 1, page.offset + shown, page.total);
  return html`
    <section aria-labelledby="list-heading" class="app">
      <h2 id="list-heading">${s.findHeading}</h2>
      <div class="field">
        <label for="search">${s.searchLabel}</label>
        <input id="search" type="search" autocomplete="off" spellcheck="false" .value=${query} @input=${on.onSearchInput} />
      </div>
      <p role="status" aria-live="polite">${summary}</p>
      <p class=${listError ? 'alert' : 'live'} role="alert">${listError}</p>
      ${page?.unknownAddress ? renderUnknownAddress(page.unknownAddress, on.when, on.addAddress) : nothing}
      ${page && shown > 0 ? renderTable(page.contacts, on) : nothing}
      ${page && page.total > page.limit ? renderPaging(page, on) : nothing}
    </section>
  `;
}

function renderTable(contacts: AdminContact[], on: ContactListHandlers) {
  const name = (c: AdminContact) => {
    const href = on.cardHref?.(c.id);
    if (!href) return html`<button type="button" class="link" @click=${() => on.open(c.id)}>${contactLabel(c)}</button>`;
    // A plain click opens the card in place; a middle-click or a modifier is the browser's (a new tab).
    const click = (event: MouseEvent) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      on.open(c.id);
    };
    return html`<a class="link" href=${href} @click=${click}>${contactLabel(c)}</a>`;
  };
  const row = (c: AdminContact) => html`<tr>
    <th scope="row">${name(c)}</th>
    <td>${c.email ?? ''}</td><td>${phoneText(c.phone) ?? ''}</td><td>${wordFor(s.statuses, c.status)}</td>
  </tr>`;
  // The region takes focus so a keyboard can scroll the table sideways on a narrow screen.
  return html`<div class="table-wrap" role="region" aria-label=${s.listCaption} tabindex="0"><table aria-label=${s.listCaption}>
    <thead><tr>${[s.name, s.email, s.phone, s.status].map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
    <tbody>${contacts.map(row)}</tbody>
  </table></div>`;
}

function renderPaging({ offset, limit, total }: ContactPage, on: ContactListHandlers) {
  return html`<nav aria-label=${s.pages} class="row">
    <button type="button" ?disabled=${offset === 0} @click=${() => on.showPage(Math.max(0, offset - limit))}>${s.previous}</button>
    <button type="button" ?disabled=${offset + limit >= total} @click=${() => on.showPage(offset + limit)}>${s.next}</button>
  </nav>`;
}
