/** A completed pipeline run as recorded in data/runs/<id>.json (written by `ser record`). */

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
