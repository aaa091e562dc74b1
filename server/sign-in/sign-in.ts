import type { Config } from '../config/config.ts';
import type { CodeService } from './codes.ts';
import type { Contact, ContactStore } from '../contacts/contacts.ts';
import type { DeviceService } from '../contacts/devices.ts';
import type { OptOut, OptOutStore } from '../store/deliveries.ts';
import type { ChannelHealth, DeliveryQueue } from '../delivery/queue.ts';
import { codeMessage, unknownAddressMessage } from '../delivery/messages.ts';
import type { Random } from '../random.ts';
import { sleep as realSleep, type Clock } from '../clock.ts';
import type { CodeLog, IssuedCode } from '../store/code-log.ts';
import { outlastingOutages } from '../store/index.ts';
import { channelOf, maskIdentifier, subjectOf, type Channel, type Identifier } from '../identifiers.ts';
import type { Limits } from './limits.ts';
import type { LimitResult } from '../store/limits.ts';
import type { SmsGuard } from './sms-guard.ts';
import type { SmsPause } from './sms-pause.ts';
import type { MessageLanguage } from '../delivery/code-text.ts';
import { listedInAdminEmails, promoteIfListed } from '../contacts/admin-emails.ts';
import type { AttemptRecorder, Blocked } from './attempts.ts';
import type { AttemptLimit } from '../../api/admin.ts';

/**
 * Which limit refused, when the person can act on it: their network's (an office or a mobile
 * carrier shares one address), or texts to numbers like theirs. Absent for the person's own
 * identifier, whose wait they caused themselves.
 */
export type LimitScope = 'network' | 'sms_prefix';

/** A limit's refusal as a sign-in result: wait `retryAfter` seconds, or locked after too many wrong codes. */
export type Limited = { ok: false; reason: 'rate_limited'; retryAfter: number; scope?: LimitScope } | { ok: false; reason: 'locked' };

const limited = (r: Exclude<LimitResult, { ok: true }>, scope?: LimitScope): Limited =>
  r.locked ? { ok: false, reason: 'locked' } : { ok: false, reason: 'rate_limited', retryAfter: r.retryAfter, ...(scope && { scope }) };

export type CodeRequestResult =
  | {
      ok: true;
      channel: Channel;
      destination: string;
      sentAt: number;
      expiresAt: number;
      /** Open signup only: the typed address itself opted out of this channel, so nothing was sent. */
      notSent?: { reason: OptOut['source'] };
      /** Texts to new numbers in the typed number's block or country are paused: said whoever the number is (R3). */
      smsPaused?: SmsPause;
    }
  | Limited
  /** The channel's provider fails for everyone (or none is set up): the same answer for all (R3). */
  | { ok: false; reason: 'unavailable'; channel: Channel };

export type SignInResult =
  | { ok: true; contact: Contact; device: Awaited<ReturnType<DeviceService['remember']>>['device']; token: string }
  | Limited
  | { ok: false; reason: 'wrong'; attemptsLeft: number }
  | { ok: false; reason: 'superseded'; newestSentAt: number; newestNumber: number; attemptsLeft: number }
  /** `none`: the code was right, but its contact may no longer sign in (deactivated meanwhile). */
  | { ok: false; reason: 'expired' | 'burned' | 'none' };

export interface CodeRequest {
  identifier: Identifier;
  channel?: Channel | undefined;
  ip: string;
  /**
   * The host of the page that asked, already checked against this server's own origin and
   * ALLOWED_ORIGINS: the SMS ends with `@host #code`, and browsers offer the code only to it.
   */
  pageHost?: string | undefined;
  /** Why the widget says a code is needed (R6), kept with the code's history for the admin card. */
  reason?: string | undefined;
  /** The widget's language, for the message's words. */
  language?: MessageLanguage;
  /** When the code the asker already holds for this identifier was sent (epoch ms). */
  previousSentAt?: number | undefined;
}

export interface VerifyRequest {
  identifier: Identifier;
  code: string;
  ip: string;
  userAgent: string;
  /** "Don't remember this browser". */
  sessionOnly?: boolean;
}

// When the code goes by the other channel than the identifier's, the destination is not shown
// even masked: its last digits would tell anyone who knows an email part of that person's phone.
const HIDDEN_DESTINATION: Record<Channel, string> = { email: '•••@•••', sms: '•••• ••••' };

