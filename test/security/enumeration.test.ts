import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DeliveryError, type OutgoingMessage, type Sender } from '../../server/delivery/messages.ts';
import { manualClock } from '../../server/clock.ts';
import { cryptoRandom, type Random } from '../../server/random.ts';
import type { IssuedCode } from '../../server/store/code-log.ts';
import { createSqliteStorage, openDatabase } from '../../server/store/sqlite/index.ts';
import { createHarness, scriptedRandom, type Harness, type HarnessOptions } from '../server/harness.ts';

// R3 / SECURITY-PLAN 18, 19, 21. Each comparison runs two servers that differ only in what they
// know about one person, and replays the same requests at both: same identifier, same IP, same
// manual clock (every harness starts at the same instant and both move together). So nothing may
// differ in the answers — not even the masked destination or sentAt — except `date`, a request id
// and the CSP nonce.

type Id = { email: string } | { phone: string };
/** One person's identifiers and the IP their requests come from. */
interface Person {
  email: string;
  phone: string;
  ip: string;
}

const WRONG = '000000';
const MINUTE = 60_000;
// Area codes differ, so no two people share an SMS prefix and its hourly limit.
const AREAS = [415, 212, 646, 312, 617, 206, 303, 510];
/** The `i`th person of a server pair; each scenario has its own, so scenarios never share a limit. */
const personAt = (i: number): Person => ({ email: `jo${i}@example.com`, phone: `+1${AREAS[i]}5550123`, ip: `198.51.100.${i + 1}` });

// Codes are never 000000, so the wrong guess is wrong for a registered contact too, never right by luck.
const neverZero: Random = { int: (max) => 1 + cryptoRandom.int(max - 1), bytes: cryptoRandom.bytes };

/**
 * Everything a client sees of an answer, but for `date`, any request id, and the CSP nonce, which
 * is fresh in every answer by design (its presence and place are still compared).
 */
async function seen(res: Response) {
  const headers = [...res.headers]
    .filter(([name]) => name !== 'date' && !/request-?id/i.test(name))
    .map(([name, value]) => [name, value.replace(/'nonce-[\w+/=-]+'/g, "'nonce-*'")]);
  return { status: res.status, headers, body: await res.text() };
}

type Step = (h: Harness, ip: string) => Response | void | Promise<Response | void>;

const ask = (id: Id, extra: Record<string, string> = {}): Step => (h, ip) => h.post('/api/codes', { ...id, ...extra }, { ip });
const guess = (id: Id, code = WRONG): Step => (h, ip) => h.post('/api/codes/verify', { ...id, code }, { ip });
/** A resend by the person who holds the code sent `agoMs` ago: they send its sentAt back. */
const askHolding = (id: Id, agoMs = 0): Step => (h, ip) => h.post('/api/codes', { ...id, previousSentAt: new Date(h.clock.now() - agoMs).toISOString() }, { ip });
const wait = (ms: number): Step => async (h) => void h.clock.advance(ms);
const times = (n: number, step: Step) => Array<Step>(n).fill(step);

/** Plays `steps` in order from `ip`, letting the delivery queue finish after each, as time passes between requests. */
async function play(h: Harness, steps: Step[], ip: string) {
  const answers = [];
  for (const step of steps) {
    const res = await step(h, ip);
    await h.queue.idle();
    if (res) answers.push(await seen(res));
  }
  return answers;
}

/** "202", "401 wrong_code", "429 rate_limited": what a sequence of answers says, to check a scenario did what it claims. */
const story = (answers: Awaited<ReturnType<typeof play>>) =>
  answers.map(({ status, body }) => {
    const code = (JSON.parse(body) as { error?: { code: string } }).error?.code;
    return code ? `${status} ${code}` : String(status);
  });

const otherChannel = (id: Id) => ('email' in id ? 'sms' : 'email');

