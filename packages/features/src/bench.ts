/**
 * `ser bench features`: single-thread cost of each step of the feature pipeline on real WAV files
 * (decode, resample, trim, log-Mel), then the trim + mel work of the stages on a worker pool.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createPool, stageParams } from '@ser/core';
import { clipTensor } from './extract.ts';
import { resample } from './resample.ts';
import { trimSilence } from './trim.ts';
import { decodeWav } from './wav.ts';
import type { TrimmedClip } from './extract.ts';
import type { MelBatch } from './worker.ts';

/** Every .wav under `dir` (recursively), sorted. */
function listWavs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listWavs(full));
    else if (name.toLowerCase().endsWith('.wav')) out.push(full);
  }
  return out;
}

const round = (x: number, digits = 3) => Number(x.toFixed(digits));

/**
 * Benchmark on the WAVs under `dir` (first `limit` files; default all).
 * Returns milliseconds per file for each step on one thread, and the wall time of the pooled
 * trim + mel work (pool of `workers`, default 2) over the same files.
 */
export async function benchFeatures({ dir, limit, workers = 2 }: { dir: string; limit?: number; workers?: number }): Promise<object> {
  const files = listWavs(dir).slice(0, limit ?? Infinity);
  if (!files.length) throw new Error(`bench features: no .wav files under ${dir}`);
  const trimParams = stageParams('trim', {});
  const melParams = stageParams('mel', {});
  const bytes = files.map((f) => readFileSync(f));

  // Warm-up (JIT, FFT plans, filterbank) on the first file, not timed.
  const warm = decodeWav(bytes[0], files[0]);
  clipTensor(resample(warm.samples, warm.sampleRate, trimParams.sampleRate), trimParams.sampleRate, melParams);

  const ms = { decode: 0, resample: 0, trim: 0, mel: 0 };
  let audioSeconds = 0;
  for (let i = 0; i < files.length; i++) {
    let t = performance.now();
    const wav = decodeWav(bytes[i], files[i]);
    ms.decode += performance.now() - t;
    t = performance.now();
    const y = resample(wav.samples, wav.sampleRate, trimParams.sampleRate);
    ms.resample += performance.now() - t;
    t = performance.now();
    const interval = trimSilence(y, trimParams);
    ms.trim += performance.now() - t;
    t = performance.now();
    if (interval) clipTensor(y.subarray(interval.start, interval.end), trimParams.sampleRate, melParams);
    ms.mel += performance.now() - t;
    audioSeconds += wav.samples.length / wav.sampleRate;
  }
  const perFile = Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, round(v / files.length)]));
  const total = round((ms.decode + ms.resample + ms.trim + ms.mel) / files.length);

  return {
    files: files.length,
    audioSeconds: round(audioSeconds, 1),
    singleThreadMsPerFile: { ...perFile, total },
    pool: await poolThroughput(files, workers),
  };
}

/** The stages' work on a pool: trimFile per file, then melBatch over the trimmed clips. */
async function poolThroughput(files: string[], workers: number): Promise<object> {
  const trimParams = stageParams('trim', {});
  const melParams = stageParams('mel', {});
  const start = performance.now();
  const pool = createPool(new URL('./worker.ts', import.meta.url), workers);
  try {
    // Worker start-up (tsx compile of the worker module) is part of a stage run; report it apart too.
    await Promise.all(Array.from({ length: workers }, () => pool.call('melBatch', [new Float32Array(0), Int32Array.of(0), 22050, melParams])));
    const ready = performance.now();
    const clips = await Promise.all(files.map((f) => pool.call<TrimmedClip>('trimFile', [f, trimParams]).catch(() => null)));
    const trimmed = clips.filter((c): c is TrimmedClip => c !== null);
    const trimDone = performance.now();
    const batch = 24;
    const jobs: Promise<MelBatch>[] = [];
    for (let b = 0; b < trimmed.length; b += batch) {
      const part = trimmed.slice(b, b + batch);
      const offsets = new Int32Array(part.length + 1);
      part.forEach((c, i) => (offsets[i + 1] = offsets[i] + c.audio.length));
      const audio = new Float32Array(offsets[part.length]);
      part.forEach((c, i) => audio.set(c.audio, offsets[i]));
      jobs.push(pool.call<MelBatch>('melBatch', [audio, offsets, trimParams.sampleRate, melParams], [audio.buffer, offsets.buffer]));
    }
    await Promise.all(jobs);
    const end = performance.now();
    return {
      workers,
      startupSeconds: round((ready - start) / 1000),
      trimSeconds: round((trimDone - ready) / 1000),
      melSeconds: round((end - trimDone) / 1000),
      wallSeconds: round((end - start) / 1000),
      failed: files.length - trimmed.length,
    };
  } catch (e) {
    return { workers, error: (e as Error).message };
  } finally {
    await pool.close();
  }
}
