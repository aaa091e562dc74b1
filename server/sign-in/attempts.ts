import type { Clock } from '../clock.ts';
import { DAY } from '../clock.ts';
import type { Contact, ContactStore } from '../contacts/contacts.ts';
import type { Channel, Identifier } from '../identifiers.ts';
import type { Logger } from '../log.ts';
import type { AttemptBlock, SignInAttemptLog } from '../store/sign-in-attempts.ts';
import type { AttemptLimit } from '../../api/admin.ts';

/** How long a blocked attempt is kept for the admin. */
export const ATTEMPTS_KEPT_MS = 30 * DAY;

/**
 * Why a code request sent nothing, as sign-in.ts knew it. `contact` is the contact it looked up
 * (null: none); absent when the request was refused before any lookup (a limit), so the recorder
 * looks it up itself, off the answer's path.
 */
export type Blocked = { block: AttemptBlock; detail?: string | null; contact?: Contact | null };

/** Refusals decided before the request counted against its network: recorded for contacts only (below). */
const BEFORE_NETWORK_LIMIT = new Set<string | null | undefined>(['locked', 'resend_wait', 'network', 'sms_budget'] satisfies AttemptLimit[]);

/**
 * Records the code requests that went nowhere, for the admin (store/sign-in-attempts.ts), after
 * the answer: `note` is called for every request, blocked or not, and does its work on a later
 * turn of the event loop, so nothing it reads or writes is on any answer's path (R3), and a
 * storage that fails here costs no answer. Addresses are kept only as `addressKey`'s keyed digest.
 *
 * An address that is no contact is recorded only once the request counted against its network's
 * limit: a flood of made-up addresses from one network then stops adding records with its answers.
 */
export function createAttemptRecorder({ store, contacts, addressKey, clock, log }: {
  store: SignInAttemptLog;
  contacts: Pick<ContactStore, 'findByIdentifier'>;
  /** The keyed digest of an address (HMAC under SECRET). */
  addressKey: (address: string) => string;
  clock: Clock;
  log: Logger;
}) {
  const pending = new Set<Promise<void>>();

  async function record(identifier: Identifier, channel: Channel, blocked: Blocked, at: number) {
    const contact = blocked.contact !== undefined ? blocked.contact : ((await contacts.findByIdentifier(identifier)) ?? null);
    if (!contact && BEFORE_NETWORK_LIMIT.has(blocked.detail)) return;
    await store.blocked({
      addressKey: addressKey(identifier.value),
      contactId: contact?.id ?? null,
      channel,
      block: blocked.block,
      detail: blocked.detail ?? null,
      at,
      keepUntil: at + ATTEMPTS_KEPT_MS,
    });
  }

  return {
    /** One code request ended; `blocked` null when it sent its code. Returns at once. */
    note(identifier: Identifier, channel: Channel, blocked: Blocked | null) {
      // Called after the answer is written (R3), so skipping a code that went out shows nowhere.
      if (!blocked) return;
      const at = clock.now();
      const done: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => record(identifier, channel, blocked, at))
        .catch((error: unknown) => log.warn(`A blocked sign-in attempt could not be recorded: ${(error as Error).message}`))
        .finally(() => pending.delete(done));
      pending.add(done);
    },
    /** Resolves once every attempt noted so far is recorded (for tests, and a graceful stop). */
    async idle() {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}

export type AttemptRecorder = ReturnType<typeof createAttemptRecorder>;
