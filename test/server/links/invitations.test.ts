import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createHarness, type Harness } from '../harness.ts';

const ORIGIN = { origin: 'http://localhost:3000' };
const DAY = 86_400_000;

/** Harbour Rowing Club's server with boss@example.com signed in as admin, and Jo, who never signed in. */
async function club(env: Record<string, string> = {}) {
  const h = createHarness({ env: { ADMIN_EMAILS: 'boss@example.com', SITE_NAME: 'Harbour Rowing Club', ...env } });
  const { cookie } = await h.signIn({ email: 'boss@example.com' });
  const jo = await h.contacts.create({ email: 'jo@example.com' });
  const send = async (action: 'invite' | 'sign-in-link') => {
    const res = await h.post(`/api/admin/contacts/${jo.id}/${action}`, {}, { cookie, headers: ORIGIN });
    assert.equal(res.status, 202);
    await h.queue.idle();
    return h.outbox.list('jo@example.com')[0]!;
  };
  return { h, jo, send };
}

const tokenOf = (text: string) => new URL(text.match(/http:\/\/localhost:3000\/signin\/link\?t=[\w-]+/)![0]).searchParams.get('t')!;
const redeem = (h: Harness, token: string) => h.post('/api/links/redeem', { token }, { headers: ORIGIN });
const textOf = (html: string) => html.slice(html.indexOf('<body>')).replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

describe('invitations last INVITATION_DAYS and work once', () => {
  test('the invitation speaks in the site’s name and says how long it works', async () => {
    const { send } = await club();
    const message = await send('invite');
    assert.equal(message.subject, 'Harbour Rowing Club invited you to sign in');
    assert.match(message.text, /^Harbour Rowing Club invited you to sign in\. Open this link to start:\n\nhttp:\/\/localhost:3000\/signin\/link\?t=[\w-]+\n\nThe link works once, for 7 days\./);
  });

  test('a sign-in link says an admin sent it, not that the person asked for it', async () => {
    const { send } = await club();
    const message = await send('sign-in-link');
    assert.equal(message.subject, 'A sign-in link for Harbour Rowing Club from its team');
    assert.match(message.text, /^An admin of Harbour Rowing Club sent you this sign-in link:/);
    assert.doesNotMatch(message.text, /asked/);
    assert.match(message.text, /works once, for 15 minutes/);
  });

  test('an invitation opened on day 6 shows a finished page and signs in', async () => {
    const { h, jo, send } = await club();
    const token = tokenOf((await send('invite')).text);
    h.clock.advance(6 * DAY);
    const page = await h.get(`/signin/link?t=${token}`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<title>You’re invited · Harbour Rowing Club<\/title>/);
    assert.match(textOf(html), /^Harbour Rowing Club You’re invited Harbour Rowing Club invited you to sign in\. This browser will remember you/);
    assert.match(html, /<button type="submit">Sign in as j•••@example\.com<\/button>/);
    assert.doesNotMatch(html, /<link rel="stylesheet"/, 'its styles are inline: nothing to load from a demo that may not be mounted');
    assert.match(html, /--accent:#0b57d0;/, 'the widget’s default accent colour');
    const used = await redeem(h, token);
    assert.equal(used.status, 200);
    assert.equal((await used.json()).contact.id, jo.id);
  });

  test('on day 8 the invitation is refused with a page that says how long invitations work and what to do', async () => {
    const { h, send } = await club();
    const token = tokenOf((await send('invite')).text);
    h.clock.advance(8 * DAY);
    const page = await h.get(`/signin/link?t=${token}`);
    assert.equal(page.status, 410);
    assert.equal(
      textOf(await page.text()),
      'Harbour Rowing Club This invitation has expired Invitations work for 7 days. Sign in with a code to the same email address or phone number, or ask the Harbour Rowing Club team for a new invitation. Go to Harbour Rowing Club and sign in with a code',
    );
    const refused = await redeem(h, token);
    assert.deepEqual([refused.status, (await refused.json()).error.reason], [410, 'expired']);
  });

  test('INVITATION_DAYS sets how long: with 2, day 3 is too late', async () => {
    const { h, send } = await club({ INVITATION_DAYS: '2' });
    const message = await send('invite');
    assert.match(message.text, /works once, for 2 days/);
    h.clock.advance(3 * DAY);
    assert.match((await (await redeem(h, tokenOf(message.text))).json()).error.message, /^Invitations work for 2 days\./);
  });

  test('used twice: the second use is refused with a sentence saying what to do', async () => {
    const { h, send } = await club();
    const token = tokenOf((await send('invite')).text);
    assert.equal((await redeem(h, token)).status, 200);
    const again = await redeem(h, token);
    assert.equal(again.status, 410);
    assert.deepEqual((await again.json()).error, {
      code: 'invalid_link',
      reason: 'used',
      message: 'Each invitation works once. If you used it before, you have an account now: sign in with a code instead; otherwise ask the Harbour Rowing Club team for a new invitation.',
    });
    const page = await h.get(`/signin/link?t=${token}`);
    assert.equal(page.status, 410);
    assert.match(textOf(await page.text()), /^Harbour Rowing Club This invitation was already used Each invitation works once\./);
  });
});
