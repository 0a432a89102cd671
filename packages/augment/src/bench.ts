/**
 * `ser bench augment`: ms per clip per augmentation including its log-Mel tensor, single thread,
 * on RAVDESS WAVs (decoded, resampled and trimmed as the trim stage does), and the stage's
 * throughput on a worker pool. librosa 0.10 on the same 2-core machine: about 5 ms (noise),
 * 23 ms (pitch shift) and 19 ms (time stretch) per clip including the mel.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { toRagged, withPool } from '@ser/core';
import { melParams, trimParams } from '@ser/features/params';
import { augmentParams } from './params.ts';
import { clipTensor, loadTrimmed } from '@ser/features';
import { AUGMENT_KINDS, augmentClip, renderVariant } from './augment.ts';
import { augmentAll } from './batch.ts';

/** RAVDESS WAVs under `dir` (Actor_XX/*.wav), sorted; `limit` picks that many spread evenly. */
function wavFiles(dir: string, limit?: number): string[] {
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name.startsWith('Actor_'))
    .flatMap((d) =>
      readdirSync(join(dir, d.name))
        .filter((f) => f.endsWith('.wav'))
        .map((f) => join(d.name, f)),
    )
    .sort();
  if (files.length === 0) throw new Error(`bench augment: no Actor_XX/*.wav under ${dir}`);
  if (!limit || limit >= files.length) return files;
  return Array.from({ length: limit }, (_, i) => files[Math.floor((i * files.length) / limit)]);
}

const round = (x: number) => Math.round(x * 100) / 100;

/**
 * Mean wall and CPU ms per clip of `f` over all clips, after a warm-up over the first few.
 * CPU time (process.cpuUsage, this single-threaded loop plus GC threads) is the fairer figure
 * when other processes share the cores.
 */
function msPerClip(clips: Float32Array[], f: (y: Float32Array, i: number) => void): { wall: number; cpu: number } {
  clips.slice(0, 5).forEach(f);
  const t = performance.now();
  const c = process.cpuUsage();
  clips.forEach(f);
  const { user, system } = process.cpuUsage(c);
  return { wall: round((performance.now() - t) / clips.length), cpu: round((user + system) / 1000 / clips.length) };
}

export async function benchAugment({ dir, limit = 120, workers = 2 }: { dir: string; limit?: number; workers?: number }): Promise<object> {
  const trim = trimParams.parse({});
  const mel = melParams.parse({});
  const params = augmentParams.parse({});
  const sr = trim.sampleRate;
  const files = wavFiles(dir, limit);
  const clips = await Promise.all(files.map(async (f) => (await loadTrimmed(readFileSync(join(dir, f)), f, trim)).audio));

  const single = Object.fromEntries(
    AUGMENT_KINDS.map((kind) => [kind, msPerClip(clips, (y, i) => clipTensor(renderVariant(y, sr, files[i], kind, 0, params).audio, sr, mel))]),
  );
  const melOnly = msPerClip(clips, (y) => clipTensor(y, sr, mel));
  const allVariants = msPerClip(clips, (y, i) => augmentClip(files[i], y, sr, params, mel));

  const audio = toRagged(clips);
  const wallMs = await withPool(
    new URL('./worker.ts', import.meta.url),
    async (pool) => {
      await augmentAll(pool, files.slice(0, 4 * workers), audio, sr, params, mel); // worker start-up and JIT warm-up
      const t = performance.now();
      await augmentAll(pool, files, audio, sr, params, mel);
      return performance.now() - t;
    },
    workers,
  );
  return {
    // Wall figures mean little when other processes share the cores: compare CPU figures then.
    loadAverage1m: round(loadavg()[0]),
    clips: clips.length,
    meanSeconds: round(audio.data.length / clips.length / sr),
    singleThreadMsPerClip: { ...single, melOnly, allThreeSharedAnalysis: allVariants },
    pool: { workers, wallMs: round(wallMs), msPerClipAllThree: round(wallMs / clips.length), clipsPerSecond: round((1000 * clips.length) / wallMs) },
    librosaMsPerClip: { noise: 5, pitch: 23, stretch: 19 },
  };
}
