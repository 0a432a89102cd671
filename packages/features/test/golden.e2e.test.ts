/**
 * Parity with librosa 0.10.2 on the 27 golden RAVDESS files (shared/golden/ravdess):
 * trim interval exact; mel filterbank within 1e-6; log-Mel mean |diff| <= 0.01 dB and, over bins
 * louder than -60 dB, max |diff| <= 0.25 dB. The resampled signal's RMS error is printed.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWav, resample } from '@ser/dsp';
import { melParams as melSchema, trimParams as trimSchema } from '../src/params.ts';
import { clipLogMel, loadTrimmed } from '../src/extract.ts';
import { melFilterbank } from '../src/mel.ts';
import { GOLDEN, restoreRavdess } from './helpers.ts';

interface GoldenFile {
  file: string;
  sampleRate: number;
  channels: number;
  resampledLength: number;
  trim: [number, number];
  melFrames: number;
  logmel: string;
  resampled: string;
}
const index = JSON.parse(readFileSync(join(GOLDEN, 'index.json'), 'utf8')) as { melFilterbank: string; files: GoldenFile[] };
const floats = (name: string) => {
  const b = readFileSync(join(GOLDEN, name));
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};
const trimParams = trimSchema.parse({});
const melParams = melSchema.parse({});

let dir: string;
beforeAll(() => {
  const actors = [...new Set(index.files.map((f) => f.file.slice(6, 8)))];
  dir = restoreRavdess(actors);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('librosa parity', () => {
  it('Slaney mel filterbank within 1e-6', () => {
    const golden = floats(index.melFilterbank);
    const { weights } = melFilterbank(22050, 2048, 128);
    expect(weights.length).toBe(golden.length);
    let max = 0;
    for (let i = 0; i < golden.length; i++) max = Math.max(max, Math.abs(weights[i] - golden[i]));
    expect(max).toBeLessThanOrEqual(1e-6);
  });

  for (const g of index.files)
    it(g.file, async () => {
      const bytes = readFileSync(join(dir, g.file));
      const wav = decodeWav(bytes, g.file);
      expect([wav.sampleRate, wav.channels]).toEqual([g.sampleRate, g.channels]);

      const y = resample(wav.samples, wav.sampleRate, 22050);
      const ref = floats(g.resampled);
      expect(y.length).toBe(g.resampledLength);
      let se = 0,
        sr = 0;
      for (let i = 0; i < ref.length; i++) ((se += (y[i] - ref[i]) ** 2), (sr += ref[i] ** 2));
      const rms = Math.sqrt(se / ref.length);
      console.log(`${g.file}: resampled RMS error ${rms.toExponential(2)} (${(20 * Math.log10(Math.sqrt(se / sr))).toFixed(1)} dB re signal)`);
      // Not a stated target, a guard: soxr HQ equivalence means errors far below the 16-bit LSB.
      expect(rms).toBeLessThan(1e-5);

      const clip = await loadTrimmed(bytes, g.file, trimParams);
      expect([clip.trimStart, clip.trimEnd]).toEqual(g.trim);

      const { logmel, frames } = clipLogMel(clip.audio, 22050, melParams);
      expect(frames).toBe(g.melFrames);
      const golden = floats(g.logmel);
      let sum = 0,
        loudMax = 0;
      for (let i = 0; i < golden.length; i++) {
        const d = Math.abs(logmel[i] - golden[i]);
        sum += d;
        if (golden[i] > -60) loudMax = Math.max(loudMax, d);
      }
      console.log(`${g.file}: log-Mel mean |diff| ${(sum / golden.length).toExponential(2)} dB, loud max ${loudMax.toExponential(2)} dB`);
      expect(sum / golden.length).toBeLessThanOrEqual(0.01);
      expect(loudMax).toBeLessThanOrEqual(0.25);
    });
});
