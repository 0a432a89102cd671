/** The `augment` stage: noise / pitch-shift / time-stretch / speed variants of every trimmed clip, as log-Mel tensors. */
import { buildTable, defineStage, readRagged, readStrings, withPool } from '@ser/core';
import { melParams, trimParams } from '@ser/features/params';
import { AUGMENT_KINDS, variantId, variantsOf } from './augment.ts';
import { augmentAll } from './batch.ts';
import { augmentParams } from './params.ts';

export const stage = defineStage({
  name: 'augment',
  params: augmentParams,
  outputs: {
    tensors: {
      description: "every variant of every trimmed clip, clip after clip in trim order, then by kind ('noise', 'pitch', 'stretch', 'speed') and n",
      columns: {
        id: "utf8: '<source>#<kind><n>'",
        source: 'utf8: the recording id it was made from',
        kind: "utf8: 'noise', 'pitch', 'stretch' or 'speed'",
        amount: 'float64: SNR in dB, semitones, stretch rate or speed factor',
        frames: 'int32: real frames before padding or truncation',
        logmel: "fixed_shape_tensor<float32>[nMels, frames]: as the mel stage's",
      },
    },
  },
  async run(ctx) {
    const trimmed = await ctx.readTable('trim', 'audio');
    // The mel stage's resolved params, so variants are featurised exactly like the originals.
    const mel = melParams.parse(ctx.upstream('mel').params);
    const { sampleRate } = trimParams.parse(ctx.upstream('trim').params);
    const ids = readStrings(trimmed, 'id');
    const variants = variantsOf(ctx.params);

    // Results land at their clip's place; failed clips are squeezed out afterwards, so rows
    // follow trim order, then kind order, then n, whatever the worker scheduling.
    const per = variants.length;
    const size = mel.nMels * mel.frames;
    const logmel = new Float32Array(ids.length * per * size);
    const amounts = new Float64Array(ids.length * per);
    const frames = new Int32Array(ids.length * per);
    const ok = new Uint8Array(ids.length);
    const started = performance.now();
    const progress = ctx.progress('augment', ids.length);
    const workers = await withPool(new URL('./worker.ts', import.meta.url), async (pool) => {
      await augmentAll(pool, ids, readRagged(trimmed, 'audio'), sampleRate, ctx.params, mel, {
        result(i, r) {
          logmel.set(r.logmel, i * per * size);
          amounts.set(r.amounts, i * per);
          frames.set(r.frames, i * per);
          ok[i] = 1;
          progress.tick();
        },
        error: (id, e) => (ctx.fail(id, `augment failed: ${e.message}`), progress.tick()),
      });
      return pool.size;
    }).finally(() => progress.done());

    const done: string[] = [];
    ids.forEach((id, i) => {
      if (!ok[i]) return;
      const c = done.push(id) - 1;
      if (c === i) return;
      logmel.copyWithin(c * per * size, i * per * size, (i + 1) * per * size);
      amounts.copyWithin(c * per, i * per, (i + 1) * per);
      frames.copyWithin(c * per, i * per, (i + 1) * per);
    });
    const rows = done.length * per;
    await ctx.writeTable(
      'tensors',
      buildTable(rows, {
        id: done.flatMap((source) => variants.map((v) => variantId(source, v.kind, v.n))),
        source: done.flatMap((source) => variants.map(() => source)),
        kind: done.flatMap(() => variants.map((v) => v.kind)),
        amount: amounts.subarray(0, rows),
        frames: frames.subarray(0, rows),
        logmel: { data: logmel.subarray(0, rows * size), shape: [mel.nMels, mel.frames] },
      }),
    );
    Object.assign(ctx.summary, {
      clips: done.length,
      tensors: rows,
      perKind: Object.fromEntries(AUGMENT_KINDS.map((k) => [k, done.length * variants.filter((v) => v.kind === k).length])),
      workers,
      msPerClip: done.length ? (performance.now() - started) / done.length : 0,
    });
  },
});
