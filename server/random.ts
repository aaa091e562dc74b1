import { randomBytes, randomInt } from 'node:crypto';

/** The randomness the server uses, injected so a test can see what was drawn. Always a CSPRNG. */
export interface Random {
  /** An integer in [0, max). */
  int(max: number): number;
  bytes(n: number): Buffer;
}

export const cryptoRandom: Random = { int: (max) => randomInt(0, max), bytes: (n) => randomBytes(n) };
