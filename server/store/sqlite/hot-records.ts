import { createHash } from 'node:crypto';
import type { ActiveCode, SubjectCodes, Tombstone } from '../codes.ts';

/**
 * The hot tables' rows in a compact binary form. A flood writes one code record and one row of
 * limit hits per address it tries, and keeps them a day: as JSON under the typed address, they
 * took ~780 bytes a request (bench/results/flood-1m-batched-purge.md). Here a row is keyed by a
 * 16-byte digest of its key, digests are stored as bytes, not hex, and times as 6-byte integers.
 * The types the rest of the server sees (SubjectCodes, a limit's hit times) do not change.
 */

/**
 * The row key for a store key (an identifier, an address, an asker): the first 16 bytes of its
 * SHA-256. Two keys share a row only by a chance of about one in 2^64 for a billion keys; the key
 * text itself (an email address, a phone number) is not kept in the hot tables.
 */
export const rowKey = (key: string): Buffer => createHash('sha256').update(key).digest().subarray(0, 16);

// --- Code records: SubjectCodes ---

const FORMAT = 1;
const CHANNELS = ['email', 'sms'] as const;
const FATES: ReadonlyArray<Tombstone['fate']> = ['superseded', 'expired', 'used', 'burned', 'undelivered'];
const HAS = { order: 1, reason: 2, sentTo: 4, supersededBy: 8 } as const;
const DIGEST = /^[0-9a-f]{64}$/;

/** Grows as it is written; a record is a few dozen bytes, a full history of ten codes under a kilobyte. */
class Writer {
  private buffer = Buffer.alloc(256);
  private at = 0;
  private room(n: number) {
    if (this.at + n <= this.buffer.length) return;
    const bigger = Buffer.alloc(Math.max(this.buffer.length * 2, this.at + n));
    this.buffer.copy(bigger, 0, 0, this.at);
    this.buffer = bigger;
  }
  u8(v: number) {
    this.room(1);
    this.at = this.buffer.writeUInt8(v, this.at);
  }
  u16(v: number) {
    this.room(2);
    this.at = this.buffer.writeUInt16BE(v, this.at);
  }
  u32(v: number) {
    this.room(4);
    this.at = this.buffer.writeUInt32BE(v, this.at);
  }
  /** A time in epoch milliseconds (to the year 10889). */
  time(v: number) {
    this.room(6);
    this.at = this.buffer.writeUIntBE(v, this.at, 6);
  }
  /** A whole number up to 2^53 (a code's order, in microseconds). */
  f64(v: number) {
    this.room(8);
    this.at = this.buffer.writeDoubleBE(v, this.at);
  }
  /** A SHA-256 digest, or 32 random bytes, given in hex. */
  digest(hex: string) {
    if (!DIGEST.test(hex)) throw new Error('A code record holds 32-byte digests in lower-case hex only.');
    this.room(32);
    this.at += this.buffer.write(hex, this.at, 'hex');
  }
  text(v: string) {
    const bytes = Buffer.from(v, 'utf8');
    if (bytes.length > 255) throw new Error('A code record holds texts of 255 bytes at most.');
    this.u8(bytes.length);
    this.room(bytes.length);
    this.at += bytes.copy(this.buffer, this.at);
  }
  done(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.at));
  }
}

class Reader {
  private at = 0;
  constructor(private readonly buffer: Buffer) {}
  u8() {
    return this.buffer.readUInt8(this.at++);
  }
  u16() {
    const v = this.buffer.readUInt16BE(this.at);
    this.at += 2;
    return v;
  }
  u32() {
    const v = this.buffer.readUInt32BE(this.at);
    this.at += 4;
    return v;
  }
  time() {
    const v = this.buffer.readUIntBE(this.at, 6);
    this.at += 6;
    return v;
  }
  f64() {
    const v = this.buffer.readDoubleBE(this.at);
    this.at += 8;
    return v;
  }
  digest() {
    const v = this.buffer.toString('hex', this.at, this.at + 32);
    this.at += 32;
    return v;
  }
  text() {
    const n = this.u8();
    const v = this.buffer.toString('utf8', this.at, this.at + n);
    this.at += n;
    return v;
  }
  get ended() {
    return this.at >= this.buffer.length;
  }
}

type StoredCode = Omit<ActiveCode, 'supersededBy'> & { supersededBy?: ActiveCode['supersededBy']; fate?: Tombstone['fate'] };

