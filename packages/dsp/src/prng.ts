/**
 * A small seeded PRNG keyed by a tuple, so a clip's random draws depend only on
 * (seed, recording id, kind, n) and never on worker scheduling or processing order.
 * Generator: sfc32 (Chris Doty-Humphrey's Small Fast Counting RNG, PractRand-clean);
 * key hashing: cyrb128 (bryc, public domain) over the joined key.
 */
export interface Rng {
  /** Uniform in [0, 1) with 32 random bits. */
  next(): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Standard normal (Marsaglia & Tsang's ziggurat, 128 layers). */
  normal(): number;
}

/** cyrb128: four 32-bit words from a string. */
function cyrb128(str: string): [number, number, number, number] {
  let h1 = 1779033703,
    h2 = 3144134277,
    h3 = 1013904242,
    h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/**
 * Ziggurat tables (Marsaglia & Tsang, "The Ziggurat Method for Generating Random Variables",
 * J. Stat. Softw. 5(8), 2000, RNOR with 128 layers): kn layer thresholds on |int32|, wn scales,
 * fn = exp(-x²/2) at the layer edges.
 */
const ZIG_R = 3.442619855899;
const zig = (() => {
  const m1 = 2147483648,
    vn = 9.91256303526217e-3;
  const kn = new Float64Array(128),
    wn = new Float64Array(128),
    fn = new Float64Array(128);
  let dn = ZIG_R,
    tn = dn;
  const q = vn / Math.exp(-0.5 * dn * dn);
  kn[0] = (dn / q) * m1;
  kn[1] = 0;
  wn[0] = q / m1;
  wn[127] = dn / m1;
  fn[0] = 1;
  fn[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    kn[i + 1] = (dn / tn) * m1;
    tn = dn;
    fn[i] = Math.exp(-0.5 * dn * dn);
    wn[i] = dn / m1;
  }
  return { kn, wn, fn };
})();

/** A generator seeded by the key parts, e.g. `rngFor(42, 'Actor_01/x.wav', 'noise', 0)`. */
export function rngFor(...key: (string | number)[]): Rng {
  let [a, b, c, d] = cyrb128(JSON.stringify(key));
  /** sfc32 step: a signed 32-bit integer. */
  const int32 = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t;
  };
  const next = () => (int32() >>> 0) / 4294967296;
  const open01 = () => ((int32() >>> 0) + 0.5) / 4294967296; // (0, 1): log stays finite
  for (let i = 0; i < 12; i++) int32(); // let the seed words mix before use
  const { kn, wn, fn } = zig;
  /** The ziggurat's rare path: wedges between layers and the tail beyond ZIG_R. */
  const normalSlow = (hz: number, iz: number): number => {
    for (;;) {
      const x = hz * wn[iz];
      if (iz === 0) {
        let tx: number, ty: number;
        do {
          tx = -Math.log(open01()) / ZIG_R;
          ty = -Math.log(open01());
        } while (ty + ty < tx * tx);
        return hz > 0 ? ZIG_R + tx : -ZIG_R - tx;
      }
      if (fn[iz] + next() * (fn[iz - 1] - fn[iz]) < Math.exp(-0.5 * x * x)) return x;
      hz = int32();
      iz = hz & 127;
      if (Math.abs(hz) < kn[iz]) return hz * wn[iz];
    }
  };
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    normal() {
      const hz = int32();
      const iz = hz & 127;
      return Math.abs(hz) < kn[iz] ? hz * wn[iz] : normalSlow(hz, iz);
    },
  };
}

/** Fisher–Yates shuffle (returns a new array). */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
