/**
 * `ser bench features`: single-thread cost of each step of the feature pipeline on real WAV files
 * (decode, resample, trim, log-Mel), then the trim + mel work of the stages on a worker pool.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { toRagged, withPool } from '@ser/core';
import { decodeWav, resample } from '@ser/dsp';
import { clipTensor } from './extract.ts';
import { FEATURE_WORKER, melTensors, trimFiles } from './feature-pool.ts';
import { melParams, trimParams } from './params.ts';
import { trimSilence } from './trim.ts';
import type { TrimmedClip } from './extract.ts';

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
/** CPU time of the whole process (all threads), ms: wall time alone misleads on a shared machine. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * Benchmark on the WAVs under `dir` (first `limit` files; default all).
 * Returns milliseconds per file for each step on one thread (wall, plus the process CPU time), and
 * the wall and CPU time of the pooled trim + mel work (pool of `workers`, default 2) on the same files.
 */
export async function benchFeatures({ dir, limit, workers = 2 }: { dir: string; limit?: number; workers?: number }): Promise<object> {
  const files = listWavs(dir).slice(0, limit ?? Infinity);
  if (!files.length) throw new Error(`bench features: no .wav files under ${dir}`);
  const trim = trimParams.parse({});
  const mel = melParams.parse({});
  const bytes = files.map((f) => readFileSync(f));

  // Warm-up (JIT, FFT plans, filterbank) on the first file, not timed.
  const warm = decodeWav(bytes[0], files[0]);
  clipTensor(resample(warm.samples, warm.sampleRate, trim.sampleRate), trim.sampleRate, mel);

  const ms = { decode: 0, resample: 0, trim: 0, mel: 0 };
  let audioSeconds = 0;
  const cpuStart = cpuMs();
  for (let i = 0; i < files.length; i++) {
    let t = performance.now();
    const wav = decodeWav(bytes[i], files[i]);
    ms.decode += performance.now() - t;
    t = performance.now();
    const y = resample(wav.samples, wav.sampleRate, trim.sampleRate);
    ms.resample += performance.now() - t;
    t = performance.now();
    const interval = trimSilence(y, trim);
    ms.trim += performance.now() - t;
    t = performance.now();
    if (interval) clipTensor(y.subarray(interval.start, interval.end), trim.sampleRate, mel);
    ms.mel += performance.now() - t;
    audioSeconds += wav.samples.length / wav.sampleRate;
  }
  const cpuPerFile = (cpuMs() - cpuStart) / files.length;
  const perFile = Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, round(v / files.length)]));
  const total = round((ms.decode + ms.resample + ms.trim + ms.mel) / files.length);

  return {
    files: files.length,
    audioSeconds: round(audioSeconds, 1),
    // Other processes inflate every figure on a 2-core machine: report how busy it was.
    loadAverage1m: round(loadavg()[0], 2),
    singleThreadMsPerFile: { ...perFile, total, cpuTotal: round(cpuPerFile) },
    pool: await poolThroughput(files, workers),
  };
}

/**
 * The stages' work on one pool: trimFiles, then melTensors. trimSeconds includes the workers'
 * start-up, as in a stage run (each stage starts its own pool; here mel reuses the warm one).
 */
async function poolThroughput(files: string[], workers: number): Promise<object> {
  const trim = trimParams.parse({});
  const mel = melParams.parse({});
  const start = performance.now();
  const cpuStart = cpuMs();
  const { trimDone, failed } = await withPool(
    FEATURE_WORKER,
    async (pool) => {
      const results = await trimFiles(pool, files, trim);
      const clips = results.filter((r): r is TrimmedClip => !(r instanceof Error));
      const trimDone = performance.now();
      const { data, offsets } = toRagged(clips.map((c) => c.audio));
      await melTensors(pool, data, offsets, trim.sampleRate, mel);
      return { trimDone, failed: files.length - clips.length };
    },
    workers,
  );
  const end = performance.now();
  return {
    workers,
    trimSeconds: round((trimDone - start) / 1000),
    melSeconds: round((end - trimDone) / 1000),
    wallSeconds: round((end - start) / 1000),
    cpuSeconds: round((cpuMs() - cpuStart) / 1000),
    failed,
  };
}
