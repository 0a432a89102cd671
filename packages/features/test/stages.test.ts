/** The trim and mel stages on a fake StageContext: good clips go through, bad ones are failed and listed. */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTable, readNumbers, readRagged, readStrings, readTensor } from '@ser/core';
import { memoryStageContext } from '@ser/core/testing';
import { clipTensor, loadTrimmed } from '../src/extract.ts';
import { AUDIO_FIXTURES, LOSSY_FIXTURES, makeWav } from '@ser/dsp/testing';
import { SHARED } from './helpers.ts';
import { stage as melStage } from '../src/mel-stage.ts';
import { melParams as melSchema, trimParams as trimSchema } from '../src/params.ts';
import { stage as trimStage } from '../src/trim-stage.ts';

/** A 1 s clip: 0.3 s silence, 0.4 s of a 440 Hz tone, 0.3 s silence. */
function toneBurst(sampleRate: number, channels: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < sampleRate; i++) {
    const t = i / sampleRate;
    const v = t >= 0.3 && t < 0.7 ? 0.5 * Math.sin(2 * Math.PI * 440 * t) : 0;
    for (let c = 0; c < channels; c++) out.push(v);
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'ser-features-stage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('trim and mel stages', () => {
  it('run on good clips, fail bad/silent/missing files with reasons', async () => {
    const files: Record<string, Uint8Array | null> = {
      good48k: makeWav({ tag: 1, bits: 16, channels: 2, sampleRate: 48000, samples: toneBurst(48000, 2) }),
      good16k: makeWav({ tag: 3, bits: 32, channels: 1, sampleRate: 16000, samples: toneBurst(16000, 1) }),
      silent: makeWav({ tag: 1, bits: 16, channels: 1, sampleRate: 22050, samples: new Array(22050).fill(0) }),
      text: new TextEncoder().encode('not audio'),
      missing: null,
    };
    const ids = Object.keys(files);
    const paths = ids.map((id) => join(dir, `${id}.wav`));
    ids.forEach((id, i) => files[id] && writeFileSync(paths[i], files[id]!));
    const recordings = buildTable(ids.length, { id: ids, path: paths });

    const trimParams = trimSchema.parse({});
    const trim = memoryStageContext({ stage: 'trim', params: trimParams, upstream: { ingest: { tables: { recordings } } } });
    await trimStage.run(trim.ctx);
    const audio = trim.tables.audio;
    expect(readStrings(audio, 'id')).toEqual(['good48k', 'good16k']);
    expect(readNumbers(audio, 'source_rate')).toEqual([48000, 16000]);
    expect(readNumbers(audio, 'source_channels')).toEqual([2, 1]);
    const reasons = Object.fromEntries(trim.failures.map((f) => [f.item, f.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['missing', 'silent', 'text']);
    expect(reasons.silent).toMatch(/silent\.wav: all-silent/);
    expect(reasons.text).toMatch(/text\.wav: unsupported audio format \(unrecognised header bytes/);
    expect(reasons.missing).toMatch(/missing\.wav: cannot read \(ENOENT\)/);
    expect(trim.ctx.summary).toMatchObject({ clips: 2, failed: 3, silent: 1 });

    // The worker's rows equal the in-process pure function's.
    const direct = await loadTrimmed(files.good48k!, 'good48k', trimParams);
    const { data, offsets } = readRagged(audio, 'audio');
    expect(readNumbers(audio, 'trim_start')[0]).toBe(direct.trimStart);
    expect(readNumbers(audio, 'trim_end')[0]).toBe(direct.trimEnd);
    expect(data.subarray(offsets[0], offsets[1])).toEqual(direct.audio);
    // The tone starts at 0.3 s: trim starts within a hop (512 samples) + half a frame of it.
    expect(Math.abs(direct.trimStart - 0.3 * 22050)).toBeLessThan(512 + 1024);

    const melParams = melSchema.parse({});
    const mel = memoryStageContext({ stage: 'mel', params: melParams, upstream: { trim: { tables: { audio }, params: trimParams } } });
    await melStage.run(mel.ctx);
    const tensors = mel.tables.tensors;
    expect(readStrings(tensors, 'id')).toEqual(['good48k', 'good16k']);
    const t = readTensor(tensors, 'logmel');
    expect(t.shape).toEqual([128, 128]);
    const expected = clipTensor(direct.audio, 22050, melParams);
    expect(readNumbers(tensors, 'frames')[0]).toBe(expected.frames);
    expect(t.data.subarray(0, 128 * 128)).toEqual(expected.logmel);
    expect(mel.failures).toEqual([]);
  });

  it('trim reads FLAC, MP3, OGG Vorbis and Opus; a truncated file of each is failed with its reason, the rest go on', async () => {
    const flac = join(SHARED, 'datasets/ravdess/Actor_01/03-01-06-01-01-01-01.flac');
    const sources = [flac, ...Object.values(LOSSY_FIXTURES).map((f) => join(AUDIO_FIXTURES, f))];
    const paths: string[] = [];
    for (const source of sources) {
      const ext = source.slice(source.lastIndexOf('.'));
      paths.push(join(dir, `whole${ext}`), join(dir, `cut${ext}`));
      copyFileSync(source, paths.at(-2)!);
      const bytes = readFileSync(source);
      writeFileSync(paths.at(-1)!, bytes.subarray(0, Math.round(bytes.length * 0.7)));
    }
    const ids = paths.map((p) => p.slice(dir.length + 1));
    const trim = memoryStageContext({
      stage: 'trim',
      params: trimSchema.parse({}),
      upstream: { ingest: { tables: { recordings: buildTable(ids.length, { id: ids, path: paths }) } } },
    });
    await trimStage.run(trim.ctx);
    expect(readStrings(trim.tables.audio, 'id')).toEqual(['whole.flac', 'whole.mp3', 'whole.ogg', 'whole.opus']);
    expect(readNumbers(trim.tables.audio, 'source_rate')).toEqual([48000, 48000, 48000, 48000]);
    expect(readNumbers(trim.tables.audio, 'source_channels')).toEqual([1, 1, 1, 1]);
    const reasons = Object.fromEntries(trim.failures.map((f) => [f.item, f.reason]));
    expect(Object.keys(reasons)).toEqual(['cut.flac', 'cut.mp3', 'cut.ogg', 'cut.opus']);
    for (const [id, reason] of Object.entries(reasons)) expect(reason).toMatch(new RegExp(`^${join(dir, id)}: truncated`));
  });
});
