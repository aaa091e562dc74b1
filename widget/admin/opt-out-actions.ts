/**
 * What an admin may do about one channel's opt-out, under its state on the card: opt the contact
 * out, lift an admin's opt-out, or — after a bounce, a spam complaint or a provider's refusal —
 * reactivate once they confirmed with the contact. A STOP or an unsubscribe has no button: only
 * the contact can undo it. Each change asks first (./confirm.ts). Pure: state and handlers in,
 * templates and changes (./card-change.ts) out.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Channel, ContactCard, OptOutChange, OptOutState } from './admin-api.ts';
import { adminStrings as s } from './admin-strings.ts';
import { withOptOut, type Change } from './card-change.ts';
import { noteIds, renderNote, type CardNote } from './card-note.ts';
import { isAsked, renderConfirm, type Asked } from './confirm.ts';
import { phoneText } from './phone.ts';

/** The one change the card offers for a channel, if any. */
type OptOutAction = 'opt_out' | 'lift' | 'reactivate';

function optOutActionOf(address: string | null, state: OptOutState): OptOutAction | null {
  if (!state.optedOut) return address ? 'opt_out' : null;
  if (state.lift === 'admin') return 'lift';
  if (state.lift === 'after_confirming') return 'reactivate';
  return null;
}

export interface OptOutView {
  busy: boolean;
  asked: Asked | null;
  /** The last action's result or refusal, shown beside its button. */
  note: CardNote | null;
  /** "I confirmed with the contact" is ticked. */
  confirmed: boolean;
  ask(asked: Asked): void;
  cancel(): void;
  setConfirmed(confirmed: boolean): void;
  optOut(channel: Channel): void;
  lift(channel: Channel, confirmed: boolean): void;
}

/** The id of a channel's button, which keeps focus when the button becomes the next change's. */
export const optOutButtonId = (channel: Channel) => `optout-${channel}`;

/** The channel's address on the card, for sentences. */
const addressOf = (card: ContactCard, channel: Channel): string => (channel === 'email' ? card.contact.email : phoneText(card.contact.phone)) ?? '';

/** After either, focus stays on the channel's button, which is now the way back. */
const focusAfter = (channel: Channel) => [`#${optOutButtonId(channel)}`, '#optout-heading'];

export const optOutChange = (channel: Channel): Change<OptOutChange> => ({
  busy: 'opt_out',
  send: (api, id) => api.optOut(id, channel),
  done: ({ optOut, changed }, card) => ({
    card: withOptOut(card, channel, optOut),
    announce: changed ? s.optedOutNow(channel, addressOf(card, channel)) : s.alreadyOptedOut(channel),
    action: 'opt_out',
  }),
  note: noteIds.optOut(channel),
  focus: focusAfter(channel),
});

/** Lifts an opt-out; `confirmed` when the admin ticked that they checked with the contact. */
export const liftChange = (channel: Channel, confirmed: boolean): Change<{ optOut: OptOutState }> => ({
  busy: 'lift_opt_out',
  send: (api, id) => api.liftOptOut(id, channel, confirmed),
  done: ({ optOut }, card) => ({ card: withOptOut(card, channel, optOut), announce: s.lifted(channel, addressOf(card, channel)), action: 'lift_opt_out' }),
  note: noteIds.optOut(channel),
  focus: focusAfter(channel),
});

/** The channel's button, or its question once pressed; beside the button, what the last change of it did. */
export function renderOptOutAction(channel: Channel, address: string | null, state: OptOutState, view: OptOutView): TemplateResult | typeof nothing {
  const action = optOutActionOf(address, state);
  const note = noteIds.optOut(channel);
  // No button (a STOP): a refusal that found it so still shows where the button was.
  if (!action || !address) return view.note?.at === note ? html`<div class="row">${renderNote(note, view.note)}</div>` : nothing;
  const asked = isAsked(view.asked, action === 'opt_out' ? 'opt_out' : 'lift_opt_out', channel);
  if (asked) return renderQuestion(action, channel, phoneText(address), view);
  const label = action === 'opt_out' ? s.optOutOf(channel) : action === 'lift' ? s.liftAdminOptOut : s.reactivate(channel);
  return html`<div class="row">
    <button id=${optOutButtonId(channel)} type="button" aria-label=${action === 'lift' ? s.liftAdminOptOutLabel(channel) : nothing} ?disabled=${view.busy}
      aria-describedby=${note} @click=${() => view.ask({ action: action === 'opt_out' ? 'opt_out' : 'lift_opt_out', channel })}>${label}</button>
    ${renderNote(note, view.note)}
  </div>`;
}

function renderQuestion(action: OptOutAction, channel: Channel, address: string, view: OptOutView): TemplateResult {
  const common = { busy: view.busy, onCancel: () => view.cancel() };
  if (action === 'opt_out') {
    return renderConfirm({ ...common, question: s.confirmOptOut(channel, address), yes: s.yesOptOut, tone: 'danger', onYes: () => view.optOut(channel) });
  }
  if (action === 'lift') {
    return renderConfirm({ ...common, question: s.confirmLift(channel, address), yes: s.yesLift, tone: 'primary', onYes: () => view.lift(channel, false) });
  }
  // After a bounce or a complaint, "Yes" waits until the admin says they checked with the contact.
  const extra = html`${channel === 'email' ? html`<p class="muted">${s.reactivateEmailNote}</p>` : nothing}
    <div class="check">
      <input id="confirm-check" type="checkbox" required .checked=${view.confirmed} ?disabled=${view.busy}
        @change=${(event: Event) => view.setConfirmed((event.target as HTMLInputElement).checked)} />
      <label for="confirm-check">${s.confirmedWithContact(address)}</label>
    </div>`;
  return renderConfirm({
    ...common,
    question: s.confirmReactivate(channel, address),
    yes: s.yesReactivate,
    tone: 'primary',
    extra,
    ready: view.confirmed,
    onYes: () => view.lift(channel, true),
  });
}