/** What an outsider might try, as requests, and the answers it must produce. */
const scenarios: Array<{ name: string; steps: (id: Id, p: Person) => Step[]; story: string[]; bothIdentifiers?: true }> = [
  {
    name: 'a code request, a resend too soon with the code in hand and one without, one by the other channel and a third',
    steps: (id) => [ask(id), askHolding(id), ask(id), wait(31_000), ask(id, { channel: otherChannel(id) }), wait(31_000), ask(id)],
    story: ['202', '429 rate_limited', '202', '202', '202'],
  },
  {
    name: 'verifies with no code requested',
    steps: (id) => times(3, guess(id)),
    story: Array(3).fill('401 wrong_code'),
  },
  {
    name: 'wrong codes after a code request, until the code is burned, and after',
    steps: (id) => [ask(id), ...times(7, guess(id))],
    story: ['202', ...Array(7).fill('401 wrong_code')],
  },
  {
    name: 'ten wrong codes over two codes, the back-off, a new code after it, and the longer back-off',
    steps: (id) => [ask(id), ...times(5, guess(id)), wait(31_000), ask(id), ...times(5, guess(id)), guess(id), wait(30_000), ask(id), guess(id), guess(id)],
    story: ['202', ...Array(5).fill('401 wrong_code'), '202', ...Array(5).fill('401 wrong_code'), '429 rate_limited', '202', '401 wrong_code', '429 rate_limited'],
  },
  {
    name: 'a code left to expire',
    steps: (id) => [ask(id), guess(id), wait(10 * MINUTE + 1000), guess(id), guess(id)],
    story: ['202', ...Array(3).fill('401 wrong_code')],
  },
  {
    name: 'codes asked for by both identifiers of one person, then guesses at each',
    steps: (_, p) => {
      const [email, phone] = [{ email: p.email }, { phone: p.phone }];
      return [ask(email), ask(phone), guess(email), guess(phone), wait(31_000), ask(email), guess(phone)];
    },
    story: ['202', '202', '401 wrong_code', '401 wrong_code', '202', '401 wrong_code'],
    bothIdentifiers: true,
  },
];

/** Who the known server knows; `proof` checks, after the first scenario, that the two servers really differ. */
const people: Array<{
  name: string;
  signup: 'open' | 'closed';
  setup: (h: Harness, p: Person) => Promise<void>;
  proof: (known: Harness, unknown: Harness, p: Person) => void;
}> = [
  {
    name: 'a registered contact',
    signup: 'closed',
    setup: async (h, p) => void (await h.contacts.create({ email: p.email, phone: p.phone })),
    proof: (known, unknown, p) => {
      assert.equal(known.outbox.list(p.email).length + known.outbox.list(p.phone).length, 3, 'the contact was sent three codes');
      assert.equal(unknown.outbox.list().length, 0, 'the stranger none');
    },
  },
  {
    name: 'a registered contact',
    signup: 'open',
    setup: async (h, p) => void (await h.contacts.create({ email: p.email, phone: p.phone })),
    proof: (known, unknown, p) => {
      // Open signup sends to any typed address, but only a contact has an address on file for the other channel.
      assert.equal(known.outbox.list(p.email).length + known.outbox.list(p.phone).length, 3);
      assert.equal(unknown.outbox.list(p.email).length + unknown.outbox.list(p.phone).length, 2);
    },
  },
  {
    name: 'a deactivated contact',
    signup: 'closed',
    setup: async (h, p) => {
      const jo = await h.contacts.create({ email: p.email, phone: p.phone });
      await h.contacts.setStatus(jo.id, 'deactivated');
    },
    proof: (known) => assert.equal(known.outbox.list().length, 0, 'a deactivated contact is sent nothing'),
  },
  {
    name: 'an opted-out contact',
    signup: 'closed',
    setup: async (h, p) => {
      await h.contacts.create({ email: p.email, phone: p.phone });
      const at = h.clock.now();
      await h.optOuts.set({ address: p.email, channel: 'email', optedOut: true, source: 'spam_complaint', detail: null, at });
      await h.optOuts.set({ address: p.phone, channel: 'sms', optedOut: true, source: 'stop_reply', detail: null, at });
    },
    proof: (known) => assert.equal(known.outbox.list().length, 0, 'a contact who opted out of both channels is sent nothing'),
  },
];

