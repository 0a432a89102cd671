import { describe, expect, it } from 'vitest';
import { readNumbers, readStrings, readTensor } from '@ser/core';
import { AudioDecodeError } from '@ser/dsp';
import { makeWav } from '@ser/dsp/testing';
import { melParams, trimParams } from '../src/params.ts';
import { extractFeatures, loadTrimmed, SilentClipError } from '../src/extract.ts';
import { featureTable } from '../src/feature-table.ts';
import { fixFrames } from '../src/mel.ts';

const trim = trimParams.parse({});
const mel = melParams.parse({});

/** `seconds` of a chirp-like tone between silences, at 44.1 kHz stereo. */
function clip(seconds: number): Uint8Array {
  const sr = 44100,
    n = Math.round(sr * (seconds + 0.4));
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    const v = t > 0.2 && t < 0.2 + seconds ? 0.4 * Math.sin(2 * Math.PI * (300 + 400 * t) * t) : 0;
    samples.push(v, 0.5 * v);
  }
  return makeWav({ tag: 1, bits: 24, channels: 2, sampleRate: sr, samples });
}

describe('fixFrames', () => {
  const x = Float32Array.from([1, 2, 3, 4, 5, 6]); // 2 mels x 3 frames
  it('truncates on the right', () => expect(Array.from(fixFrames(x, 2, 3, 2, -80))).toEqual([1, 2, 4, 5]));
  it('pads on the right with the pad value', () => expect(Array.from(fixFrames(x, 2, 3, 4, -80))).toEqual([1, 2, 3, -80, 4, 5, 6, -80]));
  // numpy.pad(x, ((0, 0), (0, target - 3)), mode='wrap') for targets 8 and 3.
  it("wrap repeats the clip from its first frame (numpy.pad's mode 'wrap')", () =>
    expect(Array.from(fixFrames(x, 2, 3, 8, 'wrap'))).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 4, 5, 6, 4, 5, 6, 4, 5]));
  it('wrap of a clip as long as the target changes nothing; of a longer one truncates', () => {
    expect(Array.from(fixFrames(x, 2, 3, 3, 'wrap'))).toEqual(Array.from(x));
    expect(Array.from(fixFrames(x, 2, 3, 2, 'wrap'))).toEqual([1, 2, 4, 5]);
  });
});

describe('extractFeatures / featureTable (ser features)', () => {
  it('short clip: [128,128] padded with the floor (-80 dB); raw keeps all frames', async () => {
    const row = await extractFeatures(clip(1), 'short.wav', trim, mel);
    expect(row.shape).toEqual([128, 128]);
    expect(row.frames).toBeLessThan(128);
    expect([row.sourceRate, row.sourceChannels]).toEqual([44100, 2]);
    expect(row.logmel[127]).toBe(-80);
    expect(Math.max(...row.logmel)).toBe(0);
    const raw = await extractFeatures(clip(1), 'short.wav', trim, mel, true);
    expect(raw.shape).toEqual([128, row.frames]);
    expect(raw.logmel.length).toBe(128 * row.frames);
    // Padding only appends: the real frames are identical.
    expect(row.logmel.subarray(0, row.frames)).toEqual(raw.logmel.subarray(0, row.frames));
  });

  it('long clip is truncated to 128 frames; pad value is a param', async () => {
    const row = await extractFeatures(clip(3.5), 'long.wav', trim, { ...mel, padValue: 0 });
    expect(row.frames).toBeGreaterThan(128);
    expect(row.logmel.length).toBe(128 * 128);
    const short = await extractFeatures(clip(1), 'short.wav', trim, { ...mel, padValue: -100 });
    expect(short.logmel[127]).toBe(-100);
  });

  it('one-row Arrow table with the tensor, trim interval and source info', async () => {
    const row = await extractFeatures(clip(1), 'one.wav', trim, mel, true);
    const table = featureTable(row);
    expect(table.numRows).toBe(1);
    expect(readStrings(table, 'id')).toEqual(['one.wav']);
    expect(readNumbers(table, 'trim_start')).toEqual([row.trimStart]);
    expect(readNumbers(table, 'trim_end')).toEqual([row.trimEnd]);
    expect(readNumbers(table, 'source_rate')).toEqual([44100]);
    const t = readTensor(table, 'logmel');
    expect(t.shape).toEqual([128, row.frames]);
    expect(t.data).toEqual(row.logmel);
  });

  it('bad and silent input are errors naming the file', async () => {
    await expect(loadTrimmed(new Uint8Array(0), 'empty.wav', trim)).rejects.toThrow(AudioDecodeError);
    const silent = makeWav({ tag: 1, bits: 16, channels: 1, sampleRate: 22050, samples: new Array(5000).fill(0) });
    await expect(loadTrimmed(silent, 'quiet.wav', trim)).rejects.toThrow(SilentClipError);
    await expect(loadTrimmed(silent, 'quiet.wav', trim)).rejects.toThrow(/^quiet\.wav: all-silent/);
  });
});
