/**
 * `ser predict FILE …`: the emotion of new recordings (WAV, FLAC, MP3, OGG Vorbis, Opus), with the
 * model and the exact feature params of a recorded run (default: the latest); for a
 * cross-validation run, the mean of its fold models' probabilities (an ensemble). A bad file gets a
 * one-line error and the others still get predictions; the result says whether any failed.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { extractFeatures, melParams, trimParams } from '@ser/features';
import type { RunRecord } from '@ser/core';
import { initBackend, loadTrainedModel, MODEL_FILE, predictProbabilities } from '@ser/model/inference';
import { evalParams } from '@ser/eval/params';
import type { Backend } from '@ser/model/params';
import { findRun, listRuns, runDir } from './runs.ts';

export interface Prediction {
  file: string;
  label?: string;
  probabilities?: Record<string, number>;
  error?: string;
}

function readClip(file: string): Uint8Array {
  let stat;
  try {
    stat = statSync(file);
  } catch {
    throw new Error(`${file}: no such file`);
  }
  if (stat.isDirectory()) throw new Error(`${file}: is a directory, not an audio file`);
  return readFileSync(file);
}

/** The kept model folders of a run: `train`, or one per fold (`train.fold1` …). */
function modelDirs(root: string, record: RunRecord): string[] {
  const tasks = Object.keys(record.kept ?? {}).filter((t) => /^train(\.fold\d+)?$/.test(t));
  const dirs = (tasks.length ? tasks : ['train']).map((t) => join(runDir(root, record.id), t));
  return dirs.filter((d) => existsSync(join(d, MODEL_FILE)));
}

export async function predict(
  root: string,
  files: string[],
  { run, backend }: { run?: string; backend?: Backend },
): Promise<{ runId: string; backend: string; models: number; predictions: Prediction[] }> {
  const record = run ? findRun(root, run) : listRuns(root).at(-1);
  if (!record) throw new Error('no recorded runs yet: train one with `npx ser run`');
  const trim = trimParams.parse(record.params.trim);
  const mel = melParams.parse(record.params.mel);
  const used = await initBackend(backend ?? evalParams.parse(record.params.eval ?? {}).backend);
  const dirs = modelDirs(root, record);
  if (dirs.length === 0) throw new Error(`run ${record.id} has no kept model (${runDir(root, record.id)})`);
  const models = await Promise.all(dirs.map((d) => loadTrainedModel(d)));
  const { classes } = models[0];
  for (const [i, m] of models.entries())
    if (JSON.stringify(m.classes) !== JSON.stringify(classes)) throw new Error(`${dirs[i]}: classes [${m.classes}] differ from ${dirs[0]}'s [${classes}]`);

  const predictions: Prediction[] = files.map((file) => ({ file }));
  const ok: { index: number; logmel: Float32Array }[] = [];
  for (const [index, file] of files.entries()) {
    try {
      ok.push({ index, logmel: (await extractFeatures(readClip(file), file, trim, mel)).logmel });
    } catch (e) {
      predictions[index].error = (e as Error).message.startsWith(file) ? (e as Error).message : `${file}: ${(e as Error).message}`;
    }
  }
  if (ok.length) {
    const size = mel.nMels * mel.frames;
    const batch = new Float32Array(ok.length * size);
    ok.forEach((c, i) => batch.set(c.logmel, i * size));
    // An ensemble averages its models' probabilities (one model: its own).
    const probs = new Float32Array(ok.length * classes.length);
    for (const m of models)
      predictProbabilities(m.model, m.standardization, batch, ok.length, [mel.nMels, mel.frames]).forEach((p, k) => (probs[k] += p / models.length));
    ok.forEach((c, i) => {
      const p = probs.subarray(i * classes.length, (i + 1) * classes.length);
      const best = p.indexOf(Math.max(...p));
      predictions[c.index].label = classes[best];
      predictions[c.index].probabilities = Object.fromEntries(classes.map((name, k) => [name, Number(p[k].toFixed(4))]));
    });
  }
  return { runId: record.id, backend: used, models: models.length, predictions };
}

/** `file: angry (83.1%)  fearful 9.0%, …` — the other classes by falling probability. */
export function formatPrediction(p: Required<Omit<Prediction, 'error'>>): string {
  const ranked = Object.entries(p.probabilities).sort((a, b) => b[1] - a[1]);
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  return `${p.file}: ${p.label} (${pct(ranked[0][1])})  ${ranked
    .slice(1)
    .map(([k, v]) => `${k} ${pct(v)}`)
    .join(', ')}`;
}
