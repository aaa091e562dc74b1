/**
 * The code requests that sent nothing (an opt-out, a deactivation, a limit, an address that is no
 * contact), as the server counted them per day: on the card, and under a search for an address
 * no contact has. Pure: rows and a time formatter in, a template out.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { AttemptRow, UnknownAddressAttempts } from './admin-api.ts';
import { attemptSummary } from '../../api/admin-words.ts';
import { adminStrings as s } from './admin-strings.ts';
import { section, type When } from './card-sections.ts';

/** Today's UTC date, as the server names the day a try was counted in. */
const todayUtc = () => new Date().toISOString().slice(0, 10);

/** One line per day and kind of block, newest first. */
export function renderAttemptList(attempts: AttemptRow[], when: When): TemplateResult {
  const today = todayUtc();
  return html`<ul class="attempts">
    ${attempts.map((a) => html`<li>${s.attemptLine(when(a.lastAt), attemptSummary(a, a.day === today ? 'today' : 'that day'))}</li>`)}
  </ul>`;
}

/** The card's section; nothing when no request was blocked in the last 30 days. */
export function renderAttempts(attempts: AttemptRow[] | undefined, when: When): TemplateResult | typeof nothing {
  if (!attempts?.length) return nothing;
  return section('attempts-heading', s.attemptsHeading, html`<p class="muted">${s.attemptsLead}</p>${renderAttemptList(attempts, when)}`);
}

/** A searched address that no contact has, its tries, and the button that adds it. */
export function renderUnknownAddress(found: UnknownAddressAttempts, when: When, add: (found: UnknownAddressAttempts) => void): TemplateResult {
  return html`<div class="unknown-address">
    <p>${s.unknownTried(found.address, found.kind, found.triesToday, found.tries)}</p>
    ${renderAttemptList(found.attempts, when)}
    <div class="row"><button type="button" @click=${() => add(found)}>${s.addAddress(found.address)}</button></div>
  </div>`;
}
