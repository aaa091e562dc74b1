import { DeliveryError, type DeliveryFailure, type OutgoingMessage, type Sender } from './messages.ts';

export interface PostmarkOptions {
  serverToken: string;
  from: string;
  /** A transactional stream: codes must never go out on a broadcast stream. */
  messageStream: string;
  /** Another API address (a local fake in tests, a proxy); default https://api.postmarkapp.com. */
  apiUrl?: URL | undefined;
  timeoutSeconds?: number;
}

const SYSTEMIC = new Set([10, 400, 401, 405, 412]);

/** What Postmark's client throws carries `code` (Postmark's ErrorCode) and `statusCode` (HTTP). */
function classify(error: unknown): DeliveryFailure {
  const { code, statusCode, message } = error as { code?: number; statusCode?: number; message?: string };
  const text = message ?? String(error);
  // 406: the recipient is inactive (hard bounce, spam complaint or unsubscribe) on Postmark's side.
  if (code === 406) return { kind: 'suppressed', code: '406', text };
  // 10 bad token, 400/401 sender signature missing or unconfirmed, 405 sending not allowed,
  // 412 account pending approval: no message will go out until the settings are fixed.
  if (statusCode === 401 || (code !== undefined && SYSTEMIC.has(code))) return { kind: 'systemic', code: String(code ?? statusCode), text };
  if (statusCode === 429 || (statusCode !== undefined && statusCode >= 500)) return { kind: 'transient', code: String(code || statusCode), text };
  if (statusCode === undefined || statusCode === 0) return { kind: 'transient', code: 'network', text };
  return { kind: 'rejected', code: String(code || statusCode), text };
}

/**
 * Email through Postmark's official client (`ServerClient.sendEmail`), loaded only when configured.
 * Each message carries its delivery id in Metadata and a Tag, so webhooks map back to it.
 */
export async function createPostmarkSender(options: PostmarkOptions): Promise<Sender> {
  const { ServerClient } = await import('postmark');
  const client = new ServerClient(options.serverToken, {
    timeout: options.timeoutSeconds ?? 15,
    ...(options.apiUrl && { requestHost: options.apiUrl.host, useHttps: options.apiUrl.protocol === 'https:' }),
  });
  return {
    provider: 'postmark',
    async send(message: OutgoingMessage) {
      try {
        const sent = await client.sendEmail({
          From: options.from,
          To: message.to,
          Subject: message.subject,
          TextBody: message.text,
          HtmlBody: message.html,
          MessageStream: options.messageStream,
          Tag: 'otp-code',
          Metadata: { deliveryId: message.deliveryId },
          TrackOpens: false,
        });
        return { provider: 'postmark', providerMessageId: sent.MessageID };
      } catch (error) {
        throw new DeliveryError(classify(error));
      }
    },
    // Postmark answers 200 with a status per address: "Deleted", or "Failed" with its reason
    // (a spam complaint can never be reactivated through the API).
    async reactivate(address: string) {
      let answer;
      try {
        answer = await client.deleteSuppressions(options.messageStream, { Suppressions: [{ EmailAddress: address }] });
      } catch (error) {
        throw new DeliveryError(classify(error));
      }
      const status = answer.Suppressions.find((s) => s.EmailAddress.toLowerCase() === address) ?? answer.Suppressions[0];
      if (status?.Status !== 'Deleted') {
        throw new DeliveryError({ kind: 'rejected', code: status?.Status ?? 'unknown', text: status?.Message || 'Postmark did not reactivate the address.' });
      }
    },
  };
}
