/** A completed pipeline run as recorded in data/runs/<id>.json (written by `ser record`). */

export interface StageRunRecord {
  outputsHash: string;
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
  stages: Record<string, StageRunRecord>;
  /** metrics.json of the eval stage. */
  metrics: Record<string, unknown> | null;
}
