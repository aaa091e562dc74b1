/**
 * The sentence beside the button that did something: "Sent a sign-in link to j•••@example.com…"
 * next to "Send sign-in link", the server's refusal in its place. One note shows at a time (the
 * last action's); every slot is always rendered, empty, so it is a live region before its text
 * arrives and the text is announced. A slot inside a row that a confirm step replaced is born with
 * its text; its button then takes focus, and the note is the button's description.
 */
import { html, type TemplateResult } from 'lit';

/** The last action's sentence and the note it goes in. */
export interface CardNote {
  /** The note's id: one of `noteIds`. */
  at: string;
  text: string;
  /** A refusal (shown as an alert) rather than a result. */
  refused: boolean;
}

/** Where each button's note is: next to the button (or the row of buttons) it answers. */
export const noteIds = {
  send: 'send-note',
  status: 'status-note',
  edit: 'edit-note',
  devices: 'devices-note',
  optOut: (channel: 'email' | 'sms') => `optout-${channel}-note`,
} as const;

/** The note `id`, showing `note` when it is the one for it. */
export function renderNote(id: string, note: CardNote | null): TemplateResult {
  const mine = note?.at === id ? note : null;
  return html`<span id=${id} class=${mine ? (mine.refused ? 'alert' : 'muted') : 'live'} role="status">${mine?.text ?? ''}</span>`;
}
