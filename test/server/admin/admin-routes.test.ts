import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { diagnose, type CardFacts } from '../../../server/admin/diagnosis.ts';
import { cookieHeader, createHarness, scriptedRandom, type Harness } from '../harness.ts';
import { defaultStrings, type PhoneRefusal } from '../../../widget/strings.ts';

const ORIGIN = { origin: 'http://localhost:3000' };

/** A harness with boss@example.com signed in as admin (ADMIN_EMAILS) and the admin's cookie. */
async function asAdmin(options: Parameters<typeof createHarness>[0] = {}) {
  const h = createHarness({ ...options, env: { ADMIN_EMAILS: 'boss@example.com', ...options.env } });
  const { cookie } = await h.signIn({ email: 'boss@example.com' });
  const get = (path: string) => h.get(`/api/admin${path}`, { cookie });
  const post = (path: string, body: unknown = {}, headers: Record<string, string> = ORIGIN) => h.post(`/api/admin${path}`, body, { cookie, headers });
  return { h, cookie, get, post };
}

async function card(get: (path: string) => Response | Promise<Response>, id: string) {
  const res = await get(`/contacts/${id}`);
  assert.equal(res.status, 200);
  return res.json();
}

describe('admin access', () => {
  test('no session answers 401 unauthorized; a contact who is not an admin, 403 forbidden', async () => {
    const { h } = await asAdmin();
    const anonymous = await h.get('/api/admin/contacts');
    assert.deepEqual([anonymous.status, (await anonymous.json()).error.code], [401, 'unauthorized']);
    const { cookie } = await h.signIn({ email: 'jo@example.com' });
    const plain = await h.get('/api/admin/contacts', { cookie });
    assert.deepEqual([plain.status, (await plain.json()).error.code], [403, 'forbidden']);
  });

  test('a change without an Origin of this server is refused (CSRF), and nothing changes', async () => {
    const { h, post } = await asAdmin();
    const res = await post('/contacts', { email: 'new@example.com' }, { origin: '' });
    assert.deepEqual([res.status, (await res.json()).error.code], [403, 'forbidden_origin']);
    assert.equal(await h.contacts.findByIdentifier({ kind: 'email', value: 'new@example.com' }), undefined);
  });
});

describe('contacts', () => {
  test('adds a contact with a normalised email and phone; the same email again answers 409 contact_exists', async () => {
    const { post } = await asAdmin();
    const res = await post('/contacts', { email: 'Ann@Example.com', phone: '+1 415 555 0123', name: 'Ann' });
    assert.equal(res.status, 201);
    const { contact } = await res.json();
    assert.deepEqual([contact.email, contact.phone, contact.name, contact.status], ['ann@example.com', '+14155550123', 'Ann', 'active']);
    const again = await post('/contacts', { email: 'ann@example.com' });
    assert.deepEqual([again.status, (await again.json()).error.code], [409, 'contact_exists']);
  });

  test('two admins adding the same email at the same moment: one 201, the other 409 contact_exists naming it', async () => {
    const { post } = await asAdmin();
    const answers = await Promise.all([post('/contacts', { email: 'ann@example.com' }), post('/contacts', { email: 'ann@example.com' })]);
    const bodies = await Promise.all(answers.map((r) => r.json()));
    assert.deepEqual(answers.map((r) => r.status).sort(), [201, 409]);
    const made = bodies.find((b) => b.contact)!.contact;
    assert.deepEqual(bodies.find((b) => b.error)!.error.code, 'contact_exists');
    assert.equal(bodies.find((b) => b.error)!.error.contactId, made.id);
  });

  test('refuses a contact with a bad email or phone, or with neither', async () => {
    const { post } = await asAdmin();
    assert.equal((await (await post('/contacts', { email: 'nope' })).json()).error.code, 'invalid_email');
    assert.equal((await (await post('/contacts', { phone: '12' })).json()).error.code, 'invalid_phone');
    assert.equal((await (await post('/contacts', { name: 'Nobody' })).json()).error.code, 'missing_identifier');
  });

  test('searches by email, phone or name', async () => {
    const { post, get } = await asAdmin();
    await post('/contacts', { email: 'ann@example.com', name: 'Ann Rower' });
    await post('/contacts', { phone: '+14155550123', name: 'Bob Cox' });
    const names = async (q: string) => (await (await get(`/contacts?q=${encodeURIComponent(q)}`)).json()).contacts.map((c: { name: string }) => c.name);
    assert.deepEqual(await names('rower'), ['Ann Rower']);
    assert.deepEqual(await names('555'), ['Bob Cox']);
    assert.equal((await names('')).length, 3, 'and the admin');
  });
});

