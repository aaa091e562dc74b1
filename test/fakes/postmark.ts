import { randomUUID } from 'node:crypto';
import { json, listen, type Behaviour } from './http.ts';

/** An email as Postmark's `POST /email` received it. */
export interface PostmarkEmail {
  token: string | undefined;
  From: string;
  To: string;
  Subject: string;
  TextBody: string;
  HtmlBody: string;
  MessageStream: string;
  Tag: string;
  Metadata: Record<string, string>;
  MessageID: string;
}

/** Postmark's answers for the errors tests ask for (HTTP 422 carries Postmark's ErrorCode). */
export const postmarkErrors = {
  inactive: (to: string): Behaviour => ({
    status: 422,
    body: {
      ErrorCode: 406,
      Message: `You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: ${to}. Inactive recipients are ones that have generated a hard bounce, a spam complaint, or a manual suppression.`,
    },
  }),
  rateLimited: { status: 429, body: { ErrorCode: 429, Message: 'Rate limit exceeded.' } } as Behaviour,
  serverError: { status: 500, body: { ErrorCode: 500, Message: 'Internal server error.' } } as Behaviour,
  badToken: { status: 401, body: { ErrorCode: 10, Message: 'The Server Token you provided in the X-Postmark-Server-Token request header was invalid.' } } as Behaviour,
};

/** Why Postmark suppresses an address (its SuppressionReason). */
export type SuppressionReason = 'HardBounce' | 'SpamComplaint' | 'ManualSuppression';

/** A request to reactivate addresses, as `POST /message-streams/:stream/suppressions/delete` received it. */
export interface SuppressionDelete {
  stream: string;
  token: string | undefined;
  addresses: string[];
}

/**
 * A local stand-in for Postmark's email API, for the real `postmark` client to talk to:
 * `POST /email`, and the suppression list's `POST /message-streams/:stream/suppressions/delete`.
 * `next` lists how to answer the coming requests in turn; then it answers 'ok'. An address in
 * `suppressions` is refused with ErrorCode 406, as Postmark does; deleting a SpamComplaint
 * suppression fails, as Postmark allows only bounces and manual suppressions to be reactivated.
 */
export async function startFakePostmark() {
  const emails: PostmarkEmail[] = [];
  /** Every request body, answered or not, in order. */
  const received: Array<Partial<PostmarkEmail>> = [];
  const next: Behaviour[] = [];
  const suppressions = new Map<string, SuppressionReason>();
  const deletes: SuppressionDelete[] = [];
  let requests = 0;
  const server = await listen((req, body, res) => {
    const deletePath = /^\/message-streams\/([^/]+)\/suppressions\/delete$/.exec(req.url ?? '');
    if (req.method === 'POST' && deletePath) {
      requests++;
      const behaviour = next.shift() ?? 'ok';
      if (behaviour === 'hang') return;
      if (behaviour !== 'ok') return json(res, behaviour.status, behaviour.body);
      const addresses = (JSON.parse(body) as { Suppressions: Array<{ EmailAddress: string }> }).Suppressions.map((s) => s.EmailAddress);
      deletes.push({ stream: decodeURIComponent(deletePath[1]!), token: req.headers['x-postmark-server-token'] as string | undefined, addresses });
      return json(res, 200, {
        Suppressions: addresses.map((EmailAddress) => {
          if (suppressions.get(EmailAddress) === 'SpamComplaint') {
            return { EmailAddress, Status: 'Failed', Message: 'You do not have the required authority to change this suppression.' };
          }
          suppressions.delete(EmailAddress);
          return { EmailAddress, Status: 'Deleted', Message: null };
        }),
      });
    }
    if (req.method !== 'POST' || req.url !== '/email') return json(res, 404, { ErrorCode: 404, Message: 'Not found' });
    requests++;
    const email = JSON.parse(body) as PostmarkEmail;
    received.push(email);
    const behaviour = next.shift() ?? (suppressions.has(email.To) ? postmarkErrors.inactive(email.To) : 'ok');
    if (behaviour === 'hang') return;
    if (behaviour !== 'ok') return json(res, behaviour.status, behaviour.body);
    const MessageID = randomUUID();
    emails.push({ ...email, token: req.headers['x-postmark-server-token'] as string | undefined, MessageID });
    json(res, 200, { To: email.To, SubmittedAt: new Date().toISOString(), MessageID, ErrorCode: 0, Message: 'OK' });
  });
  return { ...server, emails, received, next, suppressions, deletes, requests: () => requests };
}

export type FakePostmark = Awaited<ReturnType<typeof startFakePostmark>>;
