import { dateTimeStyle } from '../../api/time-style.ts';
import { DAY } from '../clock.ts';
import type { CodeEvent } from '../store/code-log.ts';
import type { Contact } from '../contacts/contacts.ts';
import type { Delivery, OptOut } from '../store/deliveries.ts';
import type { Device } from '../contacts/devices.ts';
import type { Channel } from '../identifiers.ts';
import { isOptOutSource, liftOf, type Lift } from '../delivery/opt-out-rules.ts';
import { PAUSE_RULES, type SmsPause } from '../sign-in/sms-pause.ts';
import type { Cause } from '../../api/admin.ts';
import { attemptSummary, optOutSourceWords } from '../../api/admin-words.ts';
import { dayOf, type AttemptTally } from '../store/sign-in-attempts.ts';

/** One likely reason a contact cannot sign in now, and the fact behind it (an admin API answer's). */
export type { Cause };

export interface CardFacts {
  contact: Contact;
  optOut: Record<Channel, OptOut | undefined>;
  codes: CodeEvent[];
  deliveries: Delivery[];
  devices: Device[];
  /** Wrong codes in a row per identifier, and where the back-off starts and the lock falls. */
  failures: { email: number; sms: number; after: number; lockAfter: number };
  /** Texts to new numbers in the block or country of the contact's phone are paused (sign-in/sms-pause.ts). */
  smsPause?: SmsPause | null | undefined;
  /** Code requests that sent nothing (sign-in/attempts.ts), newest first; only today's are causes. */
  attempts?: AttemptTally[] | undefined;
  now: number;
}

/** The admin's one style of time (api/time-style.ts), in UTC: the server does not know the admin's zone. */
const inUtc = new Intl.DateTimeFormat('en-US', { ...dateTimeStyle, timeZone: 'UTC' });
const when = (ms: number) => `${inUtc.format(ms)} UTC`;
const FORGETFUL = new Set(['private_window', 'cookies_cleared', 'cookies_blocked', 'cookies_likely_blocked', 'cookies_blocked_embedded', 'session_only']);
/** What the admin can do about an opt-out, by who may lift it (delivery/opt-out-rules.ts). */
const liftWords: Record<Lift, string> = {
  contact_only: 'only the contact can undo this, by subscribing again',
  after_confirming: 'confirm the address with the contact, then lift it under Opt-outs',
  admin: 'lift it under Opt-outs once they want codes again',
};
const addressWord = (channel: Channel) => (channel === 'email' ? 'email address' : 'mobile number');

/**
 * Why this contact likely cannot sign in right now, most likely first, each with the fact behind
 * it: the first thing an admin reads on the card. Pure: the card's facts in, causes out.
 */
