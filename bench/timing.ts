import { setImmediate as nextTurn } from 'node:timers/promises';
import { quantile, sorted } from './stats.ts';

/** One thing to measure; `run(i)` gets a fresh index per call so each call can use its own identifier. */
export interface Variant {
  name: string;
  run: (i: number) => Promise<void>;
}

/**
 * One latency per call, A and B alternating call by call (ABBAABBA…), so drift, GC and a busy
 * neighbour hit both alike. After each call the event loop gets one untimed turn, as it would
 * between requests in a real server: the delivery queue sends there, not inside the next timing.
 * With `lanes` > 1, that many such sequences run at once (indices interleaved), as concurrent
 * clients would: needed when each answer waits out a floor of several milliseconds.
 */
export async function pairedLatencies(
  a: Variant,
  b: Variant,
  { samples, warmup, lanes = 1 }: { samples: number; warmup: number; lanes?: number },
) {
  const ns = { a: [] as number[], b: [] as number[] };
  const lane = async (first: number) => {
    for (let index = first, k = first; index < samples + warmup; index += lanes, k++) {
      // ABBA within each lane (not by the index's parity, which never changes in a lane when
      // `lanes` is even): each call is followed by an A as often as by a B, so work one variant
      // leaves behind (a registered address's delivery, written after the floor) slows both alike.
      const pair = k % 2 === 0 ? ([['a', a], ['b', b]] as const) : ([['b', b], ['a', a]] as const);
      for (const [key, variant] of pair) {
        const start = process.hrtime.bigint();
        await variant.run(index);
        const took = Number(process.hrtime.bigint() - start);
        if (index >= warmup) ns[key].push(took);
        await nextTurn();
      }
    }
  };
  await Promise.all(Array.from({ length: lanes }, (_, first) => lane(first)));
  return ns;
}

export interface BatchResult {
  name: string;
  calls: number;
  totalNs: number;
  /** Time of each round's batch, in round order, for the per-round ratios. */
  roundNs: number[];
}

/**
 * Throughput of several variants in the same process: each round runs a batch of sequential calls
 * of every variant, the order rotating round by round so no variant always goes first or last.
 * The first `warmupRounds` rounds are run the same way and thrown away.
 */
export async function interleavedBatches(
  variants: Variant[],
  { rounds, batch, warmupRounds }: { rounds: number; batch: number; warmupRounds: number },
): Promise<BatchResult[]> {
  const next = variants.map(() => 0);
  const results = variants.map((v) => ({ name: v.name, calls: 0, totalNs: 0, roundNs: [] as number[] }));
  for (let round = -warmupRounds; round < rounds; round++) {
    for (let k = 0; k < variants.length; k++) {
      const which = (k + round + warmupRounds) % variants.length;
      const variant = variants[which]!;
      const start = process.hrtime.bigint();
      for (let j = 0; j < batch; j++) await variant.run(next[which]!++);
      const took = Number(process.hrtime.bigint() - start);
      if (round >= 0) {
        const r = results[which]!;
        r.calls += batch;
        r.totalNs += took;
        r.roundNs.push(took);
      }
    }
  }
  return results;
}

/** How many times the baseline's time `r` takes, round by round: the median and the spread. */
export function timeRatio(r: BatchResult, baseline: BatchResult) {
  const ratios = sorted(r.roundNs.map((ns, i) => ns / baseline.roundNs[i]!));
  return { median: quantile(ratios, 0.5), min: ratios[0]!, max: ratios[ratios.length - 1]! };
}
