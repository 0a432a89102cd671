/**
 * The `trim` and `mel` stages. trim: ingest's recordings -> decode, resample, trim (worker pool)
 * -> `audio`; mel: `audio` -> fixed-size log-Mel tensors -> `tensors`. Unreadable, malformed and
 * all-silent files are excluded with ctx.fail and listed in the manifest.
 */
import {
  OUTPUTS,
  buildTable,
  readRagged,
  readStrings,
  toRagged,
  withPool,
  type MelParams,
  type StageContext,
  type StageDefinition,
  type TrimParams,
  type WorkerPool,
} from '@ser/core';
import type { TrimmedClip } from './extract.ts';
import type { MelBatch } from './worker.ts';

/** The worker module of trimFiles and melTensors. The stages start its pool before reading their inputs. */
export const FEATURE_WORKER = new URL('./worker.ts', import.meta.url);
/** Clips per mel message: amortises structured-clone overhead, keeps both workers busy. */
const MEL_BATCH = 24;

/** Decode, resample and trim every file on `pool` (worker.ts); a failed file yields its Error. */
export function trimFiles(pool: WorkerPool, paths: string[], params: TrimParams, onDone: () => void = () => {}): Promise<(TrimmedClip | Error)[]> {
  return Promise.all(
    paths.map((path) =>
      pool
        .call<TrimmedClip>('trimFile', [path, params])
        .catch((e: Error) => e)
        .finally(onDone),
    ),
  );
}

/** Fixed-size log-Mel tensors of ragged audio (values + offsets) on `pool` (worker.ts), in row order. */
export async function melTensors(
  pool: WorkerPool,
  data: Float32Array,
  offsets: Int32Array,
  sampleRate: number,
  params: MelParams,
  onDone: (clips: number) => void = () => {},
): Promise<MelBatch> {
  const clips = offsets.length - 1;
  const size = params.nMels * params.frames;
  const logmel = new Float32Array(clips * size);
  const frames = new Int32Array(clips);
  const batches: Promise<void>[] = [];
  for (let b = 0; b < clips; b += MEL_BATCH) {
    const e = Math.min(clips, b + MEL_BATCH);
    // Copy the batch's audio out so it can be transferred to the worker.
    const audio = data.slice(offsets[b], offsets[e]);
    const local = offsets.slice(b, e + 1).map((o) => o - offsets[b]);
    batches.push(
      pool.call<MelBatch>('melBatch', [audio, local, sampleRate, params], [audio.buffer, local.buffer]).then((r) => {
        logmel.set(r.logmel, b * size);
        frames.set(r.frames, b);
        onDone(e - b);
      }),
    );
  }
  await Promise.all(batches);
  return { logmel, frames };
}

async function runTrim(ctx: StageContext<TrimParams>) {
  const { ids, results } = await withPool(FEATURE_WORKER, async (pool) => {
    const recordings = await ctx.readTable('ingest', OUTPUTS.ingest.recordings);
    const ids = readStrings(recordings, 'id');
    const progress = ctx.progress('trim', ids.length);
    const results = await trimFiles(pool, readStrings(recordings, 'path'), ctx.params, () => progress.tick()).finally(() => progress.done());
    return { ids, results };
  });
  const kept: { id: string; clip: TrimmedClip }[] = [];
  let silent = 0;
  results.forEach((r, i) => {
    if (!(r instanceof Error)) return kept.push({ id: ids[i], clip: r });
    if (r.message.includes('all-silent')) silent++;
    ctx.fail(ids[i], r.message);
  });
  const column = (f: (c: TrimmedClip) => number) => Int32Array.from(kept, ({ clip }) => f(clip));
  await ctx.writeTable(
    OUTPUTS.trim.audio,
    buildTable(kept.length, {
      id: kept.map((k) => k.id),
      source_rate: column((c) => c.sourceRate),
      source_channels: column((c) => c.sourceChannels),
      trim_start: column((c) => c.trimStart),
      trim_end: column((c) => c.trimEnd),
      audio: toRagged(kept.map((k) => k.clip.audio)),
    }),
  );
  const seconds = kept.map((k) => k.clip.audio.length / ctx.params.sampleRate);
  Object.assign(ctx.summary, {
    clips: kept.length,
    failed: ids.length - kept.length,
    silent,
    trimmedSeconds: {
      mean: seconds.reduce((a, b) => a + b, 0) / Math.max(1, seconds.length),
      min: Math.min(...seconds),
      max: Math.max(...seconds),
    },
  });
}

async function runMel(ctx: StageContext<MelParams>) {
  const { sampleRate } = ctx.upstream('trim').params as TrimParams;
  const { nMels, frames: target } = ctx.params;
  const { ids, logmel, frames } = await withPool(FEATURE_WORKER, async (pool) => {
    const table = await ctx.readTable('trim', OUTPUTS.trim.audio);
    const ids = readStrings(table, 'id');
    const { data, offsets } = readRagged(table, 'audio');
    const progress = ctx.progress('mel', ids.length);
    const tensors = await melTensors(pool, data, offsets, sampleRate, ctx.params, (n) => progress.tick(n)).finally(() => progress.done());
    return { ids, ...tensors };
  });
  await ctx.writeTable(OUTPUTS.mel.tensors, buildTable(ids.length, { id: ids, frames, logmel: { data: logmel, shape: [nMels, target] } }));
  Object.assign(ctx.summary, {
    tensors: ids.length,
    shape: [nMels, target],
    padded: frames.filter((f) => f < target).length,
    truncated: frames.filter((f) => f > target).length,
    framesMean: frames.reduce((a, b) => a + b, 0) / Math.max(1, frames.length),
  });
}

export const stages: StageDefinition[] = [
  { name: 'trim', run: runTrim },
  { name: 'mel', run: runMel },
];
