import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLASSES_METADATA, readNumbers, readStrings } from '@ser/core';
import { memoryStageContext } from '@ser/core/testing';
import { parseManifest, parseRavdessName } from '../src/index.ts';
import { stage as ingest } from '../src/stage.ts';

/** A fake RAVDESS folder: the bytes only need to differ per file (ingest does not decode). */
function fakeRavdess(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'ser-ingest-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

async function runIngest(dataset: { path: string; format: 'ravdess' | 'csv'; actors?: (string | number)[] }) {
  const m = memoryStageContext({ stage: 'ingest', params: {}, dataset: { actors: [], ...dataset } });
  await ingest.run(m.ctx);
  return m;
}

describe('RAVDESS names', () => {
  it('parses emotion, intensity, statement, repetition, actor and gender', () => {
    expect(parseRavdessName('03-01-05-02-01-02-14.wav')).toEqual({
      id: '03-01-05-02-01-02-14',
      label: 'angry',
      labelIndex: 4,
      speaker: '14',
      gender: 'female',
      intensity: 2,
      statement: 1,
      repetition: 2,
    });
    expect(parseRavdessName('03-01-01-01-01-01-07.wav')?.gender).toBe('male');
  });
  it('rejects song, video and stray names', () => {
    for (const name of [
      '03-02-05-02-01-02-14.wav',
      '01-01-05-02-01-02-14.mp4',
      '03-01-09-01-01-01-01.wav',
      'notes.txt',
      '03-01-05-02-01-02-14.m4a',
      '03-01-05-02-01-02-14.wav.bak',
    ])
      expect(parseRavdessName(name)).toBeNull();
  });
  it('accepts the same names in every format the decoder reads', () => {
    for (const ext of ['wav', 'flac', 'mp3', 'ogg', 'opus', 'FLAC'])
      expect(parseRavdessName(`03-01-05-02-01-02-14.${ext}`)).toMatchObject({ id: '03-01-05-02-01-02-14', label: 'angry', speaker: '14' });
  });
});

describe('ingest stage', () => {
  it('lists speech clips, warns once with the count of skipped files, keeps identical audio once', async () => {
    const dir = fakeRavdess({
      'Actor_01/03-01-05-02-01-02-01.wav': 'a',
      'Actor_01/03-01-03-01-02-01-01.wav': 'same',
      'Actor_01/03-01-03-01-02-02-01.wav': 'same',
      'Actor_01/03-02-05-02-01-02-01.wav': 'song',
      'Actor_02/03-01-04-01-01-01-02.wav': 'b',
      'Actor_02/03-01-04-01-01-01-03.wav': 'wrong actor folder',
      'Actor_02/.DS_Store': 'x',
      'README.txt': 'x',
    });
    const m = await runIngest({ path: dir, format: 'ravdess' });
    const t = m.tables.recordings;
    expect(readStrings(t, 'id')).toEqual(['03-01-03-01-02-01-01', '03-01-05-02-01-02-01', '03-01-04-01-01-01-02']);
    expect(readNumbers(t, 'label_index')).toEqual([2, 4, 3]);
    expect(readStrings(t, 'gender')).toEqual(['male', 'male', 'female']);
    expect(JSON.parse(t.schema.metadata.get(CLASSES_METADATA)!)).toHaveLength(8);
    expect(m.logs.filter((l) => l.includes('skipped'))).toEqual([expect.stringContaining('skipped 4 file(s)')]);
    expect(m.ctx.summary.duplicates).toEqual([{ kept: '03-01-03-01-02-01-01', dropped: '03-01-03-01-02-02-01' }]);
  });

  it('lists FLAC, MP3, OGG and Opus clips; one recording in two formats is kept once, the other reported', async () => {
    const dir = fakeRavdess({
      'Actor_01/03-01-05-02-01-02-01.flac': 'a',
      'Actor_01/03-01-03-01-02-01-01.mp3': 'b',
      'Actor_01/03-01-04-01-02-01-01.ogg': 'c',
      'Actor_01/03-01-06-01-02-01-01.opus': 'd',
      'Actor_01/03-01-06-01-02-01-01.wav': 'd as a WAV',
    });
    const m = await runIngest({ path: dir, format: 'ravdess' });
    const t = m.tables.recordings;
    expect(readStrings(t, 'id')).toEqual(['03-01-03-01-02-01-01', '03-01-04-01-02-01-01', '03-01-05-02-01-02-01', '03-01-06-01-02-01-01']);
    expect(readStrings(t, 'path').map((p) => p.slice(p.lastIndexOf('.')))).toEqual(['.mp3', '.ogg', '.flac', '.opus']);
    expect(m.failures).toEqual([
      {
        item: join(dir, 'Actor_01/03-01-06-01-02-01-01.wav'),
        reason: `recording id '03-01-06-01-02-01-01' is already taken by ${join(dir, 'Actor_01/03-01-06-01-02-01-01.opus')}; kept that one`,
      },
    ]);
    expect(m.logs.filter((l) => l.includes('skipped'))).toEqual([]);
  });

  it('keeps only the listed actors', async () => {
    const dir = fakeRavdess({ 'Actor_01/03-01-05-02-01-02-01.wav': 'a', 'Actor_02/03-01-04-01-01-01-02.wav': 'b' });
    const m = await runIngest({ path: dir, format: 'ravdess', actors: [2] });
    expect(readStrings(m.tables.recordings, 'speaker')).toEqual(['02']);
  });

  it('fails clearly on a missing folder or no usable clips', async () => {
    await expect(runIngest({ path: '/nonexistent/ravdess', format: 'ravdess' })).rejects.toThrow(/dataset.path: folder \/nonexistent\/ravdess does not exist/);
    await expect(runIngest({ path: fakeRavdess({ 'Actor_01/readme.txt': 'x' }), format: 'ravdess' })).rejects.toThrow(/no usable clips/);
  });

  it('reads a CSV manifest with its own labels', async () => {
    const dir = fakeRavdess({ 'clips/x.wav': '1', 'clips/y.wav': '2', 'clips/z.wav': '3' });
    writeFileSync(join(dir, 'm.csv'), 'path,label,speaker,gender\nclips/x.wav,joy,s1,f\n"clips/y.wav",anger,s2,M\nclips/z.wav,joy,s1,\n');
    const m = await runIngest({ path: join(dir, 'm.csv'), format: 'csv' });
    const t = m.tables.recordings;
    expect(JSON.parse(t.schema.metadata.get(CLASSES_METADATA)!)).toEqual(['anger', 'joy']);
    expect(readNumbers(t, 'label_index')).toEqual([1, 0, 1]);
    expect(readStrings(t, 'gender')).toEqual(['female', 'male', '']);
    expect(readStrings(t, 'path')[0]).toBe('clips/x.wav');
  });

  it('a CSV manifest may list clips of any supported format', async () => {
    const dir = fakeRavdess({ 'a.flac': '1', 'b.mp3': '2', 'c.ogg': '3', 'd.opus': '4', 'e.wav': '5' });
    writeFileSync(join(dir, 'm.csv'), 'path,label\na.flac,joy\nb.mp3,joy\nc.ogg,anger\nd.opus,anger\ne.wav,joy\n');
    const m = await runIngest({ path: join(dir, 'm.csv'), format: 'csv' });
    expect(readStrings(m.tables.recordings, 'id')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(m.failures).toEqual([]);
  });

  it('reports a missing clip of a manifest and goes on', async () => {
    const dir = fakeRavdess({ 'x.wav': '1' });
    writeFileSync(join(dir, 'm.csv'), 'path,label\nx.wav,joy\ngone.wav,joy\n');
    const m = await runIngest({ path: join(dir, 'm.csv'), format: 'csv' });
    expect(readStrings(m.tables.recordings, 'id')).toEqual(['x']);
    expect(m.failures).toEqual([{ item: join(dir, 'gone.wav'), reason: expect.stringMatching(/unreadable/) }]);
  });

  it('names the manifest line of a bad row', () => {
    expect(() => parseManifest('file,label\n', 'm.csv')).toThrow(/m.csv: line 1 must be a header/);
    expect(() => parseManifest('path,label,gender\na.wav,joy,x\n', 'm.csv')).toThrow(/m.csv: line 2: 'gender'/);
    expect(() => parseManifest('path,label\na.wav,\n', 'm.csv')).toThrow(/m.csv: line 2: empty 'label'/);
  });
});
