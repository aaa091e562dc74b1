/**
 * The card's inline "Are you sure?" step: a change that is hard to undo (a deactivate, signing out
 * of every browser, an opt-out, lifting one) first replaces its button with a question, "Yes" and
 * "Cancel". One is open at a time, so the ids inside are unique on the card.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Channel } from './admin-api.ts';
import { adminStrings as s } from './admin-strings.ts';

/** The change waiting for "Yes": what, and for an opt-out which channel. */
export interface Asked {
  action: 'deactivate' | 'activate' | 'revoke_all' | 'opt_out' | 'lift_opt_out' | 'make_admin' | 'remove_admin';
  channel?: Channel;
}

export const isAsked = (asked: Asked | null, action: Asked['action'], channel?: Channel): boolean =>
  asked?.action === action && asked.channel === channel;

export interface Confirm {
  question: string;
  yes: string;
  tone: 'danger' | 'primary';
  /** A change is being sent: both answers wait. */
  busy: boolean;
  onYes: () => void;
  onCancel: () => void;
  /** Between the question and the answers: a note, or a box to tick. */
  extra?: unknown;
  /** False while "Yes" waits for that box. */
  ready?: boolean;
}

/** The question with its answers, as a group named by the question; "Yes" has the id `confirm-yes`. */
export function renderConfirm({ question, yes, tone, busy, onYes, onCancel, extra = nothing, ready = true }: Confirm): TemplateResult {
  return html`<div class="confirm" role="group" aria-labelledby="confirm-question">
    <p id="confirm-question">${question}</p>
    ${extra}
    <div class="row">
      <button id="confirm-yes" type="button" class=${tone} ?disabled=${busy || !ready} @click=${onYes}>${yes}</button>
      <button type="button" ?disabled=${busy} @click=${onCancel}>${s.cancel}</button>
    </div>
  </div>`;
}