/**
 * The sign-in rules between the HTTP layer and the stores: who gets a code, by which channel, and
 * what a code proves. Every identifier is answered the same way whether or not it may sign in (R3).
 */
export function createSignIn({ config, clock, sleep = realSleep, contacts, codes, devices, queue, limits, sms, optOuts, health, random, deliverable, codeLog, attempts }: {
  config: Config;
  clock: Clock;
  /** Waits `ms`: the answer floor's timer, injected so a test controls it. */
  sleep?: (ms: number) => Promise<void>;
  contacts: ContactStore;
  codes: CodeService;
  devices: DeviceService;
  queue: DeliveryQueue;
  limits: Limits;
  sms: SmsGuard;
  optOuts: OptOutStore;
  health: ChannelHealth;
  random: Random;
  /** Whether a provider (or the development outbox) is set up for the channel. */
  deliverable: (channel: Channel) => boolean;
  codeLog: CodeLog;
  /** Where the requests that sent nothing are noted for the admin, after the answer. */
  attempts?: Pick<AttemptRecorder, 'note'>;
}) {
  // Codes, their numbers, tries and limits are kept per identifier, known or not, so nothing in an
  // answer links a contact's email to their phone (R3). R1 across a contact's identifiers is kept
  // by codes.supersedeQuietly, which changes no answer an outsider can see.

  /** The contact's other identifier, whose waiting code a new code replaces (R1). */
  function otherIdentifier(contact: Contact | undefined, id: Identifier): Identifier | null {
    if (!contact) return null;
    if (id.kind === 'email') return contact.phone ? { kind: 'phone', value: contact.phone } : null;
    return contact.email ? { kind: 'email', value: contact.email } : null;
  }

  /**
   * The address a code may really go to, or null when it must not be sent (a decoy, R3), the
   * typed identifier's own opt-out, and the pause over a typed number's texts. Both are read for
   * every request, known or not, so the lookup costs the same for all.
   */
  async function addressFor(contact: Contact | undefined, id: Identifier, channel: Channel) {
    const ownOptOut = await optOuts.get(id.value);
    const candidate = contact
      ? contact.status === 'active'
        ? channel === 'email'
          ? contact.email
          : contact.phone
        : null
      : (config.signup === 'open' || isAdminEmail(id)) && channelOf(id) === channel
        ? id.value
        : null;
    // R4: nothing goes to an address that opted out (STOP, a bounce, a complaint, an admin).
    const optOut = candidate === id.value ? ownOptOut : candidate ? await optOuts.get(candidate) : undefined;
    // Texts to new numbers may be paused (SECURITY-PLAN 25): over a typed number whoever it belongs
    // to, since every one is told of it alike (R3); else over the contact's phone a text would go to.
    const texted = channel === 'sms' ? (id.kind === 'phone' ? id.value : candidate) : null;
    const pause = texted ? await sms.pauseOf(texted) : null;
    // A number proven by a used code (the contact's phone is verified) is no pumping target: it still gets its text.
    const paused = pause !== null && contact?.phoneVerifiedAt == null;
    // A contact's phone on file may be one SMS_COUNTRIES or its type rules out: like an opt-out.
    const refused = optOut?.optedOut || (channel === 'sms' && candidate !== null && (sms.refusal(candidate) !== null || paused));
    // Why nothing goes out, for the admin's record of attempts (attempts.ts); never in the answer.
    const why: Blocked | null =
      candidate && !refused ? null
      : contact?.status === 'deactivated' ? { block: 'deactivated', contact }
      : !candidate ? { block: contact || config.signup === 'open' || isAdminEmail(id) ? 'no_address' : 'not_a_contact', contact: contact ?? null }
      : optOut?.optedOut ? { block: 'opted_out', detail: optOut.source, contact: contact ?? null }
      : { block: paused ? 'sms_paused' : 'sms_refused', contact: contact ?? null };
    return {
      address: candidate && !refused ? candidate : null,
      ownOptOut: ownOptOut?.optedOut ? ownOptOut : undefined,
      smsPaused: id.kind === 'phone' ? pause : null,
      why,
    };
  }

  const newDeliveryId = () => random.bytes(12).toString('base64url');

  /**
   * The code log's entries still being written, by subject. A code request does not wait for its
   * entry (R3): only a code that goes out has one, and on PostgreSQL it is a transaction of its
   * own, which an unknown address's answer would not wait for (`npm run bench` saw +0.5 ms, and
   * ~10 ms at 16 requests at once, past the answer floor). What settles a subject's code waits
   * for its entry, so the outcome lands on it; the message waits for it too (queue `after`).
   */
  const logging = new Map<string, Promise<void>>();
  function logIssued(code: IssuedCode) {
    // Its message waits for it: a storage outage delays the entry (and the code), never drops them.
    const written = (logging.get(code.subject) ?? Promise.resolve()).then(() => outlastingOutages(() => codeLog.issued(code), sleep));
    // A failed entry is the delivery's to report (it does not go out); later entries still wait their turn.
    const settled: Promise<void> = written.then(
      () => {},
      () => {},
    ).finally(() => {
      if (logging.get(code.subject) === settled) logging.delete(code.subject);
    });
    logging.set(code.subject, settled);
    return written;
  }
  /** Resolves once the subject's code log entries started so far are written (or failed). */
  const logged = (subject: string) => logging.get(subject);

  /** One of ADMIN_EMAILS, who may sign in under closed signup before anyone added them. */
  const isAdminEmail = (id: Identifier) => listedInAdminEmails(config, id);

  /** The key of an asker's own wrong codes for an identifier. */
  const askerOf = (subject: string, ip: string) => `${subject}\n${ip}`;

  /** NOTIFY_UNKNOWN_EMAIL: tell an unknown address someone tried it; at most one a day, never after an opt-out. */
  async function noticeToUnknown(email: string, optedOut: boolean) {
    if (optedOut || !(await limits.consume([limits.unknownNotices, email])).ok) return;
    queue.enqueue(unknownAddressMessage({ deliveryId: newDeliveryId(), to: email, siteName: config.siteName }));
  }


  /** A limit's refusal as the admin's record of attempts names it; `contact` when already looked up. */
  const limitBlock = (detail: AttemptLimit, contact?: Contact | null): Blocked => ({ block: 'rate_limited', detail, ...(contact !== undefined && { contact }) });

  /** Runs `work` but answers no sooner than the configured floor: the same time for everyone. */
  async function evenly<T>(work: () => Promise<T>): Promise<T> {
    if (config.codes.answerFloorMs <= 0) return work();
    const floor = sleep(config.codes.answerFloorMs);
    const result = await work();
    await floor;
    return result;
  }

  /**
   * A sign-in succeeded another way (the contact's other identifier, a sign-in link): the wrong
   * codes counted against each of the contact's identifiers no longer count (NIST §3.2.2).
   */
  async function forgetFailures(contact: Contact) {
    const ids: Identifier[] = [];
    if (contact.email) ids.push({ kind: 'email', value: contact.email });
    if (contact.phone) ids.push({ kind: 'phone', value: contact.phone });
    await Promise.all(ids.map((id) => limits.failures.reset(subjectOf(id))));
  }

  return {
    async requestCode(input: CodeRequest): Promise<CodeRequestResult> {
      const { result, blocked } = await evenly(() => requestCode(input));
      attempts?.note(input.identifier, input.channel ?? channelOf(input.identifier), blocked);
      return result;
    },
    verify: (input: VerifyRequest) => evenly(() => verify(input)),
    forgetFailures,
  };

  async function requestCode({ identifier, channel: asked, ip, pageHost, reason, language, previousSentAt }: CodeRequest): Promise<{ result: CodeRequestResult; blocked: Blocked | null }> {
    const channel = asked ?? channelOf(identifier);
    if (!deliverable(channel) || health.isDown(channel)) return { result: { ok: false, reason: 'unavailable', channel }, blocked: null };
    // The SMS budget is one count for everyone, so refusing on it says nothing about an identifier.
    if (channel === 'sms' && !(await sms.budget()).ok) return { result: { ok: false, reason: 'unavailable', channel }, blocked: limitBlock('sms_budget') };
    const subject = subjectOf(identifier);
    // Locked after too many wrong codes: a new code could not be used, so none is sent.
    const lock = await limits.failures.check(subject);
    if (!lock.ok && lock.locked) return { result: limited(lock), blocked: limitBlock('locked') };
    // The asker's own code is too new for another. Reckoned from the time they hold alone, so
    // the wait says nothing about anyone else's requests (R3).
    const now = clock.now();
    if (previousSentAt !== undefined) {
      const wait = Math.min(previousSentAt, now) + config.limits.resendCooldownMs - now;
      if (wait > 0) return { result: { ok: false, reason: 'rate_limited', retryAfter: Math.ceil(wait / 1000) }, blocked: limitBlock('resend_wait') };
    }
    const network = await limits.consume([limits.sendsPerIp, ip]);
    if (!network.ok) return { result: limited(network, 'network'), blocked: limitBlock('network') };
    if (identifier.kind === 'phone' && channel === 'sms') {
      const prefix = await limits.consume(sms.prefixCheck(identifier.value));
      if (!prefix.ok) return { result: limited(prefix, 'sms_prefix'), blocked: limitBlock('sms_prefix') };
    }
    await limits.askerMisses.reset(askerOf(subject, ip));
    // The identifier's own limits count everyone's requests, so their refusal must not show: the
    // answer is a send's, and the code already sent (the newest) is the one to use (R3).
    const fresh = await limits.consume([limits.resendCooldown, subject], [limits.sendsPerIdentifierPerHour, subject], [limits.sendsPerIdentifierPerDay, subject]);
    const contact = await contacts.findByIdentifier(identifier);

    const { address, ownOptOut, smsPaused, why } = await addressFor(contact, identifier, channel);
    const destination = channel === channelOf(identifier) ? maskIdentifier(identifier) : HIDDEN_DESTINATION[channel];
    const notSent = notSentReason(ownOptOut, channel);
    const answer = { ok: true as const, channel, destination, ...(notSent && { notSent }), ...(smsPaused && { smsPaused }) };
    if (!fresh.ok) return { result: { ...answer, sentAt: now, expiresAt: now + config.codes.ttlMs }, blocked: why ?? limitBlock('identifier', contact ?? null) };

    // The budget counted in the same step as it is checked: `budget()` above lets racing requests by.
    if (address !== null && channel === 'sms' && !(await sms.spend(address))) return { result: { ok: false, reason: 'unavailable', channel }, blocked: limitBlock('sms_budget', contact ?? null) };
    const issued = await codes.issue(subject, channel, { decoy: address === null, reason, sentTo: address ?? undefined });
    const other = otherIdentifier(contact, identifier);
    // Only a code that goes out replaces the one on the contact's other identifier (R1).
    if (other && address !== null) await codes.supersedeQuietly(subjectOf(other), issued);
    if (address !== null) {
      const message = codeMessage({
        deliveryId: newDeliveryId(),
        channel,
        to: address,
        code: issued.code,
        number: issued.number,
        expiresAt: issued.expiresAt,
        ttlMinutes: Math.round(config.codes.ttlMs / 60_000),
        siteName: config.siteName,
        host: pageHost ?? config.publicUrl?.hostname ?? 'localhost',
        contactId: contact?.id ?? null,
        language,
      });
      const entry = logIssued({
        subject,
        number: issued.number,
        contactId: contact?.id ?? null,
        channel,
        destination: maskIdentifier({ kind: channel === 'email' ? 'email' : 'phone', value: address }),
        reason: reason ?? null,
        issuedAt: issued.sentAt,
        expiresAt: issued.expiresAt,
      });
      queue.enqueue({ ...message, reason }, {
        after: entry,
        // A code that never arrived must not cost the person the code they already have.
        onFailed: async () => {
          await codes.revert(subject, issued.number);
          await codeLog.settle(subject, issued.number, 'undelivered');
        },
        stillWanted: () => codes.isCurrent(subject, issued.number),
      });
    } else if (!contact && config.notifyUnknownEmail && identifier.kind === 'email' && channel === 'email') {
      await noticeToUnknown(identifier.value, ownOptOut !== undefined);
    }
    return { result: { ...answer, sentAt: issued.sentAt, expiresAt: issued.expiresAt }, blocked: why };
  }

  /**
   * Open signup only: why the typed address itself gets nothing on this channel. Anyone may ask
   * for a code for any address then, so this says nothing about who has an account, as long as it
   * names no cause that only a contact can have: an admin's opt-out reads as the channel's plain
   * refusal (R3). Closed signup says nothing.
   */
  function notSentReason(ownOptOut: OptOut | undefined, channel: Channel): { reason: OptOut['source'] } | undefined {
    if (config.signup !== 'open' || !ownOptOut || ownOptOut.channel !== channel) return undefined;
    if (ownOptOut.source !== 'admin') return { reason: ownOptOut.source };
    return { reason: channel === 'email' ? 'unsubscribe' : 'provider_suppressed' };
  }

  /** Checks the code and, when right, remembers this browser for the contact (created now under open signup). */
  async function verify({ identifier, code, ip, userAgent, sessionOnly = false }: VerifyRequest): Promise<SignInResult> {
    const subject = subjectOf(identifier);
    // Counted first, so a verify the back-off refuses still costs its asker: probing whether an
    // identifier is waiting (which a sign-in ends) is never free.
    const allowed = await limits.consume([limits.verifiesPerIp, ip]);
    if (!allowed.ok) return limited(allowed, 'network');
    // Wrong codes in a row, across codes: waits after the first ten, a lock at a hundred.
    const backOff = await limits.failures.check(subject);
    if (!backOff.ok) return limited(backOff);

    const result = await codes.verify(subject, code);
    let contact = await contacts.findByIdentifier(identifier);
    if (!result.ok) {
      // Expired or tried too often: only the holder of that code hears it, and it costs no try.
      if (result.reason === 'expired' || result.reason === 'burned') return result;
      if (result.reason === 'wrong') await limits.failures.fail(subject);
      if (result.reason === 'wrong' && result.burnedNow) {
        await logged(subject);
        await codeLog.burnOpen(subject);
      }
      // The tries left that the asker is told are their own: another person's misses on this
      // identifier never show in the answer (R3), though they count against the code itself.
      const asker = askerOf(subject, ip);
      await limits.askerMisses.fail(asker);
      const attemptsLeft = Math.max(0, config.codes.maxAttempts - (await limits.askerMisses.count(asker)));
      return result.reason === 'superseded' ? { ...result, attemptsLeft } : { ok: false, reason: 'wrong', attemptsLeft };
    }
    await limits.failures.reset(subject);
    await logged(subject);
    await codeLog.settle(subject, result.number, 'verified');
    // Every code went to an address of the contact's; none left means that address was changed
    // since (a stolen phone, a former email): like its links (links/links.ts), its code no longer signs in.
    // A contact made below from the typed identifier has the same address, so this holds for it too.
    const address = provenAddress(contact, identifier, result);
    if (address?.kind === 'phone') await sms.used(address.value);

    if (!contact) {
      // Only open signup, and the admins of ADMIN_EMAILS, are sent codes while not contacts yet.
      if (!address || !(config.signup === 'open' || isAdminEmail(address))) return { ok: false, reason: 'none' };
      contact = await createContact(identifier);
      await codeLog.claim(subject, contact.id);
    }
    if (contact.status !== 'active') return { ok: false, reason: 'none' };
    if (!address) return { ok: false, reason: 'none' };
    await contacts.markVerified(contact.id, address);
    await promoteIfListed(contacts, config, contact, address);
    contact = (await contacts.findById(contact.id)) ?? contact;
    await forgetFailures(contact);
    await limits.askerMisses.reset(askerOf(subject, ip));
    const { device, token } = await devices.remember(contact, userAgent, { sessionOnly });
    return { ok: true, contact, device, token };
  }

  /**
   * The address a right code proves: the contact's address on the code's channel (before there is
   * a contact, the typed one), and only when the code went there. A code sent by SMS to a contact
   * who typed their email proves the phone, not the email; a decoy proves nothing.
   */
  function provenAddress(contact: Contact | undefined, typed: Identifier, code: { channel: Channel; sentTo: string | undefined }): Identifier | null {
    const kind = code.channel === 'email' ? 'email' : 'phone';
    const address = contact ? (kind === 'email' ? contact.email : contact.phone) : typed.kind === kind ? typed.value : null;
    return address && codes.wentTo(code.sentTo, address) ? { kind, value: address } : null;
  }

  async function createContact(id: Identifier): Promise<Contact> {
    const input = id.kind === 'email' ? { email: id.value } : { phone: id.value };
    try {
      return await contacts.create(input);
    } catch (error) {
      // Two browsers finishing a first sign-in at once: the other one created the contact.
      const existing = await contacts.findByIdentifier(id);
      if (existing) return existing;
      throw error;
    }
  }
}

export type SignIn = ReturnType<typeof createSignIn>;
