import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SmsArea, SmsPause, SmsText } from '../../server/store/index.ts';
import type { MakeEngine } from './engine.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const block = (key: string): SmsArea => ({ area: 'block', key });
const CANADA: SmsArea = { area: 'country', key: 'CA' };
const text = (number: string, blockKey: string, sentAt: number, fields: Partial<SmsText> = {}): SmsText => ({
  number, block: blockKey, country: 'CA', sentAt, keepUntil: sentAt + DAY, ...fields,
});
const pause = (area: SmsArea, since: number, fields: Partial<SmsPause> = {}): SmsPause => ({
  ...area, name: area.key, since, until: since + HOUR, from: since - DAY, texts: 50, used: 2, minPercent: 20, ...fields,
});

/** What every engine's SmsTextLog (the SMS conversion check's evidence) must do. */
export function smsTextsContract(make: MakeEngine) {
  describe('the SMS texts', () => {
    test('a tally counts an area’s settled texts since a time: used ones, and unused ones too old to be used still', async () => {
      const { storage, clock } = await make();
      const t0 = clock.now();
      const log = storage.smsTexts;
      for (let i = 0; i < 4; i++) await log.sent(text(`n${i}`, '+1416555200', t0 + i * MINUTE));
      await log.sent(text('n9', '+1416555300', t0));
      await log.sent(text('us', '+1415555000', t0, { country: 'US' }));
      await log.used('n3', t0 - DAY, t0 + 5 * MINUTE);
      const settledBy = t0 + 2 * MINUTE; // n0..n2 settled; n3 settled only because it was used
      assert.deepEqual(await log.tally(block('+1416555200'), t0 - 1, settledBy), { texts: 4, used: 1, unusedBlocks: 1 });
      assert.deepEqual(await log.tally(CANADA, t0 - 1, settledBy), { texts: 5, used: 1, unusedBlocks: 2 });
      assert.deepEqual(await log.tally(CANADA, t0, settledBy), { texts: 3, used: 1, unusedBlocks: 1 }, 'only texts sent after `from`');
      assert.deepEqual(await log.tally(block('+1416555999'), t0 - 1, settledBy), { texts: 0, used: 0, unusedBlocks: 0 });
    });

    test('a used code marks the newest unused text to its number since a time, once', async () => {
      const { storage, clock } = await make();
      const t0 = clock.now();
      const log = storage.smsTexts;
      await log.sent(text('jo', 'b', t0));
      await log.sent(text('jo', 'b', t0 + MINUTE));
      await log.sent(text('ann', 'b', t0 + MINUTE));
      const usedOf = async () => (await log.tally(block('b'), t0 - 1, t0 - 1)).used;
      await log.used('jo', t0 - 1, t0 + 2 * MINUTE);
      assert.equal(await usedOf(), 1);
      await log.used('jo', t0 + 30_000, t0 + 3 * MINUTE);
      assert.equal(await usedOf(), 1, 'the older text was sent before `since`: nothing more is marked');
      await log.used('jo', t0 - 1, t0 + 3 * MINUTE);
      assert.equal(await usedOf(), 2, 'then the older one');
      await log.used('jo', t0 - 1, t0 + 4 * MINUTE);
      assert.equal(await usedOf(), 2, 'none left unused; ann’s is not touched');
    });

    test('one pause at a time per area: a second start while it holds is refused; lifting answers it once', async () => {
      const { storage, clock } = await make();
      const t0 = clock.now();
      const log = storage.smsTexts;
      const first = pause(block('+1416555200'), t0);
      assert.equal(await log.startPause(first, first.until + DAY), true);
      assert.equal(await log.startPause(pause(block('+1416555200'), t0 + MINUTE), t0 + 2 * DAY), false, 'another process came second');
      assert.equal(await log.startPause(pause(CANADA, t0 + MINUTE), t0 + 2 * DAY), true, 'another area is its own');
      assert.deepEqual(await log.lastPause(block('+1416555200')), { pause: first, lifted: false });
      assert.deepEqual(await log.liftPauses(first.until - 1), []);
      assert.deepEqual(await log.liftPauses(first.until), [first]);
      assert.deepEqual(await log.liftPauses(first.until), [], 'each pause is lifted once');
      assert.deepEqual(await log.lastPause(block('+1416555200')), { pause: first, lifted: true }, 'kept, for when it ended');
      const again = pause(block('+1416555200'), first.until + HOUR, { texts: 60, used: 0 });
      assert.equal(await log.startPause(again, again.until + DAY), true, 'a lifted pause makes way for the next');
      assert.deepEqual(await log.lastPause(block('+1416555200')), { pause: again, lifted: false });
      assert.equal(await log.lastPause(block('+1416555999')), null);
    });

    test('the purge deletes texts and pauses past their keeping, and nothing else', async () => {
      const { storage, clock } = await make();
      const t0 = clock.now();
      const log = storage.smsTexts;
      await log.sent(text('old', 'b', t0));
      await log.sent(text('new', 'b', t0 + HOUR));
      await log.startPause(pause(block('b'), t0), t0 + HOUR + DAY);
      clock.advance(DAY);
      await storage.purge();
      assert.equal((await log.tally(block('b'), 0, t0 + 2 * DAY)).texts, 1, 'the text a day old went');
      assert.notEqual(await log.lastPause(block('b')), null);
      clock.advance(2 * HOUR);
      await storage.purge();
      assert.equal((await log.tally(block('b'), 0, t0 + 2 * DAY)).texts, 0);
      assert.equal(await log.lastPause(block('b')), null);
    });

    test('what one process wrote, another reads: its texts, its pause, and the pause is lifted once for both', async (t) => {
      const { storage, clock, again } = await make();
      if (!again) return t.skip('an engine held in one process');
      const t0 = clock.now();
      await storage.smsTexts.sent(text('jo', 'b', t0));
      const paused = pause(block('b'), t0);
      await storage.smsTexts.startPause(paused, paused.until + DAY);
      const other = await again();
      await other.smsTexts.used('jo', t0 - 1, t0 + MINUTE);
      assert.deepEqual(await storage.smsTexts.tally(block('b'), t0 - 1, t0), { texts: 1, used: 1, unusedBlocks: 0 });
      assert.equal(await other.smsTexts.startPause(pause(block('b'), t0 + MINUTE), t0 + DAY), false);
      assert.deepEqual(await other.smsTexts.liftPauses(paused.until), [paused]);
      assert.deepEqual(await storage.smsTexts.liftPauses(paused.until), []);
    });
  });
}
