/**
 * What the dataset holds, without reading any audio: the clips of a RAVDESS folder (Actor_XX/
 * 03-01-EE-II-SS-RR-AA.wav) or of a CSV manifest, with labels and speakers, restricted to
 * `dataset.actors`. Ingest hashes and tables them; other stages use it to know the speakers early.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { datasetPath, type DatasetParams } from '@ser/core';
import { parseManifest } from './csv-manifest.ts';
import { ACTOR_DIR, EMOTIONS, parseRavdessName, type RecordingInfo } from './ravdess.ts';

export interface Candidate extends RecordingInfo {
  path: string;
}

export interface Listing {
  candidates: Candidate[];
  skipped: string[];
  classes: string[];
}

function requireExists(path: string, what: string) {
  if (!existsSync(path))
    throw new Error(
      `dataset.path: ${what} ${path} does not exist (get RAVDESS with \`npx ser data ravdess\`, or \`npx ser data ravdess --from <zip or folder>\` offline, or set dataset.path in pipeline.yaml)`,
    );
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

export function listDataset(dataset: DatasetParams, root: string): Listing {
  const actors = new Set(dataset.actors.map((a) => (typeof a === 'number' ? String(a).padStart(2, '0') : a)));
  const path = datasetPath(dataset, root);
  return dataset.format === 'csv' ? listCsv(path, actors) : listRavdess(path, actors);
}
