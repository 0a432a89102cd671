/**
 * A small seeded pseudo-random generator, so that a bootstrap with a given seed draws the same
 * resamples, and reports the same interval, on every machine and JavaScript engine
 * (Math.random can be neither seeded nor reproduced).
 */

/** Deterministic source of 32-bit words and unbiased integers below a bound. */
export interface SeededRandom {
  /** Next word of the stream, an integer in [0, 2³²). */
  nextUint32(): number;
  /** Uniform integer in [0, bound), for an integer bound in [1, 2³²]. */
  nextBelow(bound: number): number;
}

const TWO_TO_32 = 2 ** 32;

function checkSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed >= TWO_TO_32) throw new Error(`seed must be an integer in [0, 2^32), got ${seed}`);
}

const rotateLeft = (x: number, k: number) => (x << k) | (x >>> (32 - k));

/**
 * xoshiro128** pseudo-random generator, seeded through SplitMix32.
 *
 * Parameters
 * ----------
 * seed : number
 *     Integer in [0, 2³²). Equal seeds give equal streams everywhere: every step is 32-bit
 *     integer arithmetic (Math.imul, shifts), with no floating point involved.
 *
 * Returns
 * -------
 * A SeededRandom. `nextBelow` draws by rejection (words at or above the largest multiple of
 * the bound below 2³² are drawn again), so every integer in [0, bound) is exactly equally likely.
 *
 * Notes
 * -----
 * The 128-bit state is filled with four outputs of SplitMix32 (a Weyl sequence with step
 * 0x9e3779b9 passed through the MurmurHash3 fmix32 finalizer), which turns any seed, 0 included,
 * into a well-mixed non-zero state. Period 2¹²⁸ − 1: a bootstrap draws a few million words.
 *
 * References
 * ----------
 * D. Blackman and S. Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS 47 (2021) 36,
 * reference code xoshiro128starstar.c (prng.di.unimi.it); G. Steele, D. Lea and C. Flood,
 * "Fast splittable pseudorandom number generators", OOPSLA 2014 (SplitMix); A. Appleby, MurmurHash3 fmix32.
 */
export function xoshiro128StarStar(seed: number): SeededRandom {
  checkSeed(seed);
  let weyl = seed;
  const splitMix32 = (): number => {
    weyl = (weyl + 0x9e3779b9) | 0;
    let z = weyl;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) | 0;
  };
  const state = Int32Array.from({ length: 4 }, splitMix32);

  const nextUint32 = (): number => {
    const result = Math.imul(rotateLeft(Math.imul(state[1], 5), 7), 9);
    const shifted = state[1] << 9;
    state[2] ^= state[0];
    state[3] ^= state[1];
    state[1] ^= state[2];
    state[0] ^= state[3];
    state[2] ^= shifted;
    state[3] = rotateLeft(state[3], 11);
    return result >>> 0;
  };

  const nextBelow = (bound: number): number => {
    if (!Number.isInteger(bound) || bound < 1 || bound > TWO_TO_32) throw new Error(`bound must be an integer in [1, 2^32], got ${bound}`);
    const limit = TWO_TO_32 - (TWO_TO_32 % bound);
    let word = nextUint32();
    while (word >= limit) word = nextUint32();
    return word % bound;
  };

  return { nextUint32, nextBelow };
}
