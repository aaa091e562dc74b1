import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Random } from '../random.ts';
import type { Channel } from '../identifiers.ts';
import type { ActiveCode, CodeStore, SubjectCodes, Tombstone } from '../store/codes.ts';

/**
 * What a typed code turned out to be. Only a code that matches one of ours gets a precise answer
 * (superseded, expired, burned): its holder is the person it was sent to. A code that matches
 * nothing gets `wrong`, the same whether or not anyone asked for a code lately (R3).
 */
export type VerifyResult =
  | { ok: true; number: number; channel: Channel; sentTo: string | undefined }
  /** `burnedNow`: this miss was the waiting code's last try. */
  | { ok: false; reason: 'wrong'; burnedNow: boolean }
  | { ok: false; reason: 'superseded'; newestSentAt: number; newestNumber: number }
  | { ok: false; reason: 'expired' | 'burned' };

export interface IssuedCode {
  /** The digits, to be put in the message; never stored or logged. */
  code: string;
  number: number;
  sentAt: number;
  order: number;
  expiresAt: number;
}

export interface CodeServiceOptions {
  store: CodeStore;
  secret: Buffer;
  /** SECRET_PREVIOUS during a rotation: codes made under it in the last minutes still work. */
  previousSecret?: Buffer | undefined;
  clock: Clock;
  random: Random;
  ttlMs: number;
  maxAttempts: number;
}

const KEEP_TOMBSTONES = 10;

/** The answer to an earlier code: which code is the newest, by its number and time. */
const newest = (code: { number: number; sentAt: number }): VerifyResult => ({ ok: false, reason: 'superseded', newestSentAt: code.sentAt, newestNumber: code.number });

