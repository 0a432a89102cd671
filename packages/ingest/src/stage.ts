/**
 * The `ingest` stage: list the dataset's clips with their labels and speakers, drop files that are
 * not speech clips (one warning with the count), and keep byte-identical recordings once.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import pLimit from 'p-limit';
import { z } from 'zod';
import { CLASSES_METADATA, buildTable, defineStage, sha256, statFingerprint, type DatasetParams, type StageContext } from '@ser/core';
import { parseManifest } from './csv-manifest.ts';
import { ACTOR_DIR, AUDIO_EXTENSIONS, EMOTIONS, parseRavdessName, type RecordingInfo } from './ravdess.ts';

interface Candidate extends RecordingInfo {
  path: string;
}

interface Listing {
  candidates: Candidate[];
  skipped: string[];
  classes: string[];
}

const datasetPath = (dataset: DatasetParams, root: string) => (isAbsolute(dataset.path) ? dataset.path : resolve(root, dataset.path));

function requireExists(path: string, what: string) {
  if (!existsSync(path))
    throw new Error(`dataset.path: ${what} ${path} does not exist (get RAVDESS with \`npx ser data ravdess\`, or \`npx ser data ravdess --from <zip or folder>\` offline, or set dataset.path in pipeline.yaml)`);
}

/** Every file under an Actor_XX folder; non-speech and stray files are reported as skipped. */
function listRavdess(dir: string, actors: Set<string>): Listing {
  requireExists(dir, 'folder');
  const candidates: Candidate[] = [];
  const skipped: string[] = [];
  for (const actorDir of readdirSync(dir).sort()) {
    const full = join(dir, actorDir);
    if (!statSync(full).isDirectory() || !ACTOR_DIR.test(actorDir)) {
      skipped.push(actorDir);
      continue;
    }
    for (const name of readdirSync(full).sort()) {
      const info = parseRavdessName(name);
      if (!info || info.speaker !== ACTOR_DIR.exec(actorDir)![1]) skipped.push(join(actorDir, name));
      else if (actors.size === 0 || actors.has(info.speaker)) candidates.push({ ...info, path: join(full, name) });
    }
  }
  return { candidates, skipped, classes: [...EMOTIONS] };
}

function listCsv(file: string, actors: Set<string>): Listing {
  requireExists(file, 'manifest');
  const rows = parseManifest(readFileSync(file, 'utf8'), file).filter((r) => actors.size === 0 || actors.has(r.speaker));
  const labels = [...new Set(rows.map((r) => r.label))];
  // RAVDESS-named labels keep RAVDESS's class order, so models and reports line up across corpora.
  const classes = labels.every((l) => (EMOTIONS as readonly string[]).includes(l)) ? [...EMOTIONS] : labels.sort();
  const candidates = rows.map((r) => ({
    id: r.path.replace(/\.[^./]+$/, '').replace(/[\\/]/g, '__'),
    path: resolve(dirname(file), r.path),
    label: r.label,
    labelIndex: classes.indexOf(r.label),
    speaker: r.speaker,
    gender: r.gender,
    intensity: 0,
    statement: 0,
    repetition: 0,
  }));
  return { candidates, skipped: [], classes };
}

function listDataset(dataset: DatasetParams, root: string): Listing {
  const actors = new Set(dataset.actors.map((a) => (typeof a === 'number' ? String(a).padStart(2, '0') : a)));
  const path = datasetPath(dataset, root);
  return dataset.format === 'csv' ? listCsv(path, actors) : listRavdess(path, actors);
}

async function runIngest(ctx: StageContext<Record<string, never>>) {
  const { candidates: listed, skipped, classes } = listDataset(ctx.dataset, ctx.root);
  if (skipped.length)
    ctx.log(`ingest: warning: skipped ${skipped.length} file(s) that are not speech clips named 03-01-EE-II-SS-RR-AA.{${AUDIO_EXTENSIONS.join(',')}} (song, video or stray files), e.g. ${skipped.slice(0, 3).join(', ')}`);

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
    else firstWithHash.set(hash, c.id), kept.push({ ...c, sha256: hash });
  });
  if (duplicates.length)
    ctx.log(`ingest: ${duplicates.length} identical recording(s) kept once: ${duplicates.map((d) => `${d.dropped} = ${d.kept}`).join(', ')}`);
  if (kept.length === 0) throw new Error(`dataset.path: no usable clips in ${datasetPath(ctx.dataset, ctx.root)}`);

  const int = (f: (c: Candidate) => number) => Int32Array.from(kept, f);
  const table = buildTable(
    kept.length,
    {
      id: kept.map((c) => c.id),
      path: kept.map((c) => c.path),
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
        path: 'utf8: absolute path of the audio file',
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
