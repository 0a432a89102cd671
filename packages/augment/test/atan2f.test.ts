import { describe, expect, it } from 'vitest';
import { atan2f } from '../src/atan2f.ts';

describe('atan2f', () => {
  it('is within one float32 ulp of atan2 and exact at the special values', () => {
    const f = Math.fround;
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      const y = f(Math.sin(i * 1.7) * 10 ** ((i % 13) - 6)), x = f(Math.cos(i * 2.3) * 10 ** ((i % 7) - 3));
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
});
