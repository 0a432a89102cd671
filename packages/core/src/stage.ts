/**
 * The contract between the stage runner (run-stage.ts: I/O, hashing, manifests) and a stage
 * package (plain computation). A stage package lists its stages in its package.json
 * (`"ser": { "stages": { "<name>": "./src/<file>.ts" } }`, see registry.ts); each such module
 * exports `stage`, made with `defineStage`.
 */
import type { Table } from 'apache-arrow';
import type { z } from 'zod';
import type { DatasetParams } from './dataset.ts';

/** One file a stage wrote, named by its content hash (or by a fixed name). */
export interface OutputRecord {
  file: string;
  sha256: string;
  bytes: number;
  rows?: number;
}

/** An item (file, clip) a stage excluded, and why; the rest of the run goes on. */
export interface Failure {
  item: string;
  reason: string;
}

/**
 * What a stage's results depend on, besides nothing: the Nx cache key of the stage is the hash of
 * this (see fingerprint.ts), and the manifest's "why it ran" is the difference from the last one.
 */
export interface StageFingerprint {
  /** Resolved params (defaults filled, overrides applied). */
  params: unknown;
  /** sha256 of the minified code the stage module runs (@ser/build's codeKey). */
  codeHash: string;
  /** Third-party packages that code imports, with their dependencies: name → installed version. */
  packages: Record<string, string>;
  /** Upstream stage → hash of its outputs; `dataset` → fingerprint of the raw data (stages that read it). */
  inputs: Record<string, string>;
  /** The cross-validation fold this task computes (stages that run per fold), else null. */
  fold: FoldOf | null;
}

/**
 * Fold `index` (1-based) of a partition into `count` folds. A screen runs only the first folds of
 * the partition, and they are the same folds as the full run's, so their tasks share cache keys.
 */
export interface FoldOf {
  index: number;
  count: number;
}

/** The folds of a cross-validation: its partition's count, and how many of the first ones run (fewer in a screen). */
export interface FoldPlan {
  partition: number;
  run: number;
}

/** `data/<stage>/manifest.json`: what a stage ran on, what it wrote, and why it ran. */
export interface StageManifest extends StageFingerprint {
  /** The task: the stage's name, or `<stage>.fold<k>` for one fold of a stage that runs per fold. */
  stage: string;
  /** Overrides (`--set stage.key=value`) that applied to this stage. */
  overrides: Record<string, unknown>;
  outputs: Record<string, OutputRecord>;
  /** sha256 over the output hashes: what downstream stages key on. */
  outputsHash: string;
  failures: Failure[];
  /** Stage-specific figures (class counts, skipped files, timings...): facts of this execution, not outputs. */
  summary: Record<string, unknown>;
  /** Why it ran: what differs from the previous manifest (or "no previous run"). */
  reasons: string[];
  startedAt: string;
  wallMs: number;
}

export interface Progress {
  tick(n?: number): void;
  done(): void;
}

export interface StageContext<P> {
  /** The task's id: the stage's name, or `<stage>.fold<k>`. */
  stage: string;
  params: P;
  /** The fold this task computes, for a stage that runs per fold (`{ index: 1, count: 1 }` for a holdout split); else null. */
  fold: FoldOf | null;
  /** For a stage's combining task: the ids of its fold tasks, in fold order; else empty. */
  folds: readonly string[];
  dataset: DatasetParams;
  /** Workspace root (absolute). */
  root: string;
  /**
   * The task's upstream tasks, in pipeline order: its declared deps (pipeline.yaml `deps`), with a
   * per-fold dep replaced by its task of the same fold (`train` → `train.fold2`).
   */
  deps: readonly string[];
  /**
   * Manifest of an upstream task, named by its stage (resolved to this task's fold, as in `deps`)
   * or by its task id. The same naming holds for readTable and inputPath.
   */
  upstream(stage: string): StageManifest;
  /** Read an upstream Arrow output; its content hash is verified first. */
  readTable(stage: string, output: string): Promise<Table>;
  /** Absolute path of an upstream output file (hash verified). */
  inputPath(stage: string, output: string): Promise<string>;
  /** Write a declared Arrow output, named by its content hash; its declared columns must be there. */
  writeTable(output: string, table: Table): Promise<OutputRecord>;
  /** Write a declared non-Arrow output (model weights, JSON, figures). `name` null = name it by content hash. */
  writeFile(output: string, bytes: Uint8Array, name?: string | null): Promise<OutputRecord>;
  /** Exclude one item from the run, with the reason (listed in the manifest, warned once). */
  fail(item: string, reason: string): void;
  log(message: string): void;
  /** A progress line for `total` units, `done` of them finished before (a resumed task). */
  progress(label: string, total: number, done?: number): Progress;
  /** Stage-specific figures to put in the manifest's summary. */
  summary: Record<string, unknown>;
}

/** One output a stage writes: what it is, and for Arrow tables the columns every reader may rely on. */
export interface OutputDeclaration {
  description: string;
  /** Column name → its type and meaning (Arrow tables only). */
  columns?: Record<string, string>;
}

export interface StageDefinition<P = unknown> {
  name: string;
  /** The schema of the stage's `params:` block in pipeline.yaml, defaults at each key. */
  params: z.ZodType<P>;
  /** The outputs it writes: the data contract its downstream stages read. */
  outputs: Record<string, OutputDeclaration>;
  run(ctx: StageContext<P>): Promise<void>;
  /** For stages that read the raw dataset: a cheap fingerprint of it, part of the stage's cache key. */
  datasetFingerprint?(dataset: DatasetParams, root: string): Promise<string>;
  /**
   * For the stage whose output defines cross-validation folds (split): how many, from its params
   * and the dataset, before it runs — the pipeline makes one task per running fold of every per-fold stage.
   */
  folds?(params: P, dataset: DatasetParams, root: string): Promise<FoldPlan>;
  /** Keep a copy of its outputs with each recorded run (data/runs/<id>/<task>/): small ones, models and reports. */
  keepWithRun?: boolean;
  /** Run once per fold (`<stage>.fold<k>`, or once as `<stage>` when there is one fold). */
  perFold?: boolean;
  /**
   * For a per-fold stage with several folds: combine the folds' outputs (ctx.folds) into the
   * stage's own task `<stage>`, which runs after them (e.g. cross-validation metrics).
   */
  combine?(ctx: StageContext<P>): Promise<void>;
}

/** A stage definition, typed by its params schema. */
export const defineStage = <P>(definition: StageDefinition<P>): StageDefinition<P> => definition;
