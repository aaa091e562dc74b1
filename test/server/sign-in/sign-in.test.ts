import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createHarness, scriptedRandom } from '../harness.ts';
import { loadConfig } from '../../../server/config/config.ts';

/** Answers with the parts that may differ between any two requests (time) taken out. */
async function shape(res: Response) {
  const body = await res.json();
  const headers = [...res.headers.keys()].filter((k) => k !== 'date').sort();
  return { status: res.status, headers, body: { ...body, sentAt: typeof body.sentAt } };
}

describe('no enumeration under closed signup (R3)', () => {
  test('a code request for an unknown email answers exactly as for a registered one, and sends nothing', async () => {
    const h = createHarness({ env: { SIGNUP: 'closed' } });
    await h.contacts.create({ email: 'jo@example.com' });
    const known = await shape(await h.post('/api/codes', { email: 'jo@example.com' }));
    const unknown = await shape(await h.post('/api/codes', { email: 'jx@example.com' }));
    assert.deepEqual(unknown, { ...known, body: { ...known.body, destination: 'j•••@example.com' } });
    assert.equal(known.body.destination, 'j•••@example.com');
    await h.queue.idle();
    assert.equal(h.outbox.list('jo@example.com').length, 1);
    assert.equal(h.outbox.list('jx@example.com').length, 0);
  });

  test('asking for a code by the other channel reveals nothing about the address on file', async () => {
    const h = createHarness({ env: { SIGNUP: 'closed' } });
    await h.contacts.create({ email: 'jo@example.com', phone: '+14155550123' });
    const known = await (await h.post('/api/codes', { email: 'jo@example.com', channel: 'sms' })).json();
    const unknown = await (await h.post('/api/codes', { email: 'ann@example.com', channel: 'sms' })).json();
    assert.equal(known.destination, '•••• ••••');
    assert.equal(unknown.destination, known.destination);
  });

  test('guesses for an unknown identifier get the same answers as wrong guesses for a registered one', async () => {
    const h = createHarness({ env: { SIGNUP: 'closed' } });
    await h.contacts.create({ phone: '+14155550123' });
    const answers = async (phone: string) => {
      await h.post('/api/codes', { phone });
      const out = [];
      for (let i = 0; i < 6; i++) {
        const res = await h.post('/api/codes/verify', { phone, code: '000001' });
        out.push([res.status, await res.json()]);
      }
      return out;
    };
    const known = await answers('+14155550123');
    const unknown = await answers('+14155550199');
    assert.deepEqual(unknown, known);
    assert.deepEqual(known.map(([, body]) => body.error.attemptsLeft), [4, 3, 2, 1, 0, 0]);
  });

  test('a deactivated contact gets the answers an active one gets, but no code, and cannot sign in (R9)', async () => {
    const h = createHarness({ env: { SIGNUP: 'closed' }, random: scriptedRandom(111111, 111111) });
    await h.contacts.create({ email: 'ann@example.com' });
    const off = await h.contacts.create({ email: 'jo@example.com' });
    await h.contacts.setStatus(off.id, 'deactivated');
    const active = await shape(await h.post('/api/codes', { email: 'ann@example.com' }));
    const deactivated = await shape(await h.post('/api/codes', { email: 'jo@example.com' }));
    assert.deepEqual({ ...deactivated, body: { ...deactivated.body, destination: 'a•••@example.com' } }, active);
    await h.queue.idle();
    assert.equal(h.outbox.list('jo@example.com').length, 0);
    // Even the digits an active contact was sent do not open a deactivated one.
    const res = await h.post('/api/codes/verify', { email: 'jo@example.com', code: '111111' });
    assert.equal((await res.json()).error.code, 'wrong_code');
  });

  test('code requests and verifies answer no sooner than the 10 ms floor, so a lookup never shows in the timing', async () => {
    assert.equal(loadConfig({}).codes.answerFloorMs, 10);
    // The floor's timer is the test's: each answer must wait for it, whatever the work took.
    const timers: Array<{ ms: number; end: () => void }> = [];
    const sleep = (ms: number) => new Promise<void>((end) => timers.push({ ms, end }));
    const h = createHarness({ env: { SIGNUP: 'closed' }, answerFloorMs: loadConfig({}).codes.answerFloorMs, sleep });
    for (const [path, body] of [['/api/codes', { email: 'nobody@example.com' }], ['/api/codes/verify', { email: 'nobody@example.com', code: '000000' }]] as const) {
      let answered = false;
      const answer = Promise.resolve(h.post(path, body)).then((res) => ((answered = true), res));
      for (let i = 0; i < 1000 && timers.length === 0; i++) await new Promise((r) => setImmediate(r));
      assert.equal(timers.length, 1, 'the floor\'s timer started');
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
      assert.equal(answered, false, `${path} waits for the floor`);
      const [timer] = timers.splice(0);
      assert.equal(timer!.ms, 10);
      timer!.end();
      assert.ok((await answer).status < 500);
    }
  });

  test('an unknown email under closed signup never becomes a contact', async () => {
    const h = createHarness({ env: { SIGNUP: 'closed' } });
    await h.post('/api/codes', { email: 'new@example.com' });
    assert.equal(await h.contacts.findByIdentifier({ kind: 'email', value: 'new@example.com' }), undefined);
  });
});

