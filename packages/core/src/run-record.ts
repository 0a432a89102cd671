/** A completed pipeline run as recorded in data/runs/<id>.json (written by `ser record`), and what it keeps beside it. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNumbers, readStrings, tableFromBytes } from './arrow.ts';

export interface StageRunRecord {
  outputsHash: string;
  /** The code the task ran (its manifest's codeHash). */
  codeHash: string;
  /** false: restored from the Nx cache (or already up to date). */
  ran: boolean;
  /** Why it ran (which param, input or code changed), from the stage manifest. */
  reasons: string[];
  wallMs: number;
}

export interface RunRecord {
  id: string;
  createdAt: string;
  gitCommit: string | null;
  /** The training backend that ran (tensorflow, wasm, cpu). */
  backend: string | null;
  /** Resolved params per stage (nested). */
  params: Record<string, unknown>;
  overrides: Record<string, unknown>;
  dataset: { path: string; hash: string | null };
  /** Per task, in run order. */
  stages: Record<string, StageRunRecord>;
  /** metrics.json of the last task that writes one (eval, or its combination of folds). */
  metrics: Record<string, unknown> | null;
  /** Outputs kept beside the record (data/runs/<id>/<task>/<file>): task → output name → file. */
  kept: Record<string, Record<string, string>>;
}

/** A holdout run's scored recordings (its eval task's predictions), for paired comparisons. */
export interface RunPredictions {
  ids: string[];
  split: string[];
  labels: Int32Array;
  predicted: Int32Array;
  genders: string[];
}

/**
 * The predictions kept with a holdout run (`runsFolder`/<id>/eval/, runsFolder = data/runs), or null when it has none
 * (cross-validation runs keep them per fold; runs recorded before predictions were kept).
 */
export function readRunPredictions(runsFolder: string, run: RunRecord): RunPredictions | null {
  const file = run.kept?.eval?.predictions;
  const path = file && join(runsFolder, run.id, 'eval', file);
  if (!path || !existsSync(path)) return null;
  const table = tableFromBytes(readFileSync(path));
  return {
    ids: readStrings(table, 'id'),
    split: readStrings(table, 'split'),
    labels: Int32Array.from(readNumbers(table, 'label_index')),
    predicted: Int32Array.from(readNumbers(table, 'predicted')),
    genders: readStrings(table, 'gender'),
  };
}
