/**
 * End to end on the audio formats people have: a RAVDESS folder (actors 01 and 02, one training
 * epoch) where four clips are FLAC, MP3, OGG Vorbis and Opus and four others are truncated files of
 * those formats. Ingest lists all of them, trim excludes exactly the truncated four (each with one
 * line naming the file and the reason) and the pipeline goes on; `ser predict` labels the good
 * files of every format and gives each truncated one a single error line.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUDIO_FIXTURES, LOSSY_FIXTURES } from '@ser/dsp/testing';
import { REPO, copyWorkspace, quickPipeline, restoreActors, type Workspace } from './workspace.ts';

const SHARED_FLACS = join(REPO, '../shared/datasets/ravdess');
const CLASSES = ['neutral', 'calm', 'happy', 'sad', 'angry', 'fearful', 'disgust', 'surprised'];

let ws: Workspace;
let ravdess: string;
/** The clips that replace WAVs of Actor_01 (whole) and Actor_02 (truncated to 60 %), by format. */
const whole: Record<string, string> = {};
const truncated: Record<string, string> = {};

/** Put `bytes` in place of the WAV of recording `id` of `actor`, as `<id>.<ext>`. */
function replaceWav(actor: string, id: string, ext: string, bytes: Uint8Array): string {
  rmSync(join(ravdess, `Actor_${actor}`, `${id}.wav`));
  const path = join(ravdess, `Actor_${actor}`, `${id}.${ext}`);
  writeFileSync(path, bytes);
  return path;
}

beforeAll(() => {
  ravdess = restoreActors(['01', '02']);
  const sources: Record<string, string> = {
    flac: join(SHARED_FLACS, 'Actor_01/03-01-06-01-01-01-01.flac'),
    ...Object.fromEntries(Object.entries(LOSSY_FIXTURES).map(([ext, file]) => [ext, join(AUDIO_FIXTURES, file)])),
  };
  for (const [ext, source] of Object.entries(sources)) {
    const id = source.slice(source.lastIndexOf('/') + 1, source.lastIndexOf('.'));
    const bytes = readFileSync(source);
    whole[ext] = replaceWav('01', id, ext, bytes);
    // The same emotion's clip of actor 02, cut short.
    truncated[ext] = replaceWav('02', id.replace(/-01$/, '-02'), ext, bytes.subarray(0, Math.round(bytes.length * 0.6)));
  }
  ws = copyWorkspace((yaml) => quickPipeline(yaml, ravdess));
  const { code, output } = ws.ser(['run']);
  if (code !== 0) throw new Error(`ser run failed (${code}):\n${output.slice(-4000)}`);
}, 900_000);

describe('a RAVDESS folder with FLAC, MP3, OGG Vorbis and Opus clips', () => {
  it('ingest lists every clip; trim excludes the truncated ones with a reason each, and the run goes on', () => {
    expect(ws.readJson('data/ingest/manifest.json').summary.recordings).toBe(120);
    const trim = ws.readJson('data/trim/manifest.json');
    expect(trim.summary).toMatchObject({ clips: 116, failed: 4 });
    const failures = trim.failures as { item: string; reason: string }[];
    expect(failures.map((f) => f.item).sort()).toEqual(
      Object.values(truncated)
        .map((p) => p.slice(p.lastIndexOf('/') + 1, p.lastIndexOf('.')))
        .sort(),
    );
    for (const [ext, path] of Object.entries(truncated)) {
      const reason = failures.find((f) => path.includes(f.item))!.reason;
      expect(reason).toMatch(new RegExp(`^${path}: truncated`));
      expect(reason.split('\n')).toHaveLength(1);
      console.log(`${ext}: ${reason}`);
    }
    expect(ws.readJson('data/eval/manifest.json').reasons).toEqual(['no previous run']);
  });

  it('ser predict labels a file of every format and gives each truncated file one error line', () => {
    const files = [...Object.values(whole), ...Object.values(truncated)];
    const json = ws.ser(['predict', ...files, '--json']);
    expect(json.code).toBe(1);
    const { predictions } = JSON.parse(json.output.slice(json.output.indexOf('{')));
    for (const p of predictions.slice(0, 4)) {
      expect(Object.keys(p.probabilities), p.file).toEqual(CLASSES);
      expect(CLASSES).toContain(p.label);
    }
    for (const p of predictions.slice(4)) expect(p.error).toMatch(new RegExp(`^${p.file}: truncated (or corrupt )?(FLAC|MP3|OGG Vorbis|Opus) \\(`));
    const plain = ws.ser(['predict', ...files]);
    const lines = plain.output.trim().split('\n');
    expect(lines).toHaveLength(8);
    expect(lines.filter((l) => l.startsWith('error: '))).toHaveLength(4);
  });

  it('ser features writes the log-Mel of an Opus file (decoded at 48 kHz)', () => {
    const { code, output } = ws.ser(['features', whole.opus, '--out', join(ws.root, 'data/opus.arrow')]);
    expect(code, output).toBe(0);
    expect(output).toMatch(/logmel \[128,128\].*source 48000 Hz × 1 ch/);
  });
});
