/** Rendering many clips' variants on a worker pool (src/worker.ts), results in input order. */
import type { RaggedBatch, WorkerPool } from '@ser/core';
import type { MelParams } from '@ser/features/params';
import type { AugmentParams } from './params.ts';
import type { augmentClip } from './augment.ts';

export type ClipResult = ReturnType<typeof augmentClip>;

/**
 * Render every clip of `audio` on `pool`, handing each result to `on.result` as it arrives (so
 * the caller can place it without holding two copies); a clip whose rendering throws goes to
 * `on.error`. Only `pool.size` clips are copied out at a time (posting a subarray would clone
 * its whole buffer).
 */
export async function augmentAll(
  pool: WorkerPool,
  ids: readonly string[],
  audio: RaggedBatch,
  sampleRate: number,
  params: AugmentParams,
  mel: MelParams,
  on: { result?: (i: number, r: ClipResult) => void; error?: (id: string, e: Error) => void } = {},
): Promise<void> {
  let next = 0;
  const drain = async () => {
    for (let i = next++; i < ids.length; i = next++) {
      const clip = audio.data.slice(audio.offsets[i], audio.offsets[i + 1]);
      let r: ClipResult;
      try {
        r = await pool.call<ClipResult>('augmentClip', [ids[i], clip, sampleRate, params, mel], [clip.buffer]);
      } catch (e) {
        on.error?.(ids[i], e as Error);
        continue;
      }
      on.result?.(i, r);
    }
  };
  await Promise.all(Array.from({ length: pool.size }, drain));
}
