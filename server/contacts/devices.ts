import type { TokenHasher } from './token-hash.ts';
import type { Clock } from '../clock.ts';
import type { Random } from '../random.ts';
import type { Contact } from './contacts.ts';
import type { Device, DeviceStore } from '../store/devices.ts';

// Devices are kept behind the DeviceStore interface (store/devices.ts).
export type { Device, DeviceStore, RevokedReason } from '../store/devices.ts';

/** Why a browser has no session: SPEC's closed list of reasons. */
export type NoSessionReason = 'no_cookie' | 'unknown_device' | 'expired' | 'revoked' | 'signed_out' | 'deactivated';

export type SessionCheck =
  | { signedIn: true; contact: Contact; device: Device; refreshed: boolean }
  | { signedIn: false; reason: NoSessionReason; device?: Device };

const SESSION_ONLY_MS = 24 * 60 * 60 * 1000;

/** Remembers browsers: creates devices at sign-in and recognises them on later visits. */
export function createDeviceService({ devices, hashes, clock, random, ttlMs, touchIntervalMs }: {
  devices: DeviceStore;
  hashes: TokenHasher;
  clock: Clock;
  random: Random;
  ttlMs: number;
  touchIntervalMs: number;
}) {
  /** The device of this token, moved to the current key if it was stored under an older one. */
  async function find(token: string) {
    const current = hashes.digest(token);
    const found = await devices.findByTokenHash(current);
    if (found) return found;
    for (const older of hashes.older(token)) {
      const old = await devices.findByTokenHash(older);
      if (!old) continue;
      await devices.rehash(old.device.id, current);
      return { ...old, device: { ...old.device, tokenHash: current } };
    }
    return undefined;
  }

  return {
    /** A new device and its token (256 random bits) for the cookie. */
    async remember(contact: Contact, userAgent: string, { sessionOnly = false } = {}) {
      const now = clock.now();
      const token = random.bytes(32).toString('base64url');
      const device: Device = {
        id: random.bytes(12).toString('base64url'),
        contactId: contact.id,
        tokenHash: hashes.digest(token),
        userAgent: userAgent.slice(0, 512),
        createdAt: now,
        lastSeenAt: now,
        expiresAt: now + (sessionOnly ? SESSION_ONLY_MS : ttlMs),
        signedOutAt: null,
        revokedAt: null,
        revokedReason: null,
        sessionOnly,
      };
      await devices.create(device);
      return { device, token };
    },

    /**
     * Who this token belongs to, or the precise reason it no longer works. A recognised browser's
     * expiry slides forward, at most once per `touchIntervalMs` (`refreshed` says the cookie must
     * be sent again with the new expiry).
     */
    async check(token: string | undefined, { touch = true } = {}): Promise<SessionCheck> {
      if (!token) return { signedIn: false, reason: 'no_cookie' };
      const found = await find(token);
      if (!found) return { signedIn: false, reason: 'unknown_device' };
      const { device, contact } = found;
      const now = clock.now();
      if (device.signedOutAt !== null) return { signedIn: false, reason: 'signed_out', device };
      // Deactivating revokes every browser too (R9), but while it lasts only "deactivated" tells
      // the person what is true: a new code would not help, the site's team must turn it back on.
      // Once activated again, the revoked browser answers "revoked": a new code is needed.
      if (contact.status !== 'active') return { signedIn: false, reason: 'deactivated', device };
      if (device.revokedAt !== null) return { signedIn: false, reason: 'revoked', device };
      if (now >= device.expiresAt) return { signedIn: false, reason: 'expired', device };
      // A session-only device never slides: it ends with the browser session, or after a day.
      if (!touch || device.sessionOnly || now - device.lastSeenAt < touchIntervalMs) return { signedIn: true, contact, device, refreshed: false };
      const touched = { ...device, lastSeenAt: now, expiresAt: now + ttlMs };
      await devices.touch(device.id, touched.lastSeenAt, touched.expiresAt);
      return { signedIn: true, contact, device: touched, refreshed: true };
    },

    /** Ends this browser's session; the device stays on record for the admin's card. */
    async signOut(device: Device) {
      await devices.signOut(device.id, clock.now());
    },
  };
}

export type DeviceService = ReturnType<typeof createDeviceService>;

/**
 * The session part of API answers (SPEC: `"device":{"id","expiresAt"}`), plus `sessionOnly: true`
 * for "Don't remember this browser" only, so other answers keep SPEC's exact shape.
 */
export const publicDevice = ({ id, expiresAt, sessionOnly }: Device) => ({
  id,
  expiresAt: new Date(expiresAt).toISOString(),
  ...(sessionOnly && { sessionOnly: true }),
});