describe('numbers the widget would refuse (issue 15, item 4)', () => {
  const words = (reason: PhoneRefusal, country?: string) => defaultStrings.errorPhoneRefused({ reason, country, email: false });

  test('adding a landline, a toll-free or a premium-rate number as the mobile is refused in the widget’s words, and nothing is stored', async () => {
    const { h, post } = await asAdmin();
    for (const [phone, reason] of [['+44 20 7946 0018', 'landline'], ['+1 800 555 0199', 'toll_free'], ['+44 909 879 0000', 'premium_rate']] as const) {
      const res = await post('/contacts', { email: `${reason}@example.com`, phone });
      const { error } = await res.json();
      assert.deepEqual([res.status, error.code, error.reason, error.message], [400, 'invalid_phone', reason, words(reason)], phone);
      // The public code request refuses the same number for the same reason.
      const pub = (await (await h.post('/api/codes', { phone })).json()).error;
      assert.equal(pub.reason, reason);
      assert.equal(await h.contacts.findByIdentifier({ kind: 'email', value: `${reason}@example.com` }), undefined);
    }
    assert.equal(words('landline'), 'This looks like a landline, which can’t receive text messages. Enter a mobile number.');
  });

  test('editing a contact’s number to a landline is refused; a number already on file is kept, so the name can still change', async () => {
    const { h, post } = await asAdmin();
    const jo = await h.contacts.create({ phone: '+14155550123' });
    const res = await post(`/contacts/${jo.id}`, { phone: '+44 20 7946 0018', name: 'Jo' });
    assert.deepEqual([res.status, (await res.json()).error.message], [400, words('landline')]);
    assert.equal((await h.contacts.findById(jo.id))?.phone, '+14155550123');
    const old = await h.contacts.create({ phone: '+442079460018' });
    const renamed = await post(`/contacts/${old.id}`, { phone: '+44 20 7946 0018', name: 'Office' });
    assert.equal(renamed.status, 200);
    assert.equal((await h.contacts.findById(old.id))?.name, 'Office');
  });

  test('a number in a country SMS_COUNTRIES leaves out is refused, naming the country', async () => {
    const { post } = await asAdmin({ env: { SMS_COUNTRIES: 'GB' } });
    const { error } = await (await post('/contacts', { phone: '+1 415 555 0123' })).json();
    assert.deepEqual([error.reason, error.country, error.message], ['country', 'US', words('country', 'United States')]);
  });

  test('search finds a number however it is written: +1 415 555 0123, (415) 555-0123, +14155550123', async () => {
    const names = async (get: (path: string) => Response | Promise<Response>, q: string) =>
      (await (await get(`/contacts?q=${encodeURIComponent(q)}`)).json()).contacts.map((c: { name: string }) => c.name);
    for (const env of [{}, { DEFAULT_COUNTRY: 'US' }] as Array<Record<string, string>>) {
      const { post, get } = await asAdmin({ env });
      await post('/contacts', { phone: '+14155550123', name: 'Bob Cox' });
      await post('/contacts', { phone: '+14155550199', name: 'Other' });
      for (const q of ['+1 415 555 0123', '(415) 555-0123', '+14155550123', '415.555.0123', '001 415 555 0123']) {
        assert.deepEqual(await names(get, q), ['Bob Cox'], `${q} with ${JSON.stringify(env)}`);
      }
      assert.deepEqual((await names(get, '(415) 555-01')).sort(), ['Bob Cox', 'Other'], 'part of a number');
    }
  });
});

describe('the contact card', () => {
  test('shows a STOP with its source and time, and no code is texted to that phone', async () => {
    const { h, post, get } = await asAdmin();
    const { contact } = await (await post('/contacts', { phone: '+14155550123' })).json();
    await h.optOuts.set({ address: '+14155550123', channel: 'sms', optedOut: true, source: 'stop_reply', detail: 'Replied STOP', at: h.clock.now() });
    await h.post('/api/codes', { phone: '+14155550123' });
    await h.queue.idle();
    const c = await card(get, contact.id);
    assert.deepEqual(c.optOut.sms, { optedOut: true, source: 'stop_reply', at: new Date(h.clock.now()).toISOString(), detail: 'Replied STOP', lift: 'contact_only' });
    assert.equal(c.optOut.email.optedOut, false);
    assert.deepEqual(c.deliveries, []);
    assert.deepEqual(c.codes, [], 'no code was sent');
  });

  test('lists codes with their outcome and the widget\'s reason — never a code — and the deliveries', async () => {
    const { h, get } = await asAdmin({ random: scriptedRandom(111111, 222222, 333333) });
    const jo = await h.contacts.create({ email: 'jo@example.com' });
    await h.post('/api/codes', { email: 'jo@example.com', reason: 'cookies_cleared' });
    h.clock.advance(31_000);
    await h.post('/api/codes', { email: 'jo@example.com' });
    await h.post('/api/codes/verify', { email: 'jo@example.com', code: '333333' });
    await h.queue.idle();
    const c = await card(get, jo.id);
    assert.deepEqual(c.codes.map((e: { number: number; outcome: string; reason: string | null }) => [e.number, e.outcome, e.reason]), [
      [2, 'verified', null],
      [1, 'superseded', 'cookies_cleared'],
    ]);
    assert.ok(!JSON.stringify(c).includes('333333') && !JSON.stringify(c).includes('222222'), 'no code on the card');
    assert.deepEqual(c.deliveries.map((d: { status: string; destination: string }) => [d.status, d.destination]), [
      ['sent', 'j•••@example.com'],
      ['sent', 'j•••@example.com'],
    ]);
    assert.equal(c.devices.length, 1);
    assert.ok(c.lastSignedInAt);
  });

  test('a code burned by wrong tries reads "burned"; one never used reads "expired" after 10 minutes', async () => {
    const { h, get } = await asAdmin();
    const jo = await h.contacts.create({ email: 'jo@example.com' });
    await h.post('/api/codes', { email: 'jo@example.com' });
    for (let i = 0; i < 5; i++) await h.post('/api/codes/verify', { email: 'jo@example.com', code: '000000' });
    h.clock.advance(31_000);
    await h.post('/api/codes', { email: 'jo@example.com' });
    // The code's entry is written after the answer (sign-in.ts logIssued); its message waits for it.
    await h.queue.idle();
    h.clock.advance(11 * 60_000);
    const outcomes = (await card(get, jo.id)).codes.map((e: { outcome: string }) => e.outcome);
    assert.deepEqual(outcomes, ['expired', 'burned']);
  });
});

