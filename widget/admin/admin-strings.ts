/**
 * Every sentence an admin reads on the admin page and the contact card, in English. Sentences
 * with values are functions; times arrive already formatted in the page's language.
 *
 * ```ts
 * adminStrings.forbidden('jo@example.com');
 * // "You're signed in as jo@example.com, who is not an admin. Sign out and sign in with an admin's email."
 * ```
 */
import type { Channel } from '../api.ts';
import { optOutSourceWords } from '../../api/admin-words.ts';
import type { UserAgentInfo } from './user-agent.ts';

type Words = Readonly<Record<string, string>>;

/** Looks a server word up, showing the word itself when this page does not know it yet. */
export const wordFor = (words: Words, key: string | null | undefined, fallback = ''): string =>
  key ? (words[key] ?? key) : fallback;

/** How many times, in words for the few: "once", "twice", "3 times". */
const times = (n: number) => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`);

/** A channel inside a sentence: "by email", "by SMS". */
const by: Record<Channel, string> = { email: 'email', sms: 'SMS' };

export const adminStrings = {
  // The page
  appTitle: 'Contacts',
  signInLead: 'Sign in with an admin’s email address or mobile number to see the contacts.',
  unauthorized: 'Your sign-in has ended. Sign in again to see the contacts.',
  forbidden: (who: string) => `You’re signed in as ${who}, who is not an admin. Sign out and sign in with an admin’s email.`,
  searchLabel: 'Search by name, email or phone',
  loading: 'Loading…',
  showing: (from: number, to: number, total: number) => `Showing ${from}–${to} of ${total} contacts.`,
  noMatches: (q: string) => `No contact matches “${q}”. Try part of a name, email or number, or add them as a contact.`,
  noContacts: 'No contacts yet. Add one below.',
  pages: 'Pages of contacts',
  previous: 'Previous',
  next: 'Next',
  findHeading: 'Find a contact',
  listCaption: 'Contacts',
  openingCard: 'Opening the contact…',
  closeCard: 'Close the card',

  // Add a contact
  addHeading: 'Add a contact',
  addLead: 'Give an email address, a mobile number, or both.',
  labelEmail: 'Email',
  labelPhone: 'Mobile number',
  phoneHint: 'With the country code, for example +44 7911 123456.',
  labelName: 'Name (optional)',
  add: 'Add contact',
  adding: 'Adding…',
  added: (who: string) => `${who} was added.`,
  openIt: 'Open it',

  // Import and export
  csvHeading: 'Import and export',
  exportCsv: 'Download contacts (CSV)',
  importLabel: 'Import contacts from a CSV file (columns: email,phone,name)',
  importHint: 'Columns named email, phone and name, in any order (others are ignored), separated by commas, semicolons or tabs. A downloaded file imports back as it is.',
  importButton: 'Import',
  importing: 'Importing…',
  chooseFileFirst: 'Choose a file first.',
  imported: (n: number) => `Imported ${n} ${n === 1 ? 'contact' : 'contacts'}.`,
  unchanged: (n: number) => (n === 1 ? '1 line matches a contact already here: unchanged.' : `${n} lines match contacts already here: unchanged.`),
  notImported: (n: number) => (n === 1 ? '1 line was not imported:' : `${n} lines were not imported:`),
  unreadableFile: 'This file could not be read. Choose it again, or save it as CSV and choose the copy.',

  // The card: identity
  unnamed: 'No name',
  details: 'Details',
  name: 'Name',
  email: 'Email',
  phone: 'Mobile number',
  status: 'Status',
  role: 'Role',
  created: 'Added',
  signIns: 'Sign-ins',
  noneOnFile: 'None on file',
  verifiedOn: (date: string) => `verified ${date}`,
  notVerified: 'not verified yet',
  statuses: { active: 'Active', deactivated: 'Deactivated' } as Words,
  roles: { contact: 'Contact', admin: 'Admin' } as Words,
  lastSignedIn: (when: string) => `Last signed in ${when}`,
  neverSignedIn: 'Never signed in',
  editDetails: 'Edit details',
  editLead: 'Leave a field empty to remove it; the contact needs an email address or a mobile number.',
  save: 'Save',
  saving: 'Saving…',
  saved: 'Saved. A changed email or phone is unverified until the contact next signs in with it; the old one was told of the change.',

  // Diagnosis
  diagnosisHeading: 'Why they may not be able to sign in',
  diagnosisLead: 'Most likely first.',
  nothingInTheWay: 'Nothing stands in the way: this contact can sign in. If they still cannot, send them a sign-in link.',

  // Opt-outs
  optOutHeading: 'Opt-outs',
  channels: { email: 'Email', sms: 'SMS' } as Words,
  noAddress: (channel: string) => (channel === 'sms' ? 'No mobile number on file.' : 'No email address on file.'),
  notOptedOut: 'Not opted out: codes can be sent.',
  optedOut: (source: string, when: string) => `Opted out — ${source}${when ? ` on ${when}` : ''}.`,
  // The server's diagnosis says them too: one list, in api/admin-words.ts.
  optOutSources: optOutSourceWords as Words,
  optOutDetail: (detail: string) => `Provider detail: ${detail}`,
  liftOptOut: {
    stop_reply: 'Only the contact can undo this, by texting START to our number.',
    spam_complaint: 'Reactivate only after confirming with the contact.',
    bounce: 'Reactivate only after confirming with the contact.',
    unsubscribe: 'Only the contact can undo this, by subscribing again.',
    provider_suppressed: 'Confirm the address with the contact: the provider decides when it accepts it again.',
    admin: 'An admin opted them out; an admin may lift it.',
  } as Words,
  liftStopReplyTo: (number: string) => `Only the contact can undo this, by texting START to ${number}.`,
  optOutOf: (channel: Channel) => `Opt out of ${by[channel]}`,
  confirmOptOut: (channel: Channel, address: string) =>
    `Stop sending codes and links to ${address} by ${by[channel]}? The contact can’t sign in by ${by[channel]} until an admin lifts this.`,
  yesOptOut: 'Yes, opt out',
  optedOutNow: (channel: Channel, address: string) => `Opted out of ${by[channel]}: no codes or links go to ${address} until an admin lifts it.`,
  alreadyOptedOut: (channel: Channel) => `Already opted out of ${by[channel]}: nothing changed.`,
  liftAdminOptOut: 'Lift the opt-out',
  liftAdminOptOutLabel: (channel: Channel) => `Lift the opt-out of ${by[channel]}`,
  confirmLift: (channel: Channel, address: string) => `Lift the opt-out? Codes and links will go to ${address} by ${by[channel]} again.`,
  yesLift: 'Yes, lift it',
  reactivate: (channel: Channel) => `Reactivate ${by[channel]}`,
  confirmReactivate: (channel: Channel, address: string) => `Reactivate ${by[channel]} for ${address}? Codes and links will go to it again.`,
  reactivateEmailNote: 'This also removes the address from the email provider’s suppression list.',
  confirmedWithContact: (address: string) => `I confirmed with the contact that ${address} is right and they want our messages`,
  yesReactivate: 'Yes, reactivate',
  lifted: (channel: Channel, address: string) => `The opt-out is lifted: codes and links can go to ${address} by ${by[channel]} again.`,

  // Code history
  codesHeading: 'Code history',
  noCodes: 'No codes were sent to this contact.',
  when: 'When',
  channel: 'Channel',
  codeNumber: 'Code number',
  sentTo: 'Sent to',
  outcome: 'Outcome',
  reason: 'Why a code was needed',
  codeNo: (n: number) => `No. ${n}`,
  outcomes: {
    verified: 'Used to sign in',
    superseded: 'Replaced by a newer code',
    burned: 'Entered wrongly 5 times',
    undelivered: 'Not delivered',
    expired: 'Expired unused',
    pending: 'Still valid',
  } as Words,
  reasonNotGiven: 'Not given',
  reasons: {
    first_sign_in: 'First sign-in on this browser',
    no_saved_sign_in: 'No saved sign-in on this browser',
    private_window: 'Private window',
    cookies_cleared: 'Cookies were cleared',
    cookies_blocked: 'Cookies are blocked',
    cookies_likely_blocked: 'Cookies are likely blocked',
    cookies_blocked_embedded: 'Cookies are blocked for embedded sites',
    session_only: 'Last sign-in was for one browser session',
    expired: 'The saved sign-in expired',
    signed_out: 'They signed out',
    revoked: 'An admin signed this browser out',
    deactivated: 'The contact was deactivated',
    unknown_device: 'The browser was not recognised',
    unknown: 'Not known',
  } as Words,

  // Delivery log
  deliveriesHeading: 'Delivery log',
  noDeliveries: 'No messages were handed to a provider.',
  provider: 'Provider',
  deliveryStatus: 'Status',
  error: 'Error',
  noError: 'None',
  deliveryStatuses: {
    queued: 'Queued',
    sent: 'Sent',
    delivered: 'Delivered',
    undelivered: 'Not delivered',
    bounced: 'Bounced',
    failed: 'Failed',
    suppressed: 'Not sent (opted out)',
  } as Words,

  // Remembered browsers
  devicesHeading: 'Remembered browsers',
  noDevices: 'No remembered browsers.',
  browser: 'Browser',
  firstSeen: 'First seen',
  lastSeen: 'Last seen',
  expires: 'Expires',
  actions: 'Actions',
  deviceName: ({ browser, os }: UserAgentInfo) => `${browser ?? 'Unknown browser'}${os ? ` on ${os}` : ''}`,
  sessionOnly: 'this browser session only',
  deviceStatuses: { active: 'Signed in', revoked: 'Revoked by an admin', signed_out: 'Signed out', expired: 'Expired' } as Words,
  revokedByDeactivation: 'Revoked when the contact was deactivated',
  revoke: 'Revoke',
  revokeLabel: (device: string, lastSeen: string) => `Revoke ${device}, last seen ${lastSeen}`,
  revoking: 'Revoking…',
  revoked: (device: string) => `${device} is signed out: it will need a new code.`,
  revokeAll: 'Revoke all browsers',
  confirmRevokeAll: (who: string, n: number) => `Are you sure? ${who} will be signed out of all ${n} browsers and need a new code on each.`,
  yesRevokeAll: 'Yes, revoke all',
  revokedAll: (who: string, n: number) =>
    n === 0 ? `${who} was no longer signed in on any browser.` : `${who} is signed out of ${n} ${n === 1 ? 'browser' : 'browsers'}: each will need a new code.`,

  // Actions
  actionsHeading: 'Actions',
  sendSignInLink: 'Send sign-in link',
  sendInvitation: 'Send invitation',
  sending: 'Sending…',
  sentLink: (destination: string) => `Sent a sign-in link to ${destination}; it works once, for 15 minutes.`,
  sentInvitation: (destination: string, until: string) => `Sent an invitation to ${destination}; it works once, until ${until}.`,
  /** Why neither a sign-in link nor (`invitation`: also offered) an invitation can be sent. */
  cannotSend: (invitation: boolean, why: 'deactivated' | 'no_address' | 'email' | 'sms' | 'both') =>
    `${invitation ? 'No sign-in link or invitation' : 'No sign-in link'}: ${
      {
        deactivated: 'the contact is deactivated. Activate them first.',
        no_address: 'there is no email address or mobile number on file. Add one with “Edit details”.',
        email: 'the contact opted out of email, the only channel on file. Add a mobile number with “Edit details”.',
        sms: 'the contact opted out of SMS, the only channel on file. Add an email address with “Edit details”.',
        both: 'the contact opted out of both email and SMS. “Opt-outs” above says what lifts each.',
      }[why]
    }`,
  deactivate: 'Deactivate contact',
  activate: 'Activate contact',
  confirmDeactivate: (who: string) => `Are you sure? ${who} will be signed out of every browser and get no more codes.`,
  confirmActivate: (who: string) => `Are you sure? ${who} will be able to sign in again.`,
  yesDeactivate: 'Yes, deactivate',
  yesActivate: 'Yes, activate',
  cancel: 'Cancel',
  deactivated: (who: string, browsers = 0) =>
    browsers === 0 ? `${who} is deactivated.` : `${who} is deactivated and signed out of ${browsers} ${browsers === 1 ? 'browser' : 'browsers'}: each will need a new code after activating.`,
  activated: (who: string) => `${who} is active again.`,
  makeAdmin: 'Make admin',
  removeAdmin: 'Remove admin role',
  confirmMakeAdmin: (who: string) => `Make ${who} an admin? They will see every contact and can change them, and make or remove admins.`,
  confirmRemoveAdmin: (who: string) => `Remove ${who}’s admin role? They will no longer open the admin. If that is you, you are signed out of it at once.`,
  yesMakeAdmin: 'Yes, make admin',
  yesRemoveAdmin: 'Yes, remove the role',
  madeAdmin: (who: string, changed: boolean) => (changed ? `${who} is an admin now.` : `${who} was already an admin: nothing changed.`),
  removedAdmin: (who: string, changed: boolean) => (changed ? `${who} is no longer an admin.` : `${who} was not an admin: nothing changed.`),

  // Audit log
  outgoingHeading: 'Events sent to your backend',
  noOutgoing: 'No events about this contact were sent to WEBHOOK_URL.',
  event: 'Event',
  tries: 'Tries',
  outgoingStatus: (row: { status: string; lastStatus: number | null; lastError: string | null; nextAttemptAt: string | null }, when: (iso: string | null) => string) =>
    row.status === 'delivered'
      ? `Delivered (${row.lastStatus})`
      : row.status === 'failed'
        ? `Given up: ${row.lastError ?? 'no answer'}`
        : row.lastError
          ? `${row.lastError}; next try ${when(row.nextAttemptAt)}`
          : 'Waiting to be sent',
  auditHeading: 'Audit log',
  byServer: 'The server (ADMIN_EMAILS)',
  noAudit: 'No admin has changed this contact.',
  who: 'Who',
  what: 'What',
  auditActions: {
    create: 'Added the contact',
    deactivate: 'Deactivated the contact',
    activate: 'Activated the contact',
    revoke_device: 'Revoked a remembered browser',
    revoke_all_devices: 'Revoked all remembered browsers',
    send_sign_in_link: 'Sent a sign-in link',
    send_invitation: 'Sent an invitation',
    edit: 'Edited the details',
    opt_out: 'Opted the contact out',
    lift_opt_out: 'Lifted an opt-out',
    import_csv: 'Imported contacts from a CSV file',
    export_csv: 'Downloaded the contacts as CSV',
    make_admin: 'Made the contact an admin',
    remove_admin: 'Removed the admin role',
    admin_role_ended: 'Ended the admin role',
  } as Words,

  // Sign-in tries that sent nothing (the card, and a search for an address no contact has)
  attemptsHeading: 'Sign-in tries that sent nothing',
  attemptsLead: 'Code requests of the last 30 days that were blocked, counted per day. Only admins see these.',
  /** One day's tries: "22 Nov 2026, 14:05 — 3 tries today by SMS, blocked: replied STOP". */
  attemptLine: (lastAt: string, summary: string) => `${lastAt} — ${summary}`,
  unknownTried: (address: string, kind: 'email' | 'phone', today: number, all: number) =>
    `${address} tried to sign in ${today > 0 ? `${times(today)} today` : `${times(all)} in the last 30 days`}; no contact has this address — add it, or find the contact and update their ${kind === 'email' ? 'email' : 'mobile number'}.`,
  addAddress: (address: string) => `Add ${address} as a contact`,
  addPrefilled: (address: string) => `${address} is in the form under “Add a contact”: add a name if you know it, then Add contact.`,

  // Errors the page makes itself
  errorNetwork: 'The server could not be reached. Check the connection and try again.',
  errorUnexpected: (status: number) => `The server answered ${status} without a reason. Try again in a minute.`,
};
