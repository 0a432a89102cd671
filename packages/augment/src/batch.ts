/** Rendering many clips' variants on a worker pool (src/worker.ts), results in input order. */
import type { AugmentParams, MelParams, RaggedBatch, WorkerPool } from '@ser/core';
import type { augmentClip } from './augment.ts';

export type ClipResult = ReturnType<typeof augmentClip>;

/**
 * Render every clip of `audio` on `pool`; a clip whose rendering throws is reported to `onError`
 * and left null. Only `pool.size` clips are copied out at a time (a posted subarray would clone
 * its whole buffer).
 */
export async function augmentAll(
  pool: WorkerPool,
  ids: readonly string[],
  audio: RaggedBatch,
  sampleRate: number,
  params: AugmentParams,
  mel: MelParams,
  on: { clipDone?: () => void; error?: (id: string, e: Error) => void } = {},
): Promise<(ClipResult | null)[]> {
  const results = new Array<ClipResult | null>(ids.length).fill(null);
  let next = 0;
  const drain = async () => {
    for (let i = next++; i < ids.length; i = next++) {
      const clip = audio.data.slice(audio.offsets[i], audio.offsets[i + 1]);
      try {
        results[i] = await pool.call<ClipResult>('augmentClip', [ids[i], clip, sampleRate, params, mel], [clip.buffer]);
      } catch (e) {
        on.error?.(ids[i], e as Error);
      }
      on.clipDone?.();
    }
  };
  await Promise.all(Array.from({ length: pool.size }, drain));
  return results;
}
