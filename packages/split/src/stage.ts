/**
 * The `split` stage: ingest's recordings → one role (train, val, test) per recording, leak-free
 * (see split.ts). It reads ids, labels, speakers and content hashes only; tensors made from a
 * recording (its log-Mel, its augmented variants) follow it by recording id (join.ts).
 */
import { CLASSES_METADATA, buildTable, defineStage, readClasses, readNumbers, readStrings } from '@ser/core';
import { splitParams } from './params.ts';
import { SPLITS, stratifiedSplit } from './split.ts';

export const stage = defineStage({
  name: 'split',
  params: splitParams,
  outputs: {
    assignment: {
      description: "one row per recording, in ingest order; schema metadata 'ser:classes' as ingest's",
      columns: {
        id: 'utf8: recording id',
        split: "utf8: 'train', 'val' or 'test'",
        label_index: 'int32: index into ser:classes',
        speaker: 'utf8: speaker id',
      },
    },
  },
  async run(ctx) {
    const recordings = await ctx.readTable('ingest', 'recordings');
    const classes = readClasses(recordings, 'ingest/recordings');
    const ids = readStrings(recordings, 'id');
    const labels = readNumbers(recordings, 'label_index');
    const speakers = readStrings(recordings, 'speaker');
    const hashes = readStrings(recordings, 'sha256');
    const records = ids.map((id, i) => ({ id, label_index: labels[i], speaker: speakers[i], sha256: hashes[i] }));
    const { split, actors } = stratifiedSplit(records, ctx.params);

    await ctx.writeTable(
      'assignment',
      buildTable(ids.length, { id: ids, split, label_index: Int32Array.from(labels), speaker: speakers }, { [CLASSES_METADATA]: JSON.stringify(classes) }),
    );

    const classCounts = Object.fromEntries(
      SPLITS.map((s) => [s, Object.fromEntries(classes.map((c, li) => [c, records.filter((r, k) => split[k] === s && r.label_index === li).length]))]),
    );
    Object.assign(ctx.summary, {
      protocol: ctx.params.groupBy === 'actor' ? 'actor-held-out' : 'random',
      recordings: Object.fromEntries(SPLITS.map((s) => [s, split.filter((x) => x === s).length])),
      classCounts,
      ...(actors ? { actors } : {}),
    });
    for (const s of SPLITS) ctx.log(`${s}: ${classes.map((c) => `${c} ${classCounts[s][c]}`).join(', ')}`);
  },
});
