import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createHarness } from '../harness.ts';

const ORIGIN = { origin: 'http://localhost:3000' };
const DAY = 86_400_000;

/** A harness with boss@example.com signed in as admin, and the admin's GET and POST. */
async function asAdmin(options: Parameters<typeof createHarness>[0] = {}) {
  const h = createHarness({ ...options, env: { ADMIN_EMAILS: 'boss@example.com', ...options.env } });
  const { cookie } = await h.signIn({ email: 'boss@example.com' });
  const get = async (path: string) => {
    const res = await h.get(`/api/admin${path}`, { cookie });
    assert.equal(res.status, 200, path);
    return res.json();
  };
  const post = (path: string, body: unknown = {}) => h.post(`/api/admin${path}`, body, { cookie, headers: ORIGIN });
  /** Asks for a code as a person would, then lets the attempt be recorded (after the answer). */
  const ask = async (body: Record<string, unknown>, ip?: string) => {
    const res = await h.post('/api/codes', body, ip ? { ip } : {});
    await h.attempts.idle();
    return res;
  };
  /** The card's recent attempts as [channel, block, detail, tries]. */
  const attemptsOf = async (id: string) =>
    ((await get(`/contacts/${id}`)).attempts as Array<{ channel: string; block: string; detail: string | null; tries: number }>).map((a) => [a.channel, a.block, a.detail, a.tries]);
  return { h, get, post, ask, attemptsOf };
}