/** Two servers that differ only in `setup`, made alike in everything else. */
function serverPair(options: HarnessOptions) {
  return { known: createHarness({ random: neverZero, ...options }), unknown: createHarness({ random: neverZero, ...options }) };
}

/** Runs `steps` for person `p` at both servers, after `setup` at the known one. */
async function compare({ known, unknown }: ReturnType<typeof serverPair>, setup: (h: Harness, p: Person) => Promise<void>, p: Person, steps: Step[]) {
  await setup(known, p);
  return { known: await play(known, steps, p.ip), unknown: await play(unknown, steps, p.ip) };
}

for (const person of people) {
  for (const kind of ['email', 'phone'] as const) {
    describe(`18, 19: SIGNUP=${person.signup}, ${person.name}'s ${kind} vs an unknown ${kind}`, () => {
      // One pair of servers for all the scenarios (each with its own person): building one takes ~0.1 s.
      const pair = serverPair({ env: { SIGNUP: person.signup } });
      scenarios.forEach((scenario, i) => {
        if (scenario.bothIdentifiers && kind === 'phone') return;
        test(`${i === 0 ? '18' : '19'}: ${scenario.name} answer byte for byte the same`, async () => {
          const p = personAt(i);
          const id = kind === 'email' ? { email: p.email } : { phone: p.phone };
          const answers = await compare(pair, person.setup, p, scenario.steps(id, p));
          assert.deepEqual(story(answers.unknown), scenario.story);
          assert.deepEqual(answers.known, answers.unknown);
          if (i === 0) person.proof(pair.known, pair.unknown, p);
        });
      });
    });
  }
}

/** A provider that takes every message except those to `refused`, which it refuses as `code` does. */
function provider(refused: string | null, code: '406' | '21610') {
  const taken: OutgoingMessage[] = [];
  const sender: Sender = {
    provider: 'fake',
    async send(message) {
      if (message.to === refused) throw new DeliveryError({ kind: 'suppressed', code, text: 'The recipient is inactive or unsubscribed.' });
      taken.push(message);
      return { provider: 'fake', providerMessageId: message.deliveryId };
    },
  };
  return { sender, taken };
}

describe('21: a provider refusing an address changes no answer (closed signup)', () => {
  for (const [kind, code] of [['email', '406'], ['phone', '21610']] as const) {
    test(`21: after a ${code === '406' ? 'Postmark 406' : 'Twilio 21610'} for the ${kind}, code requests and later verifies answer as for an address that worked, and as for a stranger`, async () => {
      const p = personAt(0);
      const [id, address, other] = kind === 'email' ? [{ email: p.email }, p.email, p.phone] : [{ phone: p.phone }, p.phone, p.email];
      const steps = [
        ask(id), guess(id), guess(id),
        wait(31_000), ask(id), guess(id),
        wait(31_000), ask(id, { channel: otherChannel(id) }), guess(id),
        wait(31_000), ask(id), ...times(5, guess(id)),
      ];
      const setup = async (h: Harness) => void (await h.contacts.create({ email: p.email, phone: p.phone }));
      const refusing = provider(address, code);
      const working = provider(null, code);
      const refusingServers = serverPair({ env: { SIGNUP: 'closed' }, sender: refusing.sender });
      const refused = await compare(refusingServers, setup, p, steps);
      const worked = await compare(serverPair({ env: { SIGNUP: 'closed' }, sender: working.sender }), setup, p, steps);

      assert.deepEqual(story(refused.known), ['202', ...Array(2).fill('401 wrong_code'), '202', '401 wrong_code', '202', '401 wrong_code', '202', ...Array(5).fill('401 wrong_code')]);
      assert.deepEqual(refused.known, worked.known);
      assert.deepEqual(refused.known, refused.unknown, 'and as for a stranger');
      // The refusal did happen and became an opt-out, so only the code by the other channel went out.
      assert.equal((await refusingServers.known.optOuts.get(address))?.optedOut, true);
      assert.deepEqual(refusing.taken.map((m) => m.to), [other]);
      assert.deepEqual(working.taken.map((m) => m.to), [address, address, other, address]);
    });
  }
});

