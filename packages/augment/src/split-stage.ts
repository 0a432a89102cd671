/** The `split` stage: recordings → train/val/test, then every tensor follows its source recording. */
import {
  CLASSES_METADATA,
  OUTPUTS,
  buildTable,
  readNumbers,
  readStrings,
  type SplitParams,
  type StageDefinition,
} from '@ser/core';
import { SPLITS, stratifiedSplit, type SplitName } from './split.ts';

export const splitStage: StageDefinition<SplitParams> = {
  name: 'split',
  async run(ctx) {
    const recordings = await ctx.readTable('ingest', OUTPUTS.ingest.recordings);
    const mel = await ctx.readTable('mel', OUTPUTS.mel.tensors);
    const augment = await ctx.readTable('augment', OUTPUTS.augment.tensors);
    const classesJson = recordings.schema.metadata.get(CLASSES_METADATA);
    if (!classesJson) throw new Error(`ingest/${OUTPUTS.ingest.recordings}: no '${CLASSES_METADATA}' schema metadata`);
    const classes = JSON.parse(classesJson) as string[];

    const ingestRow = new Map(readStrings(recordings, 'id').map((id, i) => [id, i]));
    const labels = readNumbers(recordings, 'label_index');
    const speakers = readStrings(recordings, 'speaker');
    const hashes = readStrings(recordings, 'sha256');

    // Split the recordings that reached the mel stage; tensors are what training sees.
    const melIds = readStrings(mel, 'id');
    const records = melIds.map((id) => {
      const i = ingestRow.get(id);
      if (i === undefined) throw new Error(`mel/${OUTPUTS.mel.tensors}: tensor '${id}' has no recording in ingest/${OUTPUTS.ingest.recordings}`);
      return { id, label_index: labels[i], speaker: speakers[i], sha256: hashes[i] };
    });
    const { split, actors } = stratifiedSplit(records, ctx.params);
    const splitOf = new Map(records.map((r, k) => [r.id, split[k]]));

    // Rows: every mel tensor, then the augmented variants of training recordings only.
    const rows = { id: [] as string[], source: [] as string[], split: [] as string[], table: [] as string[], row: [] as number[], label: [] as number[] };
    const add = (id: string, source: string, s: SplitName, table: 'mel' | 'augment', row: number, label: number) => {
      rows.id.push(id);
      rows.source.push(source);
      rows.split.push(s);
      rows.table.push(table);
      rows.row.push(row);
      rows.label.push(label);
    };
    records.forEach((r, k) => add(r.id, r.id, split[k], 'mel', k, r.label_index));
    const sources = readStrings(augment, 'source');
    readStrings(augment, 'id').forEach((id, row) => {
      const s = splitOf.get(sources[row]);
      if (s === undefined) ctx.fail(id, `augment: source recording '${sources[row]}' has no mel tensor`);
      else if (s === 'train') add(id, sources[row], s, 'augment', row, labels[ingestRow.get(sources[row])!]);
    });

    await ctx.writeTable(
      OUTPUTS.split.assignment,
      buildTable(
        rows.id.length,
        {
          id: rows.id,
          source: rows.source,
          split: rows.split,
          table: rows.table,
          row: Int32Array.from(rows.row),
          label_index: Int32Array.from(rows.label),
        },
        { [CLASSES_METADATA]: classesJson },
      ),
    );

    const count = (pred: (k: number) => boolean) => rows.id.reduce((n, _, k) => n + (pred(k) ? 1 : 0), 0);
    const classCounts = Object.fromEntries(
      SPLITS.map((s) => [s, Object.fromEntries(classes.map((c, li) => [c, records.filter((r, k) => split[k] === s && r.label_index === li).length]))]),
    );
    Object.assign(ctx.summary, {
      protocol: ctx.params.groupBy === 'actor' ? 'actor-held-out' : 'random',
      recordings: Object.fromEntries(SPLITS.map((s) => [s, split.filter((x) => x === s).length])),
      tensors: Object.fromEntries(SPLITS.map((s) => [s, count((k) => rows.split[k] === s)])),
      augmentedInTrain: count((k) => rows.table[k] === 'augment'),
      classCounts,
      ...(actors ? { actors } : {}),
    });
    for (const s of SPLITS) ctx.log(`${s}: ${classes.map((c) => `${c} ${classCounts[s][c]}`).join(', ')}`);
  },
};