describe('attempts that went nowhere, on the contact’s card', () => {
  test('a contact who replied STOP and asked three times today by SMS: the card says so, in the diagnosis and the recent attempts', async () => {
    const { h, get, ask, attemptsOf } = await asAdmin();
    const jo = await h.contacts.create({ phone: '+14155550123', email: 'jo@example.com' });
    await h.optOuts.set({ address: '+14155550123', channel: 'sms', optedOut: true, source: 'stop_reply', detail: 'Replied STOP', at: h.clock.now() });
    for (let i = 0; i < 3; i++) {
      assert.equal((await ask({ phone: '+14155550123' })).status, 202, 'answered as a send (R3)');
      h.clock.advance(31_000);
    }
    assert.deepEqual(await attemptsOf(jo.id), [['sms', 'opted_out', 'stop_reply', 3]]);
    const card = await get(`/contacts/${jo.id}`);
    const fact = card.diagnosis.find((c: { cause: string }) => c.cause === 'blocked_attempts')?.fact;
    assert.match(fact, /^3 tries today by SMS, blocked: replied STOP; the last at [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M UTC\.$/);
    assert.equal(h.outbox.list('+14155550123').length, 0, 'and nothing was sent');
  });

  test('a deactivated contact’s request is recorded as blocked by the deactivation; a code that went out is not recorded', async () => {
    const { h, post, ask, attemptsOf } = await asAdmin();
    const jo = await h.contacts.create({ email: 'jo@example.com' });
    await ask({ email: 'jo@example.com' });
    assert.deepEqual(await attemptsOf(jo.id), [], 'the code went out');
    await post(`/contacts/${jo.id}/deactivate`);
    h.clock.advance(31_000);
    await ask({ email: 'jo@example.com' });
    assert.deepEqual(await attemptsOf(jo.id), [['email', 'deactivated', null, 1]]);
  });

  test('each limit is named: the wait between codes, the address’s own limits, the network’s', async () => {
    const { h, ask, attemptsOf } = await asAdmin({ env: { CODES_PER_HOUR: '2', IP_CODES_PER_HOUR: '5' } });
    const jo = await h.contacts.create({ email: 'jo@example.com' });
    const first = await (await ask({ email: 'jo@example.com' })).json();
    assert.equal((await ask({ email: 'jo@example.com', previousSentAt: first.sentAt })).status, 429);
    assert.deepEqual(await attemptsOf(jo.id), [['email', 'rate_limited', 'resend_wait', 1]]);
    h.clock.advance(31_000);
    await ask({ email: 'jo@example.com' });
    h.clock.advance(31_000);
    assert.equal((await ask({ email: 'jo@example.com' })).status, 202, 'the third in the hour is answered as a send (R3)');
    assert.deepEqual((await attemptsOf(jo.id))[0], ['email', 'rate_limited', 'identifier', 1]);
    // The network's limit: the admin's own sign-in counted one from this IP; ask from another.
    h.clock.advance(31_000);
    for (let i = 0; i < 5; i++) await ask({ email: `other${i}@example.com` }, '198.51.100.9');
    assert.equal((await ask({ email: 'jo@example.com' }, '198.51.100.9')).status, 429);
    assert.deepEqual((await attemptsOf(jo.id))[0], ['email', 'rate_limited', 'network', 1]);
  });

  test('an address that is no contact is not recorded when its network’s limit refused it: a flood of made-up addresses adds nothing', async () => {
    const { h, ask } = await asAdmin({ env: { SIGNUP: 'closed', IP_CODES_PER_HOUR: '2' } });
    for (let i = 0; i < 2; i++) await ask({ email: `made-up${i}@example.com` }, '198.51.100.9');
    const before = (await h.storage.counts()).sign_in_attempts;
    assert.equal(before, 2, 'the two the network’s limit let through, as no contact');
    for (let i = 2; i < 10; i++) assert.equal((await ask({ email: `made-up${i}@example.com` }, '198.51.100.9')).status, 429);
    assert.equal((await h.storage.counts()).sign_in_attempts, before);
  });
});

describe('attempts of an address that is no contact, found by searching it', () => {
  test('under closed signup, searching the full address shows its tries; a part of it, or anyone but an admin, finds nothing', async () => {
    const { h, get, ask } = await asAdmin({ env: { SIGNUP: 'closed' } });
    await ask({ email: 'jo@old-mail.com' });
    h.clock.advance(31_000);
    await ask({ email: 'Jo@Old-Mail.com' });
    const page = await get(`/contacts?q=${encodeURIComponent(' jo@old-mail.com ')}`);
    assert.deepEqual(page.contacts, []);
    assert.deepEqual(
      { ...page.unknownAddress, attempts: page.unknownAddress.attempts.map((a: { block: string; tries: number }) => [a.block, a.tries]) },
      { address: 'jo@old-mail.com', kind: 'email', triesToday: 2, tries: 2, attempts: [['not_a_contact', 2]] },
    );
    assert.equal((await get('/contacts?q=old-mail.com')).unknownAddress, undefined, 'only the full address finds them');
    assert.equal((await get('/contacts?q=ann%40old-mail.com')).unknownAddress, undefined, 'another address has none');
    await h.contacts.create({ email: 'sam@example.com' });
    const sam = await h.signIn({ email: 'sam@example.com' });
    assert.equal((await h.get('/api/admin/contacts?q=jo%40old-mail.com', { cookie: sam.cookie })).status, 403);
    // Only a keyed digest is at rest: the address itself is nowhere in the storage.
    assert.ok(!JSON.stringify(await h.storage.dump()).includes('old-mail'), 'no trace of the address in clear');
  });

  test('a phone number is found however it is typed; once added as a contact, its earlier tries show on its card instead', async () => {
    const { h, get, post, ask } = await asAdmin({ env: { SIGNUP: 'closed' } });
    await ask({ phone: '+14155550199' });
    const found = (await get(`/contacts?q=${encodeURIComponent('+1 415 555 0199')}`)).unknownAddress;
    assert.deepEqual([found.address, found.kind, found.triesToday], ['+14155550199', 'phone', 1]);
    const added = await (await post('/contacts', { phone: '+14155550199' })).json();
    assert.equal((await get('/contacts?q=%2B14155550199')).unknownAddress, undefined, 'a contact has it now');
    const card = await get(`/contacts/${added.contact.id}`);
    assert.deepEqual(card.attempts.map((a: { block: string; channel: string }) => [a.channel, a.block]), [['sms', 'not_a_contact']]);
    // History now, not a reason they cannot sign in: they are a contact.
    assert.ok(!card.diagnosis.some((d: { cause: string }) => d.cause === 'blocked_attempts'), JSON.stringify(card.diagnosis));
  });

  test('kept 30 days, then purged with the rest', async () => {
    const { h, get, ask } = await asAdmin({ env: { SIGNUP: 'closed' } });
    await ask({ email: 'jo@old-mail.com' });
    h.clock.advance(29 * DAY);
    const page = await get('/contacts?q=jo%40old-mail.com');
    assert.deepEqual([page.unknownAddress.triesToday, page.unknownAddress.tries], [0, 1], 'an earlier day’s try is not today’s');
    h.clock.advance(DAY);
    await h.storage.purge();
    assert.equal((await get('/contacts?q=jo%40old-mail.com')).unknownAddress, undefined);
    assert.equal((await h.storage.counts()).sign_in_attempts, 0);
  });
});
