import { maskIdentifier } from '../identifiers.ts';
import { escapeHtml } from '../html.ts';
import type { Clock } from '../clock.ts';
import type { Channel } from '../identifiers.ts';
import type { Logger } from '../log.ts';
import type { OutgoingMessage, Sender } from './messages.ts';

/** A message as the development outbox shows it (SPEC: `{"to","channel","text","sentAt"}`). */
export interface OutboxEntry {
  to: string;
  channel: Channel;
  subject: string;
  text: string;
  sentAt: string;
}

/**
 * Development delivery: with no provider configured, messages land here, at /dev/outbox; the
 * terminal notes each one without its code. Never built when NODE_ENV=production.
 */
export function createDevOutbox({ clock, log, keep = 500 }: { clock: Clock; log: Logger; keep?: number }) {
  const entries: OutboxEntry[] = [];
  const sender: Sender = {
    provider: 'outbox',
    async send(message: OutgoingMessage) {
      const providerMessageId = `outbox-${message.deliveryId}`;
      entries.unshift({
        to: message.to,
        channel: message.channel,
        subject: message.subject,
        text: message.text,
        sentAt: new Date(clock.now()).toISOString(),
      });
      entries.length = Math.min(entries.length, keep);
      // Codes and links are never logged, not even here: the outbox page shows them.
      const what = message.codeNumber > 0 ? `code ${message.codeNumber}` : 'a message';
      log.info(`[dev outbox] ${what} by ${message.channel} to ${maskIdentifier({ kind: message.channel === 'email' ? 'email' : 'phone', value: message.to })}: read it at /dev/outbox`);
      return { provider: 'outbox', providerMessageId };
    },
  };
  return {
    sender,
    /** Newest first; only those sent to `to` when given. */
    list(to?: string) {
      return to === undefined ? [...entries] : entries.filter((e) => e.to === to);
    },
  };
}

export type DevOutbox = ReturnType<typeof createDevOutbox>;

/** The outbox as a page a person can read while trying the widget. */
export function renderOutboxPage(entries: OutboxEntry[], filter: string | undefined, nonce: string, mount = '') {
  const items = entries
    .map(
      (e) => `<li><p class="meta"><strong>${e.channel === 'sms' ? 'Text message' : 'Email'}</strong> to ${escapeHtml(e.to)}
        · <time datetime="${e.sentAt}">${e.sentAt.slice(11, 19)} UTC</time></p>
        ${e.channel === 'email' ? `<p class="subject">${escapeHtml(e.subject)}</p>` : ''}<pre>${escapeHtml(e.text)}</pre></li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="5"><title>Development outbox · otp-login</title>
<style nonce="${escapeHtml(nonce)}">
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 44rem; margin: 2rem auto; padding: 0 1rem; color: #1f2328; }
  h1 { font-size: 1.5rem; margin-bottom: .25rem; } .note { color: #59636e; margin-top: 0; }
  ol { list-style: none; padding: 0; } li { border: 1px solid #d1d9e0; border-radius: 8px; padding: .75rem 1rem; margin: .75rem 0; }
  .meta { margin: 0; color: #59636e; font-size: .9rem; } .subject { margin: .25rem 0; font-weight: 600; }
  pre { white-space: pre-wrap; font: inherit; margin: .5rem 0 0; }
</style></head><body>
<h1>Development outbox</h1>
<p class="note">No email or SMS provider is set up, so messages land here instead of being sent${
    filter ? `. Showing messages to ${escapeHtml(filter)} · <a href="${escapeHtml(mount)}/dev/outbox">show all</a>` : ''
  }. Newest first; this page refreshes every 5 seconds.</p>
${entries.length ? `<ol>${items}</ol>` : '<p>No messages yet. Ask for a code in the sign-in, and the message shows up here.</p>'}
</body></html>`;
}
