/**
 * The `trim` and `mel` stages. trim: ingest's recordings -> decode, resample, trim (worker pool)
 * -> `audio`; mel: `audio` -> fixed-size log-Mel tensors -> `tensors`. Unreadable, malformed and
 * all-silent files are excluded with ctx.fail and listed in the manifest.
 */
import {
  OUTPUTS,
  buildTable,
  createPool,
  readRagged,
  readStrings,
  type MelParams,
  type StageContext,
  type StageDefinition,
  type TrimParams,
} from '@ser/core';
import type { TrimmedClip } from './extract.ts';
import type { MelBatch } from './worker.ts';

const WORKER = new URL('./worker.ts', import.meta.url);
/** Clips per mel message: amortises structured-clone overhead, keeps both workers busy. */
const MEL_BATCH = 24;

/** Concatenate rows into List<Float32> values + offsets. */
function ragged(rows: Float32Array[]): { data: Float32Array; offsets: Int32Array } {
  const offsets = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => (offsets[i + 1] = offsets[i] + r.length));
  const data = new Float32Array(offsets[rows.length]);
  rows.forEach((r, i) => data.set(r, offsets[i]));
  return { data, offsets };
}

async function runTrim(ctx: StageContext<TrimParams>) {
  const recordings = await ctx.readTable('ingest', OUTPUTS.ingest.recordings);
  const ids = readStrings(recordings, 'id');
  const paths = readStrings(recordings, 'path');
  const progress = ctx.progress('trim', ids.length);
  const pool = createPool(WORKER);
  let silent = 0;
  const clips: (TrimmedClip | null)[] = [];
  try {
    await Promise.all(
      ids.map(async (id, i) => {
        try {
          clips[i] = await pool.call<TrimmedClip>('trimFile', [paths[i], ctx.params]);
        } catch (e) {
          const message = (e as Error).message;
          if (message.includes('all-silent')) silent++;
          ctx.fail(id, message);
          clips[i] = null;
        } finally {
          progress.tick();
        }
      }),
    );
  } finally {
    progress.done();
    await pool.close();
  }
  const kept = ids.flatMap((id, i) => (clips[i] ? [{ id, clip: clips[i]! }] : []));
  const column = (f: (c: TrimmedClip) => number) => Int32Array.from(kept, ({ clip }) => f(clip));
  await ctx.writeTable(
    OUTPUTS.trim.audio,
    buildTable(kept.length, {
      id: kept.map((k) => k.id),
      source_rate: column((c) => c.sourceRate),
      source_channels: column((c) => c.sourceChannels),
      trim_start: column((c) => c.trimStart),
      trim_end: column((c) => c.trimEnd),
      audio: ragged(kept.map((k) => k.clip.audio)),
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
  const table = await ctx.readTable('trim', OUTPUTS.trim.audio);
  const { sampleRate } = ctx.upstream('trim').params as TrimParams;
  const ids = readStrings(table, 'id');
  const { data, offsets } = readRagged(table, 'audio');
  const { nMels, frames: target } = ctx.params;
  const size = nMels * target;
  const logmel = new Float32Array(ids.length * size);
  const frames = new Int32Array(ids.length);
  const progress = ctx.progress('mel', ids.length);
  const pool = createPool(WORKER);
  try {
    const batches: Promise<void>[] = [];
    for (let b = 0; b < ids.length; b += MEL_BATCH) {
      const e = Math.min(ids.length, b + MEL_BATCH);
      // Copy the batch's audio out so it can be transferred to the worker.
      const audio = data.slice(offsets[b], offsets[e]);
      const local = offsets.slice(b, e + 1).map((o) => o - offsets[b]);
      batches.push(
        pool.call<MelBatch>('melBatch', [audio, local, sampleRate, ctx.params], [audio.buffer, local.buffer]).then((r) => {
          logmel.set(r.logmel, b * size);
          frames.set(r.frames, b);
          progress.tick(e - b);
        }),
      );
    }
    await Promise.all(batches);
  } finally {
    progress.done();
    await pool.close();
  }
  await ctx.writeTable(OUTPUTS.mel.tensors, buildTable(ids.length, { id: ids, frames, logmel: { data: logmel, shape: [nMels, target] } }));
  const padded = frames.filter((f) => f < target).length;
  Object.assign(ctx.summary, {
    tensors: ids.length,
    shape: [nMels, target],
    padded,
    truncated: frames.filter((f) => f > target).length,
    framesMean: frames.reduce((a, b) => a + b, 0) / Math.max(1, frames.length),
  });
}

export const stages: StageDefinition[] = [
  { name: 'trim', run: runTrim },
  { name: 'mel', run: runMel },
];
