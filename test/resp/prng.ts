/**
 * Seeded pseudo-random numbers for tests that split or mutate input (no Math.random, so a
 * failure reproduces from its printed seed).
 */

/** A small, fast, seedable generator (mulberry32). */
export class Prng {
  private state: number;

  /** @param seed Any 32-bit integer. */
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

/** Cuts `data` into random chunks (sizes skewed small, sometimes large); views, no copies. */
export function randomChunks(data: Uint8Array, rng: Prng): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  const big = Math.max(2, Math.ceil(data.length / 3));
  let pos = 0;
  while (pos < data.length) {
    const max = rng.next() < 0.7 ? 16 : big;
    const n = Math.min(data.length - pos, rng.range(1, max));
    chunks.push(data.subarray(pos, pos + n));
    pos += n;
  }
  return chunks;
}
