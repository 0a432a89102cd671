/**
 * The `split` stage: ingest's recordings → the role (train, val, test) of each recording in one
 * fold of `split.protocol` per task, leak-free (split.ts, folds.ts). It reads ids, labels, speakers, genders
 * and content hashes only; tensors made from a recording (its log-Mel, its augmented variants)
 * follow it by recording id (join.ts).
 */
import { CLASSES_METADATA, buildTable, defineStage, readClasses, readNumbers, readStrings } from '@ser/core';
import { listDataset } from '@ser/ingest/listing';
import { makeFolds } from './folds.ts';
import { foldCount, partitionFoldCount, splitParams } from './params.ts';
import { SPLITS } from './split.ts';

export const stage = defineStage({
  name: 'split',
  params: splitParams,
  // One task per fold (`split.fold<k>`), each writing only its fold: a screen's first folds are byte
  // for byte the full cross-validation's, so their train and eval tasks keep their cache keys.
  perFold: true,
  outputs: {
    assignment: {
      description: "this fold's role of each recording (recordings in ingest order); schema metadata 'ser:classes' as ingest's",
      columns: {
        id: 'utf8: recording id',
        split: "utf8: 'train', 'val' or 'test' in this fold",
        label_index: 'int32: index into ser:classes',
        speaker: 'utf8: speaker id',
      },
    },
  },
  // Known before the stage runs (the pipeline makes one task per fold of every per-fold stage): speakers come from the dataset listing.
  async folds(params, dataset, root) {
    const speakers = params.protocol === 'loso' ? new Set(listDataset(dataset, root).candidates.map((c) => c.speaker)).size : 0;
    return { partition: partitionFoldCount(params, speakers), run: foldCount(params, speakers) };
  },
  async run(ctx) {
    const recordings = await ctx.readTable('ingest', 'recordings');
    const classes = readClasses(recordings, 'ingest/recordings');
    const ids = readStrings(recordings, 'id');
    const labels = readNumbers(recordings, 'label_index');
    const speakers = readStrings(recordings, 'speaker');
    const genders = readStrings(recordings, 'gender');
    const hashes = readStrings(recordings, 'sha256');
    const records = ids.map((id, i) => ({ id, label_index: labels[i], speaker: speakers[i], gender: genders[i], sha256: hashes[i] }));
    const fold = ctx.fold ?? { index: 1, count: 1 };
    const { split, actors } = makeFolds(records, ctx.params)[fold.index - 1];

    await ctx.writeTable(
      'assignment',
      buildTable(ids.length, { id: ids, split, label_index: Int32Array.from(labels), speaker: speakers }, { [CLASSES_METADATA]: JSON.stringify(classes) }),
    );

    const classCounts = Object.fromEntries(
      SPLITS.map((s) => [s, Object.fromEntries(classes.map((c, li) => [c, records.filter((r, k) => split[k] === s && r.label_index === li).length]))]),
    );
    Object.assign(ctx.summary, {
      protocol: ctx.params.protocol === 'holdout' ? (ctx.params.groupBy === 'actor' ? 'actor-held-out' : 'random') : ctx.params.protocol,
      fold: fold.index,
      recordings: Object.fromEntries(SPLITS.map((s) => [s, split.filter((x) => x === s).length])),
      actors,
      classCounts,
    });
    ctx.log(SPLITS.map((s) => `${s} ${split.filter((x) => x === s).length} recordings (${actors[s].length} speakers)`).join(', '));
  },
});
