import type { Channel } from '../identifiers.ts';

/** A message ready for a provider. `text` holds the code, so it is never logged as a whole. */
export interface OutgoingMessage {
  channel: Channel;
  to: string;
  subject: string;
  text: string;
  codeNumber: number;
  contactId: string | null;
}

/** Hands a message to a provider (Postmark, Twilio, or the development outbox). */
export interface Sender {
  send(message: OutgoingMessage): Promise<void>;
}

export interface CodeMessageInput {
  channel: Channel;
  to: string;
  code: string;
  number: number;
  ttlMinutes: number;
  siteName: string;
  /** The site's host for the SMS's origin-bound last line; from configuration, never a request. */
  host: string;
  contactId: string | null;
}

/**
 * The words around a code. The code's number ("code 2") is in every message so a person with
 * several messages can match the one the widget asks for.
 */
export function codeMessage({ channel, to, code, number, ttlMinutes, siteName, host, contactId }: CodeMessageInput): OutgoingMessage {
  const subject = `Your code ${code} for ${siteName} — code ${number}`;
  const text =
    channel === 'sms'
      ? `${code} is your ${siteName} sign-in code (code ${number}). It expires in ${ttlMinutes} minutes. Don't share it.\n\n@${host} #${code}`
      : [
          `Your sign-in code for ${siteName} is ${code}.`,
          '',
          `This is code ${number}. It works for ${ttlMinutes} minutes, and only the newest code works, so if you asked more than once, use the newest message.`,
          '',
          "If you didn't ask to sign in, you can ignore this email: nobody can sign in without the code.",
        ].join('\n');
  return { channel, to, subject, text, codeNumber: number, contactId };
}