export function diagnose({ contact, optOut, codes, deliveries, devices, failures, smsPause, attempts = [], now }: CardFacts): Cause[] {
  const causes: Cause[] = [];
  if (contact.status === 'deactivated') causes.push({ cause: 'deactivated', fact: 'The contact is deactivated: no code is sent and remembered browsers are signed out. Activate them to let them sign in.' });
  // What the contact tried today and what stopped it: the direct evidence for the causes below.
  const today = dayOf(now);
  // A block the contact no longer has is history, not a cause: "no contact has this address" once
  // it is one, "deactivated" once active again (the card's list still shows them).
  const over = (t: AttemptTally) => t.block === 'not_a_contact' || (t.block === 'deactivated' && contact.status === 'active');
  for (const t of attempts.filter((a) => a.day === today && !over(a))) {
    causes.push({ cause: 'blocked_attempts', channel: t.channel, fact: `${attemptSummary(t, 'today')}; the last at ${when(t.lastAt)}.` });
  }
  for (const channel of ['email', 'sms'] as const) {
    const count = failures[channel];
    const what = channel === 'email' ? 'Email' : 'Mobile number';
    const other: Channel = channel === 'email' ? 'sms' : 'email';
    const orOther = (other === 'email' ? contact.email : contact.phone) ? `, or ask them to use their ${addressWord(other)}` : '';
    if (count >= failures.lockAfter) {
      causes.push({ cause: 'locked', channel, fact: `${what}: locked after ${count} wrong codes in a row. A sign-in another way lifts it: send a sign-in link${orOther}.` });
    } else if (count >= failures.after) {
      causes.push({ cause: 'slowed', channel, fact: `${what}: ${count} wrong codes in a row, so each new try waits (up to an hour). A right code or a sign-in link resets this.` });
    }
  }

  const lastTried = codes[0]?.channel ?? deliveries[0]?.channel;
  const channels: Channel[] = lastTried ? [lastTried, lastTried === 'email' ? 'sms' : 'email'] : ['email', 'sms'];
  for (const channel of channels) {
    const o = optOut[channel];
    if (!o?.optedOut) continue;
    // The page's opt-out section names the source in the same words (api/admin-words.ts).
    const source = isOptOutSource(o.source) ? optOutSourceWords[o.source] : o.source;
    const undo = o.source === 'stop_reply' ? '; only the contact can undo this by replying START' : isOptOutSource(o.source) ? `; ${liftWords[liftOf[o.source]]}` : '';
    causes.push({ cause: 'opted_out', channel, fact: `${channel === 'sms' ? 'SMS' : 'Email'}: opted out — ${source} on ${when(o.at)}${undo}.` });
  }

  if (smsPause) causes.push({ cause: 'sms_paused', channel: 'sms', fact: pauseFact(smsPause, contact) });

  const lastEmail = deliveries.find((d) => d.channel === 'email');
  if (lastEmail?.status === 'bounced') causes.push({ cause: 'bounced', channel: 'email', fact: `The last email bounced on ${when(lastEmail.updatedAt)}: ${lastEmail.errorText ?? lastEmail.errorCode ?? 'no detail'}. Check the address with the contact and correct it under Edit details.` });
  const lastFailed = deliveries.find((d) => d.status === 'failed' || d.status === 'undelivered');
  if (lastFailed && lastFailed === deliveries[0]) {
    causes.push({ cause: 'undelivered', channel: lastFailed.channel, fact: `The last ${lastFailed.channel === 'sms' ? 'text' : 'email'} (code ${lastFailed.codeNumber}) was not delivered: ${lastFailed.errorCode ?? ''} ${lastFailed.errorText ?? ''}`.trim() + `. Check the ${addressWord(lastFailed.channel)} with the contact, or have them ask for a new code.` });
  }

  const recent = codes.filter((c) => now - c.issuedAt < DAY);
  const burned = recent.find((c) => c.outcome === 'burned');
  if (burned) causes.push({ cause: 'code_burned', fact: `Code ${burned.number} was entered wrongly 5 times on ${when(burned.outcomeAt ?? burned.issuedAt)} and stopped working. They can ask for a new code and type the newest one.` });
  if (recent.length > 0 && !recent.some((c) => c.outcome === 'verified')) {
    causes.push({
      cause: 'codes_unused',
      fact: `${recent.length} code${recent.length === 1 ? '' : 's'} sent in the last 24 hours, none used: the contact may be typing an older code, or the message is in a spam folder, or the address is wrong. Ask them to use the newest message and look in spam, and check the address with them.`,
    });
  }

  const forgetful = codes.filter((c) => now - c.issuedAt < 30 * DAY && c.reason && FORGETFUL.has(c.reason));
  if (forgetful.length >= 3) {
    const top = [...new Set(forgetful.map((c) => c.reason))].join(', ');
    causes.push({ cause: 'forgetful_browser', fact: `${forgetful.length} new codes in 30 days because the browser forgot the sign-in (${top}): a private window or cookie clearing. Suggest they sign in in a normal window that keeps this site’s cookies.` });
  }

  if (devices.length === 0) causes.push({ cause: 'never_signed_in', fact: 'The contact has never signed in: send an invitation.' });
  if (!contact.email) causes.push({ cause: 'no_email', fact: 'No email address on file: codes can only go by SMS. Add one under Edit details for a second way in.' });
  if (!contact.phone) causes.push({ cause: 'no_phone', fact: 'No mobile number on file: codes can only go by email. Add one under Edit details for a second way in.' });
  return causes;
}

/** The SMS pause in the admin's words: what, until when, why, and what it means for this contact. */
function pauseFact(p: SmsPause, contact: Contact): string {
  const why =
    `Texts to new numbers in ${p.name} are paused until ${when(p.until)}: of the ${p.texts} codes texted there ${p.from === p.since - PAUSE_RULES.windowMs ? 'in the last 24 hours' : `since ${when(p.from)}`} only ${p.used} ${p.used === 1 ? 'was' : 'were'} used ` +
    `(SMS_MIN_CONVERSION=${p.minPercent}%), which is how SMS pumping looks. Numbers that signed in before still get texts`;
  if (contact.phoneVerifiedAt !== null) return `${why}, this contact’s among them.`;
  const instead = contact.email ? 'ask them to use their email address' : 'add an email address under Edit details, or ask them to try again then';
  return `${why}; this contact’s number has not signed in yet, so it gets none until then: ${instead}.`;
}
