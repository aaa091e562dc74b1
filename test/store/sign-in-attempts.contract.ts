import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BlockedAttempt } from '../../server/store/index.ts';
import type { MakeEngine } from './engine.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What every engine's SignInAttemptLog (code requests that sent nothing) must do. */
export function signInAttemptsContract(make: MakeEngine) {
  describe('the blocked sign-in attempts', () => {
    const attempt = (at: number, fields: Partial<BlockedAttempt> = {}): BlockedAttempt => ({
      addressKey: 'k-jo', contactId: null, channel: 'sms', block: 'opted_out', detail: 'stop_reply', at, keepUntil: at + 30 * DAY, ...fields,
    });

    test('tries blocked alike on one day count up in one tally; another block, channel or day is a tally of its own', async () => {
      const { storage, clock } = await make();
      const log = storage.attempts;
      // Noon UTC of the clock's day, so an hour either way stays in it.
      const noon = clock.now() - (clock.now() % DAY) + 12 * HOUR;
      await log.blocked(attempt(noon));
      await log.blocked(attempt(noon - HOUR));
      await log.blocked(attempt(noon + HOUR));
      await log.blocked(attempt(noon + 2 * HOUR, { channel: 'email', block: 'rate_limited', detail: 'network' }));
      await log.blocked(attempt(noon - DAY));
      await log.blocked(attempt(noon, { addressKey: 'k-other', block: 'not_a_contact', detail: null }));
      const tallies = await log.ofAddress('k-jo', noon - 2 * DAY);
      assert.deepEqual(
        tallies.map((t) => [t.channel, t.block, t.detail, t.day, t.tries, t.firstAt, t.lastAt]),
        [
          ['email', 'rate_limited', 'network', noon - 12 * HOUR, 1, noon + 2 * HOUR, noon + 2 * HOUR],
          ['sms', 'opted_out', 'stop_reply', noon - 12 * HOUR, 3, noon - HOUR, noon + HOUR],
          ['sms', 'opted_out', 'stop_reply', noon - 36 * HOUR, 1, noon - DAY, noon - DAY],
        ],
        'newest first, the three tries of the day in one',
      );
      assert.deepEqual((await log.ofAddress('k-other', 0)).map((t) => [t.block, t.detail, t.contactId]), [['not_a_contact', null, null]]);
      assert.deepEqual((await log.ofAddress('k-jo', noon)).length, 2, 'only tallies tried since `since`');
      assert.deepEqual(await log.ofAddress('k-nobody', 0), []);
    });

    test('a contact’s card reads its own tallies and those of its addresses from before it was a contact, never another contact’s', async () => {
      const { storage, clock } = await make();
      const log = storage.attempts;
      const now = clock.now();
      await log.blocked(attempt(now - 3 * HOUR, { addressKey: 'k-jo', block: 'not_a_contact', detail: null }));
      await log.blocked(attempt(now - 2 * HOUR, { addressKey: 'k-jo', contactId: 'c-jo', block: 'deactivated', detail: null }));
      await log.blocked(attempt(now - HOUR, { addressKey: 'k-old', contactId: 'c-jo', block: 'rate_limited', detail: 'locked' }));
      await log.blocked(attempt(now, { addressKey: 'k-shared', contactId: 'c-sam', block: 'deactivated', detail: null }));
      const jo = await log.ofContact('c-jo', ['k-jo', 'k-shared'], now - DAY);
      assert.deepEqual(jo.map((t) => [t.addressKey, t.block]), [['k-old', 'rate_limited'], ['k-jo', 'deactivated'], ['k-jo', 'not_a_contact']]);
      assert.deepEqual((await log.ofContact('c-jo', [], now - DAY)).length, 2, 'no address keys: only its own');
      assert.deepEqual((await log.ofContact('c-jo', ['k-jo'], now - DAY, 1)).length, 1, 'at most `limit`');
    });

    test('a tally is purged once its last try is 30 days old, and not before', async () => {
      const { storage, clock } = await make();
      const t0 = clock.now();
      await storage.attempts.blocked(attempt(t0));
      await storage.attempts.blocked(attempt(t0, { addressKey: 'k-later', at: t0 + DAY, keepUntil: t0 + 31 * DAY }));
      clock.advance(30 * DAY - 1);
      await storage.purge();
      assert.equal((await storage.attempts.ofAddress('k-jo', 0)).length, 1, 'kept for 30 days');
      clock.advance(1);
      await storage.purge();
      assert.deepEqual(await storage.attempts.ofAddress('k-jo', 0), []);
      assert.equal((await storage.attempts.ofAddress('k-later', 0)).length, 1);
      assert.equal((await storage.counts()).sign_in_attempts, 1, 'counted as its own kind');
    });
  });
}