describe('open signup', () => {
  test('creates the contact at the first successful verify, never at the code request', async () => {
    const h = createHarness();
    await h.post('/api/codes', { email: 'new@example.com' });
    assert.equal(await h.contacts.findByIdentifier({ kind: 'email', value: 'new@example.com' }), undefined);
    const code = await h.latestCode('new@example.com');
    const res = await h.post('/api/codes/verify', { email: 'new@example.com', code });
    assert.equal(res.status, 200);
    const stored = await h.contacts.findByIdentifier({ kind: 'email', value: 'new@example.com' });
    assert.equal((await res.json()).contact.id, stored?.id);
  });

  test('a phone number signs in by SMS, normalised to E.164', async () => {
    const h = createHarness();
    const { res } = await h.signIn({ phone: '+1 (415) 555-0123' }, '+14155550123');
    assert.equal(res.status, 200);
    assert.equal((await res.json()).contact.phone, '+14155550123');
    assert.equal(h.outbox.list('+14155550123')[0]?.channel, 'sms');
  });

  test('the SMS ends with the origin-bound line for the configured host', async () => {
    const h = createHarness({ env: { PUBLIC_URL: 'https://login.acme.test' } });
    await h.post('/api/codes', { phone: '+14155550123' });
    const code = await h.latestCode('+14155550123');
    assert.match(h.outbox.list('+14155550123')[0]!.text, new RegExp(`\\n@login\\.acme\\.test #${code}$`));
  });

  test('emails listed in ADMIN_EMAILS become admins when they sign in', async () => {
    const h = createHarness({ env: { ADMIN_EMAILS: 'Boss@Example.com, other@example.com' } });
    const { res } = await h.signIn({ email: 'boss@example.com' });
    const contact = await h.contacts.findById((await res.json()).contact.id);
    assert.equal(contact?.role, 'admin');
    const { res: plain } = await h.signIn({ email: 'jo@example.com' });
    assert.equal((await h.contacts.findById((await plain.json()).contact.id))?.role, 'contact');
  });

  test('answers before the message is handed to the provider (sending is off the request path)', { timeout: 5000 }, async () => {
    let handedOver = false;
    let release = () => {};
    const providerAnswers = new Promise<void>((resolve) => (release = resolve));
    const h = createHarness({
      sender: {
        provider: 'slow',
        async send(message) {
          await providerAnswers;
          handedOver = true;
          return { provider: 'slow', providerMessageId: message.deliveryId };
        },
      },
    });
    const res = await h.post('/api/codes', { email: 'jo@example.com' });
    assert.equal(res.status, 202);
    assert.equal(handedOver, false, 'the provider had not answered yet');
    release();
    await h.queue.idle();
    assert.equal(handedOver, true);
  });
});

