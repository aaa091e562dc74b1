import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MakeEngine } from './engine.ts';

/** What every engine's IdentityKeyStore must do. The sealing itself is server/identity's, tested there. */
export function identityKeysContract(make: MakeEngine) {
  describe('identity keys', () => {
    const key = (kid: string, createdAt = 0) => ({ kid, sealed: `sealed ${kid}`, createdAt });

    test('keys come newest first, and only the newest `keep` are kept', async () => {
      const { storage } = await make();
      assert.deepEqual(await storage.identityKeys.list(), []);
      for (const kid of ['a', 'b', 'c']) await storage.identityKeys.add(key(kid), { keep: 2 });
      assert.deepEqual(await storage.identityKeys.list(), [key('c'), key('b')]);
      await storage.identityKeys.add(key('d'), { keep: 1 });
      assert.deepEqual(await storage.identityKeys.list(), [key('d')]);
    });

    test('with onlyIfNone, of many first keys added at once exactly one is kept', async () => {
      const { storage, again } = await make();
      const other = again ? await again() : storage;
      await Promise.all(['a', 'b', 'c', 'd'].map((kid, i) => (i % 2 ? other : storage).identityKeys.add(key(kid), { keep: 2, onlyIfNone: true })));
      const kept = await storage.identityKeys.list();
      assert.equal(kept.length, 1);
      assert.deepEqual(await other.identityKeys.list(), kept, 'every instance reads the same key');
      await storage.identityKeys.add(key('e'), { keep: 2, onlyIfNone: true });
      assert.deepEqual(await storage.identityKeys.list(), kept, 'nothing added once a key is there');
    });

    test('reseal replaces the sealed text of the keys named, in place', async () => {
      const { storage } = await make();
      for (const kid of ['a', 'b']) await storage.identityKeys.add(key(kid, 5), { keep: 2 });
      await storage.identityKeys.reseal([{ kid: 'a', sealed: 'sealed again' }, { kid: 'gone', sealed: 'x' }]);
      assert.deepEqual(await storage.identityKeys.list(), [key('b', 5), { kid: 'a', sealed: 'sealed again', createdAt: 5 }]);
    });

    test('a key added by one instance is read by another', async (t) => {
      const { storage, again } = await make();
      if (!again) return t.skip('this engine is one process’s memory');
      await storage.identityKeys.add(key('a'), { keep: 2 });
      assert.deepEqual(await (await again()).identityKeys.list(), [key('a')]);
    });
  });
}