describe('actions', () => {
  async function contactSignedIn(h: Harness) {
    const { res, cookie } = await h.signIn({ email: 'jo@example.com' });
    return { id: (await res.json()).contact.id as string, cookie };
  }

  test('deactivate signs the contact out of every browser for good (R9): after activate each needs a new code; both are audited', async () => {
    const { h, post, get } = await asAdmin();
    const jo = await contactSignedIn(h);
    h.clock.advance(31_000);
    const other = await h.signIn({ email: 'jo@example.com' });
    const off = await post(`/contacts/${jo.id}/deactivate`);
    assert.deepEqual([(await off.json()).contact.status], ['deactivated']);
    // While deactivated, the true reason is the deactivation: a new code would not help.
    for (const cookie of [jo.cookie, other.cookie]) assert.equal((await (await h.get('/api/session', { cookie })).json()).reason, 'deactivated');
    const revoked = (await card(get, jo.id)).devices;
    assert.deepEqual(revoked.map((d: { status: string; revokedReason: string }) => [d.status, d.revokedReason]), [
      ['revoked', 'deactivated'],
      ['revoked', 'deactivated'],
    ]);
    await post(`/contacts/${jo.id}/activate`);
    for (const cookie of [jo.cookie, other.cookie]) {
      assert.deepEqual(await (await h.get('/api/session', { cookie })).json(), { signedIn: false, reason: 'revoked' }, 'the old browser needs a new code');
    }
    h.clock.advance(31_000);
    assert.equal((await h.signIn({ email: 'jo@example.com' })).res.status, 200, 'a new code signs in again');
    const c = await card(get, jo.id);
    assert.deepEqual(c.audit.map((a: { action: string; adminEmail: string; detail: string | null }) => [a.action, a.adminEmail, a.detail]), [
      ['activate', 'boss@example.com', null],
      ['deactivate', 'boss@example.com', '2 browsers signed out'],
    ]);
  });

  test('revoking a device signs that browser out with reason revoked', async () => {
    const { h, post, get } = await asAdmin();
    const jo = await contactSignedIn(h);
    const [device] = (await card(get, jo.id)).devices;
    const res = await post(`/contacts/${jo.id}/devices/${device.id}/revoke`);
    assert.equal(res.status, 200);
    assert.equal((await (await h.get('/api/session', { cookie: jo.cookie })).json()).reason, 'revoked');
    assert.equal((await card(get, jo.id)).devices[0].status, 'revoked');
    assert.equal((await post(`/contacts/${jo.id}/devices/nope/revoke`)).status, 404);
  });
});