/** Issues and checks one-time codes: newest-only (R1), short-lived and hashed (R2). */
export function createCodeService({ store, secret, previousSecret, clock, random, ttlMs, maxAttempts }: CodeServiceOptions) {
  // Binding the digest to the subject and the code's number means a code only ever fits the
  // challenge it was made for, and a leaked digest cannot be tried against another one.
  const digestOf = (subject: string, number: number, code: string, key = secret) =>
    createHmac('sha256', key).update(`${subject}\n${number}\n${code}`).digest('hex');

  const addressDigest = (address: string, key = secret) => createHmac('sha256', key).update(`sent-to\n${address}`).digest('hex');

  const keys = previousSecret ? [secret, previousSecret] : [secret];
  const matches = (subject: string, code: string, record: { number: number; digest: string }) =>
    keys.some((key) => timingSafeEqual(Buffer.from(digestOf(subject, record.number, code, key), 'hex'), Buffer.from(record.digest, 'hex')));

  const bury = (codes: SubjectCodes, fate: Tombstone['fate']): SubjectCodes => {
    if (!codes.active) return codes;
    const { supersededBy: _, ...code } = codes.active;
    return { ...codes, active: null, tombstones: [{ ...code, fate }, ...codes.tombstones].slice(0, KEEP_TOMBSTONES) };
  };

  const expire = (codes: SubjectCodes, now: number) =>
    codes.active && now >= codes.active.expiresAt ? bury(codes, 'expired') : codes;

  return {
    /**
     * Makes a new code for `subject`, superseding every earlier one on every channel.
     * A decoy (an identifier that must not get a code, R3) goes through the same steps but keeps
     * a random digest that no code can match, so every later answer looks like a real contact's.
     */
    async issue(subject: string, channel: Channel, { decoy = false, reason, sentTo }: { decoy?: boolean; reason?: string | undefined; sentTo?: string | undefined } = {}): Promise<IssuedCode> {
      const code = String(random.int(1_000_000)).padStart(6, '0');
      // Drawn for every code, so a decoy costs exactly what a real code costs (R3).
      const unguessable = random.bytes(32).toString('hex');
      const now = clock.now();
      const order = await store.nextOrder();
      return store.update(subject, (current) => {
        const codes = bury(expire(current ?? { lastNumber: 0, active: null, tombstones: [] }, now), 'superseded');
        const number = codes.lastNumber + 1;
        const digest = digestOf(subject, number, code);
        const active: ActiveCode = {
          number,
          digest: decoy ? unguessable : digest,
          channel,
          sentAt: now,
          order,
          expiresAt: now + ttlMs,
          attempts: 0,
          ...(reason && { reason }),
          ...(!decoy && sentTo && { sentTo: addressDigest(sentTo) }),
        };
        return {
          next: { ...codes, lastNumber: number, active },
          result: { code, number, sentAt: now, order, expiresAt: active.expiresAt },
        };
      });
    },

    /**
     * Makes the waiting code of `subject` stop working because a newer code went to another
     * identifier of the same contact (R1), without any answer showing it: the code is buried and
     * a decoy with the same number, tries and expiry takes its place, so a guesser who knows both
     * identifiers sees exactly what they would see for two strangers (R3). Only a person who types
     * the old code learns that a newer one was sent.
     */
    async supersedeQuietly(subject: string, by: { number: number; sentAt: number; order: number }): Promise<void> {
      const now = clock.now();
      const unguessable = random.bytes(32).toString('hex');
      await store.update(subject, (current) => {
        const codes = current && expire(current, now);
        if (!codes?.active) return { next: codes, result: undefined };
        // Issued after `by` (two requests at once for the email and the phone): that one is newest.
        if ((codes.active.order ?? 0) > by.order) return { next: undefined, result: undefined };
        // Only the number and time: never the digits of the newer code.
        const decoy: ActiveCode = { ...codes.active, digest: unguessable, supersededBy: { number: by.number, sentAt: by.sentAt } };
        return { next: { ...bury(codes, 'superseded'), active: decoy }, result: undefined };
      });
    },

    /**
     * Code `number` surely never arrived: it stops working, and the code it superseded works again
     * if still within its 10 minutes, so a failed send never costs the person the code they have.
     * With none to bring back, a decoy takes its place: to a guesser the identifier answers exactly
     * as one whose code went out, or as an unknown one (R3). Tries carry on either way.
     */
    async revert(subject: string, number: number): Promise<void> {
      const now = clock.now();
      const unguessable = random.bytes(32).toString('hex');
      await store.update(subject, (current) => {
        const active = current?.active;
        // Replaced since (by a newer code, here or on the contact's other identifier): leave it.
        if (!current || active?.number !== number || active.supersededBy) return { next: undefined, result: undefined };
        const codes = bury(current, 'undelivered');
        const [failed, previous, ...rest] = codes.tombstones;
        if (previous?.fate === 'superseded' && now < previous.expiresAt) {
          const { fate: _, ...restored } = previous;
          // Its own tries and those made while the failed code waited (each was checked against it
          // too): a guesser gets no fresh five for every send that fails. Five in all burn it.
          const attempts = restored.attempts + active.attempts;
          if (attempts >= maxAttempts) return { next: { ...codes, tombstones: [{ ...restored, attempts, fate: 'burned' }, failed!, ...rest] }, result: undefined };
          return { next: { ...codes, active: { ...restored, attempts }, tombstones: [failed!, ...rest] }, result: undefined };
        }
        return { next: { ...codes, active: { ...active, digest: unguessable } }, result: undefined };
      });
    },

    /** Whether code `number` is still the one waiting for `subject` (a retry of an old code is pointless). */
    async isCurrent(subject: string, number: number): Promise<boolean> {
      return store.update(subject, (current) => ({ next: undefined, result: current?.active?.number === number && !current.active.supersededBy }));
    },

    /** Whether a verified code went to `address` (its `sentTo`), so it proves that address. */
    wentTo(sentTo: string | undefined, address: string): boolean {
      // Under either key: a code sent just before SECRET was rotated proves its address too.
      return sentTo !== undefined && keys.some((key) => timingSafeEqual(Buffer.from(addressDigest(address, key), 'hex'), Buffer.from(sentTo, 'hex')));
    },

    /**
     * Checks a code; a success uses it up, and any other code counts as a try against the code
     * waiting. An earlier code is told apart only by matching it: to anyone who holds no code,
     * the answer depends on nothing that other requests did (R3).
     */
    async verify(subject: string, code: string): Promise<VerifyResult> {
      const now = clock.now();
      return store.update<VerifyResult>(subject, (current) => {
        if (!current) return { next: undefined, result: { ok: false, reason: 'wrong', burnedNow: false } };
        const codes = expire(current, now);
        const { active } = codes;

        if (active && matches(subject, code, active)) {
          return { next: bury(codes, 'used'), result: { ok: true, number: active.number, channel: active.channel, sentTo: active.sentTo } };
        }
        const earlier = codes.tombstones.find((t) => matches(subject, code, t));
        // No code waiting: a holder of one of ours hears the newest code's fate when that says why
        // (expired, tried too often); either way what helps is a new code.
        if (!active) {
          const fate = earlier ? codes.tombstones[0]!.fate : undefined;
          const result: VerifyResult = fate === 'expired' || fate === 'burned' ? { ok: false, reason: fate } : { ok: false, reason: 'wrong', burnedNow: false };
          return { next: codes, result };
        }

        // Every miss counts, an old code included: the five tries bound guessing, whatever is typed.
        const attempts = active.attempts + 1;
        // The fifth miss burns the code, whatever was typed.
        if (attempts >= maxAttempts) return { next: bury(codes, 'burned'), result: { ok: false, reason: 'wrong', burnedNow: true } };
        const next = { ...codes, active: { ...active, attempts } };
        const result: VerifyResult = earlier ? newest(active.supersededBy ?? active) : { ok: false, reason: 'wrong', burnedNow: false };
        return { next, result };
      });
    },
  };
}

export type CodeService = ReturnType<typeof createCodeService>;
