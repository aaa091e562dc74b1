import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { recordOptOut } from '../../../server/delivery/opt-out-rules.ts';
import { RETRY_DELAYS_MS } from '../../../server/site-events/outgoing-webhooks.ts';
import { isSignedByOtpLogin } from '../../../examples/hono-backend/webhooks.ts';
import { json, listen } from '../../fakes/http.ts';
import { createHarness } from '../harness.ts';

const SECRET = 'whsec-test-test-test-test-test-test-test!';

/** The site owner's backend: keeps every request; answers `next` statuses in turn, then 200. */
let receiver: Awaited<ReturnType<typeof listen>>;
const received: Array<{ headers: Record<string, string | string[] | undefined>; body: string }> = [];
const next: number[] = [];
before(async () => {
  receiver = await listen((req, body, res) => {
    received.push({ headers: req.headers, body });
    json(res, next.shift() ?? 200, { ok: true });
  });
});
after(() => receiver.close());
beforeEach(() => {
  received.length = 0;
  next.length = 0;
});

const withHooks = (env: Record<string, string> = {}) =>
  createHarness({ env: { WEBHOOK_URL: `${receiver.url.href}hooks`, WEBHOOK_SECRET: SECRET, ADMIN_EMAILS: 'boss@example.com', ...env } });

/** What a receiving backend checks (examples/hono-backend/webhooks.ts, the README's code), at the time it was signed. */
function verified(request: (typeof received)[number]) {
  const header = request.headers['otp-login-signature'] as string;
  const signedAt = Number(/^t=(\d+),/.exec(header)![1]) * 1000;
  assert.ok(isSignedByOtpLogin(header, request.body, SECRET, { now: signedAt }), 'signed');
  assert.equal(isSignedByOtpLogin(header, `${request.body} `, SECRET, { now: signedAt }), false, 'a changed body fails');
  assert.equal(isSignedByOtpLogin(header, request.body, 'another-secret-another-secret-another', { now: signedAt }), false, 'another secret fails');
  assert.equal(isSignedByOtpLogin(header, request.body, SECRET, { now: signedAt + 301_000 }), false, 'replayed five minutes later fails');
  const event = JSON.parse(request.body);
  assert.equal(request.headers['otp-login-event-id'], event.id);
  return event as { id: string; type: string; createdAt: string; data: Record<string, any> };
}

