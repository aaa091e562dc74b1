import type Database from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import type { Contact } from '../contacts.ts';
import type { Device } from '../devices.ts';

type Found = { device: Device; contact: Contact };

/** How many remembered browsers are answered from memory: ~1 KB each, well inside the 128 MB heap. */
export const DEVICE_CACHE_SIZE = 10_000;
/** How soon a change written by another process on the same file is seen (this one's at once). */
export const OTHERS_SEEN_WITHIN_MS = 1;

/** Who hears of each contact's change on a connection: every cache over it (tests open two). */
const listeners = new WeakMap<Database.Database, Set<(contactId: string) => void>>();

/** Calls `listener` with the contact of each row of `devices` or `contacts` this connection changes. */
function onChange(db: Database.Database, listener: (contactId: string) => void) {
  let heard = listeners.get(db);
  if (!heard) {
    listeners.set(db, (heard = new Set()));
    const all = heard;
    // A name of our own; TEMP triggers belong to this connection, so no other process calls it.
    db.function('otp_device_cache_drop', { deterministic: false, varargs: false }, (contactId: unknown) => {
      if (typeof contactId === 'string') for (const each of all) each(contactId);
      return null;
    });
    db.exec(`
      CREATE TEMP TRIGGER IF NOT EXISTS otp_device_cache_devices_update AFTER UPDATE ON main.devices
        BEGIN SELECT otp_device_cache_drop(OLD.contact_id); SELECT otp_device_cache_drop(NEW.contact_id); END;
      CREATE TEMP TRIGGER IF NOT EXISTS otp_device_cache_devices_delete AFTER DELETE ON main.devices
        BEGIN SELECT otp_device_cache_drop(OLD.contact_id); END;
      CREATE TEMP TRIGGER IF NOT EXISTS otp_device_cache_contacts_update AFTER UPDATE ON main.contacts
        BEGIN SELECT otp_device_cache_drop(OLD.id); END;
      CREATE TEMP TRIGGER IF NOT EXISTS otp_device_cache_contacts_delete AFTER DELETE ON main.contacts
        BEGIN SELECT otp_device_cache_drop(OLD.id); END;
    `);
  }
  heard.add(listener);
}

/**
 * The remembered browsers last found, so a page load's session check (GET /api/session) need not
 * read the database each time. Correct at once (SPEC R9), never "within a few seconds":
 * - a change made through this connection, by any store (a revoke, a sign-out, a deactivation, an
 *   edit, a purge), drops the entries of that contact while it is written: temporary triggers on
 *   `devices` and `contacts` call back into this process for each row changed;
 * - a change made by another process on the same file (`npm run rotate-keys`, a second instance
 *   on one file) moves SQLite's `PRAGMA data_version`, read before a lookup at most once a
 *   millisecond: everything is dropped;
 * - nothing is kept while a transaction is open, whose writes could still be rolled back.
 * Only devices that exist are kept (a made-up cookie cannot fill it); the caller still checks
 * expiry, sign-out and revocation against the clock on every lookup.
 */
export function sqliteDeviceCache(db: Database.Database, { max = DEVICE_CACHE_SIZE } = {}) {
  const byContact = new Map<string, Set<string>>();
  const cache = new LRUCache<string, Found>({
    max,
    dispose: (found, hash) => {
      const hashes = byContact.get(found.contact.id);
      hashes?.delete(hash);
      if (hashes?.size === 0) byContact.delete(found.contact.id);
    },
  });
  const changed = (contactId: string) => {
    for (const hash of byContact.get(contactId) ?? []) cache.delete(hash);
  };
  onChange(db, changed);
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  let seen = dataVersion.get() as number;
  let askedAt = performance.now();
  // Asking takes SQLite's read lock (two system calls, a twentieth of a session check's time), so
  // it is asked at most once a millisecond: another process's change is seen within 1 ms.
  const othersWrote = () => {
    const at = performance.now();
    if (at - askedAt < OTHERS_SEEN_WITHIN_MS) return false;
    askedAt = at;
    const now = dataVersion.get() as number;
    if (now === seen) return false;
    seen = now;
    return true;
  };

  return {
    /** The device of `hash`, from memory when nothing changed it since, else from `read`. */
    find(hash: string, read: () => Found | undefined): Found | undefined {
      if (othersWrote()) cache.clear();
      const kept = cache.get(hash);
      if (kept) return kept;
      const found = read();
      if (!found || db.inTransaction) return found;
      Object.freeze(found.device);
      Object.freeze(found.contact);
      cache.set(hash, found);
      let hashes = byContact.get(found.contact.id);
      if (!hashes) byContact.set(found.contact.id, (hashes = new Set()));
      hashes.add(hash);
      return found;
    },
  };
}