describe('closed signup and ADMIN_EMAILS (issue 12, item 1)', () => {
  test('an address of ADMIN_EMAILS signs in under closed signup before anyone added it, becomes admin, and can add the first contact, who then signs in', async () => {
    const h = createHarness({ env: { SIGNUP: 'closed', ADMIN_EMAILS: 'root@example.com' } });
    const root = await shape(await h.post('/api/codes', { email: 'root@example.com' }));
    const stranger = await shape(await h.post('/api/codes', { email: 'rx@example.com' }));
    assert.deepEqual(stranger, root, 'the answer is the same as anyone\'s (R3)');
    const res = await h.post('/api/codes/verify', { email: 'root@example.com', code: await h.latestCode('root@example.com') });
    assert.equal(res.status, 200);
    assert.equal(h.outbox.list('rx@example.com').length, 0, 'a stranger still gets nothing');
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const admin = await h.contacts.findByIdentifier({ kind: 'email', value: 'root@example.com' });
    assert.equal(admin?.role, 'admin');
    const added = await h.post('/api/admin/contacts', { email: 'jo@example.com', name: 'Jo' }, { cookie });
    assert.equal(added.status, 201);
    const { res: jo } = await h.signIn({ email: 'jo@example.com' });
    assert.equal(jo.status, 200);
  });

  test('an address of ADMIN_EMAILS is not let in by a code to another channel: it has no phone to text', async () => {
    const h = createHarness({ env: { SIGNUP: 'closed', ADMIN_EMAILS: 'root@example.com' } });
    assert.equal((await h.post('/api/codes', { email: 'root@example.com', channel: 'sms' })).status, 202);
    await h.queue.idle();
    assert.equal(h.outbox.list().length, 0);
  });
});

describe('a code proves only the address it went to (issue 12, item 8)', () => {
  test('a code texted to the phone of a contact who typed their email marks the phone verified, not the email', async () => {
    const h = createHarness({ env: { SIGNUP: 'closed' } });
    const jo = await h.contacts.create({ email: 'jo@example.com', phone: '+14155550123' });
    await h.post('/api/codes', { email: 'jo@example.com', channel: 'sms' });
    const res = await h.post('/api/codes/verify', { email: 'jo@example.com', code: await h.latestCode('+14155550123'), token: true });
    assert.equal(res.status, 200);
    const after = await h.contacts.findById(jo.id);
    assert.equal(after?.emailVerifiedAt, null, 'the email received nothing');
    assert.equal(after?.phoneVerifiedAt, h.clock.now());
    const { token } = await res.json();
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    assert.equal(claims.email_verified, false);
    assert.equal(claims.phone_number_verified, true);
  });

  test('an ADMIN_EMAILS contact who signs in by a text is not made admin: only a code to that email proves it', async () => {
    const h = createHarness({ env: { SIGNUP: 'closed', ADMIN_EMAILS: 'boss@example.com' } });
    const boss = await h.contacts.create({ email: 'boss@example.com', phone: '+14155550123' });
    await h.post('/api/codes', { email: 'boss@example.com', channel: 'sms' });
    assert.equal((await h.post('/api/codes/verify', { email: 'boss@example.com', code: await h.latestCode('+14155550123') })).status, 200);
    assert.equal((await h.contacts.findById(boss.id))?.role, 'contact');
    h.clock.advance(31_000);
    await h.post('/api/codes', { email: 'boss@example.com' });
    assert.equal((await h.post('/api/codes/verify', { email: 'boss@example.com', code: await h.latestCode('boss@example.com') })).status, 200);
    assert.equal((await h.contacts.findById(boss.id))?.role, 'admin');
  });

  test('a code sent before the phone on file changed proves nothing about the new phone, and no longer signs in', async () => {
    const h = createHarness({ env: { SIGNUP: 'closed' } });
    const jo = await h.contacts.create({ email: 'jo@example.com', phone: '+14155550123' });
    await h.post('/api/codes', { email: 'jo@example.com', channel: 'sms' });
    const code = await h.latestCode('+14155550123');
    await h.contacts.update(jo.id, { email: 'jo@example.com', phone: '+14155550188', name: null });
    assert.equal((await h.post('/api/codes/verify', { email: 'jo@example.com', code })).status, 401);
    assert.equal((await h.contacts.findById(jo.id))?.phoneVerifiedAt, null);
  });
});
