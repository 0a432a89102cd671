import { describe, expect, it } from 'vitest';
import { frameRms, trimSilence } from '../src/trim.ts';

describe('trimSilence (librosa.effects.trim)', () => {
  it('frame RMS is centred with zero padding: 1 + floor(n / hop) frames', () => {
    const y = new Float32Array(5000).fill(0.5);
    const rms = frameRms(y, 2048, 512);
    expect(rms.length).toBe(1 + Math.floor(5000 / 512));
    // Frame 0 covers [-1024, 1024): half zeros -> rms = 0.5 * sqrt(1/2).
    expect(rms[0]).toBeCloseTo(0.5 * Math.SQRT1_2, 12);
    expect(rms[4]).toBeCloseTo(0.5, 12);
  });

  it('frame RMS equals the direct sum over each frame, also when the hop exceeds the frame', () => {
    const y = Float32Array.from({ length: 9000 }, (_, i) => Math.sin(i * 0.01) * (i % 7) * 0.1);
    for (const [frameLength, hop] of [
      [2048, 512],
      [1000, 300],
      [256, 1000],
    ]) {
      const rms = frameRms(y, frameLength, hop);
      const pad = Math.floor(frameLength / 2);
      rms.forEach((r, t) => {
        let sum = 0;
        for (let i = Math.max(0, t * hop - pad); i < Math.min(y.length, t * hop - pad + frameLength); i++) sum += y[i] * y[i];
        // Running-sum rounding: ~1e-16 of the sum per step, far below 1e-12.
        expect(Math.abs(r - Math.sqrt(sum / frameLength))).toBeLessThan(1e-12);
      });
    }
  });

  it('keeps frames within topDb of the loudest and returns [512·first, min(n, 512·(last+1)))', () => {
    const y = new Float32Array(22050);
    // Loud burst over samples 8000..12000, a -20 dB burst at 15000..16000, -40 dB noise floor elsewhere.
    for (let i = 0; i < y.length; i++) y[i] = 0.005 * Math.sin(i);
    for (let i = 8000; i < 12000; i++) y[i] = 0.5 * Math.sin(i / 3);
    for (let i = 15000; i < 16000; i++) y[i] = 0.05 * Math.sin(i / 3);
    const r25 = trimSilence(y, { topDb: 25 })!;
    // Frame t spans [512t - 1024, 512t + 1024): first frame touching the burst is t = 14 (6144..8192).
    expect(r25.start).toBe(14 * 512);
    // The -20 dB burst is kept at 25 dB (but its edges fall below): last kept frame end is a hop multiple.
    expect(r25.end % 512).toBe(0);
    expect(r25.end).toBeGreaterThan(15000);
    const r10 = trimSilence(y, { topDb: 10 })!;
    expect(r10.end).toBeLessThan(13500);
    expect(trimSilence(y, { topDb: 60 })).toEqual({ start: 0, end: y.length });
  });

  it('an all-silent clip is reported (null), not trimmed to nothing', () => {
    expect(trimSilence(new Float32Array(10000))).toBeNull();
    // Below amplitude_to_db's amin (1e-5 RMS) counts as silence too.
    expect(trimSilence(new Float32Array(10000).fill(5e-6))).toBeNull();
    expect(trimSilence(new Float32Array(0))).toBeNull();
  });
});
