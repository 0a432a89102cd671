import { describe, expect, it } from 'vitest';
import { atan2f, atan2fArray, atan2fSimd } from '../src/atan2f.ts';

describe('atan2f', () => {
  it('is within one float32 ulp of atan2 and exact at the special values', () => {
    const f = Math.fround;
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      const y = f(Math.sin(i * 1.7) * 10 ** ((i % 13) - 6)),
        x = f(Math.cos(i * 2.3) * 10 ** ((i % 7) - 3));
      const exact = Math.atan2(y, x);
      const ulp = 2 ** (Math.floor(Math.log2(Math.abs(exact) || 1e-38)) - 23);
      worst = Math.max(worst, Math.abs(atan2f(y, x) - exact) / ulp);
    }
    expect(worst).toBeLessThan(1.5);
    expect(atan2f(0, 1)).toBe(0);
    expect(atan2f(0, -1)).toBe(f(Math.PI));
    expect(atan2f(1, 0)).toBe(f(Math.PI / 2));
    expect(atan2f(-1, 0)).toBe(-f(Math.PI / 2));
    expect(atan2f(1, 1)).toBe(f(Math.PI / 4));
    expect(atan2f(-1, -1)).toBe(f((-3 * Math.PI) / 4));
  });

  it('has an array form (WebAssembly SIMD) that agrees bit for bit, special cases included', () => {
    // 2M pairs over 24 decades of |y/x| and every sign, every reduction interval of atanf, and
    // the cases the SIMD kernel hands back: zeros, exponents 25+ apart, non-multiple-of-4 length.
    const n = 2_000_003;
    const y = new Float32Array(n),
      x = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = Math.sin(i * 1.7) * 10 ** ((i % 13) - 6);
      x[i] = Math.cos(i * 2.3) * 10 ** ((i % 11) - 5);
    }
    const special = [0, -0, 1, -1, 1e-30, -1e30, 3.4e38, 1e-45];
    special.forEach((a, i) => special.forEach((b, j) => ((y[i * 8 + j] = a), (x[i * 8 + j] = b))));
    const simd = atan2fSimd(y, x);
    const got = atan2fArray(y, x);
    let mismatches = 0,
      handedBack = 0,
      unusual = 0;
    for (let i = 0; i < n; i++) {
      if (!Object.is(got[i], atan2f(y[i], x[i]))) mismatches++;
      if (Number.isNaN(simd[i])) handedBack++;
      else if (!Object.is(simd[i], got[i])) mismatches++;
      const ay = Math.abs(y[i]),
        ax = Math.abs(x[i]);
      if (!(ay < ax * 2 ** 25 && ax < ay * 2 ** 25)) unusual++;
    }
    expect(mismatches).toBe(0);
    // Exactly the zeros and exponent gaps of 25+ (~14% of these pairs) go to the scalar code.
    expect(handedBack).toBe(unusual);
    expect(handedBack / n).toBeLessThan(0.2);
    expect(() => atan2fArray(y, x.subarray(1))).toThrow(/lengths 2000003, 2000002/);
  });
});