describe('events to the site owner’s WEBHOOK_URL', () => {
  test('a first sign-in under open signup sends contact.created and contact.signed_in, signed', async () => {
    const h = withHooks();
    await h.signIn({ email: 'jo@example.com' });
    await h.outgoing.deliverDue();
    const events = received.map((r) => verified(r)).filter((e) => e.data.contact.email === 'jo@example.com');
    assert.deepEqual(events.map((e) => e.type), ['contact.created', 'contact.signed_in']);
    assert.deepEqual(events[0]!.data.contact, { id: events[0]!.data.contact.id, email: 'jo@example.com', phone: null, name: null, status: 'active', role: 'contact' });
    assert.equal(events[1]!.data.device.sessionOnly, false);
  });

  test('STOP and START, a bounce, and an admin deactivating send opted_out, opted_in and deactivated', async () => {
    const h = withHooks();
    const admin = await h.signIn({ email: 'boss@example.com' });
    const jo = await h.contacts.create({ email: 'jo@example.com', phone: '+14155550123' });
    const at = h.clock.now();
    await recordOptOut(h.optOuts, { address: '+14155550123', channel: 'sms', optedOut: true, source: 'stop_reply', detail: null, at });
    await recordOptOut(h.optOuts, { address: '+14155550123', channel: 'sms', optedOut: false, source: 'start_reply', detail: null, at: at + 1 });
    await recordOptOut(h.optOuts, { address: 'jo@example.com', channel: 'email', optedOut: true, source: 'bounce', detail: 'HardBounce', at: at + 2 });
    await h.post(`/api/admin/contacts/${jo.id}/deactivate`, {}, { cookie: admin.cookie });
    await h.outgoing.deliverDue();
    const about = received.map((r) => verified(r)).filter((e) => e.data.contact.id === jo.id);
    assert.deepEqual(
      about.map((e) => [e.type, e.data.channel, e.data.source]),
      [
        ['contact.created', undefined, undefined],
        ['contact.channel.opted_out', 'sms', 'stop_reply'],
        ['contact.channel.opted_in', 'sms', 'start_reply'],
        ['contact.channel.opted_out', 'email', 'bounce'],
        ['contact.deactivated', undefined, undefined],
      ],
    );
    assert.equal(about.at(-1)!.data.contact.status, 'deactivated');
  });

  test('a failed delivery is tried again after a minute, then with growing waits, and given up after the last; each try is on the card', async () => {
    const warnings: string[] = [];
    const h = createHarness({
      env: { WEBHOOK_URL: `${receiver.url.href}hooks`, WEBHOOK_SECRET: SECRET, ADMIN_EMAILS: 'boss@example.com' },
      log: { info() {}, error() {}, warn: (m) => warnings.push(m) },
    });
    const admin = await h.signIn({ email: 'boss@example.com' });
    await h.outgoing.deliverDue();
    received.length = 0;
    next.push(...Array(RETRY_DELAYS_MS.length + 1).fill(500));
    const jo = await h.contacts.create({ email: 'jo@example.com' });
    await h.outgoing.deliverDue();
    assert.equal(received.length, 1);
    const card = async () => (await (await h.get(`/api/admin/contacts/${jo.id}`, { cookie: admin.cookie })).json()).outgoingEvents[0];
    assert.deepEqual([(await card()).status, (await card()).attempts, (await card()).lastStatus, (await card()).lastError], ['pending', 1, 500, 'answered 500']);
    h.clock.advance(RETRY_DELAYS_MS[0]! - 1000);
    await h.outgoing.deliverDue();
    assert.equal(received.length, 1, 'not before its time');
    for (const wait of RETRY_DELAYS_MS) {
      h.clock.advance(wait);
      await h.outgoing.deliverDue();
    }
    assert.equal(received.length, RETRY_DELAYS_MS.length + 1);
    assert.deepEqual([(await card()).status, (await card()).attempts], ['failed', RETRY_DELAYS_MS.length + 1]);
    assert.match(warnings.join('\n'), /Webhook contact\.created evt_[\w-]+ to http:\/\/127\.0\.0\.1:\d+ given up after 7 tries: answered 500\. Check that WEBHOOK_URL answers 2xx within 10 seconds; the event stays on the contact's admin card\./);
    assert.equal(received.map((r) => verified(r)).every((e) => e.type === 'contact.created'), true, 'the same event each time');
    assert.equal(new Set(received.map((r) => r.headers['otp-login-event-id'])).size, 1, 'one event id, so the receiver can drop repeats');
  });

  test('a backend that answers later still gets it: the second try delivers, and the card says so', async () => {
    const h = withHooks();
    next.push(503);
    const jo = await h.contacts.create({ email: 'jo@example.com' });
    await h.outgoing.deliverDue();
    h.clock.advance(RETRY_DELAYS_MS[0]!);
    await h.outgoing.deliverDue();
    assert.deepEqual((await h.outgoing.ofContact(jo.id)).map((e) => [e.status, e.attempts, e.lastStatus]), [['delivered', 2, 200]]);
  });

  test('without WEBHOOK_URL nothing is kept or sent; a half-set or short secret stops start-up with a sentence', async () => {
    const h = createHarness();
    const jo = await h.contacts.create({ email: 'jo@example.com' });
    assert.deepEqual(await h.outgoing.ofContact(jo.id), []);
    assert.throws(() => createHarness({ env: { WEBHOOK_SECRET: SECRET } }), /WEBHOOK_SECRET is set but WEBHOOK_URL is not/);
    assert.throws(() => createHarness({ env: { WEBHOOK_URL: 'https://www.example.com/hooks', WEBHOOK_SECRET: 'short' } }), /WEBHOOK_SECRET must be at least 32 characters/);
    assert.throws(() => createHarness({ env: { WEBHOOK_URL: 'http://www.example.com/hooks', WEBHOOK_SECRET: SECRET } }), /WEBHOOK_URL must start with https:\/\//);
  });
});
