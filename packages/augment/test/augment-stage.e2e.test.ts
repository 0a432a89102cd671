import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildTable, readNumbers, readStrings, readTensor } from '@ser/core';
import { melParams, trimParams } from '@ser/features/params';
import { memoryStageContext } from '@ser/core/testing';
import { clipTensor } from '@ser/features';
import { renderVariant } from '../src/augment.ts';
import { augmentParams } from '../src/params.ts';
import { stage as augmentStage } from '../src/stage.ts';

const DIR = resolve(import.meta.dirname, '../../../../shared/golden/ravdess-augment') + '/';
const index = JSON.parse(readFileSync(DIR + 'index.json', 'utf8')) as { files: { file: string; trimmed: string }[] };
const clips = index.files.map((f) => {
  const b = readFileSync(DIR + f.trimmed);
  return { id: f.file, audio: new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)) };
});
const offsets = Int32Array.from([0, ...clips.map((_, i) => clips.slice(0, i + 1).reduce((n, c) => n + c.audio.length, 0))]);
const data = new Float32Array(offsets[clips.length]);
clips.forEach((c, i) => data.set(c.audio, offsets[i]));
const trimTable = buildTable(clips.length, { id: clips.map((c) => c.id), audio: { data, offsets } });
const mel = melParams.parse({});

async function run(raw: object) {
  const mem = memoryStageContext({
    stage: 'augment',
    params: augmentParams.parse(raw),
    upstream: { trim: { tables: { audio: trimTable }, params: trimParams.parse({}) }, mel: { params: mel } },
  });
  await augmentStage.run(mem.ctx);
  return mem;
}

describe('augment stage', () => {
  it('writes one tensor per variant, in clip/kind/n order, as the mel stage would', async () => {
    const { tables, failures, ctx } = await run({});
    expect(failures).toEqual([]);
    const t = tables.tensors;
    const ids = readStrings(t, 'id');
    expect(ids).toEqual(clips.flatMap((c) => ['noise0', 'pitch0', 'stretch0'].map((v) => `${c.id}#${v}`)));
    expect(readStrings(t, 'source')).toEqual(clips.flatMap((c) => [c.id, c.id, c.id]));
    expect(readStrings(t, 'kind')).toEqual(clips.flatMap(() => ['noise', 'pitch', 'stretch']));
    const amounts = readNumbers(t, 'amount');
    amounts.forEach((a, r) => {
      const [lo, hi] = [
        [15, 30],
        [-3, 3],
        [0.8, 1.25],
      ][r % 3];
      expect(a).toBeGreaterThanOrEqual(lo);
      expect(a).toBeLessThan(hi);
    });
    const tensor = readTensor(t, 'logmel');
    expect(tensor.shape).toEqual([mel.nMels, mel.frames]);
    // The worker's tensor equals the mel stage's code applied to the variant rendered here.
    const size = mel.nMels * mel.frames;
    const params = augmentParams.parse({});
    for (const [r, kind] of [
      [3, 'noise'],
      [5, 'stretch'],
    ] as const) {
      const { amount, audio } = renderVariant(clips[1].audio, 22050, clips[1].id, kind, 0, params);
      expect(amount).toBe(amounts[r]);
      const want = clipTensor(audio, 22050, mel);
      expect(readNumbers(t, 'frames')[r]).toBe(want.frames);
      expect(tensor.data.subarray(r * size, (r + 1) * size)).toEqual(want.logmel);
    }
    expect(ctx.summary.perKind).toEqual({ noise: 3, pitch: 3, stretch: 3, speed: 0 });
  });

  it('is byte-identical for the same seed and differs for another', async () => {
    const a = (await run({ seed: 5 })).files.tensors;
    const b = (await run({ seed: 5 })).files.tensors;
    const c = (await run({ seed: 6 })).files.tensors;
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
  });

  it('does not depend on the number of workers', async () => {
    const two = (await run({ seed: 5 })).files.tensors;
    process.env.SER_WORKERS = '1';
    try {
      const one = (await run({ seed: 5 })).files.tensors;
      expect(Buffer.from(one).equals(Buffer.from(two))).toBe(true);
    } finally {
      delete process.env.SER_WORKERS;
    }
  });

  it('follows the per-kind counts', async () => {
    const { tables } = await run({
      noise: { count: 2, snrDb: [10, 10] },
      pitchShift: { count: 0, semitones: [0, 0] },
      timeStretch: { count: 1, rate: [1, 1] },
      speed: { count: 1, factor: [1.1, 1.1] },
    });
    expect(readStrings(tables.tensors, 'id').slice(0, 4)).toEqual(['noise0', 'noise1', 'stretch0', 'speed0'].map((v) => `${clips[0].id}#${v}`));
    expect(readNumbers(tables.tensors, 'amount').slice(0, 4)).toEqual([10, 10, 1, 1.1]);
  });
});
