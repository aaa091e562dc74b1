import type { manualClock } from '../../server/clock.ts';
import type { Storage } from '../../server/store/index.ts';

/**
 * One engine under test: a fresh, empty Storage and the manual clock it reads. `again` opens a
 * second Storage on the same data, as a second server process would (absent for an engine held
 * in one process's memory); the contracts use it for what must hold between processes.
 */
export interface EngineUnderTest {
  storage: Storage;
  clock: ReturnType<typeof manualClock>;
  again?: () => Promise<Storage>;
  /** How soon `again`'s storage sees a change made through `storage` (0, or absent: at once). */
  othersSeeWithinMs?: number;
}

/** Makes a fresh engine for each test; the suite closes what it made. */
export type MakeEngine = () => Promise<EngineUnderTest>;

/** A contact to hang records on (devices, deliveries, links need one). */
export const someone = (storage: Storage, email = 'jo@example.com') => storage.contacts.create({ email });
