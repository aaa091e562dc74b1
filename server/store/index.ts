/**
 * The storage seam: every piece of state the server keeps, behind one interface per concern. No
 * feature module imports an engine or runs a query; `compose.ts` takes a `Storage`, and each
 * engine (`sqlite/` now; PostgreSQL and Redis next) builds one. The contract suites in
 * test/store/ say what every engine must do.
 */
import type { CodeStore } from './codes.ts';
import type { CounterStore, LimitStore } from './limits.ts';
import type { AdminStore } from './admin.ts';
import type { CodeLog } from './code-log.ts';
import type { ContactStore } from './contacts.ts';
import type { DeliveryLog, OptOutStore, WebhookEventStore } from './deliveries.ts';
import type { DeviceStore } from './devices.ts';
import type { IdentityKeyStore } from './identity-keys.ts';
import type { LinkStore } from './links.ts';
import type { OutgoingEventStore } from './outgoing-events.ts';
import type { SmsTextLog } from './sms-texts.ts';
import type { SignInAttemptLog } from './sign-in-attempts.ts';

export type { AdminStore, AuditEntry } from './admin.ts';
export type { CodeEvent, CodeLog, CodeOutcome, IssuedCode } from './code-log.ts';
export type { ActiveCode, CodeStore, SubjectCodes, Tombstone } from './codes.ts';
export { ContactExists, type Contact, type ContactStore, type RoleSource } from './contacts.ts';
export type { Delivery, DeliveryChange, DeliveryLog, DeliveryStatus, OptOut, OptOutSource, OptOutStore, WebhookEventStore } from './deliveries.ts';
export type { Device, DeviceStore, RevokedReason } from './devices.ts';
export type { IdentityKeyStore, SealedKey } from './identity-keys.ts';
export type { BackOff, CounterRule, CounterStore, FailureCounter, LimitResult, LimitStore, Limiter } from './limits.ts';
export type { LinkKind, LinkStore, StoredLink } from './links.ts';
export type { ClaimedEvent, OutgoingEvent, OutgoingEventStore, OutgoingEventType } from './outgoing-events.ts';
export type { AttemptBlock, AttemptTally, BlockedAttempt, SignInAttemptLog } from './sign-in-attempts.ts';
export type { SmsArea, SmsPause, SmsTally, SmsText, SmsTextLog } from './sms-texts.ts';

/** Every store the server uses, from one engine. */
export interface Storage {
  contacts: ContactStore;
  devices: DeviceStore;
  deliveries: DeliveryLog;
  optOuts: OptOutStore;
  webhookEvents: WebhookEventStore;
  codeLog: CodeLog;
  links: LinkStore;
  outgoingEvents: OutgoingEventStore;
  /** The admin's list and card queries, and the audit log. */
  admin: AdminStore;
  /** The keys that sign identity tokens, sealed under SECRET. */
  identityKeys: IdentityKeyStore;

  /** The hot state: each identifier's codes (digests only), and the order codes are issued in. */
  codes: CodeStore;
  /** The recent hits of every limit, checked and counted together per request. */
  limits: LimitStore;
  /** Wrong codes in a row, and the waits and locks they lead to. */
  counters: CounterStore;
  /** The SMS conversion check's texts, their codes' use, and its pauses (SECURITY-PLAN 25). */
  smsTexts: SmsTextLog;
  /** Code requests that sent nothing, counted per address and day for the admin, kept 30 days. */
  attempts: SignInAttemptLog;
  /** Deletes what no rule needs any more (expired codes, hits, counts, texts and blocked attempts); answers how many records went. */
  purge(): Promise<number>;

  /**
   * Every record kept, by kind (a table, a key prefix): for tests and diagnostics that must prove
   * what is, or is not, at rest (no code, no token, nothing after a refused request).
   */
  dump(): Promise<Record<string, unknown[]>>;
  /**
   * How many records of each kind `dump()` would give, without reading them (cheap enough to call
   * per request in a test). The identifiers' code records are counted as `codes` in every engine.
   */
  counts(): Promise<Record<string, number>>;
  /** Answers once the engine does (for /readyz); throws StorageUnavailable when it cannot. */
  ping(): Promise<void>;
  /** Lets go of the engine's files or connections. */
  close(): Promise<void>;
}

/**
 * An engine could not answer: its server is down, unreachable or too slow. The request gets a
 * 503 with Retry-After instead of hanging, the log says what is down, and nothing falls back to
 * one process's own state (SPEC R11): a limit counted per process is no limit.
 */
export class StorageUnavailable extends Error {
  constructor(
    readonly engine: string,
    readonly reason: string,
  ) {
    super(`${engine} is unreachable: ${reason}`);
  }
}

/** The waits between tries of `outlastingOutages`: about half a minute in all, a restart's or a failover's length. */
export const OUTAGE_RETRY_MS = [500, 1_000, 2_000, 4_000, 8_000, 15_000];

/**
 * Runs `write`, and again after each wait of OUTAGE_RETRY_MS while the storage is unavailable.
 * For the background work of a request already answered (the message of a 202, its records): a
 * short outage delays it rather than dropping it, and the person still gets the code they were
 * told about. Any other error, or an outage that outlasts the waits, is thrown.
 */
export async function outlastingOutages<T>(write: () => Promise<T>, wait: (ms: number) => Promise<void>): Promise<T> {
  for (let tried = 0; ; tried++) {
    try {
      return await write();
    } catch (error) {
      const ms = OUTAGE_RETRY_MS[tried];
      if (!(error instanceof StorageUnavailable) || ms === undefined) throw error;
      await wait(ms);
    }
  }
}
