/**
 * The `ingest` stage: list the dataset's clips with their labels and speakers, drop files that are
 * not speech clips (one warning with the count), and keep byte-identical recordings once.
 */
import { readFile } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import pLimit from 'p-limit';
import { z } from 'zod';
import { CLASSES_METADATA, buildTable, datasetPath, defineStage, recordingsDir, sha256, statFingerprint, type StageContext } from '@ser/core';
import { listDataset, type Candidate } from './listing.ts';
import { AUDIO_EXTENSIONS } from './ravdess.ts';

async function runIngest(ctx: StageContext<Record<string, never>>) {
  const { candidates: listed, skipped, classes } = listDataset(ctx.dataset, ctx.root);
  if (skipped.length)
    ctx.log(
      `ingest: warning: skipped ${skipped.length} file(s) that are not speech clips named 03-01-EE-II-SS-RR-AA.{${AUDIO_EXTENSIONS.join(',')}} (song, video or stray files), e.g. ${skipped.slice(0, 3).join(', ')}`,
    );

  // One file per recording id: the same clip in two formats (x.wav beside x.flac) would train twice.
  const firstWithId = new Map<string, string>();
  const candidates = listed.filter((c) => {
    const first = firstWithId.get(c.id);
    if (first) ctx.fail(c.path, `recording id '${c.id}' is already taken by ${first}; kept that one`);
    else firstWithId.set(c.id, c.path);
    return !first;
  });

  const progress = ctx.progress('hashing', candidates.length);
  const limit = pLimit(8);
  const hashes = await Promise.all(
    candidates.map((c) =>
      limit(async () => {
        try {
          return sha256(await readFile(c.path));
        } catch (e) {
          ctx.fail(c.path, `unreadable: ${(e as Error).message}`);
          return null;
        } finally {
          progress.tick();
        }
      }),
    ),
  );
  progress.done();

  const kept: (Candidate & { sha256: string })[] = [];
  const firstWithHash = new Map<string, string>();
  const duplicates: { kept: string; dropped: string }[] = [];
  candidates.forEach((c, i) => {
    const hash = hashes[i];
    if (!hash) return;
    const first = firstWithHash.get(hash);
    if (first) duplicates.push({ kept: first, dropped: c.id });
    else (firstWithHash.set(hash, c.id), kept.push({ ...c, sha256: hash }));
  });
  if (duplicates.length)
    ctx.log(`ingest: ${duplicates.length} identical recording(s) kept once: ${duplicates.map((d) => `${d.dropped} = ${d.kept}`).join(', ')}`);
  if (kept.length === 0) throw new Error(`dataset.path: no usable clips in ${datasetPath(ctx.dataset, ctx.root)}`);

  const int = (f: (c: Candidate) => number) => Int32Array.from(kept, f);
  const dir = recordingsDir(ctx.dataset, ctx.root);
  const table = buildTable(
    kept.length,
    {
      id: kept.map((c) => c.id),
      path: kept.map((c) => relative(dir, c.path).split(sep).join('/')),
      label: kept.map((c) => c.label),
      label_index: int((c) => c.labelIndex),
      speaker: kept.map((c) => c.speaker),
      gender: kept.map((c) => c.gender),
      intensity: int((c) => c.intensity),
      statement: int((c) => c.statement),
      repetition: int((c) => c.repetition),
      sha256: kept.map((c) => c.sha256),
    },
    { [CLASSES_METADATA]: JSON.stringify(classes) },
  );
  await ctx.writeTable('recordings', table);
  ctx.summary.datasetPath = datasetPath(ctx.dataset, ctx.root);
  ctx.summary.recordings = kept.length;
  ctx.summary.speakers = new Set(kept.map((c) => c.speaker)).size;
  ctx.summary.classCounts = Object.fromEntries(classes.map((name, i) => [name, kept.filter((c) => c.labelIndex === i).length]));
  ctx.summary.skipped = skipped.length;
  ctx.summary.duplicates = duplicates;
}

export const stage = defineStage({
  name: 'ingest',
  params: z.object({}).strict(),
  outputs: {
    recordings: {
      description: "one row per usable clip; schema metadata 'ser:classes' = the class names by label_index",
      columns: {
        id: 'utf8: recording id (RAVDESS file stem, or the CSV path with / as __)',
        path: "utf8: the audio file's path relative to dataset.path (for a CSV manifest, to its folder)",
        label: 'utf8: class name',
        label_index: 'int32: index into ser:classes',
        speaker: 'utf8: speaker id (RAVDESS actor number, two digits)',
        gender: "utf8: 'male', 'female' or '' when unknown",
        intensity: 'int32: RAVDESS intensity (0 when unknown)',
        statement: 'int32: RAVDESS statement (0 when unknown)',
        repetition: 'int32: RAVDESS repetition (0 when unknown)',
        sha256: 'utf8: content hash of the file (identical recordings share it)',
      },
    },
  },
  run: runIngest,
  async datasetFingerprint(dataset, root) {
    const { candidates } = listDataset(dataset, root);
    const extra = dataset.format === 'csv' ? [datasetPath(dataset, root)] : [];
    return statFingerprint([...extra, ...candidates.map((c) => c.path)]);
  },
});