describe('more actions', () => {
  test('revoke all signs every browser of the contact out, and says how many', async () => {
    const { h, post } = await asAdmin();
    const first = await h.signIn({ email: 'jo@example.com' });
    h.clock.advance(31_000);
    const second = await h.signIn({ email: 'jo@example.com' });
    const id = (await first.res.json()).contact.id;
    // The second sign-in was a new browser (no cookie sent), so two are remembered.
    const res = await post(`/contacts/${id}/devices/revoke-all`);
    assert.deepEqual(await res.json(), { revoked: 2 });
    for (const { cookie } of [first, second]) assert.equal((await (await h.get('/api/session', { cookie })).json()).reason, 'revoked');
  });

  test('a STOP on the card names the number to text START to', async () => {
    const { h, get } = await asAdmin({ env: { TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+14155550100' } });
    const c = await h.contacts.create({ phone: '+14155550123' });
    await h.optOuts.set({ address: '+14155550123', channel: 'sms', optedOut: true, source: 'stop_reply', detail: null, at: 0 });
    assert.equal((await card(get, c.id)).optOut.sms.replyTo, '+14155550100');
  });
});

describe('editing a contact', () => {
  test('a code used by the contact marks that address verified; changing it makes it unverified again', async () => {
    const { h, post, get } = await asAdmin();
    const jo = await h.contacts.create({ email: 'jo@example.com', phone: '+14155550123' });
    await h.signIn({ email: 'jo@example.com' });
    const before = (await card(get, jo.id)).contact;
    assert.ok(before.emailVerifiedAt);
    assert.equal(before.phoneVerifiedAt, null);
    const res = await post(`/contacts/${jo.id}`, { email: 'Jo.New@Example.com', name: 'Jo' });
    const { contact } = await res.json();
    assert.deepEqual([contact.email, contact.name, contact.emailVerifiedAt, contact.phone], ['jo.new@example.com', 'Jo', null, '+14155550123']);
    assert.equal((await card(get, jo.id)).audit[0].action, 'edit');
  });

  test('the old address is told of the change (SECURITY-PLAN 36): the old email, and the old phone when it is removed', async () => {
    const { h, post } = await asAdmin({ env: { SITE_NAME: 'Acme' } });
    const jo = await h.contacts.create({ email: 'jo@example.com', phone: '+14155550123' });
    await post(`/contacts/${jo.id}`, { email: 'jo.new@example.com', phone: '' });
    await h.queue.idle();
    const [toEmail] = h.outbox.list('jo@example.com');
    assert.equal(toEmail?.subject, 'Your sign-in email address for Acme changed');
    assert.match(toEmail!.text, /^The email address you sign in to Acme with was changed to j•••@example\.com by the Acme team, so codes no longer come here\.\n\nIf you didn't ask for this, contact the Acme team\.$/);
    assert.match(h.outbox.list('+14155550123')[0]?.text ?? '', /The mobile number you sign in to Acme with was removed from your account/);
    assert.equal(h.outbox.list('jo.new@example.com').length, 0, 'the new address gets nothing until it is used');
    assert.ok(!toEmail!.text.includes('jo.new@'), 'the new address is masked');
  });

  test('an old address that opted out, or a name-only change, sends nothing', async () => {
    const { h, post } = await asAdmin();
    const jo = await h.contacts.create({ email: 'jo@example.com', phone: '+14155550123' });
    await h.optOuts.set({ address: 'jo@example.com', channel: 'email', optedOut: true, source: 'bounce', detail: null, at: h.clock.now() });
    await post(`/contacts/${jo.id}`, { email: 'jo.new@example.com', name: 'Jo' });
    await post(`/contacts/${jo.id}`, { name: 'Joanna' });
    await h.queue.idle();
    assert.equal(h.outbox.list('jo@example.com').length, 0);
    assert.equal(h.outbox.list('+14155550123').length, 0);
  });

  test('refuses a bad address, one that another contact has, or removing both', async () => {
    const { h, post } = await asAdmin();
    const jo = await h.contacts.create({ email: 'jo@example.com' });
    await h.contacts.create({ email: 'ann@example.com' });
    assert.equal((await (await post(`/contacts/${jo.id}`, { email: 'nope' })).json()).error.code, 'invalid_email');
    assert.equal((await (await post(`/contacts/${jo.id}`, { email: 'ann@example.com' })).json()).error.code, 'contact_exists');
    assert.equal((await (await post(`/contacts/${jo.id}`, { email: null })).json()).error.code, 'missing_identifier');
    assert.equal((await h.contacts.findById(jo.id))?.email, 'jo@example.com');
  });

  test('adding and editing read the fields alike: text that is not an address, a number for an email, or a name over 200 characters is refused; blank clears', async () => {
    const { h, post } = await asAdmin();
    const jo = await h.contacts.create({ email: 'jo@example.com', name: 'Jo' });
    for (const path of ['/contacts', `/contacts/${jo.id}`]) {
      const code = async (body: object) => (await (await post(path, { phone: '+14155550123', ...body })).json()).error?.code;
      assert.deepEqual(
        [await code({ email: 'nope' }), await code({ email: 42 }), await code({ phone: '12' }), await code({ name: 'x'.repeat(201) }), await code({ name: ['Jo'] })],
        ['invalid_email', 'invalid_email', 'invalid_phone', 'invalid_request', 'invalid_request'],
        path,
      );
    }
    assert.equal((await h.contacts.findById(jo.id))?.phone, null, 'nothing refused was stored');
    const { contact } = await (await post(`/contacts/${jo.id}`, { phone: '+14155550123', name: '  ' })).json();
    assert.deepEqual([contact.email, contact.phone, contact.name], ['jo@example.com', '+14155550123', null]);
  });

  test('two admins giving two contacts the same new email at the same moment: one 200, the other 409 contact_exists naming the contact that has it', async () => {
    const { h, post } = await asAdmin();
    const jo = await h.contacts.create({ email: 'jo@example.com' });
    const ann = await h.contacts.create({ email: 'ann@example.com' });
    // Both edits pass the check for another holder before either writes: the store refuses the second.
    const answers = await Promise.all([post(`/contacts/${jo.id}`, { email: 'shared@example.com' }), post(`/contacts/${ann.id}`, { email: 'shared@example.com' })]);
    const bodies = await Promise.all(answers.map((r) => r.json()));
    assert.deepEqual(answers.map((r) => r.status).sort(), [200, 409]);
    const winner = bodies.find((b) => b.contact)!.contact;
    const { error } = bodies.find((b) => b.error)!;
    assert.deepEqual([error.code, error.contactId], ['contact_exists', winner.id]);
    assert.equal(error.message, 'Another contact already has this email address. Open that contact instead.');
    const loser = winner.id === jo.id ? ann : jo;
    assert.equal((await h.contacts.findById(loser.id))?.email, loser.email, 'the refused edit changed nothing');
  });
});

describe('CSV', () => {
  test('import stores the good rows whole and reports each rejected line with its reason', async () => {
    const { h, post } = await asAdmin();
    await h.contacts.create({ email: 'taken@example.com' });
    const csv = [
      'email,phone,name',
      'ann@example.com,+1 415 555 0123,Ann',
      '"bob@example.com",,"Cox, Bob"',
      'not-an-email,,X',
      ',12,Y',
      ',,Nobody',
      'taken@example.com,,Z',
      'ann@example.com,,Twice',
    ].join('\n');
    const res = await post('/contacts/import', csv, { ...ORIGIN, 'content-type': 'text/csv' });
    const report = await res.json();
    assert.equal(report.imported, 2);
    assert.deepEqual(report.rejected.map((r: { line: number }) => r.line), [4, 5, 6, 7, 8]);
    assert.match(report.rejected[0].reason, /^Line 4 was not imported: "not-an-email" is not an email address\.$/);
    const bob = await h.contacts.findByIdentifier({ kind: 'email', value: 'bob@example.com' });
    assert.equal(bob?.name, 'Cox, Bob');
    assert.equal(await h.contacts.findByIdentifier({ kind: 'phone', value: '+1' }), undefined);
  });

  test('export is a CSV of every contact, with formulas defused', async () => {
    const { h, get } = await asAdmin();
    await h.contacts.create({ email: 'eve@example.com', name: '=HYPERLINK("http://evil.test")' });
    const res = await get('/contacts.csv');
    assert.match(res.headers.get('content-type')!, /^text\/csv/);
    const text = await res.text();
    assert.match(text, /^id,email,phone,name,status,role,createdAt\r\n/);
    assert.ok(text.includes(`"'=HYPERLINK(""http://evil.test"")"`));
    assert.ok(text.includes('boss@example.com'));
  });
});

describe('the diagnosis at the top of the card, from real state', () => {
  const causes = async (get: (path: string) => Response | Promise<Response>, id: string) =>
    (await card(get, id)).diagnosis as Array<{ cause: string; fact: string }>;

  test('a contact who replied STOP: "SMS: opted out — replied STOP on …; only the contact can undo this by replying START"', async () => {
    const { h, get } = await asAdmin();
    const c = await h.contacts.create({ phone: '+14155550123' });
    await h.optOuts.set({ address: '+14155550123', channel: 'sms', optedOut: true, source: 'stop_reply', detail: 'Replied STOP', at: h.clock.now() });
    const [first] = await causes(get, c.id);
    assert.equal(first?.cause, 'opted_out');
    assert.match(first!.fact, /^SMS: opted out — replied STOP on Nov 22, 2026, \d{1,2}:\d\d [AP]M UTC; only the contact can undo this by replying START\.$/);
  });

  test('deactivated comes first', async () => {
    const { h, get, post } = await asAdmin();
    const c = await h.contacts.create({ email: 'jo@example.com' });
    await post(`/contacts/${c.id}/deactivate`);
    assert.equal((await causes(get, c.id))[0]?.cause, 'deactivated');
  });

  test('the last email bounced (from the Postmark webhook)', async () => {
    const { h, get } = await asAdmin({ env: { POSTMARK_WEBHOOK_USER: 'pm', POSTMARK_WEBHOOK_PASSWORD: 'pw' } });
    const c = await h.contacts.create({ email: 'jo@example.com' });
    await h.post('/api/codes', { email: 'jo@example.com' });
    await h.queue.idle();
    const { id } = (await h.deliveriesTo('jo@example.com'))[0]!;
    await h.post('/webhooks/postmark', { RecordType: 'Bounce', Type: 'HardBounce', Email: 'jo@example.com', Metadata: { deliveryId: id }, Description: 'Mailbox not found', BouncedAt: '2026-11-22T14:00:05Z' }, {
      headers: { authorization: `Basic ${Buffer.from('pm:pw').toString('base64')}` },
    });
    const found = (await causes(get, c.id)).map((x) => x.cause);
    assert.ok(found.includes('bounced') && found.includes('opted_out'), found.join());
  });

  test('codes sent but none used in 24 hours; a code burned by wrong tries', async () => {
    const { h, get } = await asAdmin();
    const c = await h.contacts.create({ email: 'jo@example.com' });
    await h.post('/api/codes', { email: 'jo@example.com' });
    for (let i = 0; i < 5; i++) await h.post('/api/codes/verify', { email: 'jo@example.com', code: '000000' });
    h.clock.advance(31_000);
    await h.post('/api/codes', { email: 'jo@example.com' });
    await h.queue.idle();
    const found = (await causes(get, c.id)).map((x) => x.cause);
    assert.ok(found.includes('code_burned'), found.join());
    assert.match((await causes(get, c.id)).find((x) => x.cause === 'codes_unused')!.fact, /^2 codes sent in the last 24 hours, none used/);
  });

  test('many new codes from a browser that forgets the sign-in (from the reasons the widget reported)', async () => {
    const { h, get } = await asAdmin();
    const c = await h.contacts.create({ email: 'jo@example.com' });
    for (let i = 0; i < 3; i++) {
      await h.post('/api/codes', { email: 'jo@example.com', reason: 'private_window' });
      await h.post('/api/codes/verify', { email: 'jo@example.com', code: await h.latestCode('jo@example.com') });
      h.clock.advance(DAY);
    }
    assert.match((await causes(get, c.id)).find((x) => x.cause === 'forgetful_browser')!.fact, /3 new codes in 30 days .*private_window/);
  });

  test('each cause tells the admin what to do next, and suggests only a channel the contact has', () => {
    const jo = { id: 'c1', email: 'jo@example.com', phone: null, name: null, status: 'active', role: 'contact', roleSource: null, createdAt: 0, emailVerifiedAt: null, phoneVerifiedAt: null } as const;
    const noFacts: CardFacts = { contact: jo, optOut: { email: undefined, sms: undefined }, codes: [], deliveries: [], devices: [], failures: { email: 0, sms: 0, after: 10, lockAfter: 100 }, now: DAY };
    const fact = (cause: string, facts: Partial<CardFacts>) => diagnose({ ...noFacts, ...facts }).find((x) => x.cause === cause)?.fact ?? '';
    const lockedEmail = { failures: { ...noFacts.failures, email: 100 } };
    assert.match(fact('locked', lockedEmail), /send a sign-in link\.$/, 'no mobile number on file, so none is suggested');
    assert.match(fact('locked', { ...lockedEmail, contact: { ...jo, phone: '+14155550123' } }), /send a sign-in link, or ask them to use their mobile number\.$/);
    const bounced = { address: jo.email, channel: 'email', optedOut: true, source: 'bounce', detail: null, at: 0 } as const;
    assert.match(fact('opted_out', { optOut: { email: bounced, sms: undefined } }), /; confirm the address with the contact, then lift it under Opt-outs\.$/);
    assert.match(fact('no_phone', {}), /Add one under Edit details/);
  });

  test('texts to new numbers in the contact’s block paused: what, until when, why, and whether this contact still gets texts', async () => {
    const roomy = { SMS_COUNTRIES: 'CA', SMS_PREFIX_PER_HOUR: '1000', SMS_HOURLY_LIMIT: '1000', IP_CODES_PER_HOUR: '1000' };
    const { h, get } = await asAdmin({ env: roomy });
    const jo = await h.contacts.create({ email: 'jo@example.com', phone: '+14165552998' });
    await h.signIn({ phone: '+14165552999' });
    const ann = await h.contacts.findByIdentifier({ kind: 'phone', value: '+14165552999' });
    for (let n = 0; n < 49; n++) await h.post('/api/codes', { phone: `+14165552${String(n).padStart(3, '0')}` });
    assert.ok(!(await causes(get, jo.id)).some((x) => x.cause === 'sms_paused'), 'not while the codes may still be used');
    h.clock.advance(11 * 60_000);
    const paused = (await causes(get, jo.id)).find((x) => x.cause === 'sms_paused');
    assert.match(
      paused!.fact,
      /^Texts to new numbers in \+1 416 555 2xxx are paused until Nov 22, 2026, \d{1,2}:\d\d [AP]M UTC: of the 50 codes texted there in the last 24 hours only 1 was used \(SMS_MIN_CONVERSION=20%\), which is how SMS pumping looks\. Numbers that signed in before still get texts; this contact’s number has not signed in yet, so it gets none until then: ask them to use their email address\.$/,
    );
    assert.match((await causes(get, ann!.id)).find((x) => x.cause === 'sms_paused')!.fact, /Numbers that signed in before still get texts, this contact’s among them\.$/);
    h.clock.advance(3_600_000);
    assert.ok(!(await causes(get, jo.id)).some((x) => x.cause === 'sms_paused'), 'an hour later');
  });

  test('never signed in, and what is missing on file', async () => {
    const { h, get } = await asAdmin();
    const c = await h.contacts.create({ email: 'jo@example.com' });
    assert.deepEqual((await causes(get, c.id)).map((x) => x.cause), ['never_signed_in', 'no_phone']);
  });
});

const DAY = 86_400_000;

describe('sign-in links and invitations', () => {
  const linkIn = (text: string) => text.match(/http:\/\/localhost:3000\/signin\/link\?t=[\w-]+/)![0];

  test('go only to the registered address; the admin\'s answer never holds the link', async () => {
    const { h, post } = await asAdmin();
    const jo = await h.contacts.create({ email: 'jo@example.com' });
    const res = await post(`/contacts/${jo.id}/invite`);
    assert.equal(res.status, 202);
    const text = await res.text();
    assert.deepEqual(JSON.parse(text).destination, 'j•••@example.com');
    await h.queue.idle();
    const link = linkIn(h.outbox.list('jo@example.com')[0]!.text);
    assert.ok(!text.includes(new URL(link).searchParams.get('t')!), 'no token in the admin answer');
    assert.ok(!JSON.stringify((await (await h.get(`/api/admin/contacts/${jo.id}`, { cookie: (await asAdminCookie(h)) })).json())).includes('signin/link'));
  });

  test('opening the link changes nothing; the POST signs in once; a second use and an expired link are refused', async () => {
    const { h, post } = await asAdmin();
    const jo = await h.contacts.create({ email: 'jo@example.com' });
    await post(`/contacts/${jo.id}/sign-in-link`);
    await h.queue.idle();
    const token = new URL(linkIn(h.outbox.list('jo@example.com')[0]!.text)).searchParams.get('t')!;
    for (let i = 0; i < 3; i++) {
      const page = await h.get(`/signin/link?t=${token}`);
      assert.equal(page.status, 200, 'a GET (a mail scanner) never uses the link');
      assert.match(await page.text(), /Sign in as j•••@example\.com/);
    }
    const first = await h.post('/api/links/redeem', { token }, { headers: ORIGIN });
    assert.equal(first.status, 200);
    assert.equal((await first.json()).contact.id, jo.id);
    assert.ok(first.headers.getSetCookie().some((c) => c.startsWith('otp-device=')));
    assert.ok((await h.contacts.findById(jo.id))?.emailVerifiedAt, 'the link proved the address');
    const second = await h.post('/api/links/redeem', { token }, { headers: ORIGIN });
    assert.deepEqual([second.status, (await second.json()).error.reason], [410, 'used']);

    h.clock.advance(31_000);
    await post(`/contacts/${jo.id}/sign-in-link`);
    await h.queue.idle();
    const late = new URL(linkIn(h.outbox.list('jo@example.com')[0]!.text)).searchParams.get('t')!;
    h.clock.advance(15 * 60_000);
    const expired = await h.post('/api/links/redeem', { token: late }, { headers: ORIGIN });
    assert.deepEqual([expired.status, (await expired.json()).error.reason], [410, 'expired']);
  });

  test('the confirm page warns a browser signed in as someone else before switching', async () => {
    const { h, post, cookie } = await asAdmin();
    const jo = await h.contacts.create({ email: 'jo@example.com' });
    await post(`/contacts/${jo.id}/sign-in-link`);
    await h.queue.idle();
    const token = new URL(linkIn(h.outbox.list('jo@example.com')[0]!.text)).searchParams.get('t')!;
    const page = await (await h.get(`/signin/link?t=${token}`, { cookie })).text();
    assert.match(page, /This browser is signed in as boss@example\.com\. Continuing signs it in as j•••@example\.com instead\. To test a link, open it in a private window\./);
  });

  test('an invitation is refused, with the reason, to an opted-out channel or a contact who signed in before', async () => {
    const { h, post } = await asAdmin();
    const sms = await h.contacts.create({ phone: '+14155550123' });
    await h.optOuts.set({ address: '+14155550123', channel: 'sms', optedOut: true, source: 'stop_reply', detail: null, at: 0 });
    const refused = await post(`/contacts/${sms.id}/invite`);
    assert.deepEqual([refused.status, (await refused.json()).error.message], [409, 'The contact opted out of SMS: use the other channel.']);
    const { res } = await h.signIn({ email: 'jo@example.com' });
    const jo = (await res.json()).contact.id;
    assert.match((await (await post(`/contacts/${jo}/invite`)).json()).error.message, /signed in before: send a sign-in link instead/);
  });
});

describe('what a sign-in link proves (issue 12)', () => {
  const tokenIn = (h: Harness, to: string) => new URL(h.outbox.list(to)[0]!.text.match(/http:\/\/localhost:3000\/signin\/link\?t=[\w-]+/)![0]).searchParams.get('t')!;

  test('a link sent by SMS marks only the phone verified, one sent by email only the email', async () => {
    const { h, post } = await asAdmin();
    const jo = await h.contacts.create({ email: 'jo@example.com', phone: '+14155550123' });
    assert.equal((await post(`/contacts/${jo.id}/sign-in-link`, { channel: 'sms' })).status, 202);
    await h.queue.idle();
    assert.equal((await h.post('/api/links/redeem', { token: tokenIn(h, '+14155550123') }, { headers: ORIGIN })).status, 200);
    const afterSms = (await h.contacts.findById(jo.id))!;
    assert.ok(afterSms.phoneVerifiedAt !== null && afterSms.emailVerifiedAt === null, 'only the phone');
    await post(`/contacts/${jo.id}/sign-in-link`, { channel: 'email' });
    await h.queue.idle();
    assert.equal((await h.post('/api/links/redeem', { token: tokenIn(h, 'jo@example.com') }, { headers: ORIGIN })).status, 200);
    assert.ok((await h.contacts.findById(jo.id))!.emailVerifiedAt !== null);
  });

  test('ADMIN_EMAILS promotes on a link only when the link went to that email', async () => {
    const { h, post } = await asAdmin({ env: { ADMIN_EMAILS: 'boss@example.com,chief@example.com' } });
    const chief = await h.contacts.create({ email: 'chief@example.com', phone: '+14155550124' });
    await post(`/contacts/${chief.id}/sign-in-link`, { channel: 'sms' });
    await h.queue.idle();
    const bySms = await h.post('/api/links/redeem', { token: tokenIn(h, '+14155550124') }, { headers: ORIGIN });
    assert.equal(bySms.status, 200);
    assert.equal((await h.contacts.findById(chief.id))!.role, 'contact', 'a text proves the phone, not the email');
    assert.equal((await h.get('/api/admin/contacts', { cookie: cookieHeader(bySms) })).status, 403);
    await post(`/contacts/${chief.id}/sign-in-link`, { channel: 'email' });
    await h.queue.idle();
    const byEmail = await h.post('/api/links/redeem', { token: tokenIn(h, 'chief@example.com') }, { headers: ORIGIN });
    assert.equal((await h.contacts.findById(chief.id))!.role, 'admin');
    assert.equal((await h.get('/api/admin/contacts', { cookie: cookieHeader(byEmail) })).status, 200);
  });

  test('changing the address cancels its waiting link: redeeming it is refused (410) and verifies nothing', async () => {
    const { h, post } = await asAdmin();
    const jo = await h.contacts.create({ email: 'jo@example.com', phone: '+14155550123' });
    await post(`/contacts/${jo.id}/sign-in-link`, { channel: 'email' });
    await post(`/contacts/${jo.id}/invite`, { channel: 'sms' });
    await h.queue.idle();
    const [emailLink, smsLink] = [tokenIn(h, 'jo@example.com'), tokenIn(h, '+14155550123')];
    assert.equal((await post(`/contacts/${jo.id}`, { email: 'new@example.com', phone: '+14155550199' })).status, 200);
    for (const token of [emailLink, smsLink]) {
      const page = await h.get(`/signin/link?t=${token}`);
      assert.equal(page.status, 410);
      const res = await h.post('/api/links/redeem', { token }, { headers: ORIGIN });
      const body = await res.json();
      assert.deepEqual([res.status, body.error.code, body.error.reason], [410, 'invalid_link', 'cancelled']);
      assert.match(body.error.message, /address it was sent to was changed/);
      assert.equal(res.headers.getSetCookie().length, 0, 'no browser is remembered');
    }
    const after = (await h.contacts.findById(jo.id))!;
    assert.deepEqual([after.emailVerifiedAt, after.phoneVerifiedAt], [null, null], 'nothing verified');
  });

  test('changing the address stops a code already sent to the old one: its holder (a stolen phone) signs in as nobody', async () => {
    const { h, get, post } = await asAdmin({ env: { SIGNUP: 'closed' } });
    const jo = await h.contacts.create({ email: 'jo@example.com', phone: '+14155550123' });
    // The thief of jo's phone asks for a code by text, typing jo's email; jo asks the team to change her number.
    await h.post('/api/codes', { email: 'jo@example.com', channel: 'sms' }, { ip: '198.51.100.66' });
    const stolen = await h.latestCode('+14155550123');
    assert.equal((await post(`/contacts/${jo.id}`, { phone: '+14155550199' })).status, 200);
    const res = await h.post('/api/codes/verify', { email: 'jo@example.com', code: stolen }, { ip: '198.51.100.66' });
    assert.equal(res.status, 401);
    assert.equal((await res.json()).error.code, 'no_active_code');
    assert.equal(res.headers.getSetCookie().length, 0, 'no browser is remembered');
    assert.deepEqual((await card(get, jo.id)).devices, [], 'jo has no signed-in browser');
    // Jo herself, with a code to the address on file now, signs in.
    h.clock.advance(31_000);
    await h.post('/api/codes', { email: 'jo@example.com' });
    assert.equal((await h.post('/api/codes/verify', { email: 'jo@example.com', code: await h.latestCode('jo@example.com') })).status, 200);
  });

  test('a link is judged by the address on file when it is used: refused while the contact has another, working again once they have it back', async () => {
    const { h, post } = await asAdmin();
    const jo = await h.contacts.create({ email: 'jo@example.com' });
    await post(`/contacts/${jo.id}/sign-in-link`);
    await h.queue.idle();
    const token = tokenIn(h, 'jo@example.com');
    await post(`/contacts/${jo.id}`, { email: 'other@example.com' });
    const refused = await h.post('/api/links/redeem', { token }, { headers: ORIGIN });
    assert.deepEqual([refused.status, (await refused.json()).error.reason], [410, 'cancelled']);
    // Back on file, the address proves the contact again: a code could go there as well.
    await post(`/contacts/${jo.id}`, { email: 'jo@example.com' });
    assert.equal((await h.post('/api/links/redeem', { token }, { headers: ORIGIN })).status, 200);
  });
});

describe('bad input to the admin API changes nothing (issue 12, R8)', () => {
  test('a contact list page that is not a whole number in range answers 400 with a sentence', async () => {
    const { get } = await asAdmin();
    for (const query of ['offset=1e309', 'offset=1.5', 'offset=-1', 'offset=abc', 'offset=99999999999999999999', 'limit=0', 'limit=101', 'limit=2.5', 'limit=1e2', 'limit=%20']) {
      const res = await get(`/contacts?${query}`);
      const body = await res.json();
      assert.deepEqual([query, res.status, body.error.code], [query, 400, 'invalid_request']);
      assert.match(body.error.message, /must be a whole number/);
    }
    const page = await (await get('/contacts?limit=1&offset=0')).json();
    assert.deepEqual([page.limit, page.offset, page.contacts.length], [1, 0, 1]);
    const defaults = await (await get('/contacts?offset=&limit=')).json();
    assert.deepEqual([defaults.limit, defaults.offset], [50, 0]);
  });

  test('a body that is not a JSON object is refused by every action, and nothing is sent or changed', async () => {
    const { h, post, get } = await asAdmin();
    const { res, cookie: joCookie } = await h.signIn({ email: 'jo@example.com' });
    const jo = (await res.json()).contact.id as string;
    const [device] = (await card(get, jo)).devices;
    await h.queue.idle();
    const sentBefore = h.outbox.list().length;
    const actions = ['sign-in-link', 'invite', 'deactivate', 'activate', 'devices/revoke-all', `devices/${device.id}/revoke`, 'opt-out', 'opt-out/lift', 'make-admin', 'remove-admin', ''];
    for (const action of actions) {
      for (const body of ['{"channel":', 'null', '[]', '"email"', '12']) {
        const answer = await post(`/contacts/${jo}${action ? `/${action}` : ''}`, body);
        assert.deepEqual([action, body, answer.status, (await answer.json()).error.code], [action, body, 400, 'invalid_request']);
      }
    }
    await h.queue.idle();
    assert.equal(h.outbox.list().length, sentBefore, 'nothing was sent');
    const after = await card(get, jo);
    assert.deepEqual([after.contact.status, after.contact.role, after.devices[0].status, after.optOut.email.optedOut], ['active', 'contact', 'active', false]);
    assert.deepEqual(after.audit, [], 'nothing was done');
    assert.equal((await (await h.get('/api/session', { cookie: joCookie })).json()).signedIn, true);
  });

  test('no body reads as {} for every action alike: adding a contact asks for an address, an edit keeps everything', async () => {
    const { h, post } = await asAdmin();
    const jo = await h.contacts.create({ email: 'jo@example.com', name: 'Jo' });
    const add = await post('/contacts', '');
    assert.deepEqual([add.status, (await add.json()).error.message], [400, 'Give the contact an email address or a mobile number.']);
    const edit = await post(`/contacts/${jo.id}`, '');
    const { contact } = await edit.json();
    assert.deepEqual([edit.status, contact.email, contact.name], [200, 'jo@example.com', 'Jo']);
  });
});

async function asAdminCookie(h: Harness) {
  const admin = await h.contacts.findByIdentifier({ kind: 'email', value: 'boss@example.com' });
  assert.ok(admin);
  h.clock.advance(31_000);
  const { cookie } = await h.signIn({ email: 'boss@example.com' });
  return cookie;
}