// R3 / SECURITY-PLAN 18, 19 (issue 12, item 9): to someone holding no code, nothing in a code
// request or a verify may depend on what other requests did. Two servers know the same contact;
// at one, the contact has just been busy signing in; at the other, nobody has. A stranger then
// probes the contact's identifier at both, at the same instants: every answer must be the same.
describe('9: another person\'s recent activity never shows in the answers to someone holding no code', () => {
  const contact = { email: 'jo@example.com', phone: '+14155550123' };
  const CONTACT_IP = '198.51.100.10';
  const STRANGER_IP = '203.0.113.66';
  const signInWithTheCode = (id: Id, to: string): Step => async (h, ip) => h.post('/api/codes/verify', { ...id, code: await h.latestCode(to) }, { ip });

  const activities: Array<{ name: string; steps: (id: Id, to: string) => Step[] }> = [
    { name: 'asked for a code 10 seconds ago', steps: (id) => [ask(id), wait(10_000)] },
    { name: 'signed in 30 seconds ago', steps: (id, to) => [ask(id), signInWithTheCode(id, to), wait(30_000)] },
    { name: 'is mid sign-in after two typos', steps: (id) => [ask(id), guess(id), guess(id), wait(5_000)] },
    { name: 'asked for five codes this hour', steps: (id) => Array.from({ length: 5 }, () => [ask(id), wait(31_000)]).flat() },
    { name: 'asked for a code with their other identifier', steps: (id) => [ask('email' in id ? { phone: contact.phone } : { email: contact.email }), wait(5_000)] },
  ];
  const probes: Array<{ name: string; steps: (id: Id) => Step[] }> = [
    { name: 'a code request, two guesses, a second request and a guess', steps: (id) => [ask(id), guess(id), guess(id), wait(31_000), ask(id), guess(id)] },
    { name: 'guesses with no code asked for', steps: (id) => times(6, guess(id)) },
    { name: 'a code request by the other channel and a resend at once', steps: (id) => [ask(id, { channel: otherChannel(id) }), ask(id)] },
  ];

  for (const signup of ['closed', 'open'] as const) {
    for (const kind of ['email', 'phone'] as const) {
      for (const activity of activities) {
        test(`9: SIGNUP=${signup}, the contact ${activity.name} (${kind}): a stranger's probes answer byte for byte as if nobody had`, async () => {
          const id: Id = kind === 'email' ? { email: contact.email } : { phone: contact.phone };
          const to = kind === 'email' ? contact.email : contact.phone;
          for (const probe of probes) {
            const { known: busy, unknown: quiet } = serverPair({ env: { SIGNUP: signup } });
            for (const h of [busy, quiet]) await h.contacts.create(contact);
            await play(busy, activity.steps(id, to), CONTACT_IP);
            // The quiet server lives through the same time, with nobody asking for anything.
            quiet.clock.advance(busy.clock.now() - quiet.clock.now());
            const seenAtBusy = await play(busy, probe.steps(id), STRANGER_IP);
            const seenAtQuiet = await play(quiet, probe.steps(id), STRANGER_IP);
            assert.deepEqual(seenAtBusy, seenAtQuiet, probe.name);
          }
        });
      }
    }
  }
});

