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

/**
 * A local stand-in for Postmark's email API (`POST /email`), for the real `postmark` client to
 * talk to. `next` lists how to answer the coming requests in turn; then it answers 'ok'.
 */
export async function startFakePostmark() {
  const emails: PostmarkEmail[] = [];
  /** Every request body, answered or not, in order. */
  const received: Array<Partial<PostmarkEmail>> = [];
  const next: Behaviour[] = [];
  let requests = 0;
  const server = await listen((req, body, res) => {
    if (req.method !== 'POST' || req.url !== '/email') return json(res, 404, { ErrorCode: 404, Message: 'Not found' });
    requests++;
    received.push(JSON.parse(body) as Partial<PostmarkEmail>);
    const behaviour = next.shift() ?? 'ok';
    if (behaviour === 'hang') return;
    if (behaviour !== 'ok') return json(res, behaviour.status, behaviour.body);
    const email = JSON.parse(body) as PostmarkEmail;
    const MessageID = randomUUID();
    emails.push({ ...email, token: req.headers['x-postmark-server-token'] as string | undefined, MessageID });
    json(res, 200, { To: email.To, SubmittedAt: new Date().toISOString(), MessageID, ErrorCode: 0, Message: 'OK' });
  });
  return { ...server, emails, received, next, requests: () => requests };
}

export type FakePostmark = Awaited<ReturnType<typeof startFakePostmark>>;
