/**
 * The words both sides of the admin API say about the same thing, kept once: the server's
 * diagnosis ("Email: opted out — the address bounced on …") and the admin page's opt-out section
 * ("Opted out — the address bounced.") name an opt-out's source alike. Imports nothing at run time,
 * so the admin page's bundle takes this object and nothing of the server.
 */
import type { OptOutSource } from './admin.ts';

/** An opt-out's source, as a phrase inside an English sentence. */
export const optOutSourceWords: Readonly<Record<OptOutSource, string>> = {
  stop_reply: 'replied STOP',
  spam_complaint: 'marked our email as spam',
  bounce: 'the address bounced',
  unsubscribe: 'unsubscribed',
  provider_suppressed: 'the provider refuses the address',
  admin: 'an admin opted them out',
};