describe('9: under open signup, why nothing was sent never names a cause only a contact can have', () => {
  for (const [channel, address, plain] of [['email', 'jo@example.com', 'unsubscribe'], ['sms', '+14155550123', 'provider_suppressed']] as const) {
    test(`9: an admin's ${channel} opt-out of a contact answers as the plain ${plain} of an address nobody registered`, async () => {
      const { known, unknown } = serverPair({ env: { SIGNUP: 'open' } });
      const id: Id = channel === 'email' ? { email: address } : { phone: address };
      await known.contacts.create(id);
      await known.optOuts.set({ address, channel, optedOut: true, source: 'admin', detail: 'asked on the phone', at: known.clock.now() });
      await unknown.optOuts.set({ address, channel, optedOut: true, source: plain, detail: null, at: unknown.clock.now() });
      const [atKnown] = await play(known, [ask(id)], '198.51.100.20');
      const [atUnknown] = await play(unknown, [ask(id)], '198.51.100.20');
      assert.equal(JSON.parse(atKnown!.body).notSent.reason, plain);
      assert.deepEqual(atKnown, atUnknown);
    });
  }
});

describe('20: a code request never waits for the code log, which only codes that go out have', () => {
  /** A harness on SQLite whose code log writes an entry only when the test lets it. */
  function withHeldCodeLog(random: Random = cryptoRandom) {
    const clock = manualClock();
    const storage = createSqliteStorage(openDatabase(':memory:'), clock, random);
    const held: Array<() => void> = [];
    const codeLog = { ...storage.codeLog, issued: async (code: IssuedCode) => {
      await new Promise<void>((resolve) => held.push(resolve));
      await storage.codeLog.issued(code);
    } };
    const h = createHarness({ env: { SIGNUP: 'closed' }, random, engine: { storage: { ...storage, codeLog }, clock } });
    return { h, held, release: () => held.splice(0).forEach((go) => go()) };
  }
  // On PostgreSQL the entry is a transaction of its own (four round trips) that an unknown address
  // has none of: a registered address's answer that waited for it came ~0.5 ms later, ~10 ms at 16
  // requests at once, past the answer floor (`npm run bench`, part 1 on PostgreSQL).

  test('a registered address is answered while its code log entry is still being written; its code goes out only after the entry', async () => {
    const { h, held, release } = withHeldCodeLog();
    const jo = await h.contacts.create({ email: 'jo@example.com' });
    const answer = await Promise.race([h.post('/api/codes', { email: 'jo@example.com' }), new Promise<'waited'>((done) => setTimeout(done, 2000, 'waited'))]);
    assert.notEqual(answer, 'waited', 'the answer did not wait for the code log');
    assert.equal((answer as Response).status, 202);
    assert.equal(held.length, 1, 'the entry was started');
    await new Promise((done) => setTimeout(done, 20));
    assert.deepEqual(h.outbox.list('jo@example.com'), [], 'no code goes out before its entry is written');
    release();
    await h.queue.idle();
    assert.equal(h.outbox.list('jo@example.com').length, 1);
    assert.deepEqual((await h.storage.codeLog.ofContact(jo.id)).map((e) => [e.number, e.outcome]), [[1, 'pending']]);
  });

  test('a code verified (or burned) before its entry is written still settles that entry', async () => {
    const { h, held, release } = withHeldCodeLog(scriptedRandom(111111, 222222));
    const jo = await h.contacts.create({ email: 'jo@example.com' });
    await h.post('/api/codes', { email: 'jo@example.com' });
    const verified = h.post('/api/codes/verify', { email: 'jo@example.com', code: '111111' });
    await new Promise((done) => setTimeout(done, 20));
    release();
    assert.equal((await verified).status, 200);
    h.clock.advance(31_000);
    await h.post('/api/codes', { email: 'jo@example.com' });
    const burned = Promise.all(Array.from({ length: 5 }, () => h.post('/api/codes/verify', { email: 'jo@example.com', code: WRONG })));
    while (!held.length) await new Promise((done) => setTimeout(done, 1));
    release();
    await burned;
    await h.queue.idle();
    assert.deepEqual((await h.storage.codeLog.ofContact(jo.id)).map((e) => [e.number, e.outcome]), [[2, 'burned'], [1, 'verified']]);
  });
});