function writeCode(w: Writer, code: StoredCode) {
  const flags = (code.order !== undefined ? HAS.order : 0) | (code.reason !== undefined ? HAS.reason : 0) | (code.sentTo !== undefined ? HAS.sentTo : 0) | (code.supersededBy ? HAS.supersededBy : 0);
  w.u8(flags);
  w.u32(code.number);
  w.digest(code.digest);
  w.u8(CHANNELS.indexOf(code.channel));
  w.time(code.sentAt);
  w.time(code.expiresAt);
  w.u16(code.attempts);
  if (code.order !== undefined) w.f64(code.order);
  if (code.reason !== undefined) w.text(code.reason);
  if (code.sentTo !== undefined) w.digest(code.sentTo);
  if (code.supersededBy) {
    w.u32(code.supersededBy.number);
    w.time(code.supersededBy.sentAt);
  }
}

function readCode(r: Reader): ActiveCode {
  const flags = r.u8();
  const code: ActiveCode = { number: r.u32(), digest: r.digest(), channel: CHANNELS[r.u8()]!, sentAt: r.time(), expiresAt: r.time(), attempts: r.u16() };
  if (flags & HAS.order) code.order = r.f64();
  if (flags & HAS.reason) code.reason = r.text();
  if (flags & HAS.sentTo) code.sentTo = r.digest();
  if (flags & HAS.supersededBy) code.supersededBy = { number: r.u32(), sentAt: r.time() };
  return code;
}

/** SubjectCodes as bytes: a format byte, the last number, the waiting code if any, then the tombstones. */
export function encodeCodes(codes: SubjectCodes): Buffer {
  const w = new Writer();
  w.u8(FORMAT);
  w.u32(codes.lastNumber);
  w.u8(codes.active ? 1 : 0);
  if (codes.active) writeCode(w, codes.active);
  w.u8(codes.tombstones.length);
  for (const t of codes.tombstones) {
    writeCode(w, t);
    w.u8(FATES.indexOf(t.fate));
  }
  return w.done();
}

export function decodeCodes(bytes: Buffer): SubjectCodes {
  const r = new Reader(bytes);
  const format = r.u8();
  if (format !== FORMAT) throw new Error(`A code record in an unknown format (${format}).`);
  const lastNumber = r.u32();
  const active = r.u8() ? readCode(r) : null;
  const tombstones: Tombstone[] = [];
  for (let n = r.u8(); n > 0; n--) {
    const { supersededBy: _, ...code } = readCode(r);
    tombstones.push({ ...code, fate: FATES[r.u8()]! });
  }
  return { lastNumber, active, tombstones };
}

// --- Limit hits: every limit's recent hits for one key, in one row ---

/** One limit's hits for a key: when each was (ascending), and when the last stops counting. */
export interface LimitEntry {
  expiresAt: number;
  times: number[];
}

/**
 * A key's hits by limit, the limit named by a 4-byte tag (limitTags): per limit its tag, when its
 * last hit stops counting (so a row can be pruned without knowing the other limits' windows), the
 * number of hits and their times. A code request's three limits on its identifier take 54 bytes.
 */
export function encodeHits(entries: ReadonlyMap<number, LimitEntry>): Buffer {
  const w = new Writer();
  for (const [tag, { expiresAt, times }] of entries) {
    w.u32(tag);
    w.time(expiresAt);
    w.u16(times.length);
    for (const t of times) w.time(t);
  }
  return w.done();
}

export function decodeHits(bytes: Buffer): Map<number, LimitEntry> {
  const r = new Reader(bytes);
  const entries = new Map<number, LimitEntry>();
  while (!r.ended) {
    const tag = r.u32();
    const expiresAt = r.time();
    const times: number[] = [];
    for (let n = r.u16(); n > 0; n--) times.push(r.time());
    entries.set(tag, { expiresAt, times });
  }
  return entries;
}

/**
 * Tags for limit names, each the first 4 bytes of the name's SHA-256. Two names of one server
 * sharing a tag would count together, so that is refused outright rather than risked.
 */
export function limitTags() {
  const tags = new Map<string, number>();
  const names = new Map<number, string>();
  return (name: string): number => {
    let tag = tags.get(name);
    if (tag !== undefined) return tag;
    tag = createHash('sha256').update(name).digest().readUInt32BE(0);
    const other = names.get(tag);
    if (other !== undefined) throw new Error(`The limits "${other}" and "${name}" have the same tag; rename one.`);
    tags.set(name, tag);
    names.set(tag, name);
    return tag;
  };
}
