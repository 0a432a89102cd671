import { describe, expect, it } from 'vitest';
import { augmentParams } from '../src/params.ts';

describe('augmentParams', () => {
  it('defaults to the original project variants: one noise, pitch and stretch each, no speed', () => {
    expect(augmentParams.parse({})).toEqual({
      seed: 42,
      noise: { count: 1, snrDb: [15, 30] },
      pitchShift: { count: 1, semitones: [-3, 3] },
      timeStretch: { count: 1, rate: [0.8, 1.25] },
      speed: { count: 0, factor: [0.9, 1.1] },
    });
  });

  it('fills the keys a block leaves out with their defaults', () => {
    const params = augmentParams.parse({ noise: { snrDb: [5, 10] }, speed: { count: 2 } });
    expect(params.noise).toEqual({ count: 1, snrDb: [5, 10] });
    expect(params.speed).toEqual({ count: 2, factor: [0.9, 1.1] });
  });

  it('names the key and the reason of a bad block', () => {
    const rate = augmentParams.safeParse({ timeStretch: { rate: [0, 1.2] } });
    expect(rate.success).toBe(false);
    expect(rate.error?.issues[0]).toMatchObject({ path: ['timeStretch', 'rate'], message: 'rates must be > 0' });
    const unknown = augmentParams.safeParse({ noise: { count: 1, snr: [1, 2] } });
    expect(unknown.error?.issues[0]).toMatchObject({ path: ['noise'], code: 'unrecognized_keys' });
  });
});
