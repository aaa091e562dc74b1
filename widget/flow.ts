/**
 * The sign-in steps as a pure state machine: no DOM, no fetch, no clock.
 *
 * ```ts
 * let step: Step = initialStep;                       // { name: 'checking' }
 * step = next(step, { type: 'sessionChecked', session }); // → identify or signedIn
 * ```
 *
 * Each step carries only the data that is valid in it, so the element cannot,
 * say, render a code form without knowing where the code went.
 */
import type { Channel, CodeSent, Contact, Device, NoSessionReason, Session, SignedInSession } from './api.ts';

/** What the person typed, already classified. */
export type Identifier = { kind: 'email'; value: string } | { kind: 'phone'; value: string };

/**
 * Why a code is needed: the server's reason, or `null` when the session could not
 * be checked (the widget then claims no cause).
 */
export type CodeReason = NoSessionReason | null;

/**
 * How long this browser keeps the sign-in: until the device expires; until the browser closes
 * ("Don't remember this browser"); not at all (the re-check right after the verify found no
 * session, so the cookie did not stick); or unknown (that re-check failed).
 */
export type Remembered = 'untilExpiry' | 'browserSession' | 'notKept' | 'unknown';

/** Where the person is: checking → identify → code → signedIn (and back to identify on sign-out). */
export type Step =
  | { name: 'checking' }
  | { name: 'identify'; reason: CodeReason }
  | {
      name: 'code';
      reason: CodeReason;
      identifier: Identifier;
      channel: Channel;
      sent: CodeSent;
      /** When the answer arrived (epoch ms): the fallback for `sent.sentAt`. */
      sentAt: number;
      /** Epoch ms from which another code may be requested. */
      resendAt: number;
      /** Opened on page load for a code sent before a reload: the step says again why a code is needed. */
      reopened?: true;
    }
  | { name: 'signedIn'; contact: Contact; device: Device; remembered: Remembered };

/** What happened: an answer from the server, or a choice of the person. */
export type FlowEvent =
  /** `session` is `null` when GET /api/session failed; `remembered` (default untilExpiry) when signed in. */
  | { type: 'sessionChecked'; session: Session | null; remembered?: Remembered }
  | { type: 'codeSent'; identifier: Identifier; channel: Channel; sent: CodeSent; at: number }
  /** `remembered` comes from re-checking the session right after the verify. */
  | { type: 'verified'; session: SignedInSession; remembered: Remembered }
  /**
   * A code this browser was sent still works (kept across a reload, or the server refused another
   * because of it): its code step, with the resend countdown until `resendAt` (epoch ms).
   */
  | { type: 'codeHeld'; identifier: Identifier; channel: Channel; sent: CodeSent; at: number; resendAt: number; onLoad?: boolean }
  /** The server refused a new code until `until` (epoch ms): the resend countdown shows that wait. */
  | { type: 'resendLimited'; until: number }
  | { type: 'changeIdentifier' }
  | { type: 'signedOut' };

/** Every element starts by asking the server whether this browser is signed in. */
export const initialStep: Step = { name: 'checking' };

/** The step after `event`; an event that makes no sense in `step` leaves it unchanged. */
export function next(step: Step, event: FlowEvent): Step {
  switch (event.type) {
    case 'sessionChecked':
      if (step.name !== 'checking') return step;
      if (event.session?.signedIn) {
        const { contact, device } = event.session;
        return { name: 'signedIn', contact, device, remembered: event.remembered ?? 'untilExpiry' };
      }
      return { name: 'identify', reason: event.session?.reason ?? null };

    case 'codeSent':
    case 'codeHeld': {
      if (step.name !== 'identify' && step.name !== 'code') return step;
      const { identifier, channel, sent, at } = event;
      // A held code keeps its own countdown; a new one's starts when the answer arrived.
      const resendAt = event.type === 'codeHeld' ? event.resendAt : at + Math.max(0, sent.resendAfter) * 1000;
      const reopened = event.type === 'codeHeld' && event.onLoad;
      return { name: 'code', reason: step.reason, identifier, channel, sent, sentAt: at, resendAt, ...(reopened && { reopened: true as const }) };
    }

    case 'verified':
      if (step.name !== 'code') return step;
      return { name: 'signedIn', contact: event.session.contact, device: event.session.device, remembered: event.remembered };

    case 'resendLimited':
      if (step.name !== 'code') return step;
      return { ...step, resendAt: Math.max(step.resendAt, event.until) };

    case 'changeIdentifier':
      if (step.name !== 'code') return step;
      return { name: 'identify', reason: step.reason };

    case 'signedOut':
      if (step.name !== 'signedIn') return step;
      return { name: 'identify', reason: 'signed_out' };
  }
}

/** Anything with an `@` is an email address; everything else is treated as a phone number. */
export function detectKind(text: string): Identifier['kind'] {
  return text.includes('@') ? 'email' : 'phone';
}

/** What was typed, classified by the channels on offer: with one channel, it is that channel's kind. */
export function identifierOf(value: string, channels: readonly Channel[]): Identifier {
  const kind = channels.length === 2 ? detectKind(value) : channels[0] === 'sms' ? 'phone' : 'email';
  return { kind, value };
}

/** The channel a code goes by: the one picked, else the one that matches what was typed. */
export function channelFor(typed: string, channels: readonly Channel[], chosen: Channel | null): Channel {
  if (channels.length === 1) return channels[0] ?? 'email';
  if (chosen) return chosen;
  return typed.trim() === '' || detectKind(typed) === 'email' ? 'email' : 'sms';
}

/** Parses the `channels` attribute: unknown words are ignored, and nothing valid means both. */
export function parseChannels(value: string | null | undefined): Channel[] {
  const words = (value ?? '').toLowerCase().split(/[\s,]+/);
  const channels = (['email', 'sms'] as const).filter((channel) => words.includes(channel));
  return channels.length > 0 ? channels : ['email', 'sms'];
}
