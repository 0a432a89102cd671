/**
 * The `split` stage: ingest's recordings → the role (train, val, test) of each recording in each
 * fold of `split.protocol`, leak-free (split.ts, folds.ts). It reads ids, labels, speakers, genders
 * and content hashes only; tensors made from a recording (its log-Mel, its augmented variants)
 * follow it by recording id (join.ts).
 */
import { CLASSES_METADATA, buildTable, defineStage, readClasses, readNumbers, readStrings } from '@ser/core';
import { listDataset } from '@ser/ingest/listing';
import { FOLDS_METADATA } from './join.ts';
import { makeFolds } from './folds.ts';
import { foldCount, splitParams } from './params.ts';
import { SPLITS } from './split.ts';

export const stage = defineStage({
  name: 'split',
  params: splitParams,
  outputs: {
    assignment: {
      description:
        "one row per fold and recording (fold 1 first, recordings in ingest order); schema metadata 'ser:classes' as ingest's, 'ser:folds' the fold count",
      columns: {
        fold: 'int32: 1..folds',
        id: 'utf8: recording id',
        split: "utf8: 'train', 'val' or 'test' in this fold",
        label_index: 'int32: index into ser:classes',
        speaker: 'utf8: speaker id',
      },
    },
  },
  // Known before the stage runs (the pipeline makes one train and eval task per fold): speakers come from the dataset listing.
  async folds(params, dataset, root) {
    const speakers = () => new Set(listDataset(dataset, root).candidates.map((c) => c.speaker)).size;
    return foldCount(params, params.protocol === 'loso' ? speakers() : 0);
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
    const folds = makeFolds(records, ctx.params);

    const n = ids.length;
    await ctx.writeTable(
      'assignment',
      buildTable(
        n * folds.length,
        {
          fold: Int32Array.from({ length: n * folds.length }, (_, r) => Math.floor(r / n) + 1),
          id: folds.flatMap(() => ids),
          split: folds.flatMap((f) => f.split),
          label_index: Int32Array.from(folds.flatMap(() => labels)),
          speaker: folds.flatMap(() => speakers),
        },
        { [CLASSES_METADATA]: JSON.stringify(classes), [FOLDS_METADATA]: String(folds.length) },
      ),
    );

    const classCounts = (split: string[]) =>
      Object.fromEntries(
        SPLITS.map((s) => [s, Object.fromEntries(classes.map((c, li) => [c, records.filter((r, k) => split[k] === s && r.label_index === li).length]))]),
      );
    Object.assign(ctx.summary, {
      protocol: ctx.params.protocol === 'holdout' ? (ctx.params.groupBy === 'actor' ? 'actor-held-out' : 'random') : ctx.params.protocol,
      folds: folds.map((f, k) => ({
        fold: k + 1,
        recordings: Object.fromEntries(SPLITS.map((s) => [s, f.split.filter((x) => x === s).length])),
        actors: f.actors,
        classCounts: classCounts(f.split),
      })),
    });
    for (const [k, f] of folds.entries())
      ctx.log(
        `${folds.length > 1 ? `fold ${k + 1}/${folds.length}: ` : ''}${SPLITS.map((s) => `${s} ${f.split.filter((x) => x === s).length} recordings (${f.actors[s].length} speakers)`).join(', ')}`,
      );
  },
});
