/** The `augment` stage: noise / pitch-shift / time-stretch variants of every trimmed clip, as log-Mel tensors. */
import { buildTable, createPool, melSchema, OUTPUTS, readRagged, readStrings, trimSchema, type AugmentParams, type StageDefinition } from '@ser/core';
import { AUGMENT_KINDS, variantId, variantsOf } from './augment.ts';
import { augmentAll } from './batch.ts';

export const augmentStage: StageDefinition<AugmentParams> = {
  name: 'augment',
  async run(ctx) {
    const trimmed = await ctx.readTable('trim', OUTPUTS.trim.audio);
    // The mel stage's resolved params, so variants are featurised exactly like the originals.
    const mel = melSchema.parse(ctx.upstream('mel').params);
    const { sampleRate } = trimSchema.parse(ctx.upstream('trim').params);
    const ids = readStrings(trimmed, 'id');
    const variants = variantsOf(ctx.params);

    const started = performance.now();
    const progress = ctx.progress('augment', ids.length);
    const pool = createPool(new URL('./worker.ts', import.meta.url));
    const results = await augmentAll(pool, ids, readRagged(trimmed, 'audio'), sampleRate, ctx.params, mel, {
      clipDone: () => progress.tick(),
      error: (id, e) => ctx.fail(id, `augment failed: ${e.message}`),
    }).finally(() => (progress.done(), pool.close()));

    // Rows in trim order, then kind order, then n: independent of worker scheduling.
    const done = results.flatMap((r, i) => (r ? [{ source: ids[i], r }] : []));
    const rows = done.length * variants.length;
    const size = mel.nMels * mel.frames;
    const logmel = new Float32Array(rows * size);
    const amounts = new Float64Array(rows);
    const frames = new Int32Array(rows);
    done.forEach(({ r }, c) => {
      logmel.set(r.logmel, c * variants.length * size);
      amounts.set(r.amounts, c * variants.length);
      frames.set(r.frames, c * variants.length);
    });
    await ctx.writeTable(
      OUTPUTS.augment.tensors,
      buildTable(rows, {
        id: done.flatMap(({ source }) => variants.map((v) => variantId(source, v.kind, v.n))),
        source: done.flatMap(({ source }) => variants.map(() => source)),
        kind: done.flatMap(() => variants.map((v) => v.kind)),
        amount: amounts,
        frames,
        logmel: { data: logmel, shape: [mel.nMels, mel.frames] },
      }),
    );
    Object.assign(ctx.summary, {
      clips: done.length,
      tensors: rows,
      perKind: Object.fromEntries(AUGMENT_KINDS.map((k) => [k, done.length * variants.filter((v) => v.kind === k).length])),
      workers: pool.size,
      msPerClip: done.length ? (performance.now() - started) / done.length : 0,
    });
  },
};
