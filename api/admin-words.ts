/**
 * The words both sides of the admin API say about the same thing, kept once: the server's
 * diagnosis ("Email: opted out — the address bounced on …") and the admin page's opt-out section
 * ("Opted out — the address bounced.") name an opt-out's source alike. Imports nothing at run time,
 * so the admin page's bundle takes this object and nothing of the server.
 */
import type { AttemptBlock, AttemptLimit, Channel, OptOutSource } from './admin.ts';

/** An opt-out's source, as a phrase inside an English sentence. */
export const optOutSourceWords: Readonly<Record<OptOutSource, string>> = {
  stop_reply: 'replied STOP',
  spam_complaint: 'marked our email as spam',
  bounce: 'the address bounced',
  unsubscribe: 'unsubscribed',
  provider_suppressed: 'the provider refuses the address',
  admin: 'an admin opted them out',
};

/** Which limit refused a code request, as a phrase after "blocked:". */
const attemptLimitWords: Readonly<Record<AttemptLimit, string>> = {
  locked: 'locked after too many wrong codes',
  resend_wait: 'asked again before the wait between codes was over',
  network: 'too many code requests from their network',
  sms_prefix: 'too many texts to numbers like theirs',
  identifier: 'too many codes asked for this address (the last code sent still works)',
  sms_budget: 'the site’s SMS budget was spent',
};

/** What blocked a code request, as a phrase after "blocked:" ("replied STOP"). */
function attemptBlockWords(a: { block: AttemptBlock; channel: Channel; detail: string | null }): string {
  switch (a.block) {
    case 'opted_out':
      return a.detail && a.detail in optOutSourceWords ? optOutSourceWords[a.detail as OptOutSource] : 'opted out';
    case 'deactivated':
      return 'the contact is deactivated';
    case 'rate_limited':
      return a.detail && a.detail in attemptLimitWords ? attemptLimitWords[a.detail as AttemptLimit] : 'a limit';
    case 'not_a_contact':
      return 'no contact has this address';
    case 'no_address':
      return a.channel === 'sms' ? 'no mobile number on file' : 'no email address on file';
    case 'sms_refused':
      return 'texts to this number are refused (its country or type)';
    case 'sms_paused':
      return 'texts to new numbers in its area are paused';
  }
}

/** "3 tries today by SMS, blocked: replied STOP" ("today" or the day's date). */
export function attemptSummary(a: { block: AttemptBlock; channel: Channel; detail: string | null; tries: number }, day: string): string {
  const tries = a.tries === 1 ? '1 try' : `${a.tries} tries`;
  return `${tries} ${day} by ${a.channel === 'sms' ? 'SMS' : 'email'}, blocked: ${attemptBlockWords(a)}`;
}
