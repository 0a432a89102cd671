/**
 * The trim and mel work on a worker pool (worker.ts): the stages and `ser bench features` share it.
 * A failed file yields its Error in place of its clip, so one bad file never stops the others.
 */
import type { WorkerPool } from '@ser/core';
import type { TrimmedClip } from './extract.ts';
import type { MelParams, TrimParams } from './params.ts';
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
