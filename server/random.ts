import { randomBytes, randomInt } from 'node:crypto';

/** The randomness the server uses, injected so a test can see what was drawn. Always a CSPRNG. */
export interface Random {
  /** An integer in [0, max). */
  int(max: number): number;
  bytes(n: number): Buffer;
}

export const cryptoRandom: Random = { int: (max) => randomInt(0, max), bytes: (n) => randomBytes(n) };

/** A version 4 UUID drawn from `random` (contact ids). */
export function uuid(random: Random): string {
  const b = random.bytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
