/**
 * One change the card sends to the server, as data: what to send, and what the card does with the
 * answer. Each action's module builds its own (`statusChange`, `optOutChange`, …); the card runs
 * them all the same way, so every action waits, announces and reports alike.
 */
import type { AdminApi, ApiError, ApiResult, ContactCard } from './admin-api.ts';

export interface Change<T> {
  /** What is being sent, for the buttons' "Sending…"; every button waits meanwhile. */
  busy: string;
  send: (api: AdminApi, contactId: string) => Promise<ApiResult<T>>;
  /** The card after the change (default: as it was), the sentence shown next to the button, and the action the page is told. */
  done: (data: T, card: ContactCard) => { card?: ContactCard; announce: string; action: string };
  /**
   * The id of the note beside the button that sent it (./card-note.ts), where its result or the
   * server's refusal is shown: where the admin is looking, not at the top of the card.
   */
  note: string;
  /** Where focus goes afterwards: the first of these on the card. */
  focus: string[];
  /** Shows a refusal elsewhere than the card's alert (a form's own), and says where focus goes. */
  refused?: (error: ApiError) => string[];
}

/** The card with one channel's opt-out replaced by the server's answer. */
export const withOptOut = (card: ContactCard, channel: 'email' | 'sms', optOut: ContactCard['optOut']['email']): ContactCard => ({
  ...card,
  optOut: { ...card.optOut, [channel]: optOut },
});
