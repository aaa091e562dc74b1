import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IssuedCode } from '../../server/store/index.ts';
import { someone, type MakeEngine } from './engine.ts';

const MINUTE = 60_000;
const code = (number: number, issuedAt: number, fields: Partial<IssuedCode> = {}): IssuedCode => ({
  subject: 'subject-jo', number, contactId: null, channel: 'email', destination: 'j•@example.com', reason: null, issuedAt, expiresAt: issuedAt + 10 * MINUTE, ...fields,
});

/** What every engine's CodeLog must do. */
export function codeLogContract(make: MakeEngine) {
  describe('the code log', () => {
    test('codes sent before the first sign-in become the contact\'s when it claims them; others\' stay theirs', async () => {
      const { storage, clock } = await make();
      const jo = await someone(storage);
      const ann = await someone(storage, 'ann@example.com');
      await storage.codeLog.issued(code(1, clock.now(), { reason: 'first_visit' }));
      await storage.codeLog.issued(code(1, clock.now(), { subject: 'subject-ann', contactId: ann.id }));
      assert.deepEqual(await storage.codeLog.ofContact(jo.id), []);
      await storage.codeLog.claim('subject-jo', jo.id);
      await storage.codeLog.claim('subject-ann', jo.id);
      assert.deepEqual(await storage.codeLog.ofContact(jo.id), [
        { number: 1, channel: 'email', destination: 'j•@example.com', reason: 'first_visit', issuedAt: clock.now(), outcome: 'pending', outcomeAt: null },
      ]);
      assert.equal((await storage.codeLog.ofContact(ann.id)).length, 1, 'a claimed code is not claimed again');
    });

    test('a new code supersedes the open ones before it; settle settles the newest with its number; past expiry reads expired', async () => {
      const { storage, clock } = await make();
      const jo = await someone(storage);
      const t0 = clock.now();
      await storage.codeLog.issued(code(1, t0, { contactId: jo.id }));
      await storage.codeLog.issued(code(2, t0 + MINUTE, { contactId: jo.id }));
      await storage.codeLog.settle('subject-jo', 1, 'verified');
      clock.advance(2 * MINUTE);
      await storage.codeLog.settle('subject-jo', 2, 'verified');
      await storage.codeLog.issued(code(3, t0 + 3 * MINUTE, { contactId: jo.id }));
      clock.advance(20 * MINUTE);
      const read = (await storage.codeLog.ofContact(jo.id)).map((e) => [e.number, e.outcome, e.outcomeAt]);
      assert.deepEqual(read, [
        [3, 'expired', t0 + 13 * MINUTE],
        [2, 'verified', t0 + 2 * MINUTE],
        [1, 'superseded', t0 + MINUTE],
      ]);
    });

    test('the fifth wrong try burns the open code; a burned or settled code is not settled again', async () => {
      const { storage, clock } = await make();
      const jo = await someone(storage);
      await storage.codeLog.issued(code(1, clock.now(), { contactId: jo.id }));
      await storage.codeLog.burnOpen('subject-jo');
      await storage.codeLog.settle('subject-jo', 1, 'verified');
      await storage.codeLog.burnOpen('subject-nobody');
      assert.deepEqual((await storage.codeLog.ofContact(jo.id)).map((e) => e.outcome), ['burned']);
    });

    test('a code number used again a day later is its own entry; settling reaches the newest only', async () => {
      const { storage, clock } = await make();
      const jo = await someone(storage);
      const t0 = clock.now();
      await storage.codeLog.issued(code(1, t0, { contactId: jo.id }));
      clock.advance(25 * 60 * MINUTE);
      await storage.codeLog.issued(code(1, clock.now(), { contactId: jo.id }));
      await storage.codeLog.settle('subject-jo', 1, 'undelivered');
      assert.deepEqual((await storage.codeLog.ofContact(jo.id)).map((e) => e.outcome), ['undelivered', 'expired']);
      assert.equal((await storage.codeLog.ofContact(jo.id, 1)).length, 1, 'the limit holds');
    });
  });
}
