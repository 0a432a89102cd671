/** The `mel` stage: trim's `audio` -> fixed-size log-Mel tensors (worker pool) -> `tensors`. */
import { buildTable, defineStage, readRagged, readStrings, withPool, type StageContext } from '@ser/core';
import { FEATURE_WORKER, melTensors } from './feature-pool.ts';
import { melParams, trimParams, type MelParams } from './params.ts';

async function runMel(ctx: StageContext<MelParams>) {
  const { sampleRate } = trimParams.parse(ctx.upstream('trim').params);
  const { nMels, frames: target } = ctx.params;
  const { ids, logmel, frames } = await withPool(FEATURE_WORKER, async (pool) => {
    const table = await ctx.readTable('trim', 'audio');
    const ids = readStrings(table, 'id');
    const { data, offsets } = readRagged(table, 'audio');
    const progress = ctx.progress('mel', ids.length);
    const tensors = await melTensors(pool, data, offsets, sampleRate, ctx.params, (n) => progress.tick(n)).finally(() => progress.done());
    return { ids, ...tensors };
  });
  await ctx.writeTable('tensors', buildTable(ids.length, { id: ids, frames, logmel: { data: logmel, shape: [nMels, target] } }));
  Object.assign(ctx.summary, {
    tensors: ids.length,
    shape: [nMels, target],
    padded: frames.filter((f) => f < target).length,
    truncated: frames.filter((f) => f > target).length,
    framesMean: frames.reduce((a, b) => a + b, 0) / Math.max(1, frames.length),
  });
}

export const stage = defineStage({
  name: 'mel',
  params: melParams,
  outputs: {
    tensors: {
      description: 'one log-Mel tensor per trimmed clip, in trim order',
      columns: {
        id: 'utf8: recording id',
        frames: 'int32: real frames before padding or truncation to mel.frames',
        logmel: 'fixed_shape_tensor<float32>[nMels, frames]: power_to_db(ref=max) log-Mel, padded with the floor',
      },
    },
  },
  run: runMel,
});
